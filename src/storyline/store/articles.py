"""Articles: save, load, list, search. All SQL for articles lives here.

Each article is written in one transaction with its removals, evidence,
signature, source and outlet lines, so a crash leaves it wholly stored or not
at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..models import Article, Evidence, Removal
from .annotations import clear_annotations
from .db import Connection, Row
from .fulltext import HIGHLIGHT_END, HIGHLIGHT_START, text_query
from .paging import Page, limit_clause
from .schema import schema_version

__all__ = [
    "ArticleSummary", "SearchHit", "HIGHLIGHT_START", "HIGHLIGHT_END",
    "save_article", "add_evidence", "article_for_source", "has_article", "add_source", "load_article", "ids_starting_with",
    "iter_articles", "list_articles", "search", "update_cleaning", "replace_text", "count_articles",
    "set_inferred_published",
]

_COLUMNS = (
    "id, source, url, title, outlet, authors, published, published_inferred, published_earliest,"
    " published_latest, language, feed, text, raw_text, duplicate_of, ingested_at"
)
_AUTHORS_SINCE = 12
"""The schema version that made ``authors`` a JSON list; an older database read without migrating has ``author``."""
_OLD_AUTHORS = "CASE WHEN author IS NULL OR author = '' THEN '[]' ELSE json_array(author) END AS authors"


def _columns(conn: Connection) -> str:
    """The article columns to select: an older database opened read-only (not migrated) reads its one-string
    ``author`` as a list of that string, as migration 12 would."""
    if schema_version(conn) >= _AUTHORS_SINCE:
        return _COLUMNS
    return _COLUMNS.replace("authors", _OLD_AUTHORS, 1)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One line of ``storyline list``."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    published_inferred: bool
    duplicate_of: str | None
    source: str
    words: int
    published_range: tuple[str | None, str | None] | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match: the article and a snippet with highlight markers."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str


def has_article(conn: Connection, article_id: str) -> bool:
    """Return True if an article with this id is stored."""
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def article_for_source(conn: Connection, source: str) -> str | None:
    """Return the id of the article a source produced, if it was ingested before."""
    row = conn.execute("SELECT article_id FROM sources WHERE source = ?", (source,)).fetchone()
    return row[0] if row else None


def add_source(conn: Connection, source: str, article_id: str, when: str, *, commit: bool = True) -> None:
    """Record that ``source`` yielded ``article_id`` (no-op if already recorded)."""
    conn.execute("INSERT INTO sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (source, article_id, when))
    if commit:
        conn.commit()


def save_article(
    conn: Connection, article: Article, minhash: bytes, line_keys: Iterable[str] = (), *, commit: bool = True
) -> bool:
    """Store ``article`` and everything hanging off it (removals, evidence, signature, source, outlet lines).

    Args:
        commit: commit at once (default); pass False to group several articles in one
            transaction, committed by the caller, which is much faster for large batches.

    Returns:
        False if an article with the same id was already stored (nothing changes), else True.
    """
    earliest, latest = article.published_range or (None, None)
    conn.execute("SAVEPOINT save_article")  # a refused article undoes itself only, not the caller's group
    try:
        cur = conn.execute(
            f"INSERT INTO articles ({_COLUMNS}) VALUES ({', '.join('?' * 16)}) ON CONFLICT DO NOTHING",
            (article.id, article.source, article.url, article.title, article.outlet, json.dumps(list(article.authors), ensure_ascii=False),
             article.published, int(article.published_inferred), earliest, latest, article.language,
             article.feed, article.text, article.raw_text, article.duplicate_of, article.ingested_at),
        )
        if cur.rowcount == 0:
            conn.execute("RELEASE save_article")
            return False
        _write_children(conn, article)
        conn.execute("INSERT INTO signatures VALUES (?, ?)", (article.id, minhash))
        conn.execute("INSERT INTO sources VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (article.source, article.id, article.ingested_at))
        if article.outlet:
            conn.executemany(
                "INSERT INTO outlet_lines (outlet, line_key, article_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                ((article.outlet, key, article.id) for key in set(line_keys)),
            )
    except BaseException:
        conn.execute("ROLLBACK TO save_article")
        conn.execute("RELEASE save_article")
        raise
    conn.execute("RELEASE save_article")
    if commit:
        conn.commit()
    return True


def _write_children(conn: Connection, article: Article) -> None:
    conn.executemany(
        'INSERT INTO removals (article_id, seq, text, reason, start, "end") VALUES (?, ?, ?, ?, ?, ?)',
        ((article.id, i, r.text, r.reason, r.start, r.end) for i, r in enumerate(article.removed)),
    )
    conn.executemany(
        'INSERT INTO evidence (article_id, seq, field, value, method, text, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ((article.id, i, e.field, e.value, e.method, e.text, e.start, e.end) for i, e in enumerate(article.evidence)),
    )


def update_cleaning(conn: Connection, article: Article) -> None:
    """Replace an article's cleaned text, removals and evidence (after a corpus-level cleaning pass).

    The latest of its versions (:mod:`storyline.store.versions`), which is its current text, follows.
    """
    with conn:
        conn.execute("UPDATE articles SET text = ? WHERE id = ?", (article.text, article.id))
        conn.execute("UPDATE article_versions SET text = ? WHERE article_id = ? AND version ="
                     " (SELECT MAX(version) FROM article_versions WHERE article_id = ?)", (article.text, article.id, article.id))
        clear_annotations(conn, article.id)  # offsets changed: annotate again
        conn.execute("DELETE FROM removals WHERE article_id = ?", (article.id,))
        conn.execute("DELETE FROM evidence WHERE article_id = ?", (article.id,))
        _write_children(conn, article)



def replace_text(conn: Connection, article: Article, minhash: bytes, line_keys: Iterable[str] = (),
                 cut_keys: Iterable[str] = ()) -> None:
    """Replace a stored article's text by a new version's (no commit; :func:`storyline.store.versions.save_version` calls it).

    The text, pre-cleaning text, title, language, outlet, authors and date bounds are set from ``article``;
    its removals and evidence are replaced by ``article``'s; its signature follows the new text, and its
    outlet lines become ``line_keys`` (those in ``cut_keys`` marked as cut already). The id, source, URL,
    feed, publication date, near-duplicate link and ``ingested_at`` stay. Annotations are not touched here.
    """
    earliest, latest = article.published_range or (None, None)
    conn.execute(
        "UPDATE articles SET text = ?, raw_text = ?, title = ?, language = ?, outlet = ?, authors = ?, published_earliest = ?,"
        " published_latest = ? WHERE id = ?",
        (article.text, article.raw_text, article.title, article.language, article.outlet,
         json.dumps(list(article.authors), ensure_ascii=False), earliest, latest, article.id))
    conn.execute("DELETE FROM removals WHERE article_id = ?", (article.id,))
    conn.execute("DELETE FROM evidence WHERE article_id = ?", (article.id,))
    _write_children(conn, article)
    conn.execute("UPDATE signatures SET minhash = ? WHERE article_id = ?", (minhash, article.id))
    conn.execute("DELETE FROM outlet_lines WHERE article_id = ?", (article.id,))
    if article.outlet:
        cut = set(cut_keys)
        conn.executemany("INSERT INTO outlet_lines (outlet, line_key, article_id, removed) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         ((article.outlet, key, article.id, int(key in cut)) for key in set(line_keys)))


def set_inferred_published(
    conn: Connection, article_id: str, published: str | None,
    range_: tuple[str | None, str | None], evidence: Sequence[Evidence],
) -> bool:
    """Record a publication date (or only bounds) inferred from the article's text (no commit).

    A declared date is never overwritten: nothing changes unless the stored ``published`` is
    NULL or was itself inferred, and the stored (published, earliest, latest) differ from the
    new ones. Earlier ``published_range`` evidence rows are replaced and an evidence row that is
    already stored is not added again, so reruns never duplicate evidence.

    Args:
        published: the inferred date ``YYYY-MM-DD``, or None when only bounds are known.
        range_: (earliest, latest) bounds; either may be None.
        evidence: why; appended after the article's existing evidence rows.

    Returns:
        True if the article changed.
    """
    row = conn.execute(
        "SELECT published, published_inferred, published_earliest, published_latest FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None or (row[0] is not None and not row[1]) or (row[0], row[2], row[3]) == (published, *range_):
        return False
    conn.execute(
        "UPDATE articles SET published = ?, published_inferred = 1, published_earliest = ?, published_latest = ? WHERE id = ?",
        (published, range_[0], range_[1], article_id),
    )
    conn.execute("DELETE FROM evidence WHERE article_id = ? AND field = 'published_range'", (article_id,))
    add_evidence(conn, article_id, evidence)
    return True


def add_evidence(conn: Connection, article_id: str, evidence: Sequence[Evidence]) -> None:
    """Append evidence rows after the article's existing ones, skipping rows already stored (no commit)."""
    stored = {tuple(r) for r in conn.execute('SELECT field, value, method, text, start, "end" FROM evidence WHERE article_id = ?', (article_id,))}
    (seq,) = conn.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM evidence WHERE article_id = ?", (article_id,)).fetchone()
    for e in evidence:
        values = (e.field, e.value, e.method, e.text, e.start, e.end)
        if values not in stored:
            stored.add(values)
            conn.execute('INSERT INTO evidence (article_id, seq, field, value, method, text, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                         (article_id, seq, *values))
            seq += 1


def _article(conn: Connection, row: Row) -> Article:
    removed = tuple(
        Removal(r["text"], r["reason"], r["start"], r["end"])
        for r in conn.execute('SELECT text, reason, start, "end" FROM removals WHERE article_id = ? ORDER BY seq', (row["id"],))
    )
    evidence = tuple(
        Evidence(r["field"], r["value"], r["method"], r["text"], r["start"], r["end"])
        for r in conn.execute('SELECT field, value, method, text, start, "end" FROM evidence WHERE article_id = ? ORDER BY seq', (row["id"],))
    )
    bounds = (row["published_earliest"], row["published_latest"])
    return Article(
        id=row["id"], source=row["source"], text=row["text"], raw_text=row["raw_text"], title=row["title"],
        url=row["url"], outlet=row["outlet"], authors=tuple(json.loads(row["authors"] or "[]")), published=row["published"],
        published_inferred=bool(row["published_inferred"]), published_range=bounds if any(bounds) else None,
        language=row["language"], feed=row["feed"], removed=removed, evidence=evidence,
        duplicate_of=row["duplicate_of"], ingested_at=row["ingested_at"],
    )


def ids_starting_with(conn: Connection, prefix: str, limit: int = 10) -> list[str]:
    """Return up to ``limit`` stored article ids that begin with ``prefix``, in order."""
    return [r[0] for r in conn.execute("SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                                       (prefix, prefix + "\uffff", limit))]


def load_article(conn: Connection, article_id: str) -> Article | None:
    """Return the stored article with this id (a unique id prefix also works), or None."""
    columns = _columns(conn)
    rows = conn.execute(f"SELECT {columns} FROM articles WHERE id = ?", (article_id,)).fetchall() or conn.execute(
        f"SELECT {columns} FROM articles WHERE id >= ? AND id < ? LIMIT 2", (article_id, article_id + "\uffff")).fetchall()
    exact = [r for r in rows if r["id"] == article_id]
    row = exact[0] if exact else (rows[0] if len(rows) == 1 else None)
    return _article(conn, row) if row else None


def iter_articles(conn: Connection, *, outlet: str | None = None, page: Page | None = None) -> Iterator[Article]:
    """Yield every stored article in ingest order, optionally of one outlet, optionally one page of them."""
    limit, bounds = limit_clause(page)
    sql = f"SELECT {_columns(conn)} FROM articles" + (" WHERE outlet = ?" if outlet else "") + " ORDER BY rowid" + limit
    for row in conn.execute(sql, ((outlet,) if outlet else ()) + bounds).fetchall():
        yield _article(conn, row)


def count_articles(conn: Connection) -> int:
    """Return how many articles are stored."""
    return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def list_articles(conn: Connection, *, outlet: str | None = None, limit: int | None = None) -> list[ArticleSummary]:
    """Return one summary per stored article, newest publication first (unknown dates last)."""
    sql = (
        "SELECT id, title, outlet, published, published_inferred, duplicate_of, source,"
        " length(text) - length(replace(text, ' ', '')) + 1 AS words, published_earliest, published_latest FROM articles"
        + (" WHERE outlet = ?" if outlet else "")
        + " ORDER BY published IS NULL, published DESC, rowid"
        + (" LIMIT ?" if limit is not None and limit >= 0 else "")
    )
    params: tuple[object, ...] = ((outlet,) if outlet else ()) + ((limit,) if limit is not None and limit >= 0 else ())
    return [
        ArticleSummary(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], int(r[7]),
                       (r[8], r[9]) if r[8] is not None or r[9] is not None else None)
        for r in conn.execute(sql, params)
    ]


def search(conn: Connection, query: str, *, limit: int = 20) -> list[SearchHit]:
    """Return articles matching ``query``, best first, with highlighted snippets (store/fulltext.py: both backends)."""
    match = text_query(conn, query)
    if match is None:
        return []
    column, column_params = match.snippet_column(1, 16)
    rows = conn.execute(f"SELECT a.id, a.title, a.outlet, a.published, {column} FROM {match.source} WHERE {match.condition}"
                        f" ORDER BY {match.order} LIMIT ?", (*column_params, *match.params, *match.order_params, limit))
    return [SearchHit(r[0], r[1], r[2], r[3], match.snippet(r[4], 16) or "") for r in rows]
