"""Reading the store for people: filtered article lists, full-text search, story and thread summaries.

The report and the web app read through here. Every query is bounded (a page of rows) and
scoped (one story, one thread, one article) so a page costs the same with a hundred
articles stored or a hundred thousand. All SQL for these views lives here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg

from ..models import Actor, Story, Thread
from .db import Connection, is_postgres, Row
from .fulltext import HIGHLIGHT_END, HIGHLIGHT_START, text_query
from .links import id_chunks, in_clause

__all__ = [
    "COUNT_CAP", "ArticleFilter", "ArticleRow", "ArticlePage", "StorySummary", "ThreadSummary",
    "find_articles", "article_rows", "outlet_counts", "activity", "load_story", "load_thread",
    "story_of", "thread_summaries", "thread_summaries_of", "article_texts", "story_summaries", "count_threads", "load_actor", "actor_labels", "actor_counts",
    "actor_quote_ids", "actor_names", "actor_ids_named", "thread_article_ids", "page_ids", "find_actor", "LABEL_SAMPLE",
    "answers",
]

_ROW = ("a.id, a.title, a.outlet, a.published, a.published_inferred, a.duplicate_of,"
        " length(a.text) - length(replace(a.text, ' ', '')) + 1, m.story_id")


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """What a person asked to see: words (FTS5), an outlet, a date range, an actor, a story.

    Dates are ``YYYY-MM-DD`` and compare against the publication date, so undated articles
    drop out of any date-filtered list.
    """

    query: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    actor: str | None = None
    """An actor id (``person:ilona-maresh``): articles that mention it."""
    story: str | None = None

    @property
    def empty(self) -> bool:
        """True when nothing narrows the list."""
        return not any((self.query, self.outlet, self.since, self.until, self.actor, self.story))


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article in a list: enough to show and link it; ``snippet`` carries highlight markers."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    published_inferred: bool
    duplicate_of: str | None
    words: int
    story_id: str | None
    snippet: str | None = None


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """A page of a filtered list and how many match in all."""

    rows: tuple[ArticleRow, ...]
    total: int
    more: bool = False
    """True when more than ``total`` match (counting stopped at :data:`COUNT_CAP`)."""


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as a list shows it."""

    id: str
    title: str | None
    thread_id: str
    articles: int
    outlets: int
    first_published: str | None
    last_published: str | None


@dataclass(frozen=True, slots=True)
class ThreadSummary:
    """A thread with its stories (earliest first)."""

    id: str
    title: str | None
    stories: tuple[StorySummary, ...]

    @property
    def articles(self) -> int:
        """Articles over all its stories."""
        return sum(s.articles for s in self.stories)


def _row(r: Row, snippet: str | None = None) -> ArticleRow:
    return ArticleRow(r[0], r[1], r[2], r[3], bool(r[4]), r[5], int(r[6]), r[7], snippet)


def _where(f: ArticleFilter) -> tuple[str, list[object]]:
    clauses = (
        (f.outlet, " AND a.outlet = ?"),
        (f.since, " AND a.published >= ?"),
        (f.until and f.until + "\uffff", " AND a.published <= ?"),  # the whole last day, whatever follows the date
        (f.actor, " AND EXISTS (SELECT 1 FROM mentions mm WHERE mm.actor_id = ? AND mm.article_id = a.id)"),
        (f.story, " AND m.story_id = ?"),
    )
    given = [(value, clause) for value, clause in clauses if value]
    return "".join(clause for _, clause in given), [value for value, _ in given]


COUNT_CAP = 10_000
"""A filtered list counts its matches up to this many; past it the page says "10,000+" (counting all costs a scan)."""


def _count(conn: Connection, base: str, params: Sequence[object]) -> tuple[int, bool]:
    n = int(conn.execute(f"SELECT COUNT(*) FROM (SELECT 1{base} LIMIT {COUNT_CAP + 1}) AS hits", params).fetchone()[0])
    return min(n, COUNT_CAP), n > COUNT_CAP


def find_articles(conn: Connection, f: ArticleFilter, *, limit: int = 50, offset: int = 0) -> ArticlePage:
    """Return one page of the articles matching ``f``: best match first for words, else newest first.

    Args:
        f: the filter; its words become a safe FTS5 query (every word must match; "quoted phrases" stay phrases).
        limit: rows per page.
        offset: rows to skip.

    Returns:
        The page and the number of matches, counted up to :data:`COUNT_CAP` (``more`` tells when there are more).
    """
    where, params = _where(f)
    match = text_query(conn, f.query) if f.query else None
    if f.query and match is None:
        return ArticlePage((), 0)
    if match is not None:
        base = f" FROM {match.source} LEFT JOIN story_members m ON m.article_id = a.id WHERE {match.condition}" + where
        args: list[object] = [*match.params, *params]
        total, more = _count(conn, base, args) if where else _count(conn, f" FROM {match.source} WHERE {match.condition}", match.params)
        column, column_params = match.snippet_column(-1, 24)
        rows = conn.execute(f"SELECT {_ROW}, {column}" + base + f" ORDER BY {match.order} LIMIT ? OFFSET ?",
                            [*column_params, *args, *match.order_params, limit, offset])
        return ArticlePage(tuple(_row(r, match.snippet(r[8], 24)) for r in rows), total, more)
    base = " FROM articles a LEFT JOIN story_members m ON m.article_id = a.id WHERE 1 = 1" + where
    total, more = _count(conn, base, params)
    rows = conn.execute(f"SELECT {_ROW}" + base + " ORDER BY a.published DESC NULLS LAST, a.rowid DESC LIMIT ? OFFSET ?",
                        [*params, limit, offset])
    return ArticlePage(tuple(_row(r) for r in rows), total, more)


def article_rows(conn: Connection, ids: Sequence[str]) -> list[ArticleRow]:
    """Return these articles as list rows, earliest published first (unknown ids are skipped)."""
    found: list[ArticleRow] = []
    for chunk in id_chunks(list(ids)):
        found += [_row(r) for r in conn.execute(in_clause(
            f"SELECT {_ROW}, a.rowid FROM articles a LEFT JOIN story_members m ON m.article_id = a.id WHERE a.id IN ({{}})", chunk), chunk)]
    order = {i: n for n, i in enumerate(ids)}
    return sorted(found, key=lambda r: (r.published is None, r.published or "", order[r.id]))


def outlet_counts(conn: Connection, *, limit: int = 200) -> list[tuple[str, int]]:
    """Return (outlet, articles) for the outlets with most articles, for the outlet filter."""
    return [(r[0], int(r[1])) for r in conn.execute(
        "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC, outlet LIMIT ?", (limit,))]


def sqlite_unindexed(conn: Connection, column: str) -> str:
    """On SQLite ``+column`` reads the column but keeps SQLite's planner from looking it up by an index on it.

    The only per-dialect spot of this module's SQL: PostgreSQL has no unary ``+`` on text (there, the bare
    column, and its planner picks by statistics).
    """
    return column if is_postgres(conn) else "+" + column


def activity(conn: Connection, ids: Sequence[str] | None = None) -> list[tuple[str | None, str | None, int]]:
    """Return (outlet, publication day, articles) for these articles, or for every article not a near-duplicate (the overview chart)."""
    if ids is None:
        # unindexed: scan the covering index articles_outlet_published (outlet, published, duplicate_of) rather than
        # search articles_duplicate_of and read every matching row from the table
        rows = conn.execute("SELECT outlet, substr(published, 1, 10) AS day, COUNT(*) FROM articles"
                            f" WHERE {sqlite_unindexed(conn, 'duplicate_of')} IS NULL GROUP BY outlet, day")
        return [(r[0], r[1], int(r[2])) for r in rows]
    out: list[tuple[str | None, str | None, int]] = []
    for chunk in id_chunks(list(ids)):
        out += [(r[0], r[1], int(r[2])) for r in conn.execute(in_clause(
            "SELECT outlet, substr(published, 1, 10) AS day, COUNT(*) FROM articles WHERE id IN ({}) GROUP BY outlet, day", chunk), chunk)]
    return out


def _members(conn: Connection, where: str, value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for story, article in conn.execute(
            "SELECT m.story_id, m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id"
            f" WHERE m.{where} = ? ORDER BY a.published IS NULL, a.published, a.rowid", (value,)):
        out.setdefault(story, []).append(article)
    return out


def load_story(conn: Connection, story_id: str) -> Story | None:
    """Return one story with its articles (earliest published first), or None."""
    r = conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    if r is None:
        return None
    members = _members(conn, "story_id", story_id).get(story_id, [])
    return Story(r["id"], r["title"], tuple(members), r["thread_id"], r["first_published"], r["last_published"])


def load_thread(conn: Connection, thread_id: str) -> Thread | None:
    """Return one thread with its stories (earliest first), or None."""
    title = conn.execute("SELECT title FROM threads WHERE id = ?", (thread_id,)).fetchone()
    if title is None:
        return None
    ids = [r[0] for r in conn.execute("SELECT id FROM stories WHERE thread_id = ? ORDER BY first_published IS NULL, first_published, id",
                                      (thread_id,))]
    return Thread(thread_id, title[0], tuple(ids))


def story_of(conn: Connection, article_id: str) -> tuple[str, str] | None:
    """Return (story id, thread id) of a linked article, or None."""
    r = conn.execute("SELECT story_id, thread_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
    return (r[0], r[1]) if r else None


_STORY_SUMMARY = (
    "SELECT s.id, s.title, s.thread_id, COUNT(m.article_id), COUNT(DISTINCT a.outlet), s.first_published, s.last_published"
    " FROM stories s JOIN story_members m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id")


def story_summaries(conn: Connection, story_ids: Sequence[str]) -> list[StorySummary]:
    """Return these stories as list rows, earliest first."""
    found: list[StorySummary] = []
    for chunk in id_chunks(list(story_ids)):
        rows = conn.execute(in_clause(_STORY_SUMMARY + " WHERE s.id IN ({}) GROUP BY s.id", chunk), chunk)
        found += [StorySummary(r[0], r[1], r[2], int(r[3]), int(r[4]), r[5], r[6]) for r in rows]
    return sorted(found, key=lambda s: (s.first_published is None, s.first_published or "", s.id))


def count_threads(conn: Connection) -> int:
    """Return how many threads are stored."""
    return int(conn.execute("SELECT COUNT(*) FROM threads").fetchone()[0])


def thread_summaries(conn: Connection, *, limit: int = 30, offset: int = 0) -> list[ThreadSummary]:
    """Return a page of threads, the most recently active first, each with its stories."""
    page = [r[0] for r in conn.execute(
        "SELECT t.id FROM threads t JOIN stories s ON s.thread_id = t.id GROUP BY t.id"
        " ORDER BY MAX(s.last_published) IS NULL, MAX(s.last_published) DESC, t.id LIMIT ? OFFSET ?", (limit, offset))]
    return thread_summaries_of(conn, page)


def thread_summaries_of(conn: Connection, thread_ids: Sequence[str]) -> list[ThreadSummary]:
    """Return these threads (in this order, unknown ones skipped), each with its stories, earliest first."""
    titles: dict[str, str | None] = {}
    stories: dict[str, list[StorySummary]] = {}
    for chunk in id_chunks(list(thread_ids)):
        titles.update((r[0], r[1]) for r in conn.execute(in_clause("SELECT id, title FROM threads WHERE id IN ({})", chunk), chunk))
        for r in conn.execute(in_clause(_STORY_SUMMARY + " WHERE s.thread_id IN ({}) GROUP BY s.id", chunk), chunk):
            stories.setdefault(r[2], []).append(StorySummary(r[0], r[1], r[2], int(r[3]), int(r[4]), r[5], r[6]))
    return [ThreadSummary(t, titles[t], tuple(sorted(stories.get(t, []), key=lambda s: (s.first_published is None, s.first_published or "", s.id))))
            for t in thread_ids if t in titles]


def article_texts(conn: Connection, ids: Sequence[str]) -> list[tuple[str, str]]:
    """Return (id, cleaned text) of these articles."""
    out: list[tuple[str, str]] = []
    for chunk in id_chunks(list(ids)):
        out += [(r[0], r[1]) for r in conn.execute(in_clause("SELECT id, text FROM articles WHERE id IN ({})", chunk), chunk)]
    return out


def load_actor(conn: Connection, actor_id: str) -> Actor | None:
    """Return one actor with its spelling variants, or None."""
    r = conn.execute("SELECT id, name, type FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if r is None:
        return None
    variants = tuple(v for (v,) in conn.execute("SELECT variant FROM actor_variants WHERE actor_id = ? ORDER BY rowid", (actor_id,)))
    return Actor(r[0], r[1], r[2], variants)


LABEL_SAMPLE = 20_000
"""An actor's label table counts at most this many label uses (a busy actor has hundreds of thousands)."""


def actor_labels(conn: Connection, actor_id: str, *, limit: int = 400) -> tuple[list[tuple[str | None, str, int]], bool]:
    """Return (outlet, label, uses) for the labels outlets gave this actor, most used first, and whether uses were sampled.

    At most :data:`LABEL_SAMPLE` label uses are counted (in index order, which is spread over the corpus).
    """
    rows = conn.execute(
        "SELECT a.outlet, MIN(m.text), COUNT(*) FROM (SELECT article_id, text FROM mentions WHERE actor_id = ? AND kind = 'label'"
        f" LIMIT {LABEL_SAMPLE + 1}) m JOIN articles a ON a.id = m.article_id GROUP BY a.outlet, lower(m.text)"
        " ORDER BY COUNT(*) DESC, MIN(m.text), a.outlet IS NULL, a.outlet", (actor_id,)).fetchall()  # ties: by outlet, on both backends
    sampled = sum(int(r[2]) for r in rows) > LABEL_SAMPLE
    return [(r[0], r[1], int(r[2])) for r in rows[:limit]], sampled


def actor_counts(conn: Connection, actor_id: str) -> tuple[int, int, int]:
    """Return (mentions, articles, quotes) of one actor."""
    mentions, articles = conn.execute("SELECT COUNT(*), COUNT(DISTINCT article_id) FROM mentions WHERE actor_id = ?", (actor_id,)).fetchone()
    quotes = conn.execute("SELECT COUNT(*) FROM quotes WHERE speaker_actor_id = ?", (actor_id,)).fetchone()[0]
    return int(mentions), int(articles), int(quotes)


def actor_quote_ids(conn: Connection, actor_id: str, *, limit: int = 100, many: bool = False) -> list[tuple[str, str]]:
    """Return (article id, quote id) of this actor's quotes, newest article first.

    Args:
        many: the actor is quoted often: walk the articles newest first and look for their quotes
            (else sort the actor's quotes by date, cheaper when they are few).
    """
    # SQLite reads CROSS JOIN as "join in this order" (newest articles first, then their quotes); PostgreSQL has no such
    # hint (CROSS JOIN takes no ON) and its planner picks the order from statistics
    walk = "JOIN" if is_postgres(conn) else "CROSS JOIN"
    join = f"FROM articles a {walk} quotes q ON q.article_id = a.id" if many else "FROM quotes q JOIN articles a ON a.id = q.article_id"
    return [(r[0], r[1]) for r in conn.execute(
        f"SELECT q.article_id, q.id {join} WHERE q.speaker_actor_id = ? ORDER BY a.published DESC NULLS LAST, a.rowid DESC, q.start LIMIT ?",
        (actor_id, limit))]


def actor_names(conn: Connection, actor_ids: Sequence[str]) -> dict[str, str]:
    """Return actor id -> name for these ids."""
    out: dict[str, str] = {}
    for chunk in id_chunks(list(actor_ids)):
        out.update((r[0], r[1]) for r in conn.execute(in_clause("SELECT id, name FROM actors WHERE id IN ({})", chunk), chunk))
    return out


def actor_ids_named(conn: Connection, names: Sequence[str]) -> dict[str, str]:
    """Return actor name -> id for the actors stored under exactly these names."""
    out: dict[str, str] = {}
    for chunk in id_chunks(list(names)):
        out.update((r[1], r[0]) for r in conn.execute(in_clause("SELECT id, name FROM actors WHERE name IN ({})", chunk), chunk))
    return out


def thread_article_ids(conn: Connection, thread_id: str) -> list[str]:
    """Return the ids of every article in a thread's stories."""
    return [r[0] for r in conn.execute("SELECT article_id FROM story_members WHERE thread_id = ?", (thread_id,))]


_PAGE_IDS = {
    "thread": "SELECT id FROM threads ORDER BY id",
    "story": "SELECT id FROM stories ORDER BY id",
    "article": "SELECT id FROM articles ORDER BY rowid",
    "claim": "SELECT DISTINCT group_id FROM claim_groups ORDER BY group_id",
    "actor": "SELECT DISTINCT actor_id FROM mentions WHERE actor_id IS NOT NULL ORDER BY actor_id",
}


def page_ids(conn: Connection, kind: str) -> list[str]:
    """Return the id of every record that has a page of ``kind`` (thread, story, article, claim group, mentioned actor)."""
    return [r[0] for r in conn.execute(_PAGE_IDS[kind])]


def find_actor(conn: Connection, words: str) -> Actor | None:
    """Return the actor these words name: an actor id, a name or a spelling variant (case aside), else None."""
    words = words.strip()
    if not words:
        return None
    row = conn.execute(
        # lower(): case aside in ASCII letters, as COLLATE NOCASE (no index serves either: both tables are scanned)
        "SELECT id FROM actors WHERE id = ? UNION ALL SELECT id FROM actors WHERE lower(name) = lower(?)"
        " UNION ALL SELECT actor_id FROM actor_variants WHERE lower(variant) = lower(?) LIMIT 1", (words, words, words)).fetchone()
    return load_actor(conn, row[0]) if row else None


def answers(conn: Connection) -> bool:
    """True when ``conn`` still answers a query: a PostgreSQL connection kept idle (the web app's readers) may have
    been ended by the server meanwhile (a restart, an idle timeout)."""
    try:
        conn.execute("SELECT 1").fetchone()
    except (sqlite3.Error, psycopg.Error):
        return False
    return True
