"""Stories and threads: the story linker's SQLite backend, the vector index and the readers. All their SQL lives here.

Nearest neighbours come from random-hyperplane LSH: :data:`BANDS` bands of :data:`ROWS`
hyperplanes, fixed by a seed, so a vector's bucket in each band is the integer formed by
its sign bits there. Candidates are the items sharing a bucket with the query in any band,
ranked by exact cosine; a small store (under :data:`EXACT_BELOW` items) that yields too few
is searched exhaustively instead, over a copy of its vectors the index keeps in memory for the
run (new rows, its own or another process's, are read by rowid as they come). All buckets of
a query are read in one statement, and no lookup scans a table, so a query costs the same at
1,000 or 100,000 articles. Nothing here commits: the runner does.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..models import VECTOR_DIMENSIONS as DIMENSIONS
from ..models import LinkedDoc, Story, StoryAssignment, Thread
from .db import Connection, Row
from .paging import Page, limit_clause

__all__ = [
    "BANDS", "ROWS", "FINE_ROWS", "BUCKET_CAP", "RANKED", "EXACT_BELOW", "bucket_keys", "band_key", "resolution",
    "VectorIndex", "SqliteLinkBackend", "save_link_docs",
    "save_assignment", "refresh_story_dates", "iter_stories", "iter_threads", "story_articles", "story_actor_names", "id_chunks", "in_clause",
]

BANDS = 16
"""LSH bands: an item is a candidate when it shares a bucket with the query in any band."""
ROWS = 12
"""Hyperplanes per band that make the coarsest bucket (a store of up to 65,536 items)."""
FINE_ROWS = 24
"""Hyperplanes per band stored in each key: the first :data:`ROWS` in its top bits, so a bucket of any
resolution between the two is one range of keys."""
PER_BUCKET = 16
"""Items a bucket should hold on average: a larger store is read at a finer resolution (:func:`resolution`)."""
BUCKET_CAP = 256
"""Most item ids read from one bucket (a crowded bucket of clustered items; items that are really near share
several bands, so the cap rarely loses them)."""
RANKED = 128
"""Most candidates whose vectors are read and ranked exactly: those sharing the most bands with the query. With
:data:`BUCKET_CAP` and :func:`resolution`, a query costs the same however large the store."""
EXACT_BELOW = 5000
"""Below this many stored items, too few LSH candidates means an exhaustive search."""
_PLANES = np.random.default_rng(20261201).standard_normal((BANDS * ROWS, DIMENSIONS)).astype(np.float32)
_BITS = (1 << np.arange(ROWS)).astype(np.int64)
_FINE_PLANES = np.random.default_rng(20261207).standard_normal((BANDS * (FINE_ROWS - ROWS), DIMENSIONS)).astype(np.float32)
_FINE_BITS = (1 << np.arange(FINE_ROWS - ROWS)).astype(np.int64)
_CHUNK = 900
"""Bound parameters per IN (...) list, under SQLite's limit."""

# The two kinds of indexed vectors: where their vectors live (fixed names, never user input).
_VECTORS = {
    "doc": ("SELECT article_id, doc_vector FROM link_docs WHERE article_id IN ({})",
            "SELECT rowid, article_id, doc_vector FROM link_docs WHERE rowid > ? ORDER BY rowid LIMIT ?",
            "SELECT COUNT(*) FROM link_docs"),
    "claim": ("SELECT claim_id, vector FROM claim_vectors WHERE claim_id IN ({})",
              "SELECT rowid, claim_id, vector FROM claim_vectors WHERE rowid > ? ORDER BY rowid LIMIT ?",
              "SELECT COUNT(*) FROM claim_vectors"),
}


def bucket_keys(vectors: np.ndarray) -> np.ndarray:
    """Return the LSH key of each vector in each band: shape (n, BANDS) for an (n, 384) matrix; a key's top
    :data:`ROWS` bits are its coarse bucket, the rest refine it."""
    matrix = np.atleast_2d(vectors).astype(np.float32)
    coarse = ((matrix @ _PLANES.T) > 0).reshape(-1, BANDS, ROWS).astype(np.int64) @ _BITS
    fine = ((matrix @ _FINE_PLANES.T) > 0).reshape(-1, BANDS, FINE_ROWS - ROWS).astype(np.int64) @ _FINE_BITS
    return (coarse << (FINE_ROWS - ROWS)) | fine


def band_key(band: int, vector: bytes) -> int:
    """The key of a stored float32 vector in one band (the SQL function the schema's version 9 re-keys with)."""
    return int(bucket_keys(np.frombuffer(vector, dtype=np.float32))[0][band])


def resolution(items: int) -> int:
    """Return the bits of a key a query matches in a store of ``items``: :data:`ROWS`, one more for each
    doubling past :data:`PER_BUCKET` items per bucket, at most :data:`FINE_ROWS`."""
    bits = ROWS
    while bits < FINE_ROWS and items > PER_BUCKET << bits:
        bits += 1
    return bits


def id_chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    """Yield ``ids`` in slices small enough for one ``IN (...)`` list."""
    for at in range(0, len(ids), _CHUNK):
        yield ids[at:at + _CHUNK]


def in_clause(sql: str, ids: Sequence[str]) -> str:
    """Fill the ``{}`` of ``sql`` with one bound parameter per id."""
    return sql.format(", ".join("?" * len(ids)))


@dataclass
class VectorIndex:
    """The LSH index over one kind of stored vector (``doc`` or ``claim``)."""

    conn: Connection
    kind: str
    _items: int | None = None
    """How many items are stored: counted once, then kept up to date with what this index is told (:meth:`grew`)."""
    _since_count: int = 0
    _small: _SmallStore | None = None
    _large: bool = False
    """Known to hold :data:`EXACT_BELOW` items or more (stores do not shrink by much)."""

    RECOUNT = 1000
    """Changes after which :meth:`size` counts the table again (other processes add too)."""

    def add(self, item_ids: Sequence[str], vectors: np.ndarray) -> None:
        """Put items in their buckets (no commit); the caller says by how much the store grew (:meth:`grew`)."""
        keys = bucket_keys(vectors)
        self.conn.executemany(
            "INSERT INTO vector_buckets (kind, band, key, item_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            ((self.kind, band, int(key), item) for item, row in zip(item_ids, keys) for band, key in enumerate(row)))

    def count(self) -> int:
        """Return how many items of this kind are stored (a full count: not for the per-article path)."""
        return int(self.conn.execute(_VECTORS[self.kind][2]).fetchone()[0])

    def size(self) -> int:
        """Return how many items are stored: counted once, then kept up to date with :meth:`grew` and counted
        again every :data:`RECOUNT` changes, so the per-article path never scans the table."""
        if self._items is None or self._since_count >= self.RECOUNT:
            self._items, self._since_count = self.count(), 0
        return self._items

    def grew(self, items: int) -> None:
        """Note that the store holds ``items`` more items (fewer when negative)."""
        if self._items is not None:
            self._items += items
            self._since_count += abs(items)

    def nearest(self, vector: np.ndarray, limit: int) -> list[str]:
        """Return up to ``limit`` item ids, nearest (cosine) first: LSH candidates, else all when the store is small."""
        keys = bucket_keys(vector)[0]
        shift = FINE_ROWS - resolution(self.size())
        params: list[object] = []
        for band, key in enumerate(keys):
            low = (int(key) >> shift) << shift
            params += [self.kind, band, low, low + (1 << shift) - 1]
        # a crowded bucket gives its first BUCKET_CAP items in key order, as SQLite's primary key reads them (no sort there);
        # PostgreSQL, told so too, gives the same items
        votes = Counter(r[0] for r in self.conn.execute(" UNION ALL ".join(
            [f"SELECT * FROM (SELECT item_id FROM vector_buckets WHERE kind = ? AND band = ? AND key BETWEEN ? AND ?"
             f" ORDER BY key, item_id LIMIT {BUCKET_CAP}) AS b"] * len(keys)), params))
        # the items sharing the most bands with the query are the nearest: only those are read and ranked exactly
        found = sorted(sorted(votes, key=lambda item: (-votes[item], item))[:RANKED])
        ranked = self._rank(vector, self._vectors(found), limit)
        if len(ranked) < limit and not self._large:
            small = self._small_store()
            if small is not None:
                return small.nearest(vector, limit)
        return ranked

    def _small_store(self) -> _SmallStore | None:
        """The in-memory copy of every vector, brought up to date; None once the store is large."""
        small = self._small or _SmallStore()
        sql = _VECTORS[self.kind][1]
        while rows := self.conn.execute(sql, (small.last_rowid, 1000)).fetchall():
            small.extend(rows)
            if len(small.names) >= EXACT_BELOW:
                self._small, self._large = None, True
                return None
        self._small = small
        return small

    def _vectors(self, ids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        for chunk in id_chunks(ids):
            yield from self.conn.execute(in_clause(_VECTORS[self.kind][0], chunk), chunk)

    @staticmethod
    def _rank(vector: np.ndarray, rows: Iterable[tuple[str, bytes]], limit: int) -> list[str]:
        pairs = list(rows)
        if not pairs:
            return []
        matrix = np.frombuffer(b"".join(blob for _, blob in pairs), dtype=np.float32).reshape(len(pairs), DIMENSIONS)
        order = np.argsort(-(matrix @ vector.astype(np.float32)), kind="stable")[:limit]
        return [pairs[i][0] for i in order]


@dataclass
class _SmallStore:
    """Every vector of a small store, in rowid order (an item stored again takes its new place)."""

    names: list[str] = field(default_factory=list)
    buffer: np.ndarray = field(default_factory=lambda: np.zeros((256, DIMENSIONS), dtype=np.float32))
    """The vectors in its first ``len(names)`` rows (the capacity doubles as needed)."""
    last_rowid: int = 0
    held: set[str] = field(default_factory=set)

    def extend(self, rows: Sequence[tuple[int, str, bytes]]) -> None:
        """Add rows read after :attr:`last_rowid` (rowid, item id, vector); an id seen before moves to its new row."""
        latest = {r[1]: r for r in rows}  # an item stored twice in these rows: its last row
        rows = [r for r in rows if latest[r[1]] is r]
        if not self.held.isdisjoint(latest):
            keep = np.array([name not in latest for name in self.names], dtype=bool)
            kept = self.buffer[:len(self.names)][keep]
            self.names = [name for name in self.names if name not in latest]
            self.buffer[:len(kept)] = kept
        size, grown = len(self.names), len(self.names) + len(rows)
        if grown > len(self.buffer):
            self.buffer = np.concatenate([self.buffer, np.zeros((max(grown, 2 * len(self.buffer)) - len(self.buffer), DIMENSIONS),
                                                                dtype=np.float32)])
        self.buffer[size:grown] = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(len(rows), DIMENSIONS)
        self.names += [r[1] for r in rows]
        self.held.update(latest)
        self.last_rowid = max(self.last_rowid, *(r[0] for r in rows))

    def nearest(self, vector: np.ndarray, limit: int) -> list[str]:
        """Up to ``limit`` ids, nearest first (ties in rowid order)."""
        if not self.names:
            return []
        order = np.argsort(-(self.buffer[:len(self.names)] @ vector.astype(np.float32)), kind="stable")[:limit]
        return [self.names[i] for i in order]


def _doc_row(doc: LinkedDoc) -> tuple[object, ...]:
    quotes = {k: [sorted(words) for words in v] for k, v in doc.quotes.items()}
    return (doc.id, doc.published.isoformat() if doc.published else None, json.dumps(sorted(doc.actors), ensure_ascii=False),
            json.dumps(dict(doc.origins), ensure_ascii=False), json.dumps(sorted(doc.years)), doc.attributions, doc.outlet,
            json.dumps(quotes, ensure_ascii=False), json.dumps(dict(doc.terms), ensure_ascii=False),
            json.dumps(list(doc.sentences), ensure_ascii=False), np.asarray(doc.doc_vector, dtype=np.float32).tobytes(),
            np.asarray(doc.sentence_vectors, dtype=np.float16).tobytes())


def _linked_doc(r: Row) -> LinkedDoc:
    quotes = {k: tuple(frozenset(words) for words in v) for k, v in json.loads(r["quotes"]).items()}
    sentences = np.frombuffer(r["sentence_vectors"], dtype=np.float16).reshape(-1, DIMENSIONS).astype(np.float32)
    return LinkedDoc(
        r["article_id"], date.fromisoformat(r["published"]) if r["published"] else None, frozenset(json.loads(r["actors"])),
        json.loads(r["origins"]), frozenset(json.loads(r["years"])), np.frombuffer(r["doc_vector"], dtype=np.float32).copy(),
        sentences, tuple(json.loads(r["sentences"])), json.loads(r["terms"]), r["attributions"], r["outlet"], quotes)


def _place(conn: Connection, members: Sequence[tuple[str, str, str]]) -> None:
    """Write (article, story, thread) memberships and make sure their story and thread rows exist."""
    conn.executemany("INSERT INTO story_members (article_id, story_id, thread_id) VALUES (?, ?, ?) ON CONFLICT(article_id)"
                     " DO UPDATE SET story_id = excluded.story_id, thread_id = excluded.thread_id", members)
    conn.executemany("INSERT INTO threads (id) VALUES (?) ON CONFLICT DO NOTHING", {(t,) for _, _, t in members})
    conn.executemany("INSERT INTO stories (id, thread_id) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET thread_id = excluded.thread_id",
                     {(s, t) for _, s, t in members})


def save_link_docs(conn: Connection, docs: Sequence[LinkedDoc], placed: Sequence[tuple[str, str]], *,
                   index: VectorIndex | None = None) -> None:
    """Store many linked documents at once with their (story, thread), as :meth:`SqliteLinkBackend.add` does one (no commit).

    For bulk loads of new documents (a benchmark, a rebuild): the articles must be stored and not yet linked.
    ``index`` is told the store grew (a new one by default).
    """
    conn.executemany(f"INSERT INTO link_docs VALUES ({', '.join('?' * 12)})", (_doc_row(d) for d in docs))
    index = index or VectorIndex(conn, "doc")
    index.add([d.id for d in docs], np.stack([d.doc_vector for d in docs]) if docs else np.zeros((0, DIMENSIONS)))
    index.grew(len(docs))
    counts: dict[str, int] = {}
    for d in docs:
        for key in d.frequency_keys():
            counts[key] = counts.get(key, 0) + 1
    conn.executemany("INSERT INTO link_df (key, df) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET df = link_df.df + excluded.df", counts.items())
    _place(conn, [(d.id, s, t) for d, (s, t) in zip(docs, placed)])
    for story in sorted({s for s, _ in placed}):
        refresh_story_dates(conn, story)


class SqliteLinkBackend:
    """The :class:`storyline.link.stories.LinkBackend` over the database (tables link_docs, link_df, story_members, ...)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.index = VectorIndex(conn, "doc")

    def size(self) -> int:
        """Return how many documents are linked (:meth:`VectorIndex.size`: no table scan per article)."""
        return self.index.size()

    def df(self, keys: Iterable[str]) -> Mapping[str, int]:
        """Return the corpus frequency of each key (0 when unseen)."""
        wanted = sorted(set(keys))
        out = dict.fromkeys(wanted, 0)
        for chunk in id_chunks(wanted):
            out.update((k, n) for k, n in self.conn.execute(in_clause("SELECT key, df FROM link_df WHERE key IN ({})", chunk), chunk))
        return out

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]:
        """Return up to ``limit`` linked article ids, nearest document vector first."""
        return self.index.nearest(vector, limit)

    def load(self, ids: Sequence[str]) -> list[LinkedDoc]:
        """Return the stored documents with these ids, in the order asked (unknown ids are skipped)."""
        found: dict[str, LinkedDoc] = {}
        for chunk in id_chunks(list(ids)):
            found.update((r["article_id"], _linked_doc(r)) for r in self.conn.execute(in_clause("SELECT * FROM link_docs WHERE article_id IN ({})", chunk), chunk))
        return [found[i] for i in ids if i in found]

    def add(self, doc: LinkedDoc, story: str, thread: str) -> None:
        """Store ``doc`` in ``story`` and ``thread`` (replacing an earlier link of the same article), no commit."""
        gone = self.conn.execute("DELETE FROM link_docs WHERE article_id = ?", (doc.id,)).rowcount  # its trigger takes back its frequencies
        self.conn.execute("DELETE FROM story_members WHERE article_id = ?", (doc.id,))  # and this one drops a story left empty
        save_link_docs(self.conn, [doc], [(story, thread)], index=self.index)
        self.index.grew(-gone)  # linked again: the store did not grow

    def story_span(self, story: str) -> tuple[date, date] | None:
        """Return the earliest and latest publication dates among the story's articles (None when none is dated)."""
        row = self.conn.execute("SELECT first_published, last_published FROM stories WHERE id = ?", (story,)).fetchone()
        try:
            return (date.fromisoformat(row[0][:10]), date.fromisoformat(row[1][:10])) if row and row[0] else None
        except ValueError:
            return None

    def story_of(self, doc_id: str) -> tuple[str, str]:
        """Return the (story, thread) of a linked article.

        Raises:
            KeyError: the article is not linked.
        """
        row = self.conn.execute("SELECT story_id, thread_id FROM story_members WHERE article_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return row[0], row[1]

    def merge(self, stories: set[str], threads: set[str], story: str, thread: str) -> None:
        """Relabel every member of ``stories`` as ``story`` and of ``threads`` as ``thread`` (no commit)."""
        s, t = sorted(stories - {story}), sorted(threads - {thread})
        for chunk in id_chunks(s):
            self.conn.execute(in_clause("UPDATE story_members SET story_id = ? WHERE story_id IN ({})", chunk), (story, *chunk))
            self.conn.execute(in_clause("DELETE FROM stories WHERE id IN ({})", chunk), chunk)
        for chunk in id_chunks(sorted(threads)):
            self.conn.execute(in_clause("UPDATE story_members SET thread_id = ? WHERE thread_id IN ({})", chunk), (thread, *chunk))
            self.conn.execute(in_clause("UPDATE stories SET thread_id = ? WHERE thread_id IN ({})", chunk), (thread, *chunk))
        for chunk in id_chunks(t):
            self.conn.execute(in_clause("DELETE FROM threads WHERE id IN ({})", chunk), chunk)
        if story in stories:
            refresh_story_dates(self.conn, story)


def save_assignment(conn: Connection, assignment: StoryAssignment) -> None:
    """Record why an article was placed where :meth:`StoryLinker.add` put it (its evidence); no commit."""
    conn.execute("UPDATE story_members SET evidence = ? WHERE article_id = ?", (assignment.evidence, assignment.article_id))


def refresh_story_dates(conn: Connection, story_id: str) -> None:
    """Set a story's first and last publication dates and its title (its earliest article's), and its thread's title."""
    conn.execute(
        "UPDATE stories SET first_published = (SELECT MIN(a.published) FROM story_members m JOIN articles a ON a.id = m.article_id"
        " WHERE m.story_id = stories.id), last_published = (SELECT MAX(a.published) FROM story_members m JOIN articles a"
        " ON a.id = m.article_id WHERE m.story_id = stories.id), title = (SELECT a.title FROM story_members m JOIN articles a"
        " ON a.id = m.article_id WHERE m.story_id = stories.id ORDER BY a.published IS NULL, a.published, a.rowid LIMIT 1)"
        " WHERE id = ?", (story_id,))
    conn.execute(
        "UPDATE threads SET title = (SELECT s.title FROM stories s WHERE s.thread_id = threads.id"
        " ORDER BY s.first_published IS NULL, s.first_published, s.id LIMIT 1)"
        " WHERE id = (SELECT thread_id FROM stories WHERE id = ?)", (story_id,))


_MEMBERS = "SELECT m.story_id, m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id"
_BY_DATE = " ORDER BY a.published IS NULL, a.published, a.rowid"


def _members(conn: Connection, story_ids: Sequence[str] | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if story_ids is None:
        rows: Iterable[tuple[str, str]] = conn.execute(_MEMBERS + _BY_DATE)
    else:
        rows = [r for chunk in id_chunks(story_ids) for r in conn.execute(in_clause(_MEMBERS + " WHERE m.story_id IN ({})" + _BY_DATE, chunk), chunk)]
    for story, article in rows:
        out.setdefault(story, []).append(article)
    return out


def iter_stories(conn: Connection, page: Page | None = None) -> Iterator[Story]:
    """Yield every story (or one page of them) with its articles (earliest published first), earliest story first."""
    limit, bounds = limit_clause(page)
    rows = conn.execute("SELECT * FROM stories ORDER BY first_published IS NULL, first_published, id" + limit, bounds).fetchall()
    members = _members(conn, [r["id"] for r in rows] if page else None)
    for r in rows:
        yield Story(r["id"], r["title"], tuple(members.get(r["id"], ())), r["thread_id"], r["first_published"], r["last_published"])


def iter_threads(conn: Connection, page: Page | None = None) -> Iterator[Thread]:
    """Yield every thread with its stories (earliest first), the thread of the earliest story first.

    Args:
        page: only one page of threads, then in id order.
    """
    limit, bounds = limit_clause(page)
    titles = dict(conn.execute("SELECT id, title FROM threads ORDER BY id" + limit, bounds).fetchall())
    stories: dict[str, list[str]] = {t: [] for t in titles} if page is not None else {}
    scope = " WHERE thread_id IN (SELECT id FROM threads ORDER BY id" + limit + ")" if page is not None else ""
    for story_id, thread_id in conn.execute("SELECT id, thread_id FROM stories" + scope
                                            + " ORDER BY first_published IS NULL, first_published, id", bounds):
        stories.setdefault(thread_id, []).append(story_id)
    for thread_id, story_ids in stories.items():
        if story_ids:
            yield Thread(thread_id, titles.get(thread_id), tuple(story_ids))


def story_articles(conn: Connection, story_id: str) -> list[str]:
    """Return the ids of a story's articles, earliest published first (empty for an unknown story)."""
    return [r[0] for r in conn.execute(
        "SELECT m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = ?"
        " ORDER BY a.published IS NULL, a.published, a.rowid", (story_id,))]


def story_actor_names(conn: Connection, story_id: str, *, top: int = 3) -> list[tuple[str, ...]]:
    """The spellings (name and variants) of the ``top`` actors most named in a story's articles, most named first."""
    rows = conn.execute(
        "SELECT m.actor_id FROM mentions m JOIN story_members s ON s.article_id = m.article_id"
        " WHERE s.story_id = ? AND m.actor_id IS NOT NULL GROUP BY m.actor_id ORDER BY COUNT(*) DESC, m.actor_id LIMIT ?",
        (story_id, top)).fetchall()
    out = []
    for (actor_id,) in rows:
        name = conn.execute("SELECT name FROM actors WHERE id = ?", (actor_id,)).fetchone()
        variants = [v for (v,) in conn.execute("SELECT variant FROM actor_variants WHERE actor_id = ? ORDER BY rowid", (actor_id,))]
        out.append(tuple(dict.fromkeys(([name[0]] if name else []) + variants)))
    return out
