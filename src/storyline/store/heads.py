"""Article heads: the few facts every joined table needs (outlet, date, title, url, story), read in one query."""

from __future__ import annotations

from dataclasses import dataclass

from .db import Connection
from .schema import schema_version

__all__ = ["ArticleHead", "article_heads", "article_head"]

_SQL = (
    "SELECT a.id, a.outlet, a.published, a.title, a.url, m.story_id, m.thread_id FROM articles a"
    " LEFT JOIN story_members m ON m.article_id = a.id"
)
_UNLINKED = "SELECT a.id, a.outlet, a.published, a.title, a.url, NULL, NULL FROM articles a"  # before schema 4 (read-only, not migrated)


def _sql(conn: Connection) -> str:
    return _SQL if schema_version(conn) >= 4 else _UNLINKED


@dataclass(frozen=True, slots=True)
class ArticleHead:
    """What a quote, claim or event row carries of its article."""

    id: str
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    story_id: str | None
    thread_id: str | None


def article_heads(conn: Connection) -> dict[str, ArticleHead]:
    """Return every article's head by id (one query; about 200 bytes an article)."""
    return {r[0]: ArticleHead(*r) for r in conn.execute(_sql(conn))}


def article_head(conn: Connection, article_id: str) -> ArticleHead | None:
    """Return one article's head, or None when no article has that id."""
    row = conn.execute(_sql(conn) + " WHERE a.id = ?", (article_id,)).fetchone()
    return ArticleHead(*row) if row else None
