"""Metadata the user sets: ingest --outlet/--published/--title and sidecar .meta.json files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import InputError
from storyline.ingest.usermeta import UserMetadata, sidecar_of
from storyline.models import RawDocument
from storyline.store.schema import connect

STORY = ("Harbour talks resume\n\nMayor Ines Hald said on Monday that the ferry to Lisk would run again by June, "
         "after talks with the union resumed in the port.\n")
OTHER = ("Dockers return\n\nThe dockers' union in Lisk said on Tuesday that crews would return to work next week "
         "after a long dispute over pay and hours.\n")


def _rows(db: Path) -> dict[str, tuple[str | None, str | None, str | None, list[str]]]:
    conn = connect(db)
    return {Path(r[0]).name: (r[1], r[2], r[3], json.loads(r[4])) for r in conn.execute("SELECT source, outlet, published, title, authors FROM articles")}


def _user_evidence(db: Path) -> set[tuple[str, str]]:
    conn = connect(db)
    return {(r[0], r[1]) for r in conn.execute("SELECT field, value FROM evidence WHERE method = 'user' AND text = 'set by the user'")}


def test_flags_win_over_inference_and_are_kept_as_evidence(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    db = tmp_path / "s.db"
    done = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(db), "-q", "--outlet", "Harbour Ledger",
                                    "--published", "2025-03-12", "--title", "Ferry talks back on"])
    assert done.exit_code == 0, done.stderr
    assert _rows(db)["a.txt"] == ("Harbour Ledger", "2025-03-12", "Ferry talks back on", [])
    assert _user_evidence(db) == {("outlet", "Harbour Ledger"), ("published", "2025-03-12"), ("title", "Ferry talks back on")}


def test_a_sidecar_sets_a_files_metadata_and_is_never_an_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    (tmp_path / "b.meta.json").write_text(json.dumps({"outlet": "Lisk Courier", "published": "2025-03-04T09:30:00+01:00",
                                                      "author": ["Ana Brel", "Ivo Bratt"]}), encoding="utf-8")
    db = tmp_path / "s.db"
    done = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(db), "-q"])
    assert done.exit_code == 0, done.stderr
    rows = _rows(db)
    assert set(rows) == {"a.txt", "b.txt"}  # the sidecar itself is not ingested
    assert rows["b.txt"] == ("Lisk Courier", "2025-03-04", "Dockers return", ["Ana Brel", "Ivo Bratt"])
    assert rows["a.txt"][0] is None  # no sidecar, nothing declared: the outlet stays unknown
    given = CliRunner().invoke(app, ["ingest", str(tmp_path / "b.meta.json"), "--db", str(db), "-q"])
    assert given.exit_code == 1 and "a sidecar (.meta.json) holds metadata" in given.stderr


def test_flags_for_several_inputs_or_a_bad_date_are_refused_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    db = tmp_path / "s.db"
    several = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--outlet", "X", "--db", str(db)])
    assert several.exit_code == 2 and "--outlet: for a single input only; got 2" in several.stderr
    bad = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--published", "last week", "--db", str(db)])
    assert bad.exit_code == 2 and "is not a date" in bad.stderr
    assert not db.exists() or not _rows(db)


def test_the_flags_win_over_a_sidecar_and_a_bad_sidecar_is_one_clear_failure(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"outlet": "Lisk Courier", "title": "From the sidecar"}', encoding="utf-8")
    side = sidecar_of(path)
    assert side == UserMetadata(outlet="Lisk Courier", title="From the sidecar")
    doc = UserMetadata(outlet="Harbour Ledger").apply(side.apply(RawDocument(source=str(path), html="<p>x</p>", outlet="Declared")))
    assert (doc.outlet, doc.title, doc.set_by_user) == ("Harbour Ledger", "From the sidecar", ("outlet", "title"))
    (tmp_path / "a.meta.json").write_text('["not", "an", "object"]', encoding="utf-8")
    with pytest.raises(InputError, match="must hold a JSON object"):
        sidecar_of(path)
    (tmp_path / "a.meta.json").write_text('{"published": "soon"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a date"):
        sidecar_of(path)


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_manifest_lists_inputs_with_their_metadata_and_names_bad_rows(tmp_path: Path, kind: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(OTHER, encoding="utf-8")
    if kind == "csv":
        manifest = tmp_path / "in" / "sources.csv"
        manifest.write_text("path,outlet,published,title,author\n"
                            "a.txt,Harbour Ledger,2025-03-12,,Ana Brel\n"
                            "b.txt,Lisk Courier,not a date,,\n"
                            ",Nobody,,,\n", encoding="utf-8")
    else:
        manifest = tmp_path / "in" / "sources.jsonl"
        manifest.write_text("\n".join([
            json.dumps({"path": "a.txt", "outlet": "Harbour Ledger", "published": "2025-03-12", "author": ["Ana Brel"]}),
            json.dumps({"path": "b.txt", "outlet": "Lisk Courier", "published": "not a date"}),
            json.dumps({"outlet": "Nobody"})]) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    done = CliRunner().invoke(app, ["ingest", "--manifest", str(manifest), "--db", str(db), "-q"])
    assert done.exit_code == 1  # two rows failed, the rest went on
    assert _rows(db) == {"a.txt": ("Harbour Ledger", "2025-03-12", "Harbour talks resume", ["Ana Brel"])}
    line = 2 if kind == "jsonl" else 3
    assert f"failed: {manifest}:{line}: published 'not a date' is not a date" in " ".join(done.stderr.split())
    assert f"failed: {manifest}:{line + 1}: no path or url" in " ".join(done.stderr.split())
