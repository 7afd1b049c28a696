"""Kill `storyline ingest` with SIGKILL again and again while it stores and annotates; check the database each time.

Usage: .venv/bin/python tools/crash_test.py [--kills 10] [--articles 60] [--seed 1]

Each round starts an ingest (with annotation) of the same generated corpus into the same database, kills it
at a random moment, and checks that the database holds no partial work:

- SQLite's integrity check passes;
- every article has its MinHash signature and every signature its article;
- every source row points at a stored article;
- an article is annotated exactly when its framing row exists (both are written in one transaction),
  and no claim or mention belongs to an article that is not annotated.

A last run without a kill must then complete everything: every article stored once, annotated once. The
script prints the kills survived and exits 1 on the first broken invariant.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("harbour ferry grain envoy customs treaty border river council minister convoy tariff pier dockworkers "
         "lighthouse inspectors ledger cargo quota patrol summit delegation").split()
PEOPLE = ("Ines Hald", "Ola Berg", "Mira Tann", "Karel Voss")


def article(i: int) -> str:
    """A deterministic article with people, a quote and a date, so annotation and linking have work to do."""
    rng = random.Random(i)
    person = PEOPLE[i % len(PEOPLE)]
    paras = [f"Report {i}: talks on the {rng.choice(WORDS)} resumed in Lisk on Monday, March {1 + i % 27}, 2025.",
             f"\"We are ready for a truce,\" {person} said on Tuesday, according to two officials."]
    paras += [" ".join(rng.choice(WORDS) for _ in range(35)).capitalize() + "." for _ in range(4)]
    return "\n\n".join(paras)


def check(db: Path) -> list[str]:
    """Return the broken invariants (empty when the database is consistent)."""
    broken = []
    with sqlite3.connect(db, timeout=30) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            broken.append("integrity check failed")
        articles = {r[0] for r in conn.execute("SELECT id FROM articles")}
        if {r[0] for r in conn.execute("SELECT article_id FROM signatures")} != articles:
            broken.append("signatures and articles differ")
        if {r[0] for r in conn.execute("SELECT article_id FROM sources")} - articles:
            broken.append("a source row points at no article")
        annotated = {r[0] for r in conn.execute("SELECT article_id FROM annotated")}
        if annotated != {r[0] for r in conn.execute("SELECT article_id FROM framing")}:
            broken.append("annotated and framing rows differ (a half-annotated article)")
        for table in ("claims", "mentions"):
            if {r[0] for r in conn.execute(f"SELECT DISTINCT article_id FROM {table}")} - annotated:  # noqa: S608 - fixed names
                broken.append(f"{table} of an article that is not annotated")
    return broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="storyline-crash-") as tmp:
        corpus, db = Path(tmp) / "corpus", Path(tmp) / "crash.db"
        corpus.mkdir()
        for i in range(args.articles):
            (corpus / f"{i:04}.txt").write_text(article(i), encoding="utf-8")
        cmd = [sys.executable, "-m", "storyline", "ingest", str(corpus), "--db", str(db), "-q"]
        env = {**os.environ, "STORYLINE_COMMIT_EVERY": "3"}
        survived, t0 = 0, time.perf_counter()
        for k in range(args.kills):
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            time.sleep(rng.uniform(4.0, 20.0))  # model loading takes ~8 s: kills land while storing and annotating
            if proc.poll() is not None:
                print(f"kill {k + 1}: the run had already finished; nothing left to interrupt")
                break
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            broken = check(db)
            with sqlite3.connect(db, timeout=30) as conn:
                stored, annotated = (conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("articles", "annotated"))
            print(f"kill {k + 1}: {stored} stored, {annotated} annotated; " + ("consistent" if not broken else "; ".join(broken)))
            if broken:
                return 1
            survived += 1
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
        broken = check(db)
        with sqlite3.connect(db) as conn:
            stored, distinct, annotated = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT source), (SELECT COUNT(*) FROM annotated) FROM articles").fetchone()
        complete = done.returncode == 0 and not broken and stored == distinct == annotated == args.articles
        figures = {"kills": survived, "articles": args.articles, "final_stored": stored, "final_annotated": annotated,
                   "complete": complete, "seconds": round(time.perf_counter() - t0, 1)}
        print(json.dumps(figures))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
