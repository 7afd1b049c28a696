"""Actors, mentions, quotes and attributions: save and load. All their SQL lives here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..models import Actor, Attribution, Mention, Quote, Span, TextAnnotations
from .db import Connection
from .paging import Page, limit_clause
from .times import clear_times, save_times

__all__ = [
    "PendingArticle", "StoredQuote", "StoredMention", "StoredAttribution", "ActorSummary", "actor_summaries",
    "load_actors", "save_actors", "unannotated_articles", "skip_unread_languages", "annotation_skip", "skipped_unplaced", "count_skipped", "count_unannotated", "unannotated_exceed", "is_annotated", "save_annotations", "clear_annotations",
    "forget_annotated",
    "iter_mentions", "iter_quotes", "iter_attributions",
]


@dataclass(frozen=True, slots=True)
class StoredMention:
    """A mention with its article and corpus actor."""

    article_id: str
    actor_id: str | None
    mention: Mention


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """A quote with its id, article and the speaker's corpus actor."""

    id: str
    article_id: str
    speaker_actor_id: str | None
    quote: Quote


@dataclass(frozen=True, slots=True)
class StoredAttribution:
    """An attribution with its id and article."""

    id: str
    article_id: str
    attribution: Attribution


@dataclass(frozen=True, slots=True)
class ActorSummary:
    """One row of ``storyline actors``."""

    id: str
    name: str
    type: str
    mentions: int
    articles: int
    variants: tuple[str, ...]
    labels: tuple[str, ...]


def actor_summaries(conn: Connection, *, kind: str | None = None, limit: int = 50) -> list[ActorSummary]:
    """Return actors with their mention and article counts and distinct labels, most mentioned first (``limit``
    of them; a negative one: all). A label used in several cases (``the Minister``, ``The Minister``) is listed
    once, in the spelling that sorts first."""
    rows = conn.execute(
        "SELECT a.id, a.name, a.type, COUNT(m.article_id), COUNT(DISTINCT m.article_id) FROM actors a"
        " LEFT JOIN mentions m ON m.actor_id = a.id" + (" WHERE a.type = ?" if kind else "") +
        " GROUP BY a.id ORDER BY COUNT(m.article_id) DESC, a.rowid" + (" LIMIT ?" if limit >= 0 else ""),
        ((kind,) if kind else ()) + ((limit,) if limit >= 0 else ()),
    ).fetchall()
    out = []
    for r in rows:
        variants = tuple(v for (v,) in conn.execute("SELECT variant FROM actor_variants WHERE actor_id = ? ORDER BY rowid", (r[0],)))
        labels = tuple(t for (t,) in conn.execute(
            "SELECT MIN(text) FROM mentions WHERE actor_id = ? AND kind = 'label' GROUP BY lower(text)"
            " ORDER BY COUNT(*) DESC, lower(text) DESC", (r[0],)))  # ties as SQLite's sorter always gave them; PostgreSQL is told
        out.append(ActorSummary(r[0], r[1], r[2], r[3], r[4], variants, labels))
    return out


def load_actors(conn: Connection, page: Page | None = None) -> list[Actor]:
    """Return every stored actor (or one page of them) with its variants, in the order first stored."""
    limit, bounds = limit_clause(page)
    rows = conn.execute("SELECT id, name, type FROM actors ORDER BY rowid" + limit, bounds).fetchall()
    variants: dict[str, list[str]] = {}
    where = "" if page is None else " WHERE actor_id IN (SELECT id FROM actors ORDER BY rowid" + limit + ")"
    for actor_id, variant in conn.execute("SELECT actor_id, variant FROM actor_variants" + where + " ORDER BY rowid", bounds):
        variants.setdefault(actor_id, []).append(variant)
    return [Actor(r[0], r[1], r[2], tuple(variants.get(r[0], ()))) for r in rows]


def save_actors(conn: Connection, actors: Iterable[Actor]) -> None:
    """Insert or update actors and their variants (no commit)."""
    for a in actors:
        conn.execute("INSERT INTO actors (id, name, type) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name", (a.id, a.name, a.type))
        conn.executemany("INSERT INTO actor_variants (actor_id, variant) VALUES (?, ?) ON CONFLICT DO NOTHING", ((a.id, v) for v in a.variants))


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """An article waiting for annotation: its text and what is known of its date."""

    id: str
    text: str
    published: str | None
    published_inferred: bool
    title: str | None = None
    rowid: int = 0
    """Its place in ingest order (:func:`unannotated_articles` pages on it)."""


_PENDING = (" FROM articles a LEFT JOIN annotated n ON n.article_id = a.id AND n.model = ?"
            " WHERE n.article_id IS NULL AND NOT EXISTS (SELECT 1 FROM article_failures f WHERE f.article_id = a.id AND f.model = ?)"
            " AND NOT EXISTS (SELECT 1 FROM annotation_skips s WHERE s.article_id = a.id AND s.model = ?)")
"""Takes the model three times: ``_pending(model)``."""


def _pending(model: str) -> tuple[str, str, str]:
    return (model, model, model)


def _read_languages(languages: Sequence[str]) -> list[str]:
    """The language values ``x`` for which ``',' + x + ','`` occurs in ``',' + ','.join(languages) + ','``: each
    language, and each run of them joined by commas (so a comparison by ``IN`` reads exactly what a substring
    test on the joined list read; never empty)."""
    parts = ",".join(languages).split(",")
    return list(dict.fromkeys(",".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)))


def skip_unread_languages(conn: Connection, model: str, languages: Sequence[str], when: str) -> None:
    """Record the pending articles written in a language not in ``languages`` as not to be annotated with
    ``model`` (an unknown language is annotated), and forget such records for languages now read; no commit
    (:func:`count_skipped` says how many are skipped)."""
    read = _read_languages(languages)
    marks = ", ".join("?" * len(read))
    conn.execute("DELETE FROM annotation_skips WHERE model = ? AND article_id IN (SELECT id FROM articles"
                 f" WHERE language IN ({marks}))", (model, *read))
    conn.execute("INSERT INTO annotation_skips (article_id, model, reason, at) SELECT a.id, ?,"
                 " 'written in ' || a.language || '; Storyline annotates ' || ?, ?" + _PENDING
                 + f" AND a.language IS NOT NULL AND a.language NOT IN ({marks}) ON CONFLICT DO NOTHING", (model, ", ".join(languages), when, *_pending(model), *read))


def count_skipped(conn: Connection, model: str) -> int:
    """Return how many articles are not annotated with ``model`` because of their language."""
    return int(conn.execute("SELECT COUNT(*) FROM annotation_skips WHERE model = ?", (model,)).fetchone()[0])


def skipped_unplaced(conn: Connection, model: str) -> list[str]:
    """Return the articles not annotated with ``model`` for their language and not yet in a story, in ingest order."""
    return [str(r[0]) for r in conn.execute(
        "SELECT a.id FROM annotation_skips s JOIN articles a ON a.id = s.article_id WHERE s.model = ?"
        " AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = a.id) ORDER BY a.rowid", (model,))]


def annotation_skip(conn: Connection, article_id: str) -> str | None:
    """Why the article was not annotated (its language), or None."""
    row = conn.execute("SELECT reason FROM annotation_skips WHERE article_id = ? ORDER BY at DESC LIMIT 1", (article_id,)).fetchone()
    return str(row[0]) if row else None


def unannotated_articles(conn: Connection, model: str, *, after: int = 0, limit: int = -1) -> list[PendingArticle]:
    """Return the articles not yet annotated with ``model`` (nor failed with it), in ingest order: ``limit``
    of them (negative: all) after the one whose rowid is ``after``, so a long run reads them page by page."""
    return [PendingArticle(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in conn.execute(
        "SELECT a.id, a.text, a.published, a.published_inferred, a.title, a.rowid" + _PENDING
        + " AND a.rowid > ? ORDER BY a.rowid" + (" LIMIT ?" if limit >= 0 else ""),
        (*_pending(model), after, *((limit,) if limit >= 0 else ())))]


def unannotated_texts_by_date(conn: Connection, model: str) -> Iterator[str]:
    """Yield the texts of the articles not yet annotated with ``model``, oldest first (undated last), one at a time."""
    cursor = conn.execute("SELECT a.text" + _PENDING + " ORDER BY coalesce(a.published, '9999'), a.rowid", _pending(model))
    yield from (row[0] for row in cursor)


def count_unannotated(conn: Connection, model: str) -> int:
    """Return how many stored articles are not yet annotated with ``model`` (nor failed with it)."""
    return int(conn.execute("SELECT COUNT(*)" + _PENDING, _pending(model)).fetchone()[0])


def unannotated_exceed(conn: Connection, model: str, cut: int, chars: int) -> bool:
    """Return True when the articles waiting for annotation with ``model`` hold more than ``chars`` characters
    (each counted up to ``cut``); reads only as many as it takes to know."""
    total = 0
    # SQLite's scalar min(LENGTH(a.text), cut), written portably: NULL when the length is (``cut`` is never NULL;
    # no "? IS NULL": PostgreSQL cannot type a parameter seen only there)
    least = "CASE WHEN LENGTH(a.text) IS NULL THEN NULL WHEN LENGTH(a.text) < ? THEN LENGTH(a.text) ELSE ? END"
    for (length,) in conn.execute("SELECT " + least + _PENDING + " ORDER BY a.rowid", (cut, cut, *_pending(model))):
        total += length
        if total > chars:
            return True
    return False


def is_annotated(conn: Connection, article_id: str, model: str) -> bool:
    """Return True when the article is annotated with ``model`` (perhaps by another process meanwhile)."""
    return conn.execute("SELECT 1 FROM annotated WHERE article_id = ? AND model = ?", (article_id, model)).fetchone() is not None


def forget_annotated(conn: Connection) -> None:
    """Mark every article as not annotated, so the next run annotates all again (``annotate --all``); no commit."""
    conn.execute("DELETE FROM annotated")


def clear_annotations(conn: Connection, article_id: str) -> None:
    """Forget an article's annotations (its text changed); no commit."""
    clear_times(conn, article_id)  # first: events point at quotes
    for table in ("claims", "framing", "mentions", "quotes", "attributions", "annotated"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))  # noqa: S608 - fixed table names


def _span(s: Span | None) -> tuple[str | None, int | None, int | None]:
    return (s.text, s.start, s.end) if s else (None, None, None)


def save_annotations(
    conn: Connection, article_id: str, ann: TextAnnotations, actor_ids: dict[str, str], model: str, when: str
) -> None:
    """Replace an article's annotations (no commit). ``actor_ids`` maps mention names to actor ids."""
    clear_annotations(conn, article_id)
    conn.executemany(
        'INSERT INTO mentions (article_id, seq, actor_id, text, start, "end", kind, entity_type, name, evidence) VALUES (?,?,?,?,?,?,?,?,?,?)',
        ((article_id, i, actor_ids.get(m.name), m.text, m.start, m.end, m.kind, m.entity_type, m.name, m.evidence) for i, m in enumerate(ann.mentions)),
    )
    conn.executemany(
        'INSERT INTO quotes VALUES (' + ','.join('?' * 14) + ')',
        ((f"{article_id}:q{i}", article_id, q.text, q.start, q.end, int(q.direct), *_span(q.speaker), q.speaker_name,
          actor_ids.get(q.speaker_name or ""), *_span(q.cue)) for i, q in enumerate(ann.quotes)),
    )
    conn.executemany(
        'INSERT INTO attributions VALUES (' + ','.join('?' * 15) + ')',
        ((f"{article_id}:a{i}", article_id, a.content.text, a.content.start, a.content.end, *_span(a.source), a.source_kind,
          a.count, *_span(a.cue), json.dumps([{"text": v.text, "start": v.start, "end": v.end} for v in a.via], ensure_ascii=False),
          a.source_name) for i, a in enumerate(ann.attributions)),
    )
    save_times(conn, article_id, ann, actor_ids)
    conn.execute("INSERT INTO annotated VALUES (?, ?, ?)", (article_id, model, when))


def _opt_span(text: str | None, start: int | None, end: int | None) -> Span | None:
    return Span(text, start, end) if text is not None and start is not None and end is not None else None


def iter_mentions(conn: Connection, article_id: str | None = None, page: Page | None = None) -> Iterator[StoredMention]:
    """Yield stored mentions (of one article, or one page of all), by article and position."""
    where, params = (" WHERE article_id = ?", (article_id,)) if article_id else ("", ())
    limit, bounds = limit_clause(page)
    for r in conn.execute('SELECT article_id, actor_id, text, start, "end", kind, entity_type, name, evidence FROM mentions'
                          + where + " ORDER BY article_id, seq" + limit, params + bounds):
        yield StoredMention(r[0], r[1], Mention(r[2], r[3], r[4], r[5], r[6], r[7], r[8]))


def iter_quotes(conn: Connection, *, article_id: str | None = None, speaker: str | None = None,
                page: Page | None = None) -> Iterator[StoredQuote]:
    """Yield stored quotes, optionally of one article or of speakers whose name or words contain ``speaker``, or one page."""
    sql = "SELECT q.* FROM quotes q LEFT JOIN actors a ON a.id = q.speaker_actor_id WHERE 1 = 1"
    params: list[object] = []
    if article_id:
        sql += " AND q.article_id >= ? AND q.article_id < ?"  # the id or a prefix of it, through the index
        params += [article_id, article_id + "\uffff"]
    if speaker:
        sql += (" AND (lower(q.speaker_name) LIKE lower(?) OR lower(a.name) LIKE lower(?)"
                " OR q.speaker_actor_id IN (SELECT actor_id FROM actor_variants WHERE lower(variant) LIKE lower(?)))")
        params += [f"%{speaker}%"] * 3
    limit, bounds = limit_clause(page)
    # quotes starting at one place (one cue, two readings) in the order stored, as SQLite's index on (article_id, start) gives
    # them; PostgreSQL's sort keeps no order among equals unless told
    for r in conn.execute(sql + " ORDER BY q.article_id, q.start, q.rowid" + limit, [*params, *bounds]):
        quote = Quote(r["text"], r["start"], r["end"], bool(r["direct"]), _opt_span(r["speaker"], r["speaker_start"], r["speaker_end"]),
                      r["speaker_name"], _opt_span(r["cue"], r["cue_start"], r["cue_end"]))
        yield StoredQuote(r["id"], r["article_id"], r["speaker_actor_id"], quote)


def iter_attributions(conn: Connection, article_id: str | None = None, page: Page | None = None) -> Iterator[StoredAttribution]:
    """Yield stored attributions, optionally of one article (or one page of all), by position."""
    where, params = (" WHERE article_id = ?", (article_id,)) if article_id else ("", ())
    limit, bounds = limit_clause(page)
    for r in conn.execute("SELECT * FROM attributions" + where + " ORDER BY article_id, start, rowid" + limit, params + bounds):  # as iter_quotes
        via = tuple(Span(v["text"], v["start"], v["end"]) for v in json.loads(r["via"]))
        att = Attribution(Span(r["content"], r["start"], r["end"]), _opt_span(r["source"], r["source_start"], r["source_end"]),
                          r["source_kind"], r["count"], _opt_span(r["cue"], r["cue_start"], r["cue_end"]), via, r["source_name"])
        yield StoredAttribution(r["id"], r["article_id"], att)
