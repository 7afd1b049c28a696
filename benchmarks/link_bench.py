"""Story linking on a large store: milliseconds per added article with N articles already linked.

The script fills a real SQLite file with N synthetic linked articles in one transaction
(bulk ``executemany`` through :func:`storyline.store.links.save_link_docs`), then times
adding new articles one at a time with ``StoryLinker(SqliteLinkBackend(conn)).add(doc)``,
as the runner does: LSH candidates, loading them, scoring every pair, storing the article.

    .venv/bin/python benchmarks/link_bench.py --n 100000     # writes benchmarks/results/link_bench.json
    .venv/bin/python benchmarks/link_bench.py --n 5000 --keep /tmp/link.db
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from results_io import machine, write_result  # noqa: E402

from storyline.models import LinkedDoc  # noqa: E402
from storyline.link.stories import StoryLinker  # noqa: E402
from storyline.models import Article  # noqa: E402
from storyline.store.articles import save_article  # noqa: E402
from storyline.store.links import SqliteLinkBackend, save_assignment, save_link_docs  # noqa: E402
from storyline.store.schema import connect  # noqa: E402

DIM = 384
SENTENCES = 8
TERMS = 150
VOCABULARY = 30_000
ACTORS = 2_000
CHUNK = 5_000
STORIES_PER_THREAD = 4
TOPIC_TERMS = 12


class Corpus:
    """Synthetic linked articles: vectors clustered around N/8 story centres, Zipf terms, a few actors."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.centres = self._unit(max(1, n // 8))
        ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
        self.zipf = (1.0 / ranks ** 1.1) / (1.0 / ranks ** 1.1).sum()

    def _unit(self, n: int) -> np.ndarray:
        v = self.rng.standard_normal((n, DIM)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)  # type: ignore[no-any-return]

    def doc(self, doc_id: str, centre: int | None) -> LinkedDoc:
        """One article near story centre ``centre`` (a new story of its own when None)."""
        base = self.centres[centre] if centre is not None else self._unit(1)[0]
        sentences = base + 0.6 * self._unit(SENTENCES)
        sentences /= np.linalg.norm(sentences, axis=1, keepdims=True)
        mean = sentences.mean(axis=0)
        words = self.rng.choice(VOCABULARY, size=TERMS, p=self.zipf)
        terms: dict[str, int] = {}
        for w in words.tolist():
            key = f"w:word{w}" if w % 5 else f"n:name{w}"
            terms[key] = terms.get(key, 0) + 1
        story = centre if centre is not None else int(self.rng.integers(1 << 30))
        for t in range(TOPIC_TERMS):  # articles of one story share its rarer words and names
            terms[f"w:story{story}x{t}" if t % 3 else f"n:story{story}x{t}"] = 2
        actors = frozenset(f"actor{a}" for a in self.rng.integers(0, ACTORS, size=3))
        return LinkedDoc(doc_id, None, actors, {}, frozenset(), (mean / np.linalg.norm(mean)).astype(np.float32),
                         sentences.astype(np.float16).astype(np.float32), tuple(f"sentence {i}" for i in range(SENTENCES)), terms)


def _article(doc_id: str) -> Article:
    return Article(id=doc_id, source=f"{doc_id}.txt", text=doc_id, raw_text=doc_id, title=f"title {doc_id}",
                   published=f"2024-{1 + int(doc_id[1:]) % 12:02d}-{1 + int(doc_id[1:]) % 28:02d}", ingested_at="2024-06-01T00:00:00+00:00")


def _batches(corpus: Corpus, n: int) -> Iterator[tuple[list[LinkedDoc], list[tuple[str, str]]]]:
    centres = len(corpus.centres)
    for at in range(0, n, CHUNK):
        ids = range(at, min(n, at + CHUNK))
        docs = [corpus.doc(f"d{i:07d}", i % centres) for i in ids]
        yield docs, [(f"story:d{i % centres:07d}", f"thread:d{i % centres // STORIES_PER_THREAD * STORIES_PER_THREAD:07d}") for i in ids]


def fill(path: Path, n: int, seed: int) -> tuple[Corpus, float]:
    """Store N articles and their linker records in one transaction; return the corpus and the seconds taken."""
    start = time.perf_counter()
    conn = connect(path)
    corpus = Corpus(n, seed)
    for docs, placed in _batches(corpus, n):
        for d in docs:
            save_article(conn, _article(d.id), b"", commit=False)
        save_link_docs(conn, docs, placed)
        print(f"  stored {docs[-1].id[1:].lstrip('0') or 0} / {n}", file=sys.stderr, flush=True)
    conn.commit()
    conn.close()
    return corpus, time.perf_counter() - start


def time_adds(path: Path, corpus: Corpus, n: int, adds: int) -> tuple[list[float], int]:
    """Add ``adds`` new articles one at a time (half near existing stories); return ms per add and how many joined a story."""
    conn = connect(path)
    linker = StoryLinker(SqliteLinkBackend(conn))
    times, joined = [], 0
    for k in range(adds):
        doc_id = f"d{n + k:07d}"
        save_article(conn, _article(doc_id), b"")
        doc = corpus.doc(doc_id, k % len(corpus.centres) if k % 2 == 0 else None)
        start = time.perf_counter()
        assignment = linker.add(doc)
        save_assignment(conn, assignment)
        conn.commit()
        times.append((time.perf_counter() - start) * 1000)
        joined += assignment.story_id != f"story:{doc_id}"
    conn.close()
    return times, joined


def traced_peak(path: Path, corpus: Corpus, n: int) -> float:
    """Return the peak Python allocation (MiB) while adding five more articles under tracemalloc (rolled back after)."""
    conn = connect(path)
    linker = StoryLinker(SqliteLinkBackend(conn))
    tracemalloc.start()
    for k in range(5):
        doc_id = f"e{n + k:07d}"
        save_article(conn, _article(doc_id), b"", commit=False)
        save_assignment(conn, linker.add(corpus.doc(doc_id, k)))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    conn.rollback()
    conn.close()
    return peak


def main(argv: list[str] | None = None) -> int:
    """Fill the store, time the adds, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles already linked")
    parser.add_argument("--adds", type=int, default=50, help="new articles added one at a time and timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="write the database here and keep it")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "link_bench.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "link.db"
        path.unlink(missing_ok=True)
        corpus, fill_s = fill(path, args.n, args.seed)
        times, joined = time_adds(path, corpus, args.n, args.adds)
        traced = traced_peak(path, corpus, args.n + args.adds)
        size_mb = path.stat().st_size / 2**20
    ordered = sorted(times)
    result = {
        "n": args.n, "adds": args.adds, "fill_s": round(fill_s, 1), "db_mb": round(size_mb),
        "add_ms": {"median": round(statistics.median(times), 1), "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
                   "max": round(ordered[-1], 1)},
        "joined_a_story": joined, "planted_near_a_story": (args.adds + 1) // 2,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "traced_peak_per_add_mb": round(traced, 1),
        "machine": machine(),
    }
    print(f"{args.n} linked articles stored in {fill_s:.0f} s ({size_mb:.0f} MiB)")
    print(f"add one article: median {result['add_ms']['median']} ms, p95 {result['add_ms']['p95']} ms, max {result['add_ms']['max']} ms")
    print(f"{joined} of {args.adds} joined an existing story ({(args.adds + 1) // 2} were planted near one)")
    print(f"peak RSS {result['peak_rss_mb']} MiB (whole run); traced Python peak while adding {traced:.1f} MiB")
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
