"""Claims and claim groups: the claim linker's SQLite backend and the readers. All their SQL lives here."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..models import Claim, ClaimAppearance, ClaimLink, ClaimOrigin, ClaimRecord, RelatedClaim, Span
from .db import Connection, Row
from .links import VectorIndex, id_chunks, in_clause
from .paging import Page, limit_clause

__all__ = ["SqliteClaimBackend", "ArticleClaim", "save_claims", "save_claim_records", "iter_group_appearances", "group_appearances",
           "related_groups", "article_claims", "load_appearances", "spans_json"]


class SqliteClaimBackend:
    """The :class:`storyline.link.claimlink.ClaimBackend` over the database (claim_vectors, claim_groups, buckets)."""

    CACHED = 20_000
    """Records kept in memory (most recently used): a stored claim's record never changes, and loading one
    (its vectors, and its content words stemmed again) is most of what linking a claim costs."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.index = VectorIndex(conn, "claim")
        self._cache: OrderedDict[str, ClaimRecord] = OrderedDict()

    def _keep(self, record: ClaimRecord) -> None:
        self._cache[record.id] = record
        self._cache.move_to_end(record.id)
        while len(self._cache) > self.CACHED:
            self._cache.popitem(last=False)

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]:
        """Return up to ``limit`` grouped claim ids, nearest first."""
        return self.index.nearest(vector, limit)

    def load(self, ids: Sequence[str]) -> list[ClaimRecord]:
        """Return the stored records of these claims, in the order asked (unknown ids are skipped)."""
        found: dict[str, ClaimRecord] = {i: self._cache[i] for i in ids if i in self._cache}
        for chunk in id_chunks([i for i in ids if i not in found]):
            for r in self.conn.execute(in_clause("SELECT v.*, c.article_id, c.text, c.negated FROM claim_vectors v JOIN claims c"
                                           " ON c.id = v.claim_id WHERE v.claim_id IN ({})", chunk), chunk):
                found[r["claim_id"]] = ClaimRecord(
                    r["claim_id"], r["article_id"], np.frombuffer(r["vector"], dtype=np.float32).copy(), r["text"], bool(r["negated"]),
                    frozenset(json.loads(r["conditions"])), frozenset(json.loads(r["numbers"])),
                    tuple((e, l) for e, l in json.loads(r["dates"])), frozenset(json.loads(r["agents"])),
                    frozenset(json.loads(r["patients"])), tuple(json.loads(r["polarity"])),
                    np.frombuffer(r["predicate"], dtype=np.float32).copy() if r["predicate"] is not None else None,
                    stance=r["stance"], holders=frozenset(json.loads(r["holders"])))
        for record in found.values():
            self._keep(record)
        return [found[i] for i in ids if i in found]

    def add(self, record: ClaimRecord, group: str, links: Sequence[ClaimLink] = ()) -> None:
        """Store a claim's vector and features, put it in ``group`` and keep the links that explain it
        (its row in ``claims`` must exist); no commit."""
        self._keep(record)
        save_claim_records(self.conn, [(record, group)], links, index=self.index)

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


def _roles_json(claim: Claim) -> str:
    return json.dumps([{"role": r.role, "name": r.name, "text": r.text, "start": r.start, "end": r.end, "evidence": r.evidence}
                       for r in claim.roles], ensure_ascii=False)


def _stance_json(claim: Claim) -> str | None:
    st = claim.stance
    if st is None:
        return None
    return json.dumps({"kind": st.kind, "topic": st.topic, "word": {"text": st.word.text, "start": st.word.start, "end": st.word.end},
                       "object": {"text": st.object.text, "start": st.object.start, "end": st.object.end}}, ensure_ascii=False)


def _origin_row(o: ClaimOrigin | None) -> tuple[object, ...]:
    if o is None:
        return (None, None, None, None, None, None, 0, None)
    return (o.key, o.kind, o.name, o.actor, o.outlet, o.count, int(o.flagged), o.evidence)


def save_claim_records(conn: Connection, grouped: Sequence[tuple[ClaimRecord, str]], links: Sequence[ClaimLink] = (),
                       *, index: VectorIndex | None = None) -> None:
    """Store claims' vectors and features in their groups, and the links that explain them (their rows in
    ``claims`` must exist), many at once; no commit."""
    def js(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    records = [r for r, _ in grouped]
    gone = conn.executemany("DELETE FROM claim_vectors WHERE claim_id = ?", [(r.id,) for r in records]).rowcount  # its trigger empties its buckets
    conn.executemany(
        "INSERT INTO claim_vectors (claim_id, vector, conditions, numbers, times, agents, patients, dates, polarity, predicate,"
        " stance, holders) VALUES (?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?)",
        [(r.id, np.asarray(r.vector, dtype=np.float32).tobytes(), js(sorted(r.conditions)), js(sorted(r.numbers)),
          js(sorted(r.agents)), js(sorted(r.patients)), js([list(d) for d in r.dates]), js(list(r.polarity)),
          np.asarray(r.predicate, dtype=np.float32).tobytes() if r.predicate is not None else None,
          r.stance, js(sorted(r.holders))) for r in records])
    if records:
        index = index or VectorIndex(conn, "claim")
        index.add([r.id for r in records], np.stack([np.asarray(r.vector) for r in records]))
        index.grew(len(records) - gone)
    conn.executemany("INSERT INTO claim_groups VALUES (?, ?) ON CONFLICT(claim_id) DO UPDATE SET group_id = excluded.group_id",
                     [(r.id, group) for r, group in grouped])
    conn.executemany(
        "INSERT INTO claim_links VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(claim_id, other_id) DO UPDATE SET kind = excluded.kind,"
        " similarity = excluded.similarity, rule = excluded.rule, reason = excluded.reason, actors = excluded.actors",
        ((link.claim_id, link.other_id, link.verdict.kind, link.verdict.similarity, link.verdict.rule, link.verdict.reason,
          js(list(link.verdict.actors))) for link in links))


def save_claims(conn: Connection, article_id: str, claims: Sequence[Claim], attribution_ids: Sequence[str] | None = None,
                origins: Sequence[ClaimOrigin | None] | None = None) -> None:
    """Replace an article's claims (ids ``ARTICLE:cN``), no commit; their vectors, groups and links go with the old ones.

    Args:
        attribution_ids: the stored id of each of the article's attributions, by index
            (default ``ARTICLE:aN``, as :func:`storyline.store.annotations.save_annotations` writes them).
        origins: each claim's resolved ultimate origin (:func:`storyline.link.origins.resolve_origin`), by index.
    """
    conn.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))

    def attribution(index: int | None) -> str | None:
        if index is None:
            return None
        return attribution_ids[index] if attribution_ids is not None else f"{article_id}:a{index}"

    conn.executemany(
        "INSERT INTO claims (id, article_id, seq, text, start, \"end\", sentence, sentence_start, sentence_end, hedges, negated,"
        " conditions, attribution_id, actors, roles, polarity_cues, figures, dates, origin_key, origin_kind, origin_name,"
        f" origin_actor, origin_outlet, origin_count, origin_flagged, origin_evidence, stance) VALUES ({', '.join('?' * 27)})", (
            (f"{article_id}:c{i}", article_id, i, c.text, c.start, c.end, c.sentence.text, c.sentence.start, c.sentence.end,
             spans_json(c.hedges), int(c.negated), spans_json(c.conditions), attribution(c.attribution_index),
             json.dumps(list(c.actors), ensure_ascii=False), _roles_json(c), spans_json(c.polarity_cues),
             json.dumps(list(c.figures), ensure_ascii=False), json.dumps([list(d) for d in c.dates]),
             *_origin_row(origins[i] if origins is not None and i < len(origins) else None), _stance_json(c)) for i, c in enumerate(claims)))


_APPEARANCES = (
    'SELECT g.group_id, c.id, c.article_id, c.text, c.sentence, c.start, c."end", c.hedges, c.conditions, c.negated,'
    " c.attribution_id, a.outlet, a.published, t.source, t.source_kind, t.via, c.origin_key, c.origin_kind,"
    " COALESCE(o.name, c.origin_name) AS origin_name, c.origin_actor, c.origin_outlet, c.origin_count, c.origin_flagged,"
    " c.origin_evidence, j.reason AS join_reason FROM claim_groups g"
    " JOIN claims c ON c.id = g.claim_id JOIN articles a ON a.id = c.article_id LEFT JOIN attributions t ON t.id = c.attribution_id"
    " LEFT JOIN actors o ON o.id = c.origin_actor LEFT JOIN claim_links j ON j.claim_id = c.id AND j.kind = 'same'")
_STORY_GROUPS = ("SELECT DISTINCT g.group_id FROM story_members m JOIN claims c ON c.article_id = m.article_id"
                 " JOIN claim_groups g ON g.claim_id = c.id WHERE m.story_id = ? ORDER BY g.group_id")
"""The groups with an appearance in a story: read first, so the appearances are then looked up by group id (as one
query with ``IN (subquery)``, PostgreSQL's planner misjudged the subquery and joined every claim: 19 s at 100,000
articles, against 15 ms this way)."""


def _chain(r: Row) -> tuple[str, ...]:
    """The chain in words for one appearance, the article's outlet first."""
    via = tuple(v["text"] for v in json.loads(r["via"] or "[]"))
    source = (r["source"],) if r["source"] else ()
    return ((r["outlet"],) if r["outlet"] else ()) + via + source


def _origin(r: Row) -> ClaimOrigin | None:
    if r["origin_key"] is None:
        return None
    return ClaimOrigin(r["origin_key"], r["origin_kind"], r["origin_name"], r["origin_actor"], r["origin_outlet"], r["origin_count"],
                       bool(r["origin_flagged"]), r["origin_evidence"] or "")


def _appearance(r: Row) -> ClaimAppearance:
    origin = _origin(r)
    return ClaimAppearance(
        r["id"], r["article_id"], r["outlet"], r["published"], r["text"], r["sentence"], r["start"], r["end"],
        tuple(h["text"] for h in json.loads(r["hedges"])), tuple(c["text"] for c in json.loads(r["conditions"])),
        bool(r["negated"]), r["attribution_id"], origin.name if origin else (r["source"] or r["outlet"] or "unknown"),
        _chain(r), origin, r["join_reason"] or "")


def related_groups(conn: Connection, group_id: str, claim_ids: Sequence[str]) -> tuple[RelatedClaim, ...]:
    """The groups kept apart from this one although a claim of one was close to a claim of the other, closest first."""
    best: dict[str, RelatedClaim] = {}
    for chunk in id_chunks(list(claim_ids)):
        rows = conn.execute(in_clause(
            "SELECT g.group_id, c.text, l.similarity, l.reason, l.kind FROM claim_links l"
            " JOIN claim_groups g ON g.claim_id = CASE WHEN l.claim_id IN ({0}) THEN l.other_id ELSE l.claim_id END"
            " JOIN claims c ON c.id = g.claim_id"
            " WHERE l.kind != 'same' AND (l.claim_id IN ({0}) OR l.other_id IN ({0}))"
            " ORDER BY l.claim_id, l.other_id", chunk), (*chunk, *chunk, *chunk))  # equally close links: the same one kept on both backends
        for r in rows:
            if r[0] != group_id and (r[0] not in best or r[2] > best[r[0]].similarity):
                best[r[0]] = RelatedClaim(r[0], r[1], float(r[2]), r[3], r[4])
    return tuple(sorted(best.values(), key=lambda x: (-x.similarity, x.group_id)))


def iter_group_appearances(conn: Connection, *, story_id: str | None = None, min_articles: int = 1,
                           page: Page | None = None) -> Iterator[tuple[str, list[ClaimAppearance]]]:
    """Yield (group id, every appearance, earliest published first) of each claim group, the group first seen
    earliest first (:func:`storyline.link.groups.iter_claim_groups` makes them groups, origins counted).

    Args:
        story_id: only groups with an appearance in this story (all their appearances are kept).
        min_articles: only groups told by at least this many distinct articles.
        page: only one page of all groups, then in group id order (the story and article filters do not apply).
    """
    if page is not None:
        yield from _group_page(conn, page)
        return
    by_group: dict[str, list[ClaimAppearance]] = {}
    order = " ORDER BY g.group_id, a.published IS NULL, a.published, c.id"
    if story_id:
        ids = [r[0] for r in conn.execute(_STORY_GROUPS, (story_id,))]
        rows: Iterable[Row] = (r for chunk in id_chunks(ids)
                               for r in conn.execute(in_clause(_APPEARANCES + " WHERE g.group_id IN ({})" + order, chunk), chunk))
    else:
        rows = conn.execute(_APPEARANCES + order)
    for r in rows:
        by_group.setdefault(r["group_id"], []).append(_appearance(r))
    kept = [(g, apps) for g, apps in by_group.items() if len({a.article_id for a in apps}) >= min_articles]
    yield from sorted(kept, key=lambda p: (p[1][0].published is None, p[1][0].published or "", p[0]))


def _group_page(conn: Connection, page: Page) -> Iterator[tuple[str, list[ClaimAppearance]]]:
    limit, bounds = limit_clause(page)
    ids = [r[0] for r in conn.execute("SELECT DISTINCT group_id FROM claim_groups ORDER BY group_id" + limit, bounds)]
    by_group: dict[str, list[ClaimAppearance]] = {}
    for chunk in id_chunks(ids):
        for r in conn.execute(in_clause(_APPEARANCES + " WHERE g.group_id IN ({}) ORDER BY g.group_id, a.published IS NULL, a.published, c.id",
                                        chunk), chunk):
            by_group.setdefault(r["group_id"], []).append(_appearance(r))
    yield from ((g, by_group[g]) for g in ids if g in by_group)


def group_appearances(conn: Connection, group_id: str) -> list[ClaimAppearance]:
    """Return every appearance of one claim group, earliest published first (none: no such group)."""
    rows = conn.execute(_APPEARANCES + " WHERE g.group_id = ? ORDER BY a.published IS NULL, a.published, c.id", (group_id,))
    return [_appearance(r) for r in rows]


def load_appearances(conn: Connection, claim_ids: Sequence[str]) -> list[ClaimAppearance]:
    """Return the appearances of these grouped claims (in the order asked; unknown or ungrouped ids are skipped)."""
    found: dict[str, ClaimAppearance] = {}
    for chunk in id_chunks(list(dict.fromkeys(claim_ids))):
        for r in conn.execute(in_clause(_APPEARANCES + " WHERE c.id IN ({})", chunk), chunk):
            found[r["id"]] = _appearance(r)
    return [found[i] for i in claim_ids if i in found]


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


def article_claims(conn: Connection, article_id: str) -> list[ArticleClaim]:
    """Return an article's claims in text order, each with its group and the group's article count."""
    rows = conn.execute(
        'SELECT c.id, g.group_id, c.text, c.start, c."end", c.hedges, c.conditions, c.negated,'
        " (SELECT COUNT(DISTINCT c2.article_id) FROM claim_groups g2 JOIN claims c2 ON c2.id = g2.claim_id WHERE g2.group_id = g.group_id)"
        " FROM claims c LEFT JOIN claim_groups g ON g.claim_id = c.id WHERE c.article_id = ? ORDER BY c.start, c.id", (article_id,))
    return [ArticleClaim(r[0], r[1], r[2], r[3], r[4], _spans(r[5]), _spans(r[6]), bool(r[7]), int(r[8] or 1)) for r in rows]
