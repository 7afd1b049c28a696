"""Time expressions and dated events: save and load. All SQL for their tables lives here.

An article's time expressions are numbered by ``seq``; each event points at the time it
happened (``time_seq``) and, for reported speech, the time it was said (``said_seq``), so an
event loads back with the very :class:`TimeExpression` records it was saved with.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..models import Event, Span, TextAnnotations, TimeExpression
from .db import Connection, Row
from .links import id_chunks, in_clause
from .paging import Page, limit_clause
from .schema import schema_version

__all__ = [
    "StoredTimeExpression", "StoredEvent", "save_times", "clear_times",
    "iter_time_expressions", "iter_events", "count_events", "stories_available",
]

_STORIES_SINCE = 4
"""The schema version that added the ``stories`` table (and the other tables of linking)."""
_TIME_COLUMNS = 'text, start, "end", type, value, granularity, kind, earliest, latest, modifier, certain, anchor, rule'


@dataclass(frozen=True, slots=True)
class StoredTimeExpression:
    """A time expression with its article and position among the article's times."""

    article_id: str
    seq: int
    time: TimeExpression


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A dated event with its id, its article's outlet and publication date, and its corpus actors."""

    id: str
    article_id: str
    outlet: str | None
    published: str | None
    event: Event
    actor_ids: tuple[str, ...] = ()
    quote_id: str | None = None


def clear_times(conn: Connection, article_id: str) -> None:
    """Forget an article's time expressions and events (no commit)."""
    conn.execute("DELETE FROM event_actors WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)", (article_id,))
    conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM time_expressions WHERE article_id = ?", (article_id,))


def _numbered_times(ann: TextAnnotations) -> dict[TimeExpression, int]:
    """Number the article's times; an event's time missing from ``ann.times`` is numbered after them."""
    seqs: dict[TimeExpression, int] = {}
    extra = [t for e in ann.events for t in (e.time, e.said) if t is not None]
    for time in (*ann.times, *extra):
        seqs.setdefault(time, len(seqs))
    return seqs


def save_times(conn: Connection, article_id: str, ann: TextAnnotations, actor_ids: dict[str, str]) -> None:
    """Store an article's time expressions and events (no commit; the caller clears old rows first).

    Args:
        ann: the annotations; ``ann.times`` and ``ann.events`` are written.
        actor_ids: maps the names in :attr:`Event.actors` (the same names as :attr:`Mention.name`)
            to corpus actor ids; names without an id are kept in ``events.actors`` only.
    """
    seqs = _numbered_times(ann)
    conn.executemany(
        f"INSERT INTO time_expressions (article_id, seq, {_TIME_COLUMNS}) VALUES ({','.join('?' * 15)})",
        ((article_id, seq, t.text, t.start, t.end, t.type, t.value, t.granularity, t.kind, t.earliest, t.latest,
          t.modifier, int(t.certain), t.anchor, t.rule) for t, seq in seqs.items()),
    )
    for n, event in enumerate(ann.events):
        event_id = f"{article_id}:e{n}"
        quote_id = f"{article_id}:q{event.quote_index}" if event.quote_index is not None and 0 <= event.quote_index < len(ann.quotes) else None
        said = event.said
        conn.execute(
            'INSERT INTO events (id, article_id, seq, sentence, start, "end", time_seq, expression, date, granularity,'
            " earliest, latest, said, said_seq, quote_id, actors) VALUES (" + ",".join("?" * 16) + ")",
            (event_id, article_id, n, event.sentence.text, event.sentence.start, event.sentence.end, seqs[event.time],
             event.time.text, event.time.value, event.time.granularity, event.time.earliest, event.time.latest,
             said.value if said else None, seqs[said] if said else None, quote_id, json.dumps(list(event.actors), ensure_ascii=False)),
        )
        conn.executemany(
            "INSERT INTO event_actors (event_id, actor_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            ((event_id, actor_ids[name]) for name in event.actors if name in actor_ids),
        )


def _time(row: Row) -> TimeExpression:
    return TimeExpression(row["text"], row["start"], row["end"], row["type"], row["value"], row["granularity"], row["kind"],
                          row["earliest"], row["latest"], row["modifier"], bool(row["certain"]), row["anchor"], row["rule"])


def iter_time_expressions(conn: Connection, article_id: str | None = None, page: Page | None = None) -> Iterator[StoredTimeExpression]:
    """Yield stored time expressions, optionally of one article (or one page of all), by article and position."""
    where, params = (" WHERE article_id = ?", (article_id,)) if article_id else ("", ())
    limit, bounds = limit_clause(page)
    for r in conn.execute(f"SELECT article_id, seq, {_TIME_COLUMNS} FROM time_expressions" + where + " ORDER BY article_id, seq" + limit,
                          params + bounds):
        yield StoredTimeExpression(r["article_id"], r["seq"], _time(r))


def _event_filter(
    article_ids: Iterable[str] | None, actor: str | None, since: str | None, until: str | None
) -> tuple[str, list[object]]:
    sql = ""
    params: list[object] = []
    if article_ids is not None:
        ids = sorted(set(article_ids))
        sql += f" AND e.article_id IN ({','.join('?' * len(ids))})"
        params += ids
    if actor:
        # lower() on both sides: case aside in ASCII letters, as SQLite's LIKE and its lower() do (PostgreSQL's LIKE minds case)
        sql += (" AND (lower(e.actors) LIKE lower(?) OR e.id IN (SELECT ea.event_id FROM event_actors ea JOIN actors a ON a.id = ea.actor_id"
                " WHERE lower(a.name) LIKE lower(?) OR lower(a.id) LIKE lower(?)"
                " OR a.id IN (SELECT actor_id FROM actor_variants WHERE lower(variant) LIKE lower(?))))")
        params += [f"%{actor}%"] * 4
    if since:
        sql += " AND e.latest >= ?"
        params.append(since)
    if until:
        sql += " AND e.earliest <= ?"
        params.append(until)
    return sql, params


def iter_events(
    conn: Connection, *, article_ids: Iterable[str] | None = None, actor: str | None = None,
    since: str | None = None, until: str | None = None, page: Page | None = None,
) -> Iterator[StoredEvent]:
    """Yield stored events with their article's outlet and date, by article and position.

    Args:
        article_ids: only events of these articles.
        actor: only events naming an actor whose name, id or a spelling variant contains this.
        since: only events that may have happened on or after this day (``YYYY-MM-DD``).
        until: only events that may have happened on or before this day.
        page: only one page of them.
    """
    where, params = _event_filter(article_ids, actor, since, until)
    limit, bounds = limit_clause(page)
    rows = conn.execute(
        "SELECT e.*, a.outlet, a.published FROM events e JOIN articles a ON a.id = e.article_id WHERE 1 = 1"
        + where + " ORDER BY e.article_id, e.seq" + limit, [*params, *bounds]).fetchall()
    times: dict[str, dict[int, TimeExpression]] = {}
    actors = _event_actors(conn, [r["id"] for r in rows])
    for r in rows:
        if r["article_id"] not in times:
            times[r["article_id"]] = {t.seq: t.time for t in iter_time_expressions(conn, r["article_id"])}
        yield _stored_event(r, times[r["article_id"]], actors.get(r["id"], ()))


def _event_actors(conn: Connection, event_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Event id -> its corpus actors' ids, in id order: one query per few hundred events, not one per event."""
    found: dict[str, list[str]] = {}
    for chunk in id_chunks(list(event_ids)):
        for event_id, actor_id in conn.execute(in_clause("SELECT event_id, actor_id FROM event_actors WHERE event_id IN ({})"
                                                         " ORDER BY event_id, actor_id", chunk), chunk):
            found.setdefault(event_id, []).append(actor_id)
    return {k: tuple(v) for k, v in found.items()}


def _stored_event(r: Row, times: dict[int, TimeExpression], actor_ids: tuple[str, ...]) -> StoredEvent:
    quote_id = r["quote_id"]
    quote_index = int(quote_id.rsplit(":q", 1)[1]) if quote_id else None
    said = times[r["said_seq"]] if r["said_seq"] is not None else None
    event = Event(Span(r["sentence"], r["start"], r["end"]), times[r["time_seq"]], tuple(json.loads(r["actors"])), said, quote_index)
    return StoredEvent(r["id"], r["article_id"], r["outlet"], r["published"], event, actor_ids, quote_id)


def count_events(conn: Connection) -> int:
    """Return how many events are stored."""
    return int(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])


def stories_available(conn: Connection) -> bool:
    """Return True when the database holds a ``stories`` table (built by a later ``storyline stories``).

    The table came with schema version 4 (an older SQLite file opened read-only is not migrated); asking the
    version rather than SQLite's catalogue (``sqlite_master``) answers on PostgreSQL too.
    """
    return schema_version(conn) >= _STORIES_SINCE
