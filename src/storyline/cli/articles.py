"""Commands over articles: ingest, annotate, failures, list, show, search."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import StorylineError
from ..ingest.files import iter_folder
from ..ingest.sources import is_url
from ..ingest.usermeta import Entry, UserMetadata, read_manifest
from ..models import Article, Failure, IngestSummary
from ..flow import annotate_pending, ingest as run_ingest
from ..flow.correct import MAX_OUTLET, MAX_TITLE, check_correction, correct_article, reannotate
from ..settings import Settings
from ..clean.dates import parse_iso_date
from ..store.articles import list_articles
from ..store.fulltext import HIGHLIGHT_END, HIGHLIGHT_START
from ..store.browse import ArticleFilter, article_rows, find_actor, find_articles
from ..store.annotations import annotation_skip, count_skipped, forget_annotated
from ..store.retry import write
from ..store.corpus import recent_failures
from ..store.failures import article_failures
from .common import app, article_or_exit, out, err, DbOption, DeviceOption, SchedulerOption, WorkersOption, settings_or_exit, connect_or_exit, db_shown
from .output import Column, FormatOption, LimitOption, emit, listing_format, nothing_found
from .progress import PhaseProgress
from .versions import print_versions


def _expected_total(sources: list[str | Entry | Failure]) -> int:
    total = 0
    for source in sources:
        s = source.source if isinstance(source, (Entry, Failure)) else source
        total += sum(1 for _ in iter_folder(Path(s))) if not is_url(s) and Path(s).is_dir() else 1
    return total


@app.command()
def ingest(
    sources: Annotated[Optional[list[str]], typer.Argument(help="Folders (recursive), files (.txt .html .json .jsonl .xml .csv .warc .warc.gz), URLs, feeds, or - for stdin.")] = None,
    db: DbOption = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private, loopback and link-local addresses.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Annotate again the articles that failed before (see `storyline failures`).")] = False,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    device: DeviceOption = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="The outlet of this one input's articles (wins over what they declare).")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="Their publication date, YYYY-MM-DD (one input only).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The title of this one input's article.")] = None,
    manifest: Annotated[Optional[Path], typer.Option("--manifest", help="A CSV or JSONL list of inputs (path or url) with their outlet, published, title, author.")] = None,
) -> None:
    """Ingest articles from folders, files, URLs and RSS/Atom feeds.

    A file may have a sidecar beside it (article.txt + article.meta.json: outlet, published, title,
    author); what the user sets wins over the source and inference and is kept as evidence.

    Example: storyline ingest demo/corpus https://example.org/feed.xml --db story.db --workers 2

    Example: storyline ingest interview.txt --outlet "Harbour Ledger" --published 2025-03-12

    Example: storyline ingest --manifest sources.csv
    """
    settings = settings_or_exit(db=db, allow_private=allow_private or None, workers=workers, device=device, scheduler=scheduler)
    paths = sources or []
    metadata = _user_metadata(paths + ([str(manifest)] if manifest else []), outlet=outlet, published=published, title=title)
    inputs: list[str | Entry | Failure] = list(paths)
    if manifest is not None:
        try:
            inputs += list(read_manifest(manifest, settings.max_bytes))
        except StorylineError as exc:
            err.print(f"[red]error:[/] {escape(str(manifest))}: {escape(str(exc))}")
            raise typer.Exit(2) from exc
    if not inputs:
        err.print("[red]error:[/] nothing to ingest: give a SOURCE or --manifest FILE")
        raise typer.Exit(2)
    with PhaseProgress(quiet=quiet) as report:
        report.start("read and clean", _expected_total(inputs))
        try:
            summary = run_ingest(inputs, settings, progress=report.step, retry_failed=retry_failed, metadata=metadata,
                                 annotated=report.step, phase=report.start)
        except StorylineError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    _print_summary(summary, settings)
    if summary.failed:
        raise typer.Exit(1)


def _user_metadata(sources: list[str], **values: str | None) -> UserMetadata | None:
    """The --outlet/--published/--title values, or None; exit 2 when they are given for several inputs or are bad."""
    given = {name: v.strip() for name, v in values.items() if v is not None and v.strip()}
    if not given:
        return None
    flags = ", ".join(f"--{name}" for name in given)
    if len(sources) != 1:
        err.print(f"[red]error:[/] {flags}: for a single input only; got {len(sources)} (use a sidecar .meta.json per file, or a --manifest)")
        raise typer.Exit(2)
    try:
        return UserMetadata(**given)
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _print_summary(summary: IngestSummary, settings: Settings) -> None:
    for failure in summary.failed:
        err.print(f"[red]failed:[/] {escape(failure.source)}: {escape(failure.reason)}")
    for source, note in summary.warnings:
        err.print(f"[yellow]warning:[/] {escape(source)}: {escape(note)}")
    updated = f"updated {len(summary.updated)}, " if summary.updated else ""  # pages read again with edited text
    err.print(
        f"ingested {len(summary.ingested)}, duplicates {len(summary.duplicates)}, {updated}"
        f"skipped {len(summary.skipped)}, failed {len(summary.failed)} -> {escape(db_shown(settings.db))}"
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
    limit: LimitOption = None,
    format: FormatOption = None,
) -> None:
    """List stored articles, newest first.

    Example: storyline list --outlet "Meridian Daily" --limit 20

    Example: storyline list -f csv > articles.csv
    """
    fmt = listing_format(format)
    conn = connect_or_exit(settings_or_exit(db=db))
    rows = [{"id": a.id, "published": a.published, "published_inferred": a.published_inferred,
             "published_earliest": (a.published_range or (None, None))[0], "published_latest": (a.published_range or (None, None))[1],
             "when": _published_label(a.published, a.published_inferred, a.published_range), "outlet": a.outlet,
             "title": a.title, "words": a.words, "source": a.source,
             "duplicate_of": a.duplicate_of} for a in list_articles(conn, outlet=outlet, limit=limit)]
    emit(rows, (Column("id", 16), Column("when", 12), Column("outlet", 18, _or("unknown")), Column("title", 60, _or("(no title)")),
                Column("words", 5), Column("duplicate_of", 16, _or(""))), fmt, what="articles")
    if fmt == "table":
        err.print("* inferred from the text (see storyline show ID --evidence)")


def _or(default: str) -> Callable[[Any], str]:
    return lambda value: default if value is None else str(value)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    removed: Annotated[bool, typer.Option("--removed", help="Also list every piece the cleaner cut, with its reason.")] = False,
    evidence: Annotated[bool, typer.Option("--evidence", help="Also list the evidence for inferred values.")] = False,
    versions: Annotated[bool, typer.Option("--versions", help="Also list the versions of its text (a page read again with edits) and what changed.")] = False,
) -> None:
    """Show one article: metadata, cleaned text, and optionally what was removed and why, and its versions.

    Example: storyline show 0e10b920 --removed

    Example: storyline show 0e10b920 --versions
    """
    conn = connect_or_exit(settings_or_exit(db=db))
    article = article_or_exit(conn, article_id)
    _print_article(article, removed=removed, evidence=evidence, not_annotated=annotation_skip(conn, article.id))
    if versions:
        print_versions(conn, article.id)


def _print_article(a: Article, *, removed: bool, evidence: bool, not_annotated: str | None = None) -> None:
    published = _published_label(a.published, False, a.published_range)
    if a.published_inferred:
        published += " (inferred from the text)"
    out.print(f"[bold]{escape(a.title or '(no title)')}[/]")
    for label, value in (("id", a.id), ("outlet", a.outlet or "unknown"), ("published", published),
                         ("authors" if len(a.authors) > 1 else "author", ", ".join(a.authors) or "unknown"),
                         ("language", a.language or "unknown"),
                         ("source", a.source), ("duplicate of", a.duplicate_of), ("not annotated", not_annotated)):
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


@app.command("set")
def set_(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help=f"The article's outlet (1 to {MAX_OUTLET} characters).")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="Its publication date, YYYY-MM-DD.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help=f"Its title (1 to {MAX_TITLE} characters).")] = None,
) -> None:
    """Correct an article's outlet, publication date or title; it is annotated and linked again.

    What you set wins over what was declared or inferred, and is kept as evidence ("set by the user
    (was: ...)"). Its time expressions ("on Wednesday") are resolved again against the new date, and it is
    placed in a story again. A value left out stays as it is; none can be erased.

    Example: storyline set 0e10b920 --outlet "Harbour Ledger" --published 2025-03-12
    """
    settings = settings_or_exit(db=db)
    try:
        correction = check_correction(outlet=outlet, published=published, title=title)
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    lookup = connect_or_exit(settings)  # read-only first: a missing database is not created
    full_id = article_or_exit(lookup, article_id).id
    lookup.close()
    conn = connect_or_exit(settings, readonly=False)
    changes = correct_article(conn, full_id, correction) or []
    for change in changes:
        out.print(f"{change.field}: {escape(change.before or 'unknown')} -> {escape(change.after)}" + ("" if change.changed else " (unchanged)"))
    if not any(change.changed for change in changes):
        err.print("nothing changed but the evidence: the values are now recorded as set by the user")
        return
    outcomes: list[str] = []
    try:
        reannotate(conn, settings, [full_id], progress=lambda outcome, _: outcomes.append(outcome))
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    if "failed" in outcomes:
        err.print(f"[red]corrected, but annotating it again failed[/] (see `storyline failures`); `storyline annotate --retry-failed` tries again")
        raise typer.Exit(1)
    rows = article_rows(conn, [full_id])
    story = rows[0].story_id if rows else None
    err.print(f"corrected {full_id}; annotated and linked again" + (f": story {escape(story)}" if story else ""))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words that must all appear; "quoted phrases" stay together ("" for none: filters only).')],
    db: DbOption = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only this outlet.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only articles published on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only articles published on or before this day (YYYY-MM-DD).")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Only articles naming this actor (a name, variant or id).")] = None,
    story: Annotated[Optional[str], typer.Option(help="Only articles of this story (see `storyline stories`).")] = None,
    limit: LimitOption = 20,
    format: FormatOption = None,
) -> None:
    """Full-text search over titles and texts, with highlighted snippets and the web app's filters.

    Example: storyline search '"open to dialogue" Kremlin' --outlet "Meridian Daily" --since 2025-03-01
    """
    fmt = listing_format(format)
    conn = connect_or_exit(settings_or_exit(db=db))
    found = find_actor(conn, actor) if actor else None
    if actor and found is None:
        err.print(f"[red]error:[/] no actor called {escape(actor)!r}; see `storyline actors`")
        raise typer.Exit(1)
    wanted = ArticleFilter(query.strip() or None, outlet, _day(since, "--since"), _day(until, "--until"), found.id if found else None, story)
    hits = find_articles(conn, wanted, limit=limit or 20, offset=0).rows
    if fmt != "table":
        emit([{"id": h.id, "published": h.published, "published_inferred": h.published_inferred, "outlet": h.outlet,
               "title": h.title, "story_id": h.story_id, "words": h.words,
               "snippet": (h.snippet or "").replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "") or None} for h in hits],
             (), fmt, what="articles")
        return
    if not hits:
        nothing_found("articles")
    for hit in hits:
        out.print(f"[bold]{hit.id}[/] {escape(hit.published or 'unknown')} {escape(hit.outlet or 'unknown')} — {escape(hit.title or '(no title)')}")
        if hit.snippet:
            out.print("    " + escape(hit.snippet).replace(HIGHLIGHT_START, "[bold yellow]").replace(HIGHLIGHT_END, "[/]"))
    err.print(f"{len(hits)} result(s)")


def _day(value: str | None, option: str) -> str | None:
    """A YYYY-MM-DD day, or exit 2 naming the option."""
    if value is None or parse_iso_date(value) == value:
        return value
    err.print(f"[red]error:[/] {option} {escape(value)!r} is not a day (YYYY-MM-DD)")
    raise typer.Exit(2)


@app.command()
def annotate(
    db: DbOption = None,
    again: Annotated[bool, typer.Option("--all", help="Annotate every article again, not only new ones.")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Try again the articles that failed before (see `storyline failures`).")] = False,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    device: DeviceOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Find actors, labels, quotes and attribution chains in stored articles (ingest does this too).

    Example: storyline annotate --db story.db --workers 2
    """
    settings = settings_or_exit(db=db, workers=workers, device=device, scheduler=scheduler)
    conn = connect_or_exit(settings, readonly=False)
    if again:
        write(conn, lambda: forget_annotated(conn), what="annotating everything again")
    outcomes: dict[str, int] = {}

    with PhaseProgress(quiet=quiet) as report:
        def progress(outcome: str, article_id: str) -> None:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            report.step(outcome, article_id)

        try:
            n = annotate_pending(conn, settings, progress=progress, retry_failed=retry_failed or again, phase=report.start)
        except StorylineError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    failed = outcomes.get("failed", 0)
    unread = count_skipped(conn, settings.spacy_model)
    err.print(f"annotated {n} article(s) with {escape(settings.spacy_model)}"
              + (f"; {unread} not annotated, written in a language not in the `languages` setting ({escape(settings.languages)})"
                 if unread else "")
              + (f"; [red]{failed} failed[/] (see `storyline failures`)" if failed else ""))
    if failed:
        raise typer.Exit(1)


@app.command()
def failures(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Most rows of each kind.")] = 50,
) -> None:
    """List the inputs that could not be ingested and the stored articles a stage failed on.

    A failed article is not tried again until `storyline annotate --retry-failed` (or `ingest --retry-failed`).

    Example: storyline failures --db story.db
    """
    settings = settings_or_exit(db=db)
    conn = connect_or_exit(settings, readonly=True)
    inputs = recent_failures(conn, limit)
    stored = article_failures(conn, limit)
    for source, reason, at in inputs:
        out.print(f"[red]input[/] {escape(at)} {escape(source)}: {escape(reason)}")
    for f in stored:
        out.print(f"[red]{escape(f.stage)}[/] {escape(f.at)} {escape(f.article_id[:16])} {escape(f.source)} ({escape(f.model)}): {escape(f.reason)}")
    err.print(f"{len(inputs)} input(s) not ingested, {len(stored)} article(s) failed; retry with `storyline annotate --retry-failed`")
