"""Corpus-level records: outlet-wide repeated lines and ingest failures."""

from __future__ import annotations

from collections import defaultdict
from .db import Connection

__all__ = ["repeated_outlet_lines", "articles_with_lines", "mark_lines_removed", "record_failure", "recent_failures"]


def repeated_outlet_lines(conn: Connection, min_articles: int, outlets: set[str] | None = None) -> dict[str, set[str]]:
    """Return, per outlet, the short lines found in at least ``min_articles`` distinct non-duplicate articles."""
    rows = conn.execute(
        "SELECT l.outlet, l.line_key FROM outlet_lines l JOIN articles a ON a.id = l.article_id"
        " WHERE a.duplicate_of IS NULL GROUP BY l.outlet, l.line_key HAVING COUNT(DISTINCT l.article_id) >= ?",
        (min_articles,),
    )
    out: dict[str, set[str]] = defaultdict(set)
    for outlet, key in rows:
        if outlets is None or outlet in outlets:
            out[outlet].add(key)
    return dict(out)


def articles_with_lines(conn: Connection, outlet: str, keys: set[str]) -> list[str]:
    """Return ids of the outlet's articles whose text still holds any of the lines ``keys``."""
    marks = ", ".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT DISTINCT article_id FROM outlet_lines WHERE outlet = ? AND removed = 0 AND line_key IN ({marks})",
        (outlet, *sorted(keys)),
    )
    return [r[0] for r in rows]


def mark_lines_removed(conn: Connection, outlet: str, article_id: str, keys: set[str]) -> None:
    """Record that ``keys`` no longer appear in the article's text."""
    with conn:
        conn.executemany(
            "UPDATE outlet_lines SET removed = 1 WHERE outlet = ? AND article_id = ? AND line_key = ?",
            ((outlet, article_id, key) for key in keys),
        )


def record_failure(conn: Connection, source: str, reason: str, when: str, *, commit: bool = True) -> None:
    """Log an input that could not be ingested (committed at once unless ``commit`` is False)."""
    conn.execute("INSERT INTO ingest_failures (source, reason, at) VALUES (?, ?, ?)", (source, reason, when))
    if commit:
        conn.commit()


def recent_failures(conn: Connection, limit: int = 50) -> list[tuple[str, str, str]]:
    """Return the latest (source, reason, time) failures, newest first."""
    return [tuple(r) for r in conn.execute("SELECT source, reason, at FROM ingest_failures ORDER BY id DESC LIMIT ?", (limit,))]
