"""Annotation speed: our whole "who said what" pass against spaCy's bare ``nlp.pipe``.

Both run on the same real article texts (the Gender Gap Tracker's 98 articles and
PolNeAR's 84 dev articles from ../shared/eval-data, read at run time, never copied),
in one process, with the same batch size. Each side runs ``--repeat`` times and the
fastest run counts, so a noisy machine penalises neither side.

    .venv/bin/python benchmarks/annotate_bench.py            # prints a table, writes benchmarks/results/annotate.json
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from results_io import write_result  # noqa: E402
DATA = REPO.parent / "shared" / "eval-data" / "quotes"


def load_texts(limit: int | None) -> list[str]:
    """Return the article texts of both quote datasets (GGT first, then PolNeAR dev)."""
    texts = [json.loads(line)["text"] for line in (DATA / "gender_gap_tracker" / "annotations.jsonl").open(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((DATA / "polnear" / "data" / "dev" / "text").glob("*.txt"))]
    return texts[:limit]


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """Return the fastest wall time of ``repeat`` runs and what the run counted."""
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - start)
    return best, count


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="use only the first N texts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; the fastest counts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "annotate.json")
    args = parser.parse_args(argv)

    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.document import annotate_texts

    texts = load_texts(args.limit)
    nlp = load_nlp()
    list(nlp.pipe(texts[:4]))  # warm up: first-call allocations are not the pipeline's speed
    words = sum(len(t.split()) for t in texts)
    bare, _ = best_of(args.repeat, lambda: sum(1 for _ in nlp.pipe(texts, batch_size=args.batch_size)))
    ours, found = best_of(args.repeat, lambda: sum(len(a.quotes) + len(a.attributions) + len(a.mentions)
                                                    for a in annotate_texts(texts, batch_size=args.batch_size)))
    result = {
        "texts": len(texts), "words": words, "batch_size": args.batch_size, "repeat": args.repeat,
        "spacy_pipe_s": bare, "storyline_annotate_s": ours, "overhead": (ours - bare) / bare,
        "articles_per_s": len(texts) / ours, "records_found": found,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(f"{len(texts)} texts, {words} words, batch {args.batch_size}, best of {args.repeat}")
    print(f"{'spaCy nlp.pipe (bare)':32} {bare:7.2f} s  {len(texts) / bare:6.1f} articles/s")
    print(f"{'storyline annotate_texts':32} {ours:7.2f} s  {len(texts) / ours:6.1f} articles/s")
    print(f"overhead of our finders over nlp.pipe: {result['overhead']:+.0%}; peak RSS {result['peak_rss_mb']:.0f} MB")
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
