"""What other writers stored since a process last looked: canonical articles' signatures and actors, read by rowid.

Several ingest, annotate or watch processes may write into one store at once (on PostgreSQL, or one after
another on a SQLite file). Each keeps in memory what it needs to decide quickly (the near-duplicate index,
the actor registry) and, inside its write transaction (where no other writer can be writing: store/pg.py,
store/retry.py), reads what others added since, so its decisions agree with theirs. Write transactions
are serialised, so rowids are committed in order and ``rowid > last`` misses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Actor
from .db import Connection
from .links import id_chunks, in_clause

__all__ = ["StoredSignature", "signatures_since", "actors_since", "last_actor_rowid"]


@dataclass(frozen=True, slots=True)
class StoredSignature:
    """A canonical (not near-duplicate) article's MinHash signature and its place in ingest order."""

    rowid: int
    article_id: str
    minhash: bytes


def signatures_since(conn: Connection, after: int) -> list[StoredSignature]:
    """The canonical articles stored after rowid ``after`` with their signatures, in ingest order (0: every one)."""
    return [StoredSignature(int(r[0]), r[1], bytes(r[2])) for r in conn.execute(
        "SELECT a.rowid, s.article_id, s.minhash FROM articles a JOIN signatures s ON s.article_id = a.id"
        " WHERE a.rowid > ? AND a.duplicate_of IS NULL ORDER BY a.rowid", (after,))]


def last_actor_rowid(conn: Connection) -> int:
    """The rowid of the latest actor variant stored (0 when none): where :func:`actors_since` goes on from."""
    row = conn.execute("SELECT MAX(rowid) FROM actor_variants").fetchone()
    return int(row[0] or 0) if row else 0


def actors_since(conn: Connection, after: int) -> tuple[list[Actor], int]:
    """The actors that gained a variant (new actors included) after variant rowid ``after``, each with all its
    variants, and the rowid to go on from."""
    rows = conn.execute("SELECT rowid, actor_id FROM actor_variants WHERE rowid > ? ORDER BY rowid", (after,)).fetchall()
    if not rows:
        return [], after
    ids = list(dict.fromkeys(r[1] for r in rows))
    heads: dict[str, tuple[str, str]] = {}
    variants: dict[str, list[str]] = {}
    for chunk in id_chunks(ids):
        heads.update((r[0], (r[1], r[2])) for r in conn.execute(in_clause("SELECT id, name, type FROM actors WHERE id IN ({})", chunk), chunk))
        for actor_id, variant in conn.execute(in_clause("SELECT actor_id, variant FROM actor_variants WHERE actor_id IN ({})"
                                                        " ORDER BY rowid", chunk), chunk):
            variants.setdefault(actor_id, []).append(variant)
    actors = [Actor(i, heads[i][0], heads[i][1], tuple(variants.get(i, ()))) for i in ids if i in heads]
    return actors, int(rows[-1][0])
