"""Time expressions and events in the store (SQLite and PostgreSQL): round trip, re-annotation, cascade, migration 3, inferred dates."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from storyline.models import Actor, Article, Event, Evidence, Mention, Quote, Span, TextAnnotations, TimeExpression
from storyline.store.annotations import save_actors, save_annotations, unannotated_articles
from storyline.store.articles import load_article, save_article, set_inferred_published, update_cleaning
from storyline.store.migrations import MIGRATIONS
from storyline.store.db import Connection, is_postgres
from storyline.store.schema import SCHEMA_VERSION, connect, schema_version
from storyline.store.times import clear_times, iter_events, iter_time_expressions, save_times, stories_available

TEXT = ("KARLSBERG, May 24, 2024 — Mayor Elena Varga said on Thursday that the Old Bridge reopened on May 23. "
        "Varga will visit Ostrava next week, her office said.")
AID = "00aa11bb22cc33dd"
ACTORS = (Actor("person:elena-varga", "Elena Varga", "PERSON", ("Elena Varga", "Varga", "E. Varga")),
          Actor("gpe:ostrava", "Ostrava", "GPE", ("Ostrava",)))
IDS = {"Elena Varga": "person:elena-varga", "Ostrava": "gpe:ostrava"}


def _span(text: str, start_at: int = 0) -> Span:
    start = TEXT.index(text, start_at)
    return Span(text, start, start + len(text))


def _time(text: str, value: str, granularity: str, earliest: str, latest: str, *, kind: str = "relative",
          modifier: str | None = None, certain: bool = True, anchor: str | None = None, rule: str = "") -> TimeExpression:
    s = _span(text)
    return TimeExpression(text, s.start, s.end, "DATE", value, granularity, kind, earliest, latest, modifier, certain, anchor, rule)


THURSDAY = _time("on Thursday", "2024-05-23", "day", "2024-05-23", "2024-05-23", anchor="published 2024-05-24", rule="weekday-before")
MAY23 = _time("on May 23", "2024-05-23", "day", "2024-05-23", "2024-05-23", kind="partial", rule="month-day")
NEXT_WEEK = _time("next week", "2024-W22", "week", "2024-05-27", "2024-06-02", certain=False, modifier="approx", rule="next-week")
SENTENCE_1 = _span(TEXT.split(" — ", 1)[1].split(". ")[0] + ".")
SENTENCE_2 = _span("Varga will visit Ostrava next week, her office said.")


def _mention(text: str, name: str, entity_type: str, start_at: int = 0) -> Mention:
    s = _span(text, start_at)
    return Mention(text, s.start, s.end, "name", entity_type, name)


QUOTED = _span("the Old Bridge reopened on May 23")
ANN = TextAnnotations(
    mentions=(_mention("Elena Varga", "Elena Varga", "PERSON"), _mention("Varga", "Elena Varga", "PERSON", SENTENCE_2.start),
              _mention("Ostrava", "Ostrava", "GPE")),
    quotes=(Quote(QUOTED.text, QUOTED.start, QUOTED.end, False),),
    times=(THURSDAY, MAY23, NEXT_WEEK),
    events=(Event(SENTENCE_1, MAY23, ("Elena Varga",), said=THURSDAY, quote_index=0),
            Event(SENTENCE_2, NEXT_WEEK, ("Elena Varga", "Ostrava", "her office"))),
)


def _article(published: str | None = "2024-05-24", inferred: bool = False) -> Article:
    return Article(id=AID, source="k.txt", text=TEXT, raw_text=TEXT, outlet="Karlsberg Courier", published=published,
                   published_inferred=inferred, ingested_at="2024-05-25T00:00:00+00:00")


def _store(target: str, ann: TextAnnotations = ANN, article: Article | None = None) -> Connection:
    conn = connect(target)
    save_article(conn, article or _article(), b"")
    save_actors(conn, ACTORS)
    save_annotations(conn, AID, ann, IDS, "test-model", "2024-05-25T00:00:00+00:00")
    conn.commit()
    return conn


def _plain(target: str) -> sqlite3.Connection | psycopg.Connection[tuple[object, ...]]:
    """The store's driver itself, without Storyline."""
    if target.startswith("postgresql://"):
        return psycopg.connect(target)
    return sqlite3.connect(target)


def test_save_then_load_round_trips(store_url: str) -> None:
    conn = _store(store_url)
    assert [t.time for t in iter_time_expressions(conn, AID)] == list(ANN.times)
    first, second = iter_events(conn)
    assert (first.id, first.article_id, first.outlet, first.published) == (f"{AID}:e0", AID, "Karlsberg Courier", "2024-05-24")
    assert first.event == ANN.events[0] and first.quote_id == f"{AID}:q0"
    assert first.actor_ids == ("person:elena-varga",)
    assert second.event == ANN.events[1] and second.quote_id is None
    assert second.actor_ids == ("gpe:ostrava", "person:elena-varga")  # "her office" has no actor id: kept by name only
    with _plain(store_url) as plain:  # readable without Storyline
        assert plain.execute("SELECT date, granularity, earliest, latest, said, said_seq, time_seq FROM events ORDER BY seq").fetchall() == [
            ("2024-05-23", "day", "2024-05-23", "2024-05-23", "2024-05-23", 0, 1),
            ("2024-W22", "week", "2024-05-27", "2024-06-02", None, None, 2)]
        assert plain.execute("SELECT certain, modifier FROM time_expressions WHERE seq = 2").fetchone() == (0, "approx")


def test_an_event_time_missing_from_times_is_stored_with_it(store_url: str) -> None:
    conn = _store(store_url, replace(ANN, times=(THURSDAY,)))
    assert [t.time for t in iter_time_expressions(conn)] == [THURSDAY, MAY23, NEXT_WEEK]
    assert [e.event for e in iter_events(conn)] == list(ANN.events)


def test_an_out_of_range_quote_index_is_not_linked(store_url: str) -> None:
    conn = _store(store_url, replace(ANN, events=(replace(ANN.events[0], quote_index=7),)))
    (event,) = iter_events(conn)
    assert event.quote_id is None and event.event.quote_index is None


def test_reannotation_replaces_times_and_events(store_url: str) -> None:
    conn = _store(store_url)
    save_annotations(conn, AID, replace(ANN, times=(MAY23,), events=ANN.events[:1]), IDS, "test-model", "later")
    conn.commit()
    assert [t.time for t in iter_time_expressions(conn)] == [MAY23, THURSDAY]  # THURSDAY: the event's said time
    assert [e.id for e in iter_events(conn)] == [f"{AID}:e0"]
    assert conn.execute("SELECT COUNT(*) FROM event_actors").fetchone()[0] == 1


def test_a_text_change_clears_times_and_events(store_url: str) -> None:
    conn = _store(store_url)
    update_cleaning(conn, replace(_article(), text="A different text."))
    for table in ("time_expressions", "events", "event_actors", "annotated"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table


def test_deleting_an_article_cascades(store_url: str) -> None:
    conn = _store(store_url)
    with conn:
        conn.execute("DELETE FROM articles WHERE id = ?", (AID,))
    for table in ("time_expressions", "events", "event_actors"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({}, ["e0", "e1"]),
    ({"actor": "Ostrava"}, ["e1"]),
    ({"actor": "E. Varga"}, ["e0", "e1"]),  # a spelling variant
    ({"actor": "gpe:ostr"}, ["e1"]),  # the actor id
    ({"actor": "her office"}, ["e1"]),  # a name without a corpus actor
    ({"actor": "Nobody"}, []),
    ({"since": "2024-05-24"}, ["e1"]),
    ({"since": "2024-06-02"}, ["e1"]),  # the week may still run on June 2
    ({"until": "2024-05-26"}, ["e0"]),
    ({"since": "2024-05-23", "until": "2024-05-23"}, ["e0"]),
    ({"article_ids": [AID]}, ["e0", "e1"]),
    ({"article_ids": ["ffffffffffffffff"]}, []),
])
def test_iter_events_filters(store_url: str, kwargs: dict[str, object], expected: list[str]) -> None:
    conn = _store(store_url)
    assert [e.id.rsplit(":", 1)[1] for e in iter_events(conn, **kwargs)] == expected  # type: ignore[arg-type]


def _version_2_database(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        for number in (0, 1):
            raw.executescript(MIGRATIONS[number])
        raw.execute("PRAGMA user_version = 2")
        raw.execute("INSERT INTO articles (id, source, text, raw_text, ingested_at) VALUES (?, 'k.txt', ?, ?, 'then')", (AID, TEXT, TEXT))
        raw.execute("INSERT INTO annotated VALUES (?, 'test-model', 'then')", (AID,))


def test_migration_3_forces_reannotation(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _version_2_database(path)
    conn = connect(path)
    assert schema_version(conn) == SCHEMA_VERSION >= 3
    assert [(p.id, p.text) for p in unannotated_articles(conn, "test-model")] == [(AID, TEXT)]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"time_expressions", "events", "event_actors"} <= tables
    assert stories_available(conn)  # migration 4 follows


def test_a_current_store_has_its_stories_table(store_url: str) -> None:
    assert stories_available(connect(store_url))


RANGE_EVIDENCE = Evidence("published_range", "2024-05-23/2024-05-31", "latest-time-expression", "on May 23", MAY23.start, MAY23.end)


OUTLET_EVIDENCE = Evidence("outlet", "Karlsberg Courier", "declared", "Karlsberg Courier")


def test_set_inferred_published_is_idempotent(store_url: str) -> None:
    conn = _store(store_url, article=replace(_article(published=None), evidence=(OUTLET_EVIDENCE,)))
    assert set_inferred_published(conn, AID, None, ("2024-05-23", None), [RANGE_EVIDENCE])
    assert not set_inferred_published(conn, AID, None, ("2024-05-23", None), [RANGE_EVIDENCE])
    article = load_article(conn, AID)
    assert article is not None
    assert (article.published, article.published_inferred, article.published_range) == (None, True, ("2024-05-23", None))
    assert article.evidence == (OUTLET_EVIDENCE, RANGE_EVIDENCE)
    narrower = replace(RANGE_EVIDENCE, value="2024-05-24/2024-05-31")
    published = Evidence("published", "2024-05-24", "dateline", "May 24, 2024", 11, 23)
    assert set_inferred_published(conn, AID, "2024-05-24", ("2024-05-24", "2024-05-24"), [published, narrower])
    assert set_inferred_published(conn, AID, "2024-05-25", ("2024-05-24", "2024-05-25"), [published, narrower])
    article = load_article(conn, AID)
    assert article is not None and article.published == "2024-05-25"
    assert article.evidence == (OUTLET_EVIDENCE, published, narrower)  # the old range row replaced, none added twice
    assert [r[0] for r in conn.execute("SELECT seq FROM evidence ORDER BY seq")] == [0, 1, 2]


def test_set_inferred_published_keeps_a_declared_date(store_url: str) -> None:
    conn = _store(store_url, article=_article(published="2024-05-24", inferred=False))
    assert not set_inferred_published(conn, AID, "2024-05-20", ("2024-05-20", "2024-05-20"), [RANGE_EVIDENCE])
    article = load_article(conn, AID)
    assert article is not None and (article.published, article.published_inferred, article.evidence) == ("2024-05-24", False, ())
    assert not set_inferred_published(conn, "no-such-article", "2024-05-20", (None, None), [])


_texts = st.text(st.characters(codec="utf-8"), max_size=20)
_times = st.builds(
    TimeExpression, text=_texts, start=st.integers(0, 10_000), end=st.integers(0, 10_000),
    type=st.sampled_from(["DATE", "TIME", "DURATION", "SET"]), value=st.none() | _texts, granularity=st.none() | _texts,
    kind=_texts, earliest=st.none() | _texts, latest=st.none() | _texts, modifier=st.none() | _texts,
    certain=st.booleans(), anchor=st.none() | _texts, rule=_texts,
)


def _as_stored(time: TimeExpression, postgres: bool) -> TimeExpression:
    """``time`` as the store gives it back: PostgreSQL text holds no NUL, which store/pg.py stores as U+FFFD."""
    if not postgres:
        return time
    return replace(time, **{f: getattr(time, f).replace("\x00", "\ufffd") for f in
                            ("text", "type", "value", "granularity", "kind", "earliest", "latest", "modifier", "anchor", "rule")
                            if isinstance(getattr(time, f), str)})


# One store for all the examples of a run (a fresh one each would cost a database each on PostgreSQL): each example
# clears the article's times first, as every caller of save_times does.
@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(times=st.lists(_times, max_size=4, unique=True), said=st.booleans())
def test_any_times_round_trip(store_url: str, times: list[TimeExpression], said: bool) -> None:
    events = tuple(Event(Span("s", 0, 1), t, said=times[0] if said else None) for t in times)
    ann = TextAnnotations(times=tuple(times), events=events)
    conn = connect(store_url)
    try:
        save_article(conn, _article(), b"")
        clear_times(conn, AID)
        save_times(conn, AID, ann, {})
        conn.commit()
        stored = [_as_stored(t, is_postgres(conn)) for t in times]
        assert [t.time for t in iter_time_expressions(conn)] == stored
        assert tuple(e.event for e in iter_events(conn)) == tuple(
            Event(Span("s", 0, 1), t, said=stored[0] if said else None) for t in stored)
    finally:
        conn.close()


def test_the_event_actor_filter_is_case_blind_in_every_place_it_looks(store_url: str) -> None:
    conn = _store(store_url)
    second = [f"{AID}:e1"]
    assert [e.id for e in iter_events(conn, actor="HER OFFICE")] == second  # the event's own actor names (e.actors)
    assert [e.id for e in iter_events(conn, actor="ostRAVA")] == second  # an actor's name
    assert [e.id for e in iter_events(conn, actor="GPE:OSTR")] == second  # an actor's id
    assert [e.id for e in iter_events(conn, actor="e. VARGA")] == [f"{AID}:e0", f"{AID}:e1"]  # a spelling variant
    assert list(iter_events(conn, actor="nobody")) == []
