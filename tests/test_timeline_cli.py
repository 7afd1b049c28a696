"""`storyline timeline`: synthetic events stored with the store functions, printed by the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.models import Actor, Article, Event, Mention, Span, TextAnnotations, TimeExpression
from storyline.store.annotations import save_actors, save_annotations
from storyline.store.articles import save_article
from storyline.store.migrations import MIGRATIONS
from storyline.store.schema import connect

BRENHOLT = Actor("gpe:brenholt", "Brenholt", "GPE", ("Brenholt",))
VARGA = Actor("person:elena-varga", "Elena Varga", "PERSON", ("Elena Varga", "Varga"))
# (article id, outlet, published, sentence, time words, value, granularity, earliest, latest, actor names)
REPORTS = [
    ("aaaa000000000001", "Harbour Ledger", "2024-05-24", "Flood water breached the Brenholt dam on Thursday [update].",
     "on Thursday", "2024-05-23", "day", "2024-05-23", "2024-05-23", ("Brenholt",)),
    ("aaaa000000000002", None, "2024-05-25", "The Brenholt dam was breached by flood water on May 23, engineers said.",
     "on May 23", "2024-05-23", "day", "2024-05-23", "2024-05-23", ("Brenholt",)),
    ("aaaa000000000003", "Saren Post", "2024-05-20", "Elena Varga will open the Brenholt bridge next week.",
     "next week", "2024-W22", "week", "2024-05-27", "2024-06-02", ("Elena Varga", "Brenholt")),
    ("aaaa000000000004", "Saren Post", "2024-01-10", "The harvest in Brenholt failed last autumn.",
     "last autumn", "2023-FA", "season", "2023-09-01", "2023-11-30", ("Brenholt",)),
    ("aaaa000000000005", "Harbour Ledger", "2024-05-24", "Grain prices rose in Brenholt between April 25 and May 23.",
     "between April 25 and May 23", "2024-04-25/2024-05-23", "range", "2024-04-25", "2024-05-23", ("Brenholt",)),
    ("aaaa000000000006", "Harbour Ledger", "2024-05-24", "Brenholt has seen floods in the past.",
     "in the past", "PAST_REF", None, None, None, ("Brenholt",)),
]


def timeline_db(target: str | Path) -> str:
    """Store one article per report, annotated with its mentions, its time and its event, in the store at ``target``
    (a SQLite path or a PostgreSQL URL); return ``target`` as ``--db`` takes it."""
    conn = connect(target)
    save_actors(conn, [BRENHOLT, VARGA])
    ids = {"Brenholt": BRENHOLT.id, "Elena Varga": VARGA.id}
    for aid, outlet, published, sentence, words, value, granularity, earliest, latest, names in REPORTS:
        save_article(conn, Article(id=aid, source=f"{aid}.txt", text=sentence, raw_text=sentence, outlet=outlet,
                                   published=published, ingested_at="2024-06-01T00:00:00+00:00"), b"")
        start = sentence.index(words)
        time = TimeExpression(words, start, start + len(words), "DATE", value, granularity, "relative", earliest, latest, rule="test")
        mentions = tuple(Mention(n, sentence.index(n), sentence.index(n) + len(n), "name", "GPE", n) for n in names)
        event = Event(Span(sentence, 0, len(sentence)), time, names)
        save_annotations(conn, aid, TextAnnotations(mentions=mentions, times=(time,), events=(event,)), ids, "test", "now")
    conn.commit()
    conn.close()
    return str(target)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["timeline", "-f", "table", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_timeline_merges_and_shows_dates_outlets_and_lags(store_url: str) -> None:
    code, out, err = _run("--db", timeline_db(store_url))
    assert code == 0, err
    lines = out.splitlines()
    # dates in words, as people read them (the codes stay in the export)
    order = [next(i for i, line in enumerate(lines) if line.startswith(label))
             for label in ("autumn 2023", "25 April 2024 to 23 May 2024", "23 May 2024 ", "week of 27 May 2024")]
    assert order == sorted(order)
    assert "2023-FA" not in out and "2024-W22" not in out
    assert "Flood water breached the Brenholt dam on Thursday [update]." in out  # article text escaped, not markup
    assert "Harbour Ledger 2024-05-24 +1 d" in out and "unknown 2024-05-25 +2 d" in out
    assert "Saren Post 2024-05-20 -7 d" in out  # announced a week before the week of the event began
    assert "in the past" not in out and "floods" not in out  # a vague time is not on the timeline
    assert "4 event(s) from 5 article(s)" in err


@pytest.mark.parametrize(("args", "shown", "hidden"), [
    (["--actor", "Varga"], ["week of 27 May 2024"], ["autumn 2023", "23 May 2024"]),
    (["--since", "2024-05"], ["23 May 2024", "week of 27 May 2024", "25 April 2024 to 23 May 2024"], ["autumn 2023"]),
    (["--until", "2023"], ["autumn 2023"], ["23 May 2024"]),
    (["--since", "2024-05-24", "--until", "2024-05-31"], ["week of 27 May 2024"], ["23 May 2024"]),
    (["--limit", "1"], ["autumn 2023"], ["23 May 2024", "week of 27 May 2024"]),
])
def test_timeline_filters(store_url: str, args: list[str], shown: list[str], hidden: list[str]) -> None:
    code, out, err = _run("--db", timeline_db(store_url), *args)
    assert code == 0, err
    for label in shown:
        assert label in out, label
    for label in hidden:
        assert label not in out, label


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_a_bad_date_is_a_clear_error(store_url: str, option: str) -> None:
    code, _, err = _run("--db", timeline_db(store_url), option, "23/05/2024")
    assert code == 2 and f"{option}: '23/05/2024' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY" in err


def test_story_needs_the_stories_table(store_url: str) -> None:
    code, out, err = _run("--db", timeline_db(store_url), "--story", "s1")
    assert code == 2 and out == ""
    assert "this database has no stories yet" in err and len(err.strip().splitlines()) == 1


def test_a_database_without_times_asks_for_annotation(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as raw:
        for script in MIGRATIONS[:2]:
            raw.executescript(script)
        raw.execute("PRAGMA user_version = 2")
    code, _, err = _run("--db", str(path))
    assert code == 2 and "run `storyline annotate" in err


def test_an_empty_database_prints_an_empty_timeline(store_url: str) -> None:
    connect(store_url).close()
    code, _, err = _run("--db", store_url)
    assert code == 0 and "0 event(s) from 0 article(s)" in err
