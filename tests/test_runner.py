"""The ingest runner: idempotence, near-duplicates, outlet-wide boilerplate, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from storyline.flow import ingest
from storyline.settings import Settings
from storyline.store.articles import load_article
from storyline.store.schema import connect

WORDS = ("harbour ferry grain envoy customs treaty border river council minister convoy tariff "
         "pier dockworkers lighthouse inspectors ledger cargo quota patrol summit delegation").split()


def _story(seed: int, paragraphs: int = 5) -> str:
    """A deterministic article body whose wording depends on ``seed``."""
    out = []
    for p in range(paragraphs):
        words = [WORDS[(seed * 7 + p * 3 + i * (seed % 5 + 1)) % len(WORDS)] for i in range(40)]
        out.append(f"Paragraph {p} of report {seed}: " + " ".join(words) + ".")
    return "\n\n".join(out)


def _page(outlet: str, title: str, body: str, extra: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<html lang='en'><head><title>{title} – {outlet}</title><meta property='og:site_name' content='{outlet}'>"
            f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paras}{extra}</article></body></html>")


def test_reingest_changes_nothing(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.txt").write_text("Ferry talks\n\n" + _story(1), encoding="utf-8")
    first = ingest([str(tmp_path / "a.txt")], settings)
    assert len(first.ingested) == 1
    with sqlite3.connect(settings.db) as conn:
        before = conn.execute("SELECT * FROM articles").fetchall()
    second = ingest([str(tmp_path / "a.txt")], settings)
    assert (second.ingested, second.duplicates, len(second.skipped)) == ((), (), 1)
    with sqlite3.connect(settings.db) as conn:
        assert conn.execute("SELECT * FROM articles").fetchall() == before


def test_syndicated_copy_is_linked_not_dropped(tmp_path: Path, settings: Settings) -> None:
    body = _story(2, paragraphs=8)
    edited = body.replace("Paragraph 3", "Section three").rsplit("\n\n", 1)[0]
    (tmp_path / "a.html").write_text(_page("Meridian Daily", "Grain convoy crosses", body), encoding="utf-8")
    (tmp_path / "b.html").write_text(_page("Northgate Post", "Convoy of grain crosses border", edited, "<p>Read more: Floods in the north</p>"), encoding="utf-8")
    (tmp_path / "c.html").write_text(_page("Northgate Post", "Unrelated", _story(9)), encoding="utf-8")
    summary = ingest([str(tmp_path)], settings)
    assert len(summary.ingested) == 2 and len(summary.duplicates) == 1
    copy_id, original_id = summary.duplicates[0]
    conn = connect(settings.db)
    copy = load_article(conn, copy_id)
    assert copy is not None and copy.duplicate_of == original_id
    assert load_article(conn, original_id).outlet == "Meridian Daily"  # type: ignore[union-attr]
    assert any(e.field == "duplicate_of" and e.method == "minhash-lsh" for e in copy.evidence)


def test_line_repeated_across_an_outlet_is_removed(tmp_path: Path, settings: Settings) -> None:
    promo = "Support the Ledger: subscribe for one crown a week."
    for n in range(4):
        (tmp_path / f"{n}.html").write_text(_page("Harbour Ledger", f"Report {n}", _story(10 + n), f"<p>{promo}</p>"), encoding="utf-8")
    (tmp_path / "other.html").write_text(_page("Meridian Daily", "Report x", _story(20), f"<p>{promo}</p>"), encoding="utf-8")
    ingest([str(tmp_path)], settings)
    conn = connect(settings.db)
    rows = conn.execute("SELECT id, outlet FROM articles").fetchall()
    for article_id, outlet in rows:
        article = load_article(conn, article_id)
        assert article is not None
        if outlet == "Harbour Ledger":
            assert promo not in article.text
            assert any(r.text == promo and "Harbour Ledger" in r.reason for r in article.removed)
        else:  # one article of another outlet is no evidence
            assert promo in article.text


def test_sigkill_midway_leaves_consistent_db_and_rerun_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    n = 400
    for i in range(n):
        (corpus / f"{i:04}.html").write_text(_page(f"Outlet {i % 6}", f"Report {i}", _story(100 + i, 12)), encoding="utf-8")
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-m", "storyline", "ingest", str(corpus), "--db", str(db), "-q"]
    # Small transactions, so the kill lands between them; annotation has its own resume test.
    env = {**os.environ, "STORYLINE_COMMIT_EVERY": "5", "STORYLINE_ANNOTATE": "0"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline and stored < 10:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < n, "the run must be killed midway"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {r[0] for r in conn.execute("SELECT article_id FROM signatures")}
        assert ids == {r[0] for r in conn.execute("SELECT id FROM articles")}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        total, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM articles").fetchone()
        fts = conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
    assert total == distinct == n
    assert fts == n
