"""Sentence embeddings per second on the CPU or a CUDA GPU (``--device cuda``: optional, never required).

The sentences are those of the PolNeAR articles (read at run time from ../shared, never copied), split at
sentence ends and repeated with a counter until there are ``--n`` of them, so every one is distinct (as
claims are). The encoder is Storyline's own (:mod:`storyline.link.embed`), loaded once before timing.

    .venv/bin/python benchmarks/embed_bench.py --n 20000                      # CPU
    .venv/bin/python benchmarks/embed_bench.py --device cuda --n 1000000      # a GPU, where one is present
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from process_bench import texts  # noqa: E402

from results_io import machine, write_result  # noqa: E402

from storyline.link.embed import configure_encoder, embed, load_encoder  # noqa: E402


def sentences(n: int) -> list[str]:
    """``n`` distinct sentences of news text."""
    pool = [s.strip() for t in texts("full", 400) for s in re.split(r"(?<=[.!?])\s+", t) if len(s.split()) >= 6]
    return [f"{pool[i % len(pool)]} ({i // len(pool)})" if i >= len(pool) else pool[i] for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    """Embed the sentences in chunks and print sentences per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--n", type=int, default=20_000, help="sentences")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    items = sentences(args.n)
    configure_encoder(device=args.device)
    load_encoder()
    embed(items[:64])  # warm up
    start = time.perf_counter()
    for at in range(0, len(items), 50_000):
        embed(items[at:at + 50_000])
    seconds = time.perf_counter() - start
    result = {"device": args.device, "sentences": len(items), "seconds": round(seconds, 1),
              "sentences_per_s": round(len(items) / seconds), "machine": machine()}
    print(json.dumps(result))
    write_result(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
