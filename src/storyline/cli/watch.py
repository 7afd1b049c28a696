"""The watch command: follow feeds, pages and files of URLs, round after round (docs/watch.md)."""

from __future__ import annotations

import re
import signal
import threading
from typing import Annotated, Optional

import typer
from rich.markup import escape

from ..errors import StorylineError
from ..follow.watch import Round, Watcher, source_rows
from ..settings import Settings
from ..store.watch import load_sources
from .common import DbOption, app, connect_or_exit, err, settings_or_exit
from .output import Column, FormatOption, emit, listing_format

__all__ = ["parse_every"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_EVERY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*")


def parse_every(value: str) -> float:
    """Seconds in ``30s``, ``15m``, ``2h``, ``1d`` or a bare number of seconds.

    Raises:
        ValueError: anything else, or less than one second.
    """
    match = _EVERY.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a duration like 30s, 15m, 2h or 1d")
    seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds < 1:
        raise ValueError(f"{value!r} is shorter than a second")
    return seconds


def _scope(match: str | None, actor: str | None, story: str | None) -> str:
    parts = [match or ""] + ([f'actor:"{actor}"'] if actor else []) + ([f"story:{story}"] if story else [])
    return " ".join(p for p in parts if p.strip())


_STATUS_COLUMNS = (Column("health", 8), Column("kind", 5), Column("url", 48), Column("entries", 7), Column("last_checked", 25),
                   Column("next_after", 25), Column("last_error", 40), Column("match", 20))


@app.command()
def watch(
    sources: Annotated[Optional[list[str]], typer.Argument(help="Feeds, pages (http/https URLs) or files of URLs to watch (added to the database's watched sources).")] = None,
    db: DbOption = None,
    every: Annotated[str, typer.Option("--every", help="Time between rounds: 30s, 15m, 2h, 1d.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Run one round and exit (for cron).")] = False,
    match: Annotated[Optional[str], typer.Option("--match", help='Keep only articles matching this query: words, "phrases", OR, -word (docs/watch.md).')] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="Keep only articles naming this stored actor (any spelling).")] = None,
    story: Annotated[Optional[str], typer.Option("--story", help="Keep only articles naming the main actors of this story.")] = None,
    status: Annotated[bool, typer.Option("--status", help="List the watched sources and their health, and exit.")] = False,
    format: FormatOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No line per round on stderr.")] = False,
    allow_private: Annotated[Optional[bool], typer.Option("--allow-private/--no-allow-private", help="Fetch private and loopback addresses too.")] = None,
) -> None:
    """Watch feeds, pages and files of URLs: every round, store what is new, catch edits, until stopped.

    Runs in the foreground until SIGTERM or Ctrl-C, which end it after the current article. Polite:
    conditional GET, robots.txt, one request per host at a time, Retry-After, backoff on errors. State is
    kept in the database, so a restart picks up where it stopped.

    Example: storyline watch https://example.org/feed.xml --every 15m --match "ceasefire AND Putin" --db story.db

    Example: storyline watch --once --db story.db (one round over every watched source, for cron)
    """
    settings = settings_or_exit(db=db, allow_private=allow_private)
    if status:
        _print_status(settings, listing_format(format))
        return
    try:
        interval = parse_every(every)
    except ValueError as exc:
        err.print(f"[red]error:[/] --every {escape(str(exc))}")
        raise typer.Exit(2) from exc
    watcher = Watcher(settings, every=interval)
    try:
        if sources:
            watcher.add(sources, _scope(match, actor, story))
        elif match or actor or story:
            raise StorylineError("--match, --actor and --story apply to the sources given with them")
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    conn = connect_or_exit(settings)
    watched = load_sources(conn)
    conn.close()
    if not watched:
        err.print("[red]error:[/] nothing to watch: give feeds, pages or files of URLs")
        raise typer.Exit(2)
    def report(done: Round) -> None:
        if not quiet:
            err.print(escape(done.line()))
    if once:
        done = watcher.run_round()
        report(done)
        raise typer.Exit(1 if done.failures or done.summary.failed else 0)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if not quiet:
        err.print(f"watching every {escape(every)}; SIGTERM or Ctrl-C stops after the current article")
    watcher.run(stop, report)


def _print_status(settings: Settings, fmt: str) -> None:
    emit(source_rows(connect_or_exit(settings)), _STATUS_COLUMNS, fmt, what="watched sources")

