"""`storyline copy`: a whole store into a new one, SQLite to PostgreSQL and back, nothing changed on the way."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.export.records import write_export
from storyline.store.articles import search
from storyline.store.schema import connect


def _export(target: str | Path) -> str:
    conn = connect(target, readonly=True)
    try:
        buffer = io.StringIO()
        write_export(conn, "json", buffer)
        return buffer.getvalue()
    finally:
        conn.close()


def _order(target: str | Path) -> list[str]:
    conn = connect(target, readonly=True)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")]
    finally:
        conn.close()


def test_copy_sqlite_to_postgresql_and_back_changes_nothing(demo_db: Path, pg_store: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["copy", pg_store, "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "copied 14 articles" in result.output
    assert _export(pg_store) == _export(demo_db)  # every record, field by field
    assert _order(pg_store) == _order(demo_db)  # ingest order kept
    back = tmp_path / "back.db"
    assert CliRunner().invoke(app, ["copy", str(back), "--db", pg_store]).exit_code == 0
    assert _export(back) == _export(demo_db)
    for conn in (connect(pg_store, readonly=True), connect(back, readonly=True)):
        assert {h.id for h in search(conn, "blockade")} == {h.id for h in search(connect(demo_db, readonly=True), "blockade")}


def test_copy_refuses_a_store_that_holds_articles(demo_db: Path, demo_pg: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["copy", demo_pg, "--db", str(demo_db)])
    assert result.exit_code == 2
    assert "already holds articles" in result.output
    missing = CliRunner().invoke(app, ["copy", str(tmp_path / "x.db"), "--db", str(tmp_path / "nothing.db")])
    assert missing.exit_code == 2 and "no such database" in missing.output


@pytest.mark.parametrize("bad", ["mysql://u@h/d"])
def test_copy_names_a_target_it_cannot_open(demo_db: Path, bad: str) -> None:
    result = CliRunner().invoke(app, ["copy", bad, "--db", str(demo_db)])
    assert result.exit_code == 2 and "not a database Storyline can open" in result.output
