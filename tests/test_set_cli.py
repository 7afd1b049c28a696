"""`storyline set`: correcting an article's outlet, date or title, recorded as the user's, with the article annotated and linked again."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.flow import ingest
from storyline.settings import Settings
from storyline.store.db import is_url
from storyline.store.schema import connect
from tests.conftest import _admin, _database

FERRY = (
    "Ferry service to Lundholm resumes\n\n"
    "The Lundholm ferry sailed again on Wednesday after a three-week stoppage, the harbour authority said. "
    "Captain Mira Osterberg told passengers the crossing was calm.\n\n"
    "The authority said repairs to the north pier were finished on Wednesday morning and inspectors approved the vessel.\n"
)
PIER = (
    "Lundholm pier reopens to traffic\n\n"
    "Trucks crossed the rebuilt north pier at Lundholm for the first time on Thursday, the harbour authority said. "
    "Engineer Tove Rask said the new deck would carry twice the old load.\n"
)


def module_store(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A new store for a module-scoped fixture parametrized ``["sqlite", "postgresql"]``: a file in ``folder``, or
    a new PostgreSQL database on the session's server (dropped when the fixture ends)."""
    if request.param == "sqlite":
        yield str(folder / "s.db")
        return
    server = request.getfixturevalue("postgres_url")
    name = f"module_{uuid.uuid4().hex[:12]}"
    _admin(server, f"CREATE DATABASE {name}")
    yield _database(server, name)
    _admin(server, f"DROP DATABASE {name} WITH (FORCE)")


def query(db: str, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
    """The rows of one query on the store ``db`` (a path or a URL), read through a connection of its own."""
    conn = connect(db, readonly=True)
    try:
        return [tuple(row) for row in conn.execute(sql, parameters).fetchall()]
    finally:
        conn.close()


def correction_store(folder: Path, db: str | None = None) -> tuple[str, str, str]:
    """Ingest two articles of our own (the ferry one says "on Wednesday", published Friday 2025-03-14, by two
    authors) into ``db`` (a new file in ``folder`` when left out); return the database and the two article ids (ferry, pier)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (folder / "ferry.meta.json").write_text(json.dumps({"outlet": "Harbour Ledger", "published": "2025-03-14",
                                                        "author": ["Ana Brel", "Ivo Bratt"]}), encoding="utf-8")
    (folder / "pier.txt").write_text(PIER, encoding="utf-8")
    (folder / "pier.meta.json").write_text(json.dumps({"outlet": "Coastal Courier", "published": "2025-03-15"}), encoding="utf-8")
    db = db or str(folder / "s.db")
    summary = ingest([str(folder / "ferry.txt"), str(folder / "pier.txt")], Settings(db=db, workers=1))
    assert summary.ok and len(summary.ingested) == 2
    return db, summary.ingested[0], summary.ingested[1]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stored(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """The two-article store on each backend, ingested once per module (tests copy it before writing)."""
    folder = tmp_path_factory.mktemp("set")
    for db in module_store(request, folder):
        yield correction_store(folder, db)


@pytest.fixture
def store(stored: tuple[str, str, str], tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """A fresh copy of the two-article store for one test (a SQLite backup, or a PostgreSQL database made from it as template)."""
    db, ferry, pier = stored
    if not is_url(db):
        copy = tmp_path / "s.db"
        with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        yield str(copy), ferry, pier
        return
    name = f"copy_{uuid.uuid4().hex[:12]}"
    _admin(db, f"CREATE DATABASE {name} TEMPLATE {db.rsplit('/', 1)[1]}")
    yield _database(db, name), ferry, pier
    _admin(db, f"DROP DATABASE {name} WITH (FORCE)")


def _run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return done.exit_code, done.stdout, done.stderr


def _jsonl(*args: str) -> list[dict[str, object]]:
    code, out, err = _run(*args, "-f", "jsonl")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def _article(db: str, article_id: str) -> dict[str, object]:
    code, out, _ = _run("export", "--db", db)
    return next(a for a in json.loads(out)["articles"] if a["id"] == article_id)


def _memberships(db: str, article_id: str) -> int:
    return int(query(db, "SELECT COUNT(*) FROM story_members WHERE article_id = ?", (article_id,))[0][0])


def test_correcting_the_outlet_shows_in_list_and_export_as_set_by_the_user(store: tuple[str, str, str]) -> None:
    db, ferry, _ = store
    code, out, err = _run("set", ferry[:8], "--db", db, "--outlet", "Meridian Daily")
    assert code == 0, err
    assert out.strip() == "outlet: Harbour Ledger -> Meridian Daily" and "annotated and linked again" in err
    assert {r["id"]: r["outlet"] for r in _jsonl("list", "--db", db)}[ferry] == "Meridian Daily"
    article = _article(db, ferry)
    outlet_evidence = [e for e in article["evidence"] if e["field"] == "outlet"]  # type: ignore[union-attr, index]
    assert outlet_evidence == [{"field": "outlet", "value": "Meridian Daily", "method": "user",
                                "text": "set by the user (was: Harbour Ledger)", "start": None, "end": None}]
    assert _memberships(db, ferry) == 1
    code, out, _ = _run("show", ferry, "--db", db, "--evidence")
    assert "outlet: Meridian Daily" in out and "by user: set by the user (was: Harbour Ledger)" in out


def test_correcting_the_date_resolves_on_wednesday_in_the_new_week(store: tuple[str, str, str]) -> None:
    db, ferry, _ = store
    before = [g["date"] for g in _jsonl("timeline", "--db", db)]
    assert "2025-03-12" in before and "2025-04-02" not in before  # the Wednesday before Friday 14 March
    times = query(db, "SELECT COUNT(*) FROM time_expressions WHERE article_id = ?", (ferry,))[0][0]
    code, out, err = _run("set", ferry, "--db", db, "--published", "2025-04-04", "--title", "Ferry back at Lundholm")
    assert code == 0, err
    assert out.splitlines() == ["published: 2025-03-14 -> 2025-04-04",
                                "title: Ferry service to Lundholm resumes -> Ferry back at Lundholm"]
    groups = _jsonl("timeline", "--db", db)
    days = [g["date"] for g in groups]
    assert "2025-04-02" in days and "2025-03-12" not in days  # the Wednesday before Friday 4 April
    wednesday = next(g for g in groups if g["date"] == "2025-04-02")
    assert wednesday["appearances"][0]["published"] == "2025-04-04"  # type: ignore[index]
    assert query(db, "SELECT COUNT(*) FROM time_expressions WHERE article_id = ?", (ferry,))[0][0] == times
    assert query(db, "SELECT COUNT(*) FROM annotated WHERE article_id = ?", (ferry,))[0][0] == 1
    assert _memberships(db, ferry) == 1
    (story,) = [s for s in _jsonl("stories", "--db", db) if ferry in s["article_ids"]]  # type: ignore[operator]
    assert "2025-04-04" in (story["first_published"], story["last_published"])
    assert [h["id"] for h in _jsonl("search", "Ferry back", "--db", db)] == [ferry]  # the full-text index follows the title


@pytest.mark.parametrize(("args", "message"), [
    (("--published", "2025-02-30"), "published: '2025-02-30' is not a date; use YYYY-MM-DD"),
    (("--outlet", ""), "outlet: empty"),
    (("--title", "x" * 501), "title: 501 characters; at most 500"),
    (("--outlet", "Harbour\nLedger"), "outlet: holds the control character U+000A"),
    ((), "nothing to correct"),
])
def test_bad_values_exit_2_naming_the_field_and_change_nothing(store: tuple[str, str, str], args: tuple[str, ...], message: str) -> None:
    db, ferry, _ = store
    before = _article(db, ferry)
    code, out, err = _run("set", ferry, "--db", db, *args)
    assert code == 2 and out == "" and message in err
    assert _article(db, ferry) == before


def test_an_unknown_article_exits_1_and_no_database_is_created(store: tuple[str, str, str], tmp_path: Path) -> None:
    db, _, _ = store
    code, _, err = _run("set", "ffffffff", "--db", db, "--outlet", "Meridian Daily")
    assert code == 1 and "no article with id 'ffffffff'" in err
    code, _, err = _run("set", "ffffffff", "--db", str(tmp_path / "none.db"), "--outlet", "Meridian Daily")
    assert code == 2 and "no such database" in err and not (tmp_path / "none.db").exists()


def test_confirming_a_value_changes_only_its_evidence(store: tuple[str, str, str]) -> None:
    db, ferry, _ = store
    annotated_at = query(db, "SELECT annotated_at FROM annotated WHERE article_id = ?", (ferry,))
    code, out, err = _run("set", ferry, "--db", db, "--outlet", "Harbour Ledger")
    assert code == 0 and out.strip() == "outlet: Harbour Ledger -> Harbour Ledger (unchanged)" and "nothing changed" in err
    assert query(db, "SELECT annotated_at FROM annotated WHERE article_id = ?", (ferry,)) == annotated_at


def test_authors_are_a_list_in_show_export_and_the_store(store: tuple[str, str, str]) -> None:
    db, ferry, pier = store
    article = _article(db, ferry)
    assert article["authors"] == ["Ana Brel", "Ivo Bratt"] and article["author"] == "Ana Brel; Ivo Bratt"
    assert _article(db, pier)["authors"] == [] and _article(db, pier)["author"] is None
    assert "authors: Ana Brel, Ivo Bratt" in _run("show", ferry, "--db", db)[1]
    assert json.loads(query(db, "SELECT authors FROM articles WHERE id = ?", (ferry,))[0][0]) == ["Ana Brel", "Ivo Bratt"]



def test_an_article_not_annotated_for_its_language_is_placed_in_a_story_again(tmp_path: Path, store_url: str) -> None:
    (tmp_path / "faehre.txt").write_text(
        "Die Fähre nach Lundholm fährt wieder\n\nDie Fähre nach Lundholm ist am Mittwoch nach drei Wochen Pause wieder "
        "gefahren, teilte die Hafenbehörde mit. Kapitänin Mira Osterberg sagte, die Überfahrt sei ruhig gewesen und die "
        "Fahrgäste hätten sich über die Rückkehr gefreut.\n", encoding="utf-8")
    db = store_url
    assert _run("ingest", str(tmp_path / "faehre.txt"), "--db", db, "-q")[0] == 0
    (row,) = _jsonl("list", "--db", db)
    code, _, err = _run("set", str(row["id"]), "--db", db, "--published", "2025-04-04")
    assert code == 0, err
    assert query(db, "SELECT COUNT(*) FROM annotated") == [(0,)]
    assert query(db, "SELECT COUNT(*) FROM annotation_skips") == [(1,)]
    assert _memberships(db, str(row["id"])) == 1
    (story,) = _jsonl("stories", "--db", db)
    assert story["first_published"] == "2025-04-04"
