"""The ``storyline`` command line. Each command reads options, calls one library function, prints.

Data goes to stdout; progress, summaries and errors go to stderr.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from .errors import StorylineError
from .export import FORMATS, load_timeline, write_export
from .ingest.files import iter_folder
from .ingest.sources import is_url
from .link.framing import OutletView, ViewItem, compare_actor
from .link.timeline import TimelineGroup, period_bounds
from .models import Article, ClaimAppearance, IngestSummary, Story
from .runner import annotate_pending, ingest as run_ingest
from .store.annotations import StoredAttribution, actor_summaries, iter_attributions, iter_quotes
from .settings import Settings, load_settings
from .store.articles import HIGHLIGHT_END, HIGHLIGHT_START, list_articles, load_article, search as fts_search
from .store.claims import iter_claim_groups
from .store.framing import iter_framing
from .store.links import iter_stories, iter_threads, story_articles
from .store.schema import connect, schema_version
from .store.times import stories_available

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Storyline: turn many news articles about one story into a sourced, dated picture.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[Optional[str], typer.Option("--db", help="SQLite database path (default: storyline.db or the db setting).")]


def _settings(**overrides: object) -> Settings:
    try:
        return load_settings().with_overrides(**overrides)
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _connect(settings: Settings, readonly: bool = True) -> sqlite3.Connection:
    try:
        return connect(settings.db, readonly=readonly)
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _expected_total(sources: list[str]) -> int:
    total = 0
    for s in sources:
        total += sum(1 for _ in iter_folder(Path(s))) if not is_url(s) and Path(s).is_dir() else 1
    return total


@app.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(help="Folders (recursive), files (.txt .html .json .jsonl .xml), URLs or feeds.")],
    db: DbOption = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private, loopback and link-local addresses.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest articles from folders, files, URLs and RSS/Atom feeds.

    Example: storyline ingest demo/corpus https://example.org/feed.xml --db story.db
    """
    settings = _settings(db=db, allow_private=allow_private or None)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=quiet or not err.is_terminal) as bar:
        task = bar.add_task("ingesting", total=_expected_total(sources))

        def progress(outcome: str, source: str) -> None:
            bar.update(task, advance=1, description=f"{outcome:<9} {Path(source).name[:40]}")

        try:
            summary = run_ingest(sources, settings, progress=progress)
        except StorylineError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    _print_summary(summary, settings)
    if summary.failed:
        raise typer.Exit(1)


def _print_summary(summary: IngestSummary, settings: Settings) -> None:
    for failure in summary.failed:
        err.print(f"[red]failed:[/] {escape(failure.source)}: {escape(failure.reason)}")
    err.print(
        f"ingested {len(summary.ingested)}, duplicates {len(summary.duplicates)}, "
        f"skipped {len(summary.skipped)}, failed {len(summary.failed)} -> {escape(settings.db)}"
    )


def _published_label(published: str | None, inferred: bool, range_: tuple[str | None, str | None] | None) -> str:
    """Show a publication date: the date, a month or "≥date" when only a range is known; "*" marks inference."""
    mark = "*" if inferred else ""
    if published:
        return published + mark
    earliest, latest = range_ or (None, None)
    if earliest and latest:
        return (earliest[:7] if earliest[:7] == latest[:7] else f"{earliest}..{latest}") + mark
    if earliest:
        return f"≥{earliest}{mark}"
    if latest:
        return f"≤{latest}{mark}"
    return "unknown" + mark


@app.command("list")
def list_(
    db: DbOption = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only this outlet.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many rows.")] = None,
) -> None:
    """List stored articles, newest first.

    Example: storyline list --outlet "Meridian Daily" --limit 20
    """
    conn = _connect(_settings(db=db))
    table = Table(box=None, header_style="bold")
    for name, width, fixed in (("id", 16, True), ("published", 12, True), ("outlet", 18, False),
                               ("title", 60, False), ("words", 5, True), ("duplicate of", 16, False)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width, min_width=width if fixed else 8)
    for a in list_articles(conn, outlet=outlet, limit=limit):
        published = _published_label(a.published, a.published_inferred, a.published_range)
        table.add_row(a.id, published, escape(a.outlet or "unknown"), escape((a.title or "(no title)")[:70]), str(a.words), a.duplicate_of or "")
    out.print(table)
    err.print("* inferred from the text (see storyline show ID --evidence)")


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    removed: Annotated[bool, typer.Option("--removed", help="Also list every piece the cleaner cut, with its reason.")] = False,
    evidence: Annotated[bool, typer.Option("--evidence", help="Also list the evidence for inferred values.")] = False,
) -> None:
    """Show one article: metadata, cleaned text, and optionally what was removed and why.

    Example: storyline show 0e10b920 --removed
    """
    conn = _connect(_settings(db=db))
    article = load_article(conn, article_id)
    if article is None:
        err.print(f"[red]error:[/] no article with id {escape(article_id)!r}; see `storyline list`")
        raise typer.Exit(1)
    _print_article(article, removed=removed, evidence=evidence)


def _print_article(a: Article, *, removed: bool, evidence: bool) -> None:
    published = _published_label(a.published, False, a.published_range)
    if a.published_inferred:
        published += " (inferred from the text)"
    out.print(f"[bold]{escape(a.title or '(no title)')}[/]")
    for label, value in (("id", a.id), ("outlet", a.outlet or "unknown"), ("published", published),
                         ("author", a.author or "unknown"), ("language", a.language or "unknown"),
                         ("source", a.source), ("duplicate of", a.duplicate_of)):
        if value:
            out.print(f"[dim]{label}:[/] {escape(value)}")
    out.print()
    out.print(escape(a.text))
    if removed:
        out.print(f"\n[bold]removed ({len(a.removed)})[/]")
        for r in a.removed:
            out.print(f"  [red]-[/] [dim]{escape(r.reason)}[/] [{r.start}:{r.end}] {escape(r.text)}")
    if evidence:
        out.print(f"\n[bold]evidence ({len(a.evidence)})[/]")
        for e in a.evidence:
            where = f" [{e.start}:{e.end}]" if e.start is not None else ""
            out.print(f"  {e.field} = {escape(e.value or '-')} [dim]by {e.method}{where}:[/] {escape(e.text)}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words that must all appear; "quoted phrases" stay together.')],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
) -> None:
    """Full-text search over titles and texts, with highlighted snippets.

    Example: storyline search '"open to dialogue" Kremlin'
    """
    conn = _connect(_settings(db=db))
    hits = fts_search(conn, query, limit=limit)
    for hit in hits:
        snippet = escape(hit.snippet).replace(HIGHLIGHT_START, "[bold yellow]").replace(HIGHLIGHT_END, "[/]")
        out.print(f"[bold]{hit.id}[/] {escape(hit.published or 'unknown')} {escape(hit.outlet or 'unknown')} — {escape(hit.title or '(no title)')}")
        out.print(f"    {snippet}")
    err.print(f"{len(hits)} result(s)")


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")] = "json",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Export everything stored as one JSON document (or JSON lines, or CSV).

    Example: storyline export --format json -o story.json
    """
    if format not in FORMATS:
        err.print(f"[red]error:[/] unknown format {escape(format)!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    conn = _connect(_settings(db=db))
    if output:
        with output.open("w", encoding="utf-8", newline="") as fh:
            n = write_export(conn, format, fh)
        err.print(f"exported {n} article(s) to {escape(str(output))}")
    else:
        write_export(conn, format, sys.stdout)


@app.command()
def annotate(
    db: DbOption = None,
    again: Annotated[bool, typer.Option("--all", help="Annotate every article again, not only new ones.")] = False,
) -> None:
    """Find actors, labels, quotes and attribution chains in stored articles (ingest does this too).

    Example: storyline annotate --db story.db
    """
    settings = _settings(db=db)
    conn = _connect(settings, readonly=False)
    if again:
        conn.execute("DELETE FROM annotated")
        conn.commit()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("annotating")
        n = annotate_pending(conn, settings, progress=lambda outcome, source: bar.update(task, description=f"annotated {source}"))
    err.print(f"annotated {n} article(s) with {escape(settings.spacy_model)}")


@app.command()
def actors(
    db: DbOption = None,
    type: Annotated[Optional[str], typer.Option("--type", help="Only PERSON, ORG, GPE or NORP.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
) -> None:
    """List actors, most mentioned first, with their spelling variants and the labels outlets use.

    Example: storyline actors --type PERSON --limit 20
    """
    conn = _connect(_settings(db=db))
    table = Table(box=None, header_style="bold")
    for name in ("actor", "type", "mentions", "articles", "variants", "labels"):
        table.add_column(name, overflow="fold")
    for row in actor_summaries(conn, kind=type.upper() if type else None, limit=limit):
        table.add_row(escape(row.name), row.type, str(row.mentions), str(row.articles),
                      escape(" / ".join(row.variants)), escape("; ".join(row.labels[:6])))
    out.print(table)


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[Optional[str], typer.Option(help="Only speakers whose name or words contain this.")] = None,
    article: Annotated[Optional[str], typer.Option(help="Only this article (id or prefix).")] = None,
) -> None:
    """List quotes with speaker, cue verb, and whether they are direct or indirect.

    Example: storyline quotes --speaker Putin
    """
    conn = _connect(_settings(db=db))
    n = 0
    for q in iter_quotes(conn, article_id=article, speaker=speaker):
        n += 1
        who = q.quote.speaker_name or (q.quote.speaker.text if q.quote.speaker else "unknown speaker")
        mark = "“”" if q.quote.direct else "~"
        out.print(f"[bold]{escape(who)}[/] [dim]{escape(q.quote.cue.text if q.quote.cue else '-')} {mark} {q.id}[/]")
        out.print(f"    {escape(q.quote.text)}")
    err.print(f"{n} quote(s); “” direct, ~ indirect")


@app.command()
def sources(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
) -> None:
    """Show an article's attribution chains as a tree: outlet, then each source down to the origin.

    Example: storyline sources 31cd5619
    """
    conn = _connect(_settings(db=db))
    article = load_article(conn, article_id)
    if article is None:
        err.print(f"[red]error:[/] no article with id {escape(article_id)!r}; see `storyline list`")
        raise typer.Exit(1)
    out.print(_source_tree(article, list(iter_attributions(conn, article.id))))


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
        leaf = node if att.source_kind == "outlet" else node.add(f"[bold]{escape(source)}[/] [dim]({att.source_kind}{count})[/]")
        content = att.content.text if len(att.content.text) < 160 else att.content.text[:157] + "…"
        leaf.add(f"[dim]{escape(att.cue.text if att.cue else '')}[/] {escape(content)}")
    return root


@app.command()
def timeline(
    db: DbOption = None,
    actor: Annotated[Optional[str], typer.Option(help="Only events naming an actor whose name, id or a variant contains this.")] = None,
    story: Annotated[Optional[str], typer.Option(help="Only the articles of this story (ids: `storyline stories`).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only events on or after this date: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only events on or before this date: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many rows.")] = None,
) -> None:
    """Show dated events merged across articles: when it happened, what, and which outlets reported it when.

    Example: storyline timeline --actor Putin --since 2024-05
    """
    first, last = _day_bound(since, "--since", end=False), _day_bound(until, "--until", end=True)
    settings = _settings(db=db)
    conn = _connect(settings)
    if schema_version(conn) < 3:
        err.print(f"[red]error:[/] {escape(settings.db)} predates times and events; run `storyline annotate --db {escape(settings.db)}` first")
        raise typer.Exit(2)
    article_ids = _story_article_ids(conn, story) if story is not None else None
    groups = load_timeline(conn, article_ids=article_ids, actor=actor, since=first, until=last)[:limit]
    out.print(_timeline_table(groups))
    err.print(f"{len(groups)} event(s) from {len({a for g in groups for a in g.article_ids})} article(s); lag = days from the event to publication")


def _story_article_ids(conn: sqlite3.Connection, story: str) -> list[str]:
    """The articles of ``story``; no stories at all, or no such story, is an error."""
    if not stories_available(conn) or next(iter_stories(conn), None) is None:
        err.print("[red]error:[/] this database has no stories yet; run `storyline annotate` (it links articles into stories), then see `storyline stories`")
        raise typer.Exit(2)
    ids = story_articles(conn, story)
    if not ids:
        err.print(f"[red]error:[/] no story with id {escape(story)!r}; see `storyline stories`")
        raise typer.Exit(1)
    return ids


def _day_bound(value: str | None, option: str, *, end: bool) -> str | None:
    """The first (or last) day of a --since/--until value; a bad value is a usage error."""
    if value is None:
        return None
    try:
        return period_bounds(value)[1 if end else 0]
    except ValueError as exc:
        err.print(f"[red]error:[/] {option}: {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _date_label(group: TimelineGroup) -> str:
    return group.date if group.granularity == "day" else f"{group.date} ({group.granularity})"


def _timeline_table(groups: list[TimelineGroup]) -> Table:
    """One row per group: the date with its granularity, the summary, and each report with its lag."""
    table = Table(box=None, header_style="bold", padding=(0, 2, 1, 0))
    table.add_column("date", no_wrap=True)
    table.add_column("event", overflow="fold", ratio=3)
    table.add_column("reported", overflow="fold", ratio=2)
    for g in groups:
        reports = []
        for a in g.appearances:
            lag = f" [dim]{a.lag_days:+d} d[/]" if a.lag_days is not None else ""
            reports.append(f"{escape(a.outlet or 'unknown')} {escape(a.published or 'unknown date')}{lag}")
        table.add_row(escape(_date_label(g)), escape(g.summary), "\n".join(reports))
    return table


def _linked(settings: Settings) -> sqlite3.Connection:
    """A read-only connection to a database that has the link tables (schema version 4)."""
    conn = _connect(settings)
    if schema_version(conn) < 4:
        err.print(f"[red]error:[/] {escape(settings.db)} predates stories and claims; run `storyline annotate --db {escape(settings.db)}` first")
        raise typer.Exit(2)
    return conn


def _span_label(s: Story) -> str:
    first, last = s.first_published or "unknown", s.last_published or "unknown"
    return first if first == last else f"{first}..{last}"


@app.command()
def stories(db: DbOption = None) -> None:
    """List threads (ongoing narratives), each with its stories: id, dates, article count and title.

    Example: storyline stories --db story.db
    """
    conn = _linked(_settings(db=db))
    by_id = {s.id: s for s in iter_stories(conn)}
    threads = list(iter_threads(conn))
    for thread in threads:
        out.print(f"[bold]{escape(thread.title or '(no title)')}[/] [dim]{escape(thread.id)}[/]")
        for s in (by_id[i] for i in thread.story_ids):
            out.print(f"  {escape(s.id)}  {escape(_span_label(s))}  {len(s.article_ids)} article(s)  {escape(s.title or '(no title)')}")
    err.print(f"{len(by_id)} story(ies) in {len(threads)} thread(s)")


def _appearance_line(a: ClaimAppearance) -> str:
    parts = [f"[bold]{escape(a.outlet or 'unknown outlet')}[/] {escape(a.published or 'unknown date')}"]
    if a.negated:
        parts.append("[red]negated[/]")
    if a.hedges:
        parts.append("hedged: " + escape(", ".join(a.hedges)))
    if a.conditions:
        parts.append("if: " + escape("; ".join(a.conditions)))
    parts.append(escape(" <- ".join(a.chain) or a.origin))
    return "  - " + " · ".join(parts)


@app.command()
def claims(
    db: DbOption = None,
    story: Annotated[Optional[str], typer.Option(help="Only claims told in this story (see `storyline stories`).")] = None,
    min_articles: Annotated[int, typer.Option("--min-articles", help="Only claims told by at least this many articles.")] = 1,
) -> None:
    """List claims told across articles: canonical wording, first seen, independent origins, every telling and its chain.

    Example: storyline claims --story story:0e10b920 --min-articles 2
    """
    conn = _linked(_settings(db=db))
    n = 0
    for g in iter_claim_groups(conn, story_id=story, min_articles=min_articles):
        n += 1
        out.print(f"[bold]{escape(g.text)}[/] [dim]{escape(g.id)}[/]")
        out.print(f"  first seen {escape(g.first_seen or 'unknown')}; {g.independent_origins} independent origin(s): {escape('; '.join(g.origins))}")
        for a in g.appearances:
            out.print(_appearance_line(a))
    err.print(f"{n} claim(s); chains read outlet <- the outlet it cites <- the source")


def _items(items: tuple[ViewItem, ...]) -> str:
    return "\n".join(f"[bold]{escape(i.text)}[/] [dim]({escape(i.category)}, {i.article_id})[/] {escape(i.sentence)}" for i in items) or "-"


def _framing_table(views: list[OutletView]) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 2, 1, 0))
    table.add_column("outlet", no_wrap=True)
    table.add_column("labels", overflow="fold", ratio=1)
    table.add_column("loaded terms and reporting verbs", overflow="fold", ratio=1)
    for v in views:
        table.add_row(f"{escape(v.outlet or 'unknown')}\n[dim]{len(v.articles)} article(s)[/]", _items(v.labels), _items(v.terms))
    return table


@app.command()
def framing(
    actor: Annotated[str, typer.Option("--actor", help="The actor's name or part of it (\"Putin\" matches \"Vladimir Putin\").")],
    db: DbOption = None,
    story: Annotated[Optional[str], typer.Option(help="Only the articles of this story (see `storyline stories`).")] = None,
) -> None:
    """Compare outlets side by side: the labels and loaded terms each used for one actor, with their sentences.

    Example: storyline framing --actor Putin --db story.db
    """
    conn = _linked(_settings(db=db))
    wanted = set(_story_article_ids(conn, story)) if story is not None else None
    framings = [f for f in iter_framing(conn) if wanted is None or f.article_id in wanted]
    texts = {f.article_id: a.text for f in framings if (a := load_article(conn, f.article_id)) is not None}
    views = compare_actor(actor, framings, texts)
    out.print(_framing_table(views))
    found = sum(len(v.labels) + len(v.terms) for v in views)
    err.print(f"{found} label(s) and term(s) for {escape(actor)} in {len(views)} outlet(s)")


@app.command()
def report(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into (created if needed).")],
    db: DbOption = None,
) -> None:
    """Write a static HTML report (threads, stories, articles, claims, actors) that opens from disk.

    Example: storyline report --db story.db --out report/
    """
    from .report.writer import write_report

    conn = _connect(_settings(db=db), readonly=False)
    try:
        summary = write_report(conn, out_dir, progress=lambda kind, n: err.print(f"  {n} {kind} pages"))
    finally:
        conn.close()
    err.print(f"Wrote {sum(summary.pages.values())} pages.")
    out.print(str(summary.index))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Let the ingest form fetch private, loopback and link-local addresses.")] = False,
) -> None:
    """Serve the web app: stories, articles, search, filters, an ingest form and a JSON API (docs at /docs).

    Example: storyline serve --db story.db --port 8000
    """
    import uvicorn

    from .web.app import create_app

    settings = _settings(db=db, allow_private=allow_private or None)
    _connect(settings, readonly=False).close()  # a clear error now for a bad database, and its schema up to date
    err.print(f"Serving {settings.db} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    """Run the command line."""
    app()
