"""What the store learned since a given time, for the digest (issue [11]), and the digests run. All their SQL lives here.

"New" is new to the store: an article counts from its ``ingested_at`` (UTC, ISO 8601, indexed), an
edit from its version's ``seen_at``, never from a publication date. Times compare as the stored
strings do (``2025-03-20T08:00:00+00:00``), so callers pass ``since`` in that form.
:mod:`storyline.follow.digest` builds the digest from these rows; the claim groups and their
origins come from :mod:`storyline.link.groups`, like every other view.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .db import Connection
from .fulltext import text_query
from .links import id_chunks, in_clause

__all__ = [
    "IngestedArticle", "ClaimWording", "LabelUse", "StoredVersion", "DigestRecord",
    "articles_ingested_since", "ingested_times", "first_ingested", "stories_matching", "articles_matching",
    "claims_of_articles", "claim_wordings", "variant_links", "new_label_uses", "most_mentioned_actors", "actors_named",
    "versions_seen_since", "record_digest", "last_digest",
]


@dataclass(frozen=True, slots=True)
class IngestedArticle:
    """An article and when the store first took it in, with its story and thread (None: not linked)."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    ingested_at: str
    duplicate_of: str | None
    story_id: str | None
    thread_id: str | None


def articles_ingested_since(conn: Connection, since: str) -> list[IngestedArticle]:
    """Return the articles first ingested at or after ``since``, in the order they were stored."""
    rows = conn.execute(
        "SELECT a.id, a.title, a.outlet, a.published, a.ingested_at, a.duplicate_of, m.story_id, m.thread_id FROM articles a"
        " LEFT JOIN story_members m ON m.article_id = a.id WHERE a.ingested_at >= ? ORDER BY a.ingested_at, a.rowid", (since,))
    return [IngestedArticle(*r) for r in rows]


def ingested_times(conn: Connection, article_ids: Sequence[str]) -> dict[str, str]:
    """Return article id -> ``ingested_at`` for these articles (unknown ids are left out)."""
    out: dict[str, str] = {}
    for chunk in id_chunks(list(dict.fromkeys(article_ids))):
        out.update((r[0], r[1]) for r in conn.execute(in_clause("SELECT id, ingested_at FROM articles WHERE id IN ({})", chunk), chunk))
    return out


_MEMBER_COLUMN = {"story": "story_id", "thread": "thread_id"}


def first_ingested(conn: Connection, ids: Sequence[str], *, of: str) -> dict[str, str]:
    """Return story (or thread) id -> when its earliest member article was ingested.

    Args:
        of: ``story`` or ``thread``: what the ids are.
    """
    column = _MEMBER_COLUMN[of]
    out: dict[str, str] = {}
    for chunk in id_chunks(list(dict.fromkeys(ids))):
        out.update((r[0], r[1]) for r in conn.execute(in_clause(
            f"SELECT m.{column}, MIN(a.ingested_at) FROM story_members m JOIN articles a ON a.id = m.article_id"
            f" WHERE m.{column} IN ({{}}) GROUP BY m.{column}", chunk), chunk))
    return out


def stories_matching(conn: Connection, query: str, story_ids: Sequence[str]) -> set[str]:
    """Return those of these stories that hold an article (of any time) matching ``query``, as ``storyline search`` reads it."""
    match = text_query(conn, query)
    found: set[str] = set()
    if match is None:
        return found
    for chunk in id_chunks(list(dict.fromkeys(story_ids))):
        found.update(r[0] for r in conn.execute(in_clause(
            f"SELECT DISTINCT m.story_id FROM {match.source} JOIN story_members m ON m.article_id = a.id"
            f" WHERE {match.condition} AND m.story_id IN ({{}})", chunk), (*match.params, *chunk)))
    return found


def articles_matching(conn: Connection, query: str, article_ids: Sequence[str]) -> set[str]:
    """Return those of these articles that match ``query`` themselves (every word; "quoted phrases" stay phrases)."""
    match = text_query(conn, query)
    found: set[str] = set()
    if match is None:
        return found
    for chunk in id_chunks(list(dict.fromkeys(article_ids))):
        found.update(r[0] for r in conn.execute(in_clause(
            f"SELECT a.id FROM {match.source} WHERE {match.condition} AND a.id IN ({{}})", chunk), (*match.params, *chunk)))
    return found


def claims_of_articles(conn: Connection, article_ids: Sequence[str]) -> list[tuple[str, str, str | None]]:
    """Return (claim id, article id, group id or None) of these articles' claims, by article then position."""
    out: list[tuple[str, str, str | None]] = []
    for chunk in id_chunks(list(dict.fromkeys(article_ids))):
        out += [(r[0], r[1], r[2]) for r in conn.execute(in_clause(
            "SELECT c.id, c.article_id, g.group_id FROM claims c LEFT JOIN claim_groups g ON g.claim_id = c.id"
            " WHERE c.article_id IN ({}) ORDER BY c.article_id, c.start, c.id", chunk), chunk)]
    return out


@dataclass(frozen=True, slots=True)
class ClaimWording:
    """One claim's words and qualifiers as stored, with its article's outlet, dates and group."""

    id: str
    article_id: str
    group_id: str | None
    text: str
    sentence: str
    figures: tuple[str, ...]
    hedges: tuple[str, ...]
    conditions: tuple[str, ...]
    outlet: str | None
    published: str | None
    ingested_at: str


def _texts(raw: str | None) -> tuple[str, ...]:
    return tuple(s["text"] for s in json.loads(raw or "[]"))


def claim_wordings(conn: Connection, claim_ids: Sequence[str]) -> dict[str, ClaimWording]:
    """Return claim id -> its wording for these claims (unknown ids are left out)."""
    out: dict[str, ClaimWording] = {}
    for chunk in id_chunks(list(dict.fromkeys(claim_ids))):
        for r in conn.execute(in_clause(
                "SELECT c.id, c.article_id, g.group_id, c.text, c.sentence, c.figures, c.hedges, c.conditions, a.outlet, a.published,"
                " a.ingested_at FROM claims c JOIN articles a ON a.id = c.article_id LEFT JOIN claim_groups g ON g.claim_id = c.id"
                " WHERE c.id IN ({})", chunk), chunk):
            out[r[0]] = ClaimWording(r[0], r[1], r[2], r[3], r[4], tuple(str(f) for f in json.loads(r[5] or "[]")), _texts(r[6]),
                                     _texts(r[7]), r[8], r[9], r[10])
    return out


def variant_links(conn: Connection, claim_ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """Return (claim id, other claim id, reason) of the ``variant`` links (only a figure differs) that touch these claims."""
    out: list[tuple[str, str, str]] = []
    for chunk in id_chunks(list(dict.fromkeys(claim_ids))):
        out += [(r[0], r[1], r[2] or "") for r in conn.execute(in_clause(
            "SELECT claim_id, other_id, reason FROM claim_links WHERE kind = 'variant' AND claim_id IN ({0})"
            " UNION SELECT claim_id, other_id, reason FROM claim_links WHERE kind = 'variant' AND other_id IN ({0})", chunk),
            (*chunk, *chunk))]
    return sorted(set(out))


@dataclass(frozen=True, slots=True)
class LabelUse:
    """A label an article gives an actor (``mentions.kind = 'label'``), with the article's outlet."""

    article_id: str
    actor_id: str
    actor_name: str
    outlet: str | None
    label: str


def new_label_uses(conn: Connection, article_ids: Sequence[str], since: str) -> list[LabelUse]:
    """Return the labels these articles give actors that no article of the same outlet ingested before ``since`` gave
    the same actor (compared in lower case), each once, first article first."""
    uses: list[LabelUse] = []
    for chunk in id_chunks(list(dict.fromkeys(article_ids))):
        uses += [LabelUse(*r) for r in conn.execute(in_clause(
            "SELECT m.article_id, m.actor_id, COALESCE(x.name, m.actor_id), a.outlet, m.text FROM mentions m"
            " JOIN articles a ON a.id = m.article_id LEFT JOIN actors x ON x.id = m.actor_id"
            " WHERE m.kind = 'label' AND m.actor_id IS NOT NULL AND m.article_id IN ({})"
            " ORDER BY a.ingested_at, a.rowid, m.seq", chunk), chunk)]
    seen: set[tuple[str | None, str, str]] = set()
    out: list[LabelUse] = []
    for use in uses:
        key = (use.outlet, use.actor_id, use.label.lower())
        if key in seen:
            continue
        seen.add(key)
        if not _label_used_before(conn, use, since):
            out.append(use)
    return out


def _label_used_before(conn: Connection, use: LabelUse, since: str) -> bool:
    """True when the same outlet (or an unknown one, as unknown) gave the actor this label before ``since``."""
    outlet, params = ("a.outlet IS NULL", ()) if use.outlet is None else ("a.outlet = ?", (use.outlet,))  # PostgreSQL has no `IS ?`
    row = conn.execute(
        "SELECT 1 FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.actor_id = ? AND m.kind = 'label'"
        f" AND lower(m.text) = ? AND {outlet} AND a.ingested_at < ? LIMIT 1",
        (use.actor_id, use.label.lower(), *params, since)).fetchone()
    return row is not None


def most_mentioned_actors(conn: Connection, *, limit: int = 10) -> list[tuple[str, str]]:
    """Return (actor id, name) of the actors with the most mentions over the whole store, most first."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT m.actor_id, COALESCE(x.name, m.actor_id) FROM (SELECT actor_id, COUNT(*) AS n FROM mentions"
        " WHERE actor_id IS NOT NULL GROUP BY actor_id ORDER BY n DESC, actor_id LIMIT ?) m LEFT JOIN actors x ON x.id = m.actor_id"
        " ORDER BY m.n DESC, m.actor_id", (limit,))]


_OPERATORS = frozenset({"and", "or", "not", "near"})


def _phrases(query: str) -> list[str]:
    """The phrases of a query that could name an actor: each "quoted phrase", each word, each run of 2 to 4 words."""
    quoted = re.findall(r'"([^"]+)"', query)
    words = [w for w in re.findall(r"\w+", re.sub(r'"[^"]*"', " ", query)) if w.lower() not in _OPERATORS]
    runs = [" ".join(words[i:i + n]) for n in range(1, 5) for i in range(len(words) - n + 1)]
    return list(dict.fromkeys(p.strip() for p in (*quoted, *runs) if p.strip()))


def actors_named(conn: Connection, query: str) -> list[tuple[str, str]]:
    """Return (actor id, name) of the actors a search query names: a quoted phrase, a word or a run of words that is
    an actor's name or one of its spelling variants (case aside)."""
    phrases = _phrases(query)
    if not phrases:
        return []
    found: dict[str, str] = {}
    for chunk in id_chunks(phrases):
        # lower(): case aside in ASCII letters, as COLLATE NOCASE (no index serves either: both tables are scanned)
        marks = ", ".join(["lower(?)"] * len(chunk))
        for r in conn.execute(
                f"SELECT id, name FROM actors WHERE lower(name) IN ({marks}) UNION SELECT v.actor_id, COALESCE(x.name, v.actor_id)"
                f" FROM actor_variants v LEFT JOIN actors x ON x.id = v.actor_id WHERE lower(v.variant) IN ({marks})",
                (*chunk, *chunk)):
            found[r[0]] = r[1]
    return sorted(found.items())


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """An edited version of an article (``article_versions``, version 2 or later) and the version it replaced."""

    article_id: str
    version: int
    title: str | None
    text: str
    seen_at: str
    source: str
    quotes: tuple[str, ...] | None
    """This version's quote texts, kept when it was replaced (None: it was not annotated then; empty while it is the latest)."""
    claims: tuple[str, ...] | None
    latest: bool
    """True when no later version is stored: its quotes and claims are the article's stored ones."""
    annotated: bool
    """True when the article is annotated now (its stored quotes and claims are its latest version's)."""
    previous_title: str | None
    previous_text: str
    previous_quotes: tuple[str, ...] | None
    previous_claims: tuple[str, ...] | None
    outlet: str | None
    published: str | None
    story_id: str | None
    thread_id: str | None


def versions_seen_since(conn: Connection, since: str) -> list[StoredVersion]:
    """Return the versions after the first (edits) seen at or after ``since``, each with the version before it, oldest first."""
    rows = conn.execute(
        "SELECT v.article_id, v.version, v.title, v.text, v.seen_at, v.source, v.quotes, v.claims,"
        " NOT EXISTS (SELECT 1 FROM article_versions n WHERE n.article_id = v.article_id AND n.version > v.version),"
        " EXISTS (SELECT 1 FROM annotated d WHERE d.article_id = v.article_id),"
        " p.title, p.text, p.quotes, p.claims, a.outlet, a.published, m.story_id, m.thread_id FROM article_versions v"
        " JOIN article_versions p ON p.article_id = v.article_id AND p.version = v.version - 1"
        " JOIN articles a ON a.id = v.article_id LEFT JOIN story_members m ON m.article_id = v.article_id"
        " WHERE v.seen_at >= ? AND v.version > 1 ORDER BY v.seen_at, v.article_id, v.version", (since,))
    return [StoredVersion(r[0], int(r[1]), r[2], r[3], r[4], r[5], _kept(r[6]), _kept(r[7]), bool(r[8]), bool(r[9]), r[10], r[11],
                          _kept(r[12]), _kept(r[13]), r[14], r[15], r[16], r[17]) for r in rows]


def _kept(raw: str | None) -> tuple[str, ...] | None:
    """A version's kept quote or claim texts; None when unknown (JSON null: it was not annotated when replaced)."""
    texts = json.loads(raw) if raw else []
    return None if texts is None else tuple(str(t) for t in texts)


@dataclass(frozen=True, slots=True)
class DigestRecord:
    """One digest run: when it was made, the time it covered changes from, and its scope ('' for everything)."""

    id: int
    at: str
    since: str
    match: str


def record_digest(conn: Connection, at: str, since: str, match: str = "") -> DigestRecord:
    """Record a digest run and commit, so the next digest of the same scope continues from ``at``."""
    row = conn.execute("INSERT INTO digests (at, since, match) VALUES (?, ?, ?) RETURNING id", (at, since, match)).fetchone()
    conn.commit()
    return DigestRecord(int(row[0]), at, since, match)


def last_digest(conn: Connection, match: str = "") -> DigestRecord | None:
    """Return the latest digest run of this scope ('' for everything), or None when there was none."""
    r = conn.execute("SELECT id, at, since, match FROM digests WHERE match = ? ORDER BY at DESC, id DESC LIMIT 1", (match,)).fetchone()
    return DigestRecord(int(r[0]), r[1], r[2], r[3]) if r else None
