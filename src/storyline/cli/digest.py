"""The digest command: what is new in the store since a given time or since the last digest (issue [11])."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional
from urllib.parse import urlsplit, urlunsplit

import typer
from rich.markup import escape

from ..errors import StorylineError
from ..settings import Settings
from ..store.db import Connection, is_url
from .common import DbOption, app, connect_or_exit, err, settings_or_exit

__all__ = ["DIGEST_FORMATS"]

DIGEST_FORMATS = ("md", "html", "json")


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/] {message}")
    return typer.Exit(code)


def _open(settings: Settings) -> Connection:
    """Open an existing store for writing (a digest run is recorded in it); a missing file is an error, not a new store."""
    if is_url(settings.db):
        connect_or_exit(settings, readonly=True).close()  # a database without the tables is an error too
    elif not Path(settings.db).exists():
        raise _fail(f"{escape(settings.db)}: no such database; run `storyline ingest` first")
    return connect_or_exit(settings, readonly=False)


@app.command()
def digest(
    db: DbOption = None,
    since: Annotated[Optional[str], typer.Option(
        "--since", help="Report what the store took in at or after this time: a day (2025-03-20, from 00:00 UTC), an ISO "
                        "date-time (UTC unless it names a zone) or a time ago (24h, 7d, 2w). Default: when the last digest "
                        "of the same --match was made.")] = None,
    match: Annotated[Optional[str], typer.Option(
        "--match", help="Only stories holding an article that matches these search words (as `storyline search` reads "
                        "them), and unlinked articles that match.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md (Markdown, the default), html (a standalone page) or json.")] = "md",
    out_path: Annotated[Optional[Path], typer.Option("--out", "-o", help="File to write (stdout when left out).")] = None,
    webhook: Annotated[Optional[str], typer.Option(
        "--webhook", help="Also POST the JSON digest to this http(s) URL (the fetch rules apply: no private addresses "
                          "unless --allow-private, timeouts, no redirects).")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let --webhook post to private, loopback and link-local addresses.")] = False,
    no_record: Annotated[bool, typer.Option(
        "--no-record", help="Do not record this run: the next digest without --since starts where it would have.")] = False,
) -> None:
    """Report what is new since a time or the last digest: stories, articles, claims, figures, origins, labels, quotes, edits.

    "New" is new to the store (when Storyline ingested it), not the publication date, which is shown
    beside. Per thread and story: new stories and articles; claims seen for the first time or told again
    (the Nth appearance, first seen when and by whom); changed figures, hedges and conditions of a known
    claim; claims with more independent origins; new labels an outlet gives an actor; new quotes by the
    main actors; edited articles, word by word. Each run is recorded (unless --no-record) so the next one,
    without --since, continues from it.

    Example: storyline digest --since 2025-03-20 --format html --out report/whats-new.html
    """
    from ..follow.digest import build_digest, digest_html, digest_json, digest_markdown, resolve_since, stamp, utc_now
    from ..store.digest import record_digest

    if format not in DIGEST_FORMATS:
        raise _fail(f"unknown format {escape(format)!r}; choose one of {', '.join(DIGEST_FORMATS)}")
    settings = settings_or_exit(db=db, allow_private=allow_private or None)
    conn = _open(settings)
    failed = False
    try:
        start = resolve_since(conn, since, match)
        at = stamp(utc_now())
        found = build_digest(conn, start, match=match, at=at)
        if format == "json":
            text = json.dumps(digest_json(found), ensure_ascii=False, indent=2) + "\n"
        else:
            text = digest_markdown(found) if format == "md" else digest_html(found)
        if out_path:
            out_path.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        counts = found.counts()
        summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items() if n)
        err.print(f"nothing new since {start}" if found.empty else f"since {start}: {summary}")
        if out_path:
            err.print(f"wrote {escape(str(out_path))}")
        failed = _post(webhook, digest_json(found), settings) if webhook else False
        if not no_record and not failed:
            record_digest(conn, at, start, match or "")
            err.print(f"recorded: the next `storyline digest` without --since starts at {at}")
    except BrokenPipeError:
        raise
    except (StorylineError, OSError) as exc:
        raise _fail(escape(str(exc))) from exc
    finally:
        conn.close()
    if failed:
        raise typer.Exit(1)


def _shown(url: str) -> str:
    """The URL as it may be printed: without a user name or password."""
    try:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1])) if "@" in parts.netloc else url
    except ValueError:
        return "the webhook URL"


def _post(url: str, payload: object, settings: Settings) -> bool:
    """POST the digest; return True when it failed (said on stderr)."""
    from ..ingest.fetch import post_json

    try:
        status = post_json(url, payload, settings)
    except StorylineError as exc:
        err.print(f"[red]error:[/] webhook {escape(_shown(url))}: {escape(str(exc))}; the digest was written but not recorded,"
                  " so the next run covers this window again")
        return True
    err.print(f"posted the digest to {escape(_shown(url))} (HTTP {status})")
    return False
