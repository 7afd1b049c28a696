"""Claims and claim groups: the claim linker's SQLite backend and the readers. All their SQL lives here."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..link.claimlink import ClaimRecord
from ..models import Claim, ClaimAppearance, ClaimGroup, Span
from .links import VectorIndex, id_chunks, in_clause
from .paging import Page, limit_clause

__all__ = ["SqliteClaimBackend", "ArticleClaim", "save_claims", "iter_claim_groups", "load_claim_group", "article_claims", "spans_json"]


class SqliteClaimBackend:
    """The :class:`storyline.link.claimlink.ClaimBackend` over the database (claim_vectors, claim_groups, buckets)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.index = VectorIndex(conn, "claim")

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]:
        """Return up to ``limit`` grouped claim ids, nearest first."""
        return self.index.nearest(vector, limit)

    def load(self, ids: Sequence[str]) -> list[ClaimRecord]:
        """Return the stored records of these claims, in the order asked (unknown ids are skipped)."""
        found: dict[str, ClaimRecord] = {}
        for chunk in id_chunks(list(ids)):
            for r in self.conn.execute(in_clause("SELECT v.*, c.article_id, c.text, c.negated FROM claim_vectors v JOIN claims c"
                                           " ON c.id = v.claim_id WHERE v.claim_id IN ({})", chunk), chunk):
                found[r["claim_id"]] = ClaimRecord(
                    r["claim_id"], r["article_id"], np.frombuffer(r["vector"], dtype=np.float32).copy(), r["text"], bool(r["negated"]),
                    frozenset(json.loads(r["conditions"])), frozenset(json.loads(r["numbers"])), frozenset(json.loads(r["times"])))
        return [found[i] for i in ids if i in found]

    def add(self, record: ClaimRecord, group: str) -> None:
        """Store a claim's vector and features and put it in ``group`` (its row in ``claims`` must exist); no commit."""
        self.conn.execute("DELETE FROM claim_vectors WHERE claim_id = ?", (record.id,))  # its trigger empties its buckets
        self.conn.execute("INSERT INTO claim_vectors VALUES (?, ?, ?, ?, ?)", (
            record.id, np.asarray(record.vector, dtype=np.float32).tobytes(), json.dumps(sorted(record.conditions), ensure_ascii=False),
            json.dumps(sorted(record.numbers), ensure_ascii=False), json.dumps(sorted(record.times), ensure_ascii=False)))
        self.index.add([record.id], np.asarray(record.vector)[None, :])
        self.conn.execute("INSERT INTO claim_groups VALUES (?, ?) ON CONFLICT(claim_id) DO UPDATE SET group_id = excluded.group_id",
                          (record.id, group))

    def group_of(self, claim_id: str) -> str:
        """Return the group of a grouped claim.

        Raises:
            KeyError: the claim is not grouped.
        """
        row = self.conn.execute("SELECT group_id FROM claim_groups WHERE claim_id = ?", (claim_id,)).fetchone()
        if row is None:
            raise KeyError(claim_id)
        return str(row[0])

    def merge(self, groups: set[str], into: str) -> None:
        """Move every claim of ``groups`` into the group ``into`` (no commit)."""
        for chunk in id_chunks(sorted(groups - {into})):
            self.conn.execute(in_clause("UPDATE claim_groups SET group_id = ? WHERE group_id IN ({})", chunk), (into, *chunk))


def spans_json(spans: Iterable[Span]) -> str:
    """Return spans as the JSON list stored in the claims and framing tables."""
    return json.dumps([{"text": s.text, "start": s.start, "end": s.end} for s in spans], ensure_ascii=False)


def save_claims(conn: sqlite3.Connection, article_id: str, claims: Sequence[Claim], attribution_ids: Sequence[str] | None = None) -> None:
    """Replace an article's claims (ids ``ARTICLE:cN``), no commit; their vectors and groups go with the old ones.

    Args:
        attribution_ids: the stored id of each of the article's attributions, by index
            (default ``ARTICLE:aN``, as :func:`storyline.store.annotations.save_annotations` writes them).
    """
    conn.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))

    def attribution(index: int | None) -> str | None:
        if index is None:
            return None
        return attribution_ids[index] if attribution_ids is not None else f"{article_id}:a{index}"

    conn.executemany(f"INSERT INTO claims VALUES ({', '.join('?' * 14)})", (
        (f"{article_id}:c{i}", article_id, i, c.text, c.start, c.end, c.sentence.text, c.sentence.start, c.sentence.end,
         spans_json(c.hedges), int(c.negated), spans_json(c.conditions), attribution(c.attribution_index),
         json.dumps(list(c.actors), ensure_ascii=False)) for i, c in enumerate(claims)))


_APPEARANCES = (
    'SELECT g.group_id, c.id, c.article_id, c.text, c.sentence, c.start, c."end", c.hedges, c.conditions, c.negated,'
    " c.attribution_id, a.outlet, a.published, t.source, t.source_kind, t.via FROM claim_groups g"
    " JOIN claims c ON c.id = g.claim_id JOIN articles a ON a.id = c.article_id LEFT JOIN attributions t ON t.id = c.attribution_id")
_IN_STORY = (" WHERE g.group_id IN (SELECT g2.group_id FROM claim_groups g2 JOIN claims c2 ON c2.id = g2.claim_id"
             " JOIN story_members m ON m.article_id = c2.article_id WHERE m.story_id = ?)")


def _chain(r: sqlite3.Row) -> tuple[tuple[str, ...], str]:
    """(the chain in words, the article's outlet first; where it ends) for one appearance."""
    via = tuple(v["text"] for v in json.loads(r["via"] or "[]"))
    source = (r["source"],) if r["source"] else ()
    chain = ((r["outlet"],) if r["outlet"] else ()) + via + source
    if via:  # 1. the farthest outlet it was retold through: that outlet's report
        return chain, via[-1]
    if r["source"] and r["source_kind"] not in ("anonymous", "unknown"):  # 2. a named source: the source itself
        return chain, str(r["source"])
    return chain, r["outlet"] or f"article {r['article_id']}"  # 3. the article's own reporting


def _appearance(r: sqlite3.Row) -> ClaimAppearance:
    chain, origin = _chain(r)
    return ClaimAppearance(
        r["id"], r["article_id"], r["outlet"], r["published"], r["text"], r["sentence"], r["start"], r["end"],
        tuple(h["text"] for h in json.loads(r["hedges"])), tuple(c["text"] for c in json.loads(r["conditions"])),
        bool(r["negated"]), r["attribution_id"], origin, chain)


def _origin_key(origin: str) -> str:
    words = origin.lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _group(group_id: str, appearances: list[ClaimAppearance]) -> ClaimGroup:
    origins: dict[str, str] = {}
    for a in appearances:
        origins.setdefault(_origin_key(a.origin), a.origin)
    first = appearances[0]
    return ClaimGroup(group_id, first.text, first.published, len(origins), tuple(origins.values()), tuple(appearances))


def iter_claim_groups(conn: sqlite3.Connection, *, story_id: str | None = None, min_articles: int = 1,
                      page: Page | None = None) -> Iterator[ClaimGroup]:
    """Yield claim groups, earliest first seen first, each with every appearance (earliest published first).

    Args:
        story_id: only groups with an appearance in this story (all their appearances are kept).
        min_articles: only groups told by at least this many distinct articles.
        page: only one page of all groups, then in group id order (the other filters do not apply).
    """
    if page is not None:
        yield from _group_page(conn, page)
        return
    rows = conn.execute(_APPEARANCES + (_IN_STORY if story_id else "") + " ORDER BY g.group_id, a.published IS NULL, a.published, c.id",
                        (story_id,) if story_id else ())
    by_group: dict[str, list[ClaimAppearance]] = {}
    for r in rows:
        by_group.setdefault(r["group_id"], []).append(_appearance(r))
    groups = [_group(g, apps) for g, apps in by_group.items() if len({a.article_id for a in apps}) >= min_articles]
    yield from sorted(groups, key=lambda g: (g.first_seen is None, g.first_seen or "", g.id))


def _group_page(conn: sqlite3.Connection, page: Page) -> Iterator[ClaimGroup]:
    limit, bounds = limit_clause(page)
    ids = [r[0] for r in conn.execute("SELECT DISTINCT group_id FROM claim_groups ORDER BY group_id" + limit, bounds)]
    by_group: dict[str, list[ClaimAppearance]] = {}
    for chunk in id_chunks(ids):
        for r in conn.execute(in_clause(_APPEARANCES + " WHERE g.group_id IN ({}) ORDER BY g.group_id, a.published IS NULL, a.published, c.id",
                                        chunk), chunk):
            by_group.setdefault(r["group_id"], []).append(_appearance(r))
    yield from (_group(g, by_group[g]) for g in ids if g in by_group)


def load_claim_group(conn: sqlite3.Connection, group_id: str) -> ClaimGroup | None:
    """Return one claim group with every appearance (earliest published first), or None."""
    rows = conn.execute(_APPEARANCES + " WHERE g.group_id = ? ORDER BY a.published IS NULL, a.published, c.id", (group_id,)).fetchall()
    return _group(group_id, [_appearance(r) for r in rows]) if rows else None


@dataclass(frozen=True, slots=True)
class ArticleClaim:
    """One claim of an article, where it stands in the text and the group it belongs to."""

    id: str
    group_id: str | None
    text: str
    start: int
    end: int
    hedges: tuple[Span, ...]
    conditions: tuple[Span, ...]
    negated: bool
    group_articles: int
    """How many distinct articles tell the claim's group (1: only this one)."""


def _spans(raw: str) -> tuple[Span, ...]:
    return tuple(Span(s["text"], s["start"], s["end"]) for s in json.loads(raw))


def article_claims(conn: sqlite3.Connection, article_id: str) -> list[ArticleClaim]:
    """Return an article's claims in text order, each with its group and the group's article count."""
    rows = conn.execute(
        'SELECT c.id, g.group_id, c.text, c.start, c."end", c.hedges, c.conditions, c.negated,'
        " (SELECT COUNT(DISTINCT c2.article_id) FROM claim_groups g2 JOIN claims c2 ON c2.id = g2.claim_id WHERE g2.group_id = g.group_id)"
        " FROM claims c LEFT JOIN claim_groups g ON g.claim_id = c.id WHERE c.article_id = ? ORDER BY c.start, c.id", (article_id,))
    return [ArticleClaim(r[0], r[1], r[2], r[3], r[4], _spans(r[5]), _spans(r[6]), bool(r[7]), int(r[8] or 1)) for r in rows]
