"""PostgreSQL against SQLite: concurrent writers, and story and search pages on a 100,000-article store.

Both parts start a throwaway PostgreSQL server (tests/pgserver.py: Debian's PostgreSQL, fsync off, as the
tests run it) unless ``--postgres URL`` names a server to use (a database per run is created there).

``writers``: the same PolNeAR leads (../shared, read at run time) ingested for real (cleaned, annotated,
linked) by fresh ``storyline ingest`` processes, one worker each: one process with all of them into SQLite
and into PostgreSQL (on every core), then two processes with half each, at once, into one PostgreSQL store,
each pinned to a core of its own (else each would run torch on every core and the two would oversubscribe). Articles/s of
each, and the ratio of two writers to one on PostgreSQL.

``pages``: the 100,000-article SQLite store that ``web_bench.py --keep`` builds is copied into PostgreSQL
(``storyline.store.copy``, timed), vacuumed and analysed, and the same seeded sample of pages
(``web_bench.large_pages``: story pages, searches with and without filters, articles, threads, claims, actors,
the overview) is requested from the web app
on each backend in one process, one after the other.

    .venv/bin/python benchmarks/pg_bench.py writers --limit 400 --json benchmarks/results/pg_writers.json
    .venv/bin/python benchmarks/web_bench.py --n 100000 --build-only --no-vectors --keep /tmp/web100k.db --json /tmp/web100k.json
    .venv/bin/python benchmarks/pg_bench.py pages --sqlite /tmp/web100k.db --json benchmarks/results/pg_pages.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import psycopg  # noqa: E402

from process_bench import POLNEAR, texts  # noqa: E402
from results_io import machine, write_result  # noqa: E402

PAGE_KINDS = ("story", "search", "article", "thread", "claim", "actor", "overview")


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """The libpq URL of a server's maintenance database: ``url``'s, or a throwaway server's for the run."""
    if url:
        yield url.rsplit("/", 1)[0] + "/postgres"
        return
    from tests.pgserver import PostgresServer

    pg = PostgresServer.start()
    try:
        yield pg.dsn.rsplit("/", 1)[0] + "/postgres"
    finally:
        pg.stop()


def new_database(admin: str, prefix: str) -> str:
    """Create an empty database (UTF-8, code-point order) and return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")  # type: ignore[arg-type]
    return admin.rsplit("/", 1)[0] + "/" + name


def ingest(files: list[str], db: str, cores: set[int] | None = None) -> subprocess.Popen[bytes]:
    """Start one ``storyline ingest`` of ``files`` into ``db`` (one worker), on ``cores`` only when given (its torch
    threads follow its affinity: two writers on one core each do not oversubscribe the machine)."""
    pin = (lambda: os.sched_setaffinity(0, cores)) if cores else None
    return subprocess.Popen([sys.executable, "-m", "storyline", "ingest", *files, "--db", db, "--workers", "1", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=pin)


def finish(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"ingest failed:\n{err.decode()[-2000:]}")


def count(db: str) -> int:
    from storyline.store.schema import connect

    conn = connect(db, readonly=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def run_writers(args: argparse.Namespace) -> dict[str, object]:
    """One writer into SQLite, one into PostgreSQL, two at once into PostgreSQL: the same articles each time."""
    if not POLNEAR.exists():
        raise SystemExit(f"PolNeAR not found at {POLNEAR}")
    items = texts("leads", args.limit)
    runs: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="pg_bench_") as tmp, server(args.postgres) as admin:
        files = []
        for i, text in enumerate(items):
            path = Path(tmp) / f"{i:05}.txt"
            path.write_text(f"Article {i}\n\n{text}\n", encoding="utf-8")
            files.append(str(path))
        halves = [files[0::2], files[1::2]]
        plans = [("sqlite, 1 writer", str(Path(tmp) / "one.db"), [files]),
                 ("postgresql, 1 writer", new_database(admin, "one"), [files]),
                 ("postgresql, 2 writers at once", new_database(admin, "two"), halves)]
        for name, db, parts in plans:
            start = time.perf_counter()
            cores = sorted(os.sched_getaffinity(0))
            finish([ingest(part, db, {cores[i % len(cores)]} if len(parts) > 1 else None) for i, part in enumerate(parts)])
            seconds = time.perf_counter() - start
            stored = count(db)
            runs[name] = {"seconds": round(seconds, 1), "articles": stored, "articles_per_s": round(stored / seconds, 2)}
            print(f"{name}: {stored} articles in {seconds:.1f} s ({stored / seconds:.2f}/s)", file=sys.stderr, flush=True)
    one = runs["postgresql, 1 writer"]["seconds"]  # type: ignore[index]
    two = runs["postgresql, 2 writers at once"]["seconds"]  # type: ignore[index]
    return {"articles": len(items), "runs": runs, "two_writers_vs_one": round(one / two, 2), "machine": machine()}


def run_pages(args: argparse.Namespace) -> dict[str, object]:
    """Copy the large SQLite store into PostgreSQL, then time the same pages on both."""
    import web_bench

    from storyline.store.copy import copy_store
    from storyline.store.schema import connect

    lite = connect(args.sqlite)
    pages = [(kind, url) for kind, url in web_bench.large_pages(lite, args.stories, args.seed) if kind in PAGE_KINDS]
    result: dict[str, object] = {"articles": lite.execute("SELECT COUNT(*) FROM articles").fetchone()[0], "pages": len(pages)}
    with server(args.postgres) as admin:
        if args.copied:  # a copy made by an earlier run: time its pages only
            url = args.copied
            pg = connect(url)
        else:
            url = new_database(admin, "pages")
            pg = connect(url)
            start = time.perf_counter()
            counts = copy_store(lite, pg, progress=lambda table, n: print(f"  copied {table}: {n} rows", file=sys.stderr, flush=True))
            copy_s = time.perf_counter() - start
            pg.raw.execute("VACUUM ANALYZE")  # as after any bulk load: statistics, and the visibility map for index-only scans
            rows = sum(counts.values())
            result["copy"] = {"rows": rows, "seconds": round(copy_s, 1), "rows_per_s": round(rows / copy_s)}
            print(f"copied {rows} rows in {copy_s:.0f} s into {url}", file=sys.stderr, flush=True)
        result["postgresql_mb"] = round(pg.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20)
        result["sqlite_mb"] = round(args.sqlite.stat().st_size / 2**20)
        pg.close()
        lite.close()
        for name, target in (("sqlite", str(args.sqlite)), ("postgresql", url)):
            _, cold, timings, _ = web_bench.time_pages(target, pages)
            bad = [t.url for t in timings if t.status != 200]
            result[name] = {"cold_ms": round(cold.wall_ms, 1), "by_kind": web_bench.summarise(timings), "not_ok": bad}
            print(name, file=sys.stderr)
            web_bench.print_table(web_bench.summarise(timings))
    result["machine"] = machine()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", choices=("writers", "pages"))
    parser.add_argument("--postgres", help="a server to use (postgresql://user@host/any): a database per run is created there")
    parser.add_argument("--limit", type=int, default=400, help="writers: PolNeAR leads to ingest")
    parser.add_argument("--sqlite", type=Path, help="pages: the large SQLite store (web_bench.py --keep)")
    parser.add_argument("--stories", type=int, default=50, help="pages: story pages in the sample")
    parser.add_argument("--copied", help="pages: time this PostgreSQL copy of the store, made by an earlier run (no copy)")
    parser.add_argument("--seed", type=int, default=1, help="pages: seed of the page sample (web_bench.py's default)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if args.part == "pages" and not args.sqlite:
        parser.error("pages needs --sqlite PATH (build it with web_bench.py --n 100000 --build-only --keep PATH)")
    figures = run_writers(args) if args.part == "writers" else run_pages(args)
    print(json.dumps({k: v for k, v in figures.items() if k not in ("sqlite", "postgresql")}, indent=2))
    write_result(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
