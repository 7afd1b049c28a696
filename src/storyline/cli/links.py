"""Commands over times and links: timeline, stories, claims, framing."""

from __future__ import annotations

from itertools import islice
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from ..annotate.time.words import in_words
from ..export.records import claim_group_record, load_timeline, timeline_record
from ..link.framing import OutletView, ViewItem, compare_actor
from ..link.timeline import TimelineGroup, period_bounds
from ..models import ClaimAppearance, ClaimGroup, Story
from ..settings import Settings
from ..store.articles import load_article
from ..link.groups import iter_claim_groups
from ..store.db import Connection
from ..store.framing import iter_framing
from ..store.links import iter_stories, iter_threads, story_articles
from ..store.schema import schema_version
from ..store.times import stories_available
from .common import app, out, err, DbOption, settings_or_exit, connect_or_exit
from .output import FormatOption, LimitOption, emit, listing_format


@app.command()
def timeline(
    db: DbOption = None,
    actor: Annotated[Optional[str], typer.Option(help="Only events naming an actor whose name, id or a variant contains this.")] = None,
    story: Annotated[Optional[str], typer.Option(help="Only the articles of this story (ids: `storyline stories`).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only events on or after this date: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only events on or before this date: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """Show dated events merged across articles: when it happened, what, and which outlets reported it when.

    Example: storyline timeline --actor Putin --since 2024-05
    """
    first, last = _day_bound(since, "--since", end=False), _day_bound(until, "--until", end=True)
    settings = settings_or_exit(db=db)
    conn = connect_or_exit(settings)
    if schema_version(conn) < 3:
        err.print(f"[red]error:[/] {escape(settings.db)} predates times and events; run `storyline annotate --db {escape(settings.db)}` first")
        raise typer.Exit(2)
    article_ids = _story_article_ids(conn, story) if story is not None else None
    groups = load_timeline(conn, article_ids=article_ids, actor=actor, since=first, until=last)[:limit]
    fmt = listing_format(format)
    if fmt != "table":
        emit([timeline_record(g) for g in groups], (), fmt, what="events")
        return
    out.print(_timeline_table(groups))
    err.print(f"{len(groups)} event(s) from {len({a for g in groups for a in g.article_ids})} article(s); lag = days from the event to publication")


def _story_article_ids(conn: Connection, story: str) -> list[str]:
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
    return in_words(group.date)


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


def _linked(settings: Settings) -> Connection:
    """A read-only connection to a database that has the link tables (schema version 4)."""
    conn = connect_or_exit(settings)
    if schema_version(conn) < 4:
        err.print(f"[red]error:[/] {escape(settings.db)} predates stories and claims; run `storyline annotate --db {escape(settings.db)}` first")
        raise typer.Exit(2)
    return conn


def _span_label(s: Story) -> str:
    first, last = s.first_published or "unknown", s.last_published or "unknown"
    return first if first == last else f"{first}..{last}"


@app.command()
def stories(db: DbOption = None, limit: LimitOption = None, format: FormatOption = None) -> None:
    """List threads (ongoing narratives), each with its stories: id, dates, article count and title.

    Example: storyline stories --db story.db
    """
    fmt = listing_format(format)
    conn = _linked(settings_or_exit(db=db))
    by_id = {s.id: s for s in iter_stories(conn)}
    threads = list(iter_threads(conn))
    if fmt != "table":
        rows = [{"id": s.id, "title": s.title, "thread_id": t.id, "thread_title": t.title, "first_published": s.first_published,
                 "last_published": s.last_published, "articles": len(s.article_ids), "article_ids": list(s.article_ids)}
                for t in threads for s in (by_id[i] for i in t.story_ids)]
        emit(rows[:limit], (), fmt, what="stories")
        return
    for thread in threads:
        out.print(f"[bold]{escape(thread.title or '(no title)')}[/] [dim]{escape(thread.id)}[/]")
        for s in (by_id[i] for i in thread.story_ids):
            out.print(f"  {escape(s.id)}  {escape(_span_label(s))}  {len(s.article_ids)} article(s)  {escape(s.title or '(no title)')}")
    err.print(f"{len(by_id)} story(ies) in {len(threads)} thread(s)")


def _trimmed(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _appearance_line(a: ClaimAppearance) -> str:
    parts = [f"[bold]{escape(a.outlet or 'unknown outlet')}[/] {escape(a.published or 'unknown date')}",
             f"“{escape(_trimmed(a.sentence or a.text))}”"]
    if a.negated:
        parts.append("[red]negated[/]")
    if a.hedges:
        parts.append("hedged: " + escape(", ".join(a.hedges)))
    if a.conditions:
        parts.append("if: " + escape("; ".join(a.conditions)))
    parts.append("origin: " + escape(a.origin) + (" [yellow](flagged)[/]" if a.resolved and a.resolved.flagged else ""))
    if len(a.chain) > 1:
        parts.append("chain: " + escape(" <- ".join(a.chain)))
    line = "  - " + " · ".join(parts)
    return line + (f"\n    [dim]joined: {escape(a.join)}[/]" if a.join else "")


def _origin_lines(g: ClaimGroup) -> list[str]:
    lines = []
    for n, c in enumerate(g.origin_counts, 1):
        mark = "?" if c.origin.flagged else f"{n}."  # the certain origins come first
        count = f", {c.origin.count} named as many" if c.origin.count and c.origin.count > 1 else ""
        maybe = f"; may be the same as {escape(', '.join(c.maybe_same_as))}" if c.maybe_same_as else ""
        lines.append(f"    {mark} [bold]{escape(c.origin.name)}[/] ({escape(c.origin.kind)}{count}) — {escape(c.why)}{maybe}"
                     f" · {len(c.claim_ids)} appearance(s) · {escape(', '.join(c.dates) or 'undated')}")
        if c.origin.evidence:
            lines.append(f"       [dim]{escape(c.origin.evidence)}[/]")
    return lines


def _group_lines(g: ClaimGroup) -> list[str]:
    low, high = g.origin_range
    counted = f"{low}" if low == high else f"{low}–{high}"
    outlets = {a.outlet for a in g.appearances if a.outlet}
    lines = [f"[bold]{escape(g.text)}[/] [dim]{escape(g.id)}[/]",
             f"  first seen {escape(g.first_seen or 'unknown')} · {len({a.article_id for a in g.appearances})} article(s),"
             f" {len(outlets)} known outlet(s) · [bold]{counted}[/] independent origin(s)", "  origins:", *_origin_lines(g),
             "  appearances:", *(_appearance_line(a) for a in g.appearances)]
    if g.related:
        lines.append("  related claims kept apart:")
        lines += [f"  - [dim]{escape(r.group_id)}[/] “{escape(_trimmed(r.text, 100))}” — {escape(r.reason)}" for r in g.related[:5]]
    return lines


@app.command()
def claims(
    db: DbOption = None,
    story: Annotated[Optional[str], typer.Option(help="Only claims told in this story (see `storyline stories`).")] = None,
    min_articles: Annotated[int, typer.Option("--min-articles", help="Only claims told by at least this many articles.")] = 1,
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """List claims told across articles: wording, first seen, independent origins explained, every telling, related claims.

    Example: storyline claims --story story:0e10b920 --min-articles 2
    """
    fmt = listing_format(format)
    conn = _linked(settings_or_exit(db=db))
    groups = islice(iter_claim_groups(conn, story_id=story, min_articles=min_articles, related=True), limit)
    if fmt != "table":
        emit([claim_group_record(g) for g in groups], (), fmt, what="claims")
        return
    n = 0
    for g in groups:
        n += 1
        for line in _group_lines(g):
            out.print(line)
    err.print(f"{n} claim(s); chains read outlet <- the outlet it cites <- the source; ? marks an origin not counted as certain")


def _view_item(i: ViewItem) -> dict[str, Any]:
    return {"text": i.text, "category": i.category, "sentence": i.sentence, "article_id": i.article_id, "start": i.start, "end": i.end}


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
    format: FormatOption = None,
) -> None:
    """Compare outlets side by side: the labels and loaded terms each used for one actor, with their sentences.

    Example: storyline framing --actor Putin --db story.db
    """
    conn = _linked(settings_or_exit(db=db))
    wanted = set(_story_article_ids(conn, story)) if story is not None else None
    framings = [f for f in iter_framing(conn) if wanted is None or f.article_id in wanted]
    texts = {f.article_id: a.text for f in framings if (a := load_article(conn, f.article_id)) is not None}
    views = compare_actor(actor, framings, texts)
    fmt = listing_format(format)
    if fmt != "table":
        emit([{"outlet": v.outlet, "articles": list(v.articles), "labels": [_view_item(i) for i in v.labels],
               "terms": [_view_item(i) for i in v.terms]} for v in views if v.labels or v.terms], (), fmt,
             what=f"labels or terms for {actor}")
        return
    out.print(_framing_table(views))
    found = sum(len(v.labels) + len(v.terms) for v in views)
    err.print(f"{found} label(s) and term(s) for {escape(actor)} in {len(views)} outlet(s)")
