"""What a watch remembers between rounds and restarts (schema 13): its sources and their fetch state, the
entries each feed has shown, and the pages it revisits for edits. All their SQL lives here; callers
commit (or use :func:`storyline.store.retry.write`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from .db import Connection, Row

__all__ = [
    "WatchSource", "WatchPage", "add_source", "load_sources", "load_source", "save_check", "seen_entries", "record_entries",
    "pages_due", "remember_page", "touch_page", "entry_counts",
]


@dataclass(frozen=True, slots=True)
class WatchSource:
    """One watched source and how its last checks went."""

    url: str
    kind: str
    """feed, page or list ('' before its first check)."""
    match: str
    added_at: str
    etag: str | None = None
    last_modified: str | None = None
    last_checked: str | None = None
    last_ok: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    failures: int = 0
    next_after: str | None = None
    gone: bool = False

    @property
    def health(self) -> str:
        """ok, failing, gone or new (never checked)."""
        if self.gone:
            return "gone"
        if self.failures:
            return "failing"
        return "ok" if self.last_ok else "new"


@dataclass(frozen=True, slots=True)
class WatchPage:
    """A stored article's page, revisited with a conditional GET until ``revisit_until``."""

    url: str
    article_id: str | None
    etag: str | None
    last_modified: str | None
    revisit_until: str


_COLUMNS = "url, kind, match, added_at, etag, last_modified, last_checked, last_ok, last_status, last_error, failures, next_after, gone"


def _source(row: Row | tuple[object, ...]) -> WatchSource:
    values = list(row)
    values[-1] = bool(values[-1])
    return WatchSource(*values)


def add_source(conn: Connection, url: str, match: str, now: str) -> None:
    """Watch ``url`` (again): a new source is due at once; a known one keeps its state and takes the new scope."""
    conn.execute("INSERT INTO watch_sources (url, match, added_at) VALUES (?, ?, ?)"
                 " ON CONFLICT(url) DO UPDATE SET match = excluded.match", (url, match, now))


def load_sources(conn: Connection) -> list[WatchSource]:
    """Every watched source, in the order they were added."""
    return [_source(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM watch_sources ORDER BY rowid")]


def load_source(conn: Connection, url: str) -> WatchSource | None:
    """One watched source, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM watch_sources WHERE url = ?", (url,)).fetchone()
    return _source(row) if row else None


def save_check(conn: Connection, source: WatchSource) -> None:
    """Store a source's state after a check (its validators, status, error, failures, next check)."""
    conn.execute(
        "UPDATE watch_sources SET kind = ?, etag = ?, last_modified = ?, last_checked = ?, last_ok = ?, last_status = ?,"
        " last_error = ?, failures = ?, next_after = ?, gone = ? WHERE url = ?",
        (source.kind, source.etag, source.last_modified, source.last_checked, source.last_ok, source.last_status,
         source.last_error, source.failures, source.next_after, int(source.gone), source.url))


def seen_entries(conn: Connection, source_url: str) -> set[str]:
    """The entry URLs of this source already handled (stored, duplicate, out of scope or failed for good)."""
    return {r[0] for r in conn.execute("SELECT entry_url FROM watch_entries WHERE source_url = ?", (source_url,))}


def record_entries(conn: Connection, source_url: str, entries: Iterable[tuple[str, str | None, str]], now: str) -> None:
    """Remember entries (entry URL, article id or None, outcome) of a source; an entry is recorded once."""
    conn.executemany("INSERT INTO watch_entries (source_url, entry_url, first_seen, article_id, outcome)"
                     " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", ((source_url, url, now, article, outcome) for url, article, outcome in entries))


def entry_counts(conn: Connection) -> dict[str, int]:
    """Entries handled per source URL."""
    return dict(conn.execute("SELECT source_url, COUNT(*) FROM watch_entries GROUP BY source_url").fetchall())


def remember_page(conn: Connection, page: WatchPage, now: str) -> None:
    """Revisit this page until ``page.revisit_until`` (a page seen again keeps its first fetch time)."""
    conn.execute(
        "INSERT INTO watch_pages (url, article_id, etag, last_modified, first_fetched, last_fetched, revisit_until)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET article_id = coalesce(excluded.article_id, watch_pages.article_id),"
        " etag = excluded.etag, last_modified = excluded.last_modified, last_fetched = excluded.last_fetched",
        (page.url, page.article_id, page.etag, page.last_modified, now, now, page.revisit_until))


def touch_page(conn: Connection, url: str, now: str, etag: str | None, last_modified: str | None) -> None:
    """Record a revisit of a page (its validators, when a 200 brought new ones)."""
    conn.execute("UPDATE watch_pages SET last_fetched = ?, etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)"
                 " WHERE url = ?", (now, etag, last_modified, url))


def pages_due(conn: Connection, now: str, fetched_before: str) -> list[WatchPage]:
    """Pages still within their revisit window and last fetched at or before ``fetched_before``, oldest first."""
    return [WatchPage(*r) for r in conn.execute(
        "SELECT url, article_id, etag, last_modified, revisit_until FROM watch_pages"
        " WHERE revisit_until > ? AND (last_fetched IS NULL OR last_fetched <= ?) ORDER BY last_fetched", (now, fetched_before))]
