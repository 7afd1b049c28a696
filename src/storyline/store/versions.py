"""Versions of an article's text: a page fetched again with edited text is kept beside the text it replaces.

An article keeps its id (its first text's) for life. :func:`save_version` is the one place a stored
article's text is replaced by a new version (no commit: the caller's write transaction; under its own
savepoint, so the version rows and the new text are written together or not at all). It

1. records version 1, the text first stored, when the article has no version yet (its title, text,
   ``ingested_at`` and first source);
2. keeps the quote and claim texts of the version being replaced (``quotes``, ``claims``: JSON lists;
   JSON ``null`` when it was not annotated then, so nothing is known of them) and records the new version
   (its lists stay empty until it is replaced in turn: meanwhile its quotes and claims are the article's);
3. replaces the article's text, title, language, removals, evidence, signature and outlet lines
   (:func:`storyline.store.articles.replace_text`; the full-text index follows by its trigger);
4. takes the article out of its annotations and its story (:func:`storyline.store.unlink.release_article`),
   so the next annotate run annotates and links it again under the same id and outlet: its claims are
   not counted again as another article's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..models import Article
from .articles import replace_text
from .db import Connection, Row
from .schema import schema_version
from .unlink import release_article

__all__ = [
    "ArticleVersion", "save_version", "article_versions", "annotation_texts", "version_count", "version_of_text", "stored_urls",
]


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    """One version of an article's text, as fetched or read."""

    article_id: str
    version: int
    """1 for the text first stored, then 2, 3, ..."""
    text_id: str
    """The id this version's text alone would get (the article's own id for version 1)."""
    title: str | None
    text: str
    seen_at: str
    """UTC time (ISO 8601) it was fetched or read."""
    source: str
    quotes: tuple[str, ...] | None
    """Its quote texts, kept when it was replaced; None when it was not annotated then (unknown). The latest
    version's are the article's stored quotes (its own list stays empty)."""
    claims: tuple[str, ...] | None
    """Its claim texts, likewise."""


def annotation_texts(conn: Connection, article_id: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Return the article's quote texts and claim texts now, in text order; (None, None) when it is not annotated."""
    if conn.execute("SELECT 1 FROM annotated WHERE article_id = ?", (article_id,)).fetchone() is None:
        return None, None
    quotes = tuple(r[0] for r in conn.execute("SELECT text FROM quotes WHERE article_id = ? ORDER BY start, id", (article_id,)))
    claims = tuple(r[0] for r in conn.execute('SELECT text FROM claims WHERE article_id = ? ORDER BY start, id', (article_id,)))
    return quotes, claims


def _json(texts: tuple[str, ...] | None) -> str:
    return json.dumps(None if texts is None else list(texts), ensure_ascii=False)


def save_version(conn: Connection, article: Article, text_id: str, seen_at: str, minhash: bytes,
                 line_keys: Iterable[str] = (), cut_keys: Iterable[str] = ()) -> int:
    """Store ``article`` as the newest version of the stored article of the same id (steps in the module docstring); no commit.

    Args:
        article: the stored article with its new text: its ``id`` the stored one, its ``source`` where
            the new version came from, its text, title, removals and evidence those to keep.
        text_id: the id the new text alone would get (:func:`storyline.clean.dedup.article_id`).
        seen_at: when the new version was fetched or read (UTC, ISO 8601).
        minhash: the new text's MinHash signature (stored bytes).
        line_keys: the new text's short lines, for outlet-wide boilerplate (before its outlet-wide cuts).
        cut_keys: those of them already cut from ``article.text`` as outlet-wide boilerplate.

    Returns:
        The new version's number (2 or more).

    Raises:
        ValueError: no article has this id.
    """
    conn.execute("SAVEPOINT save_version")
    try:
        number = _record(conn, article, text_id, seen_at)
        replace_text(conn, article, minhash, line_keys, cut_keys)
        release_article(conn, article.id)
    except BaseException:
        conn.execute("ROLLBACK TO save_version")
        conn.execute("RELEASE save_version")
        raise
    conn.execute("RELEASE save_version")
    return number


def _record(conn: Connection, article: Article, text_id: str, seen_at: str) -> int:
    """Write the version rows (steps 1 and 2); return the new version's number."""
    row = conn.execute("SELECT title, text, ingested_at, source FROM articles WHERE id = ?", (article.id,)).fetchone()
    if row is None:
        raise ValueError(f"no article {article.id} to add a version to")
    last = conn.execute("SELECT MAX(version) FROM article_versions WHERE article_id = ?", (article.id,)).fetchone()[0]
    if last is None:
        conn.execute("INSERT INTO article_versions (article_id, version, text_id, title, text, seen_at, source)"
                     " VALUES (?, 1, ?, ?, ?, ?, ?)", (article.id, article.id, row[0], row[1], row[2], row[3]))
        last = 1
    quotes, claims = annotation_texts(conn, article.id)
    conn.execute("UPDATE article_versions SET quotes = ?, claims = ? WHERE article_id = ? AND version = ?",
                 (_json(quotes), _json(claims), article.id, last))
    conn.execute("INSERT INTO article_versions (article_id, version, text_id, title, text, seen_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (article.id, last + 1, text_id, article.title, article.text, seen_at, article.source))
    return int(last) + 1



def _version(row: Row) -> ArticleVersion:
    quotes, claims = json.loads(row["quotes"]), json.loads(row["claims"])
    return ArticleVersion(row["article_id"], int(row["version"]), row["text_id"], row["title"], row["text"], row["seen_at"],
                          row["source"], None if quotes is None else tuple(quotes), None if claims is None else tuple(claims))


_SINCE = 13
"""The schema version that added ``article_versions``: an older database read without migrating has none."""


def article_versions(conn: Connection, article_id: str) -> list[ArticleVersion]:
    """Return the article's versions, oldest first; empty when its text was never replaced."""
    if schema_version(conn) < _SINCE:
        return []
    return [_version(r) for r in conn.execute(
        "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version", (article_id,))]


def version_count(conn: Connection, article_id: str) -> int:
    """Return how many versions of the article's text are known: 1 for an article never edited."""
    if schema_version(conn) < _SINCE:
        return 1
    (n,) = conn.execute("SELECT COUNT(*) FROM article_versions WHERE article_id = ?", (article_id,)).fetchone()
    return max(1, int(n))


def version_of_text(conn: Connection, text_id: str, article_id: str | None = None) -> tuple[str, int] | None:
    """Return (article id, version) of the earliest stored version whose text has this id (of one article when
    ``article_id`` is given), or None."""
    sql = "SELECT article_id, version FROM article_versions WHERE text_id = ?" + (" AND article_id = ?" if article_id else "")
    row = conn.execute(sql + " ORDER BY seen_at, version LIMIT 1", (text_id, article_id) if article_id else (text_id,)).fetchone()
    return (str(row[0]), int(row[1])) if row else None


def stored_urls(conn: Connection) -> Iterator[tuple[str, str]]:
    """Yield (URL, article id) for every stored article's page URL and every http(s) source it was read from,
    in ingest order: the first article stored from a page comes first."""
    for url, article_id, _ in conn.execute(
            "SELECT url, id, rowid FROM articles WHERE url IS NOT NULL UNION ALL SELECT s.source, a.id, a.rowid FROM sources s"
            " JOIN articles a ON a.id = s.article_id WHERE lower(s.source) LIKE 'http%' ORDER BY 3"):
        yield str(url), str(article_id)
