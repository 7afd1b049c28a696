"""Articles that failed a stage: recorded once per model, listed, and retried only when asked."""

from __future__ import annotations

from dataclasses import dataclass
from .db import Connection

__all__ = ["ArticleFailure", "record_article_failure", "clear_article_failures", "article_failures", "failed_article_ids"]


@dataclass(frozen=True, slots=True)
class ArticleFailure:
    """One stored article that a stage could not handle."""

    article_id: str
    source: str
    model: str
    stage: str
    reason: str
    at: str


def record_article_failure(conn: Connection, article_id: str, model: str, stage: str, reason: str, when: str) -> None:
    """Record (or replace) the failure of ``article_id`` with ``model`` (no commit)."""
    conn.execute("INSERT INTO article_failures VALUES (?, ?, ?, ?, ?) ON CONFLICT(article_id, model) DO UPDATE SET"
                 " stage = excluded.stage, reason = excluded.reason, at = excluded.at", (article_id, model, stage, reason, when))


def clear_article_failures(conn: Connection, model: str) -> int:
    """Forget the failures with ``model`` so the next run tries those articles again; return how many (no commit)."""
    return conn.execute("DELETE FROM article_failures WHERE model = ?", (model,)).rowcount


def failed_article_ids(conn: Connection, model: str) -> set[str]:
    """Return the ids of the articles that failed with ``model``."""
    return {r[0] for r in conn.execute("SELECT article_id FROM article_failures WHERE model = ?", (model,))}


def article_failures(conn: Connection, limit: int = 100) -> list[ArticleFailure]:
    """Return the recorded article failures, newest first."""
    return [ArticleFailure(*r) for r in conn.execute(
        "SELECT f.article_id, a.source, f.model, f.stage, f.reason, f.at FROM article_failures f"
        " JOIN articles a ON a.id = f.article_id ORDER BY f.at DESC, f.article_id LIMIT ?", (limit,))]
