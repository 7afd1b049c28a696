"""Commands over what annotation found: actors, quotes, sources."""

from __future__ import annotations

from itertools import islice
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.tree import Tree

from ..export.records import article_joiner, attribution_record, quote_record
from ..models import Article
from ..store.annotations import StoredAttribution, actor_summaries, iter_attributions, iter_quotes
from ..store.articles import load_article
from .common import app, article_or_exit, out, err, DbOption, settings_or_exit, connect_or_exit
from .output import Column, FormatOption, LimitOption, emit, listing_format, nothing_found


@app.command()
def actors(
    db: DbOption = None,
    type: Annotated[Optional[str], typer.Option("--type", help="Only PERSON, ORG, GPE or NORP.")] = None,
    limit: LimitOption = 50,
    format: FormatOption = None,
) -> None:
    """List actors, most mentioned first, with their spelling variants and the labels outlets use.

    Example: storyline actors --type PERSON --limit 20
    """
    fmt = listing_format(format)
    conn = connect_or_exit(settings_or_exit(db=db))
    rows = [{"actor": row.name, "type": row.type, "mentions": row.mentions, "articles": row.articles,
             "variants": list(row.variants), "labels": list(row.labels)}
            for row in actor_summaries(conn, kind=type.upper() if type else None, limit=limit or 50)]
    emit(rows, (Column("actor"), Column("type"), Column("mentions"), Column("articles"),
                Column("variants", show=" / ".join), Column("labels", show=lambda v: "; ".join(v[:6]))), fmt, what="actors")


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[Optional[str], typer.Option(help="Only speakers whose name or words contain this.")] = None,
    article: Annotated[Optional[str], typer.Option(help="Only this article (id or prefix).")] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """List quotes with speaker, cue verb, and whether they are direct or indirect.

    Example: storyline quotes --speaker Putin

    Example: storyline quotes -f csv > quotes.csv
    """
    fmt = listing_format(format)
    conn = connect_or_exit(settings_or_exit(db=db))
    found = list(islice(iter_quotes(conn, article_id=article, speaker=speaker), limit))
    if fmt != "table":
        join = article_joiner(conn)
        emit([join(quote_record(q)) for q in found], (), fmt, what="quotes")
        return
    if not found:
        nothing_found("quotes")
    for q in found:
        who = q.quote.speaker_name or (q.quote.speaker.text if q.quote.speaker else "unknown speaker")
        mark = "“”" if q.quote.direct else ("~“”" if q.quote.quoted_words else "~")
        out.print(f"[bold]{escape(who)}[/] [dim]{escape(q.quote.cue.text if q.quote.cue else '-')} {mark} {q.id}[/]")
        out.print(f"    {escape(q.quote.text)}")
    err.print(f"{len(found)} quote(s); “” direct, ~ indirect, ~“” indirect with quoted words")


@app.command()
def sources(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """Show an article's attribution chains as a tree: outlet, then each source down to the origin.

    Example: storyline sources 31cd5619
    """
    fmt = listing_format(format)
    conn = connect_or_exit(settings_or_exit(db=db))
    article = article_or_exit(conn, article_id)
    found = list(islice(iter_attributions(conn, article.id), limit))
    if fmt != "table":
        join = article_joiner(conn)
        emit([join(attribution_record(a)) for a in found], (), fmt, what="attributions")
        return
    out.print(_source_tree(article, found))


def _source_tree(article: Article, atts: list[StoredAttribution]) -> Tree:
    """The outlet at the root; under it each cited outlet, then the ultimate sources and what they said."""
    root = Tree(f"[bold]{escape(article.outlet or 'unknown outlet')}[/] — {escape(article.title or article.id)}")
    branches: dict[tuple[str, ...], Tree] = {}
    for stored in atts:
        att = stored.attribution
        node = root
        path: tuple[str, ...] = ()
        chain = att.via + ((att.source,) if att.source_kind == "outlet" and att.source else ())
        for via in chain:
            path += (via.text,)
            if path not in branches:
                branches[path] = node.add(f"[cyan]{escape(via.text)}[/] [dim](outlet)[/]")
            node = branches[path]
        count = f", {att.count}" if att.count else ""
        source = att.source.text if att.source else "unknown source"
        resolved = f" → {escape(att.source_name)}" if att.source_name and att.source_name != source else ""
        leaf = node if att.source_kind == "outlet" else node.add(f"[bold]{escape(source)}[/]{resolved} [dim]({att.source_kind}{count})[/]")
        content = att.content.text if len(att.content.text) < 160 else att.content.text[:157] + "…"
        leaf.add(f"[dim]{escape(att.cue.text if att.cue else '')}[/] {escape(content)}")
    return root
