"""Never stuck, never lost: one bad article, one huge input or a second writer cannot stop a batch or a database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyline.annotate.document as annotate_document
from storyline.annotate.nlp import MAX_RUN, chunks, load_nlp, parse
from storyline.annotate.document import annotate_doc
from storyline.cli import app
from storyline.clean.html import MAX_ATTRIBUTES, bounded_markup, extract_html
from storyline.flow import annotate_pending, ingest
from storyline.settings import Settings
from storyline.store.failures import article_failures
from storyline.store.schema import connect
from tests.test_runner import _story

BROKEN = "Zerbinette"
"""A word that makes annotation raise in the test that patches it in: a stand-in for any bug a text may hit."""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_article_whose_annotation_raises_fails_alone_and_is_not_retried_until_asked(
        tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    real = annotate_document.annotate_doc

    def flaky(doc, article=None, *, anchors=None):  # type: ignore[no-untyped-def]
        if BROKEN in doc.text:
            raise ValueError("year 10022 is out of range")
        return real(doc, article, anchors=anchors)

    monkeypatch.setattr(annotate_document, "annotate_doc", flaky)
    for i in range(3):
        _write(tmp_path, f"{i}.txt", f"Mayor Ines Hald spoke in Lisk on Monday, aides said.\n\n{_story(i)}")
    _write(tmp_path, "bad.txt", f"Mayor {BROKEN} spoke on Monday, aides said.\n\n{_story(9)}")
    summary = ingest([str(tmp_path)], settings)
    assert len(summary.ingested) == 4
    conn = connect(settings.db)
    annotated = {r[0] for r in conn.execute("SELECT article_id FROM annotated")}
    assert len(annotated) == 3
    (failure,) = article_failures(conn)
    assert failure.source.endswith("bad.txt") and failure.stage == "annotate" and "year 10022" in failure.reason
    listed = CliRunner().invoke(app, ["failures", "--db", settings.db])
    assert listed.exit_code == 0 and "bad.txt" in listed.stdout and "annotate" in listed.stdout and "year 10022" in listed.stdout
    # a later run does not try it again (nor die on it); --retry-failed does
    assert annotate_pending(conn, settings) == 0
    monkeypatch.setattr(annotate_document, "annotate_doc", real)
    assert annotate_pending(conn, settings) == 0
    assert annotate_pending(conn, settings, retry_failed=True) == 1
    assert not article_failures(conn) and conn.execute("SELECT COUNT(*) FROM annotated").fetchone()[0] == 4


def test_reads_stop_at_the_cap_whatever_the_file(tmp_path: Path, settings: Settings) -> None:
    big = _write(tmp_path, "big.txt", "word " * 3000)
    summary = ingest(["/dev/zero", str(big)], Settings(db=settings.db, max_bytes=10_000))
    reasons = {f.source: f.reason for f in summary.failed}
    assert "not a regular file" in reasons["/dev/zero"]
    assert reasons[str(big)].startswith("too large")


def test_random_bytes_are_refused_and_damaged_text_is_stored_with_a_warning(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "random.txt").write_bytes(bytes(b for b in os.urandom(30_000) if b)[:20_000])
    (tmp_path / "damaged.txt").write_bytes(("Mayor Ines Hald said the café “will reopen” on Monday. " * 20).encode() + b"\xff\xfe end.")
    (tmp_path / "legacy.txt").write_bytes(("Bürgermeisterin Ines Hald sagte am Montag, das Café öffne wieder. " * 5).encode("cp1252"))
    (tmp_path / "surrogate.json").write_text(json.dumps({"title": "Port \ud800 reopens", "text": _story(4)}), encoding="utf-8")
    summary = ingest([str(tmp_path)], Settings(db=settings.db, annotate=False))
    assert [f.source for f in summary.failed] == [str(tmp_path / "random.txt")]
    assert summary.failed[0].reason.startswith("not text")
    warned = dict(summary.warnings)
    assert "2 damaged byte sequence(s) replaced" in warned[str(tmp_path / "damaged.txt")]
    assert "decoded as cp1252" in warned[str(tmp_path / "legacy.txt")]
    assert "1 lone surrogate(s)" in warned[str(tmp_path / "surrogate.json")]
    conn = connect(settings.db)
    assert conn.execute("SELECT title FROM articles WHERE source LIKE '%surrogate.json'").fetchone()[0] == "Port \ufffd reopens"
    notes = [r[0] for r in conn.execute("SELECT value FROM evidence WHERE field = 'encoding'")]
    assert len(notes) == 3  # the warning stays with the article


def test_an_article_the_store_refuses_fails_alone_and_the_group_around_it_is_kept(tmp_path: Path, settings: Settings) -> None:
    for i in range(3):
        _write(tmp_path, f"{i}.txt", _story(20 + i))
    conn = connect(settings.db)
    # the store refuses the second article: a trigger stands in for any constraint it may break
    conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.source LIKE '%1.txt'"
                 " BEGIN SELECT RAISE(ABORT, 'refused by the store'); END")
    conn.commit()
    summary = ingest([str(tmp_path)], Settings(db=settings.db, annotate=False))
    assert [(Path(f.source).name, "refused by the store" in f.reason) for f in summary.failed] == [("1.txt", True)]
    assert len(summary.ingested) == 2
    assert {r[0] for r in conn.execute("SELECT source FROM sources")} == {str(tmp_path / "0.txt"), str(tmp_path / "2.txt")}


def test_concurrent_ingests_into_one_database_lose_nothing(tmp_path: Path) -> None:
    folders = [tmp_path / n for n in ("a", "b", "c")]
    for k, folder in enumerate(folders):
        folder.mkdir()
        for i in range(8):
            # half the texts are in every folder: the runs race to store them
            seed = i if i < 4 else 100 * (k + 1) + i
            _write(folder, f"{i:02}.txt", f"Mayor Ines Hald met the union in Lisk, aides said.\n\n{_story(seed, 3)}")
    db = tmp_path / "race.db"
    env = {**os.environ, "STORYLINE_COMMIT_EVERY": "3"}
    procs = [subprocess.Popen([sys.executable, "-m", "storyline", "ingest", str(f), "--db", str(db), "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for f in folders]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [e for _, e in results]
    with sqlite3.connect(db) as conn:
        sources = conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        annotated = conn.execute("SELECT COUNT(*) FROM annotated").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sources == 24 and articles == 4 + 3 * 4 == annotated
    told = [line for _, e in results for line in e.splitlines() if line.startswith("ingested")]
    stored = sum(int(line.split()[1].rstrip(",")) for line in told)
    assert stored == articles  # each run counts only what it stored itself; the rest it reports as skipped


def test_a_run_of_punctuation_is_tokenized_in_linear_time_and_the_text_kept() -> None:
    nlp = load_nlp()
    text = 'He said "' + "(" * 10_000 + '" and left. ' + "x" * 250 + " end"
    doc = nlp(text)
    assert doc.text == text
    assert len(doc) < 10_000 // MAX_RUN + 20  # spaCy's own tokenizer makes 10,000 tokens of it, in seconds
    assert all(len(t.text) <= MAX_RUN for t in doc)


def test_a_long_text_is_parsed_in_chunks_into_one_doc_with_the_same_offsets() -> None:
    text = ("Mayor Ines Hald said on Monday that the ferry would run again. " * 30 + "\n") * 30
    pieces = chunks(text, 5_000)
    assert len(pieces) > 5 and "".join(pieces) == text and all(p.endswith("\n") for p in pieces[:-1])
    (doc,) = parse([text], chunk_chars=5_000)
    assert doc.text == text
    ann = annotate_doc(doc)
    assert all(text[m.start:m.end] == m.text for m in ann.mentions)
    assert sum(m.name == "Ines Hald" and m.kind == "name" for m in ann.mentions) == 900


def test_an_article_over_the_annotation_budget_is_annotated_up_to_it_and_says_so(tmp_path: Path, settings: Settings) -> None:
    _write(tmp_path, "long.txt", "Ferry talks\n\n" + "\n\n".join(f"Mayor Ines Hald spoke to dockworkers in Lisk, day {i}." for i in range(400)))
    ingest([str(tmp_path)], Settings(db=settings.db, max_annotate_chars=2_000))
    conn = connect(settings.db)
    (end,) = conn.execute('SELECT MAX("end") FROM mentions').fetchone()
    assert end <= 2_000
    (note,) = conn.execute("SELECT value FROM evidence WHERE field = 'annotation'").fetchone()
    assert note.startswith("annotated up to 2000 characters of")


def test_a_tag_with_a_million_attributes_keeps_its_first_hundred() -> None:
    body = "<p>" + "The port of Lisk reopened on Monday after the strike ended. " * 10 + "</p>"
    page = "<html><body><div " + " ".join(f'a{i}="v"' for i in range(1_000_000)) + ">" + body + "</div></body></html>"
    assert bounded_markup(page).count('="v"') == MAX_ATTRIBUTES
    assert extract_html(page).text.startswith("The port of Lisk reopened")  # lxml alone never finishes on it


def test_a_pronoun_that_speaks_two_quotes_is_one_mention() -> None:
    text = 'Mayor Ines Hald came to the pier on Monday. "We will reopen the port," she said, "and soon."'
    ann = annotate_doc(next(parse([text])))
    spans = [(m.start, m.end) for m in ann.mentions]
    assert len(spans) == len(set(spans))
