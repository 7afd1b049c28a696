"""Score main-text extraction on the Zyte article-extraction benchmark (181 real pages).

The metric re-implements the benchmark's own ``evaluate.py`` (4-token shingles
of ``\\w+`` tokens, per-document P and R averaged, F1 of the means, exact-match
accuracy); eval/README.md spells it out. Rows: plain ``trafilatura.extract``,
the same without comments, and Storyline's ``clean_document`` (final text and
``raw_text``, to tell extraction changes from cleaner changes).

Usage: ``.venv/bin/python eval/boilerplate_eval.py [--limit N] [--show-worse K]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval-data" / "boilerplate" / "scrapinghub_aeb"
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "boilerplate.json"
SHINGLE_SIZE = 4
BASELINE = "trafilatura extract()"
BASELINE_NO_COMMENTS = "trafilatura extract(include_comments=False)"
OURS = "storyline clean_document"
OURS_RAW = "storyline raw_text (pre-cleaner)"
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

Counts = tuple[float, float, float]
"""Normalised (true positives, false positives, false negatives) of one document."""
Notes = tuple[tuple[str, str], ...]
"""(reason, removed text) pairs from the cleaner, used only to explain losses."""


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page with its gold article body."""

    id: str
    html: str
    url: str | None
    gold: str


@dataclass(frozen=True, slots=True)
class Output:
    """What one extractor produced for one page: scored texts by row name, and notes."""

    texts: dict[str, str]
    notes: Notes = ()


@dataclass(frozen=True, slots=True)
class Extractor:
    """A way of turning a page into text, producing one or more scored rows."""

    rows: tuple[str, ...]
    run: Callable[[Page], Output]


@dataclass(slots=True)
class Row:
    """Every page's output and score for one row of the table."""

    texts: list[str] = field(default_factory=list)
    counts: list[Counts] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0


# --- The benchmark's metric ------------------------------------------------------------


def tokenize(text: str | None) -> list[str]:
    """Split text into ``\\w+`` tokens, as the benchmark does."""
    return _TOKEN_RE.findall(text or "")


def shingles(tokens: Sequence[str], n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Count the n-token shingles; a text shorter than n is one short shingle."""
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_counts(gold: str, pred: str) -> Counts:
    """Return TP/FP/FN over shingles, normalised to sum to 1 (all 0 when both are empty)."""
    true, guess = shingles(tokenize(gold)), shingles(tokenize(pred))
    tp = float(sum((true & guess).values()))
    fp = float(sum((guess - true).values()))
    fn = float(sum((true - guess).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def precision_score(c: Counts) -> float:
    """Return one document's precision, with the benchmark's edge cases."""
    tp, fp, fn = c
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall_score(c: Counts) -> float:
    """Return one document's recall, with the benchmark's edge cases."""
    tp, fp, fn = c
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def doc_f1(c: Counts) -> float:
    """Return one document's F1 (used only to compare extractors page by page)."""
    p, r = precision_score(c), recall_score(c)
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def summarise(counts: Sequence[Counts]) -> dict[str, float]:
    """Average P over documents with a prediction and R over documents with gold; F1 of the means."""
    p = _mean([precision_score(c) for c in counts if c[0] + c[1] > 0])
    r = _mean([recall_score(c) for c in counts if c[0] + c[2] > 0])
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r > 0 else 0.0}


def _mean(values: Sequence[float]) -> float:
    return statistics.mean(values) if values else 0.0


def bootstrap_f1(rows: Sequence[Sequence[Counts]], draws: int, seed: int = 0) -> list[list[float]]:
    """Return F1 of every row on ``draws`` shared resamples of the documents (draw x row)."""
    rng, n = random.Random(seed), len(rows[0])
    out = []
    for _ in range(draws):
        idx = [rng.randrange(n) for _ in range(n)]
        out.append([summarise([row[i] for i in idx])["f1"] for row in rows])
    return out


# --- Data and extractors ------------------------------------------------------------------


def load_pages(data: Path, limit: int | None) -> list[Page]:
    """Read the gold file and the gzipped pages it names (sorted by id)."""
    gold = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(gold)[:limit]:
        raw = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        html = raw.decode("utf-8", errors="replace")
        pages.append(Page(key, html, gold[key].get("url"), gold[key].get("articleBody", "")))
    return pages


def trafilatura_extractor(name: str, include_comments: bool = True) -> Extractor:
    """Return plain ``trafilatura.extract(html)`` as a user would call it (defaults otherwise)."""
    return Extractor((name,), lambda page: Output(
        {name: trafilatura.extract(page.html, include_comments=include_comments) or ""}))


def storyline_extractor() -> Extractor | None:
    """Return Storyline's ``clean_document``, or None while the pipeline does not exist yet."""
    try:
        from storyline.models import RawDocument
        from storyline.flow.clean import clean_document
    except ImportError as exc:
        print(f"skipping storyline rows: {exc}", file=sys.stderr)
        return None

    def run(page: Page) -> Output:
        article = clean_document(RawDocument(source=page.id, html=page.html, url=page.url))
        notes = tuple((r.reason, r.text) for r in article.removed)
        return Output({OURS: article.text, OURS_RAW: article.raw_text}, notes)

    return Extractor((OURS, OURS_RAW), run)


def score(pages: Sequence[Page], extractor: Extractor, notes: dict[str, Notes]) -> dict[str, Row]:
    """Run one extractor over every page; an exception counts as empty output and a failure."""
    rows = {name: Row() for name in extractor.rows}
    start = time.perf_counter()
    for page in pages:
        try:
            out = extractor.run(page)
        except Exception:  # noqa: BLE001 - any crash is a failed page, not a failed run
            out = Output({name: "" for name in extractor.rows})
            for row in rows.values():
                row.failures += 1
        notes[page.id] = notes.get(page.id, ()) + out.notes
        for name, row in rows.items():
            text = out.texts.get(name, "")
            row.texts.append(text)
            row.counts.append(shingle_counts(page.gold, text))
            row.accuracies.append(float(tokenize(page.gold) == tokenize(text)))
    for row in rows.values():
        row.seconds = time.perf_counter() - start
    return rows


# --- Reporting --------------------------------------------------------------------------


def table(rows: dict[str, Row], draws: int) -> dict[str, dict[str, float]]:
    """Print the results table and return it as plain data."""
    names = list(rows)
    spread = bootstrap_f1([rows[n].counts for n in names], draws) if draws > 1 else []
    result: dict[str, dict[str, float]] = {}
    print(f"{'extractor':<46}{'precision':>10}{'recall':>9}{'F1':>16}{'accuracy':>10}{'failures':>10}{'seconds':>9}")
    for i, name in enumerate(names):
        row = rows[name]
        m = summarise(row.counts) | {"accuracy": _mean(row.accuracies)}
        m |= {"f1_std": statistics.stdev(d[i] for d in spread) if spread else 0.0}
        m |= {"failures": row.failures, "empty": sum(not t.strip() for t in row.texts), "seconds": row.seconds}
        result[name] = m
        f1 = f"{m['f1']:.3f} ± {m['f1_std']:.3f}"
        print(f"{name:<46}{m['precision']:>10.3f}{m['recall']:>9.3f}{f1:>16}{m['accuracy']:>10.3f}"
              f"{row.failures:>10}{row.seconds:>9.1f}")
    for other in (BASELINE, OURS_RAW) if spread and OURS in rows else ():
        diffs = [d[names.index(OURS)] - d[names.index(other)] for d in spread]
        print(f"F1 {OURS} minus {other}: {statistics.mean(diffs):+.3f} ± {statistics.stdev(diffs):.3f} (paired bootstrap)")
    return result


def compare(pages: Sequence[Page], rows: dict[str, Row], baseline: str, candidate: str) -> dict[str, object]:
    """Count pages whose F1 got better or worse with ``candidate`` than with ``baseline``."""
    scores = [(p.id, doc_f1(rows[baseline].counts[i]), doc_f1(rows[candidate].counts[i])) for i, p in enumerate(pages)]
    changed = sorted((s for s in scores if abs(s[2] - s[1]) > 1e-9), key=lambda s: s[2] - s[1])
    better = sum(after > before for _, before, after in changed)
    worse, unchanged = len(changed) - better, len(pages) - len(changed)
    print(f"per page F1, {candidate} vs {baseline}: {better} better, {worse} worse, {unchanged} unchanged")
    return {"baseline": baseline, "candidate": candidate, "better": better, "worse": worse, "unchanged": unchanged,
            "changed": [{"id": i, "before_f1": round(b, 4), "after_f1": round(a, 4)} for i, b, a in changed]}


def lost_runs(gold: str, before: str, after: str) -> list[str]:
    """Return runs of ``before`` tokens in gold shingles that ``after`` no longer has."""
    tokens, true, kept = tokenize(before), shingles(tokenize(gold)), shingles(tokenize(after))
    lost: set[int] = set()
    for i in range(max(0, len(tokens) - SHINGLE_SIZE + 1)):
        gram = tuple(tokens[i : i + SHINGLE_SIZE])
        if gram in true and gram not in kept:
            lost.update(range(i, i + SHINGLE_SIZE))
    runs: list[list[int]] = []
    for i in sorted(lost):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [" ".join(tokens[j] for j in run) for run in sorted(runs, key=len, reverse=True)]


def removal_reasons(run: str, notes: Notes) -> str:
    """Name the cleaner's reasons for removals inside (or around) a lost run of tokens."""
    reasons: Counter[str] = Counter()
    for reason, text in notes:
        removed = " ".join(tokenize(text))
        if (len(removed.split()) > 1 and removed in run) or run in removed:
            reasons[reason] += 1
    return ", ".join(f"{r} x{n}" for r, n in reasons.most_common(3)) or "?"


def show_worse(pages: Sequence[Page], rows: dict[str, Row], notes: dict[str, Notes], k: int) -> None:
    """Print the k pages ours hurt most, with short snippets of the gold text we lost."""
    drop = [doc_f1(rows[BASELINE].counts[i]) - doc_f1(rows[OURS].counts[i]) for i in range(len(pages))]
    for i in sorted((i for i in range(len(pages)) if drop[i] > 1e-9), key=lambda i: -drop[i])[:k]:
        page = pages[i]
        f1s = " -> ".join(f"{doc_f1(rows[n].counts[i]):.3f}" for n in (BASELINE, OURS_RAW, OURS))
        print(f"\n{page.id[:16]}  F1 trafilatura -> raw_text -> ours: {f1s}  {page.url or ''}")
        runs = list(dict.fromkeys(lost_runs(page.gold, rows[BASELINE].texts[i], rows[OURS].texts[i])))
        for run in runs[:3]:
            print(f"  lost {len(run.split()):>4} tokens [{removal_reasons(run, notes.get(page.id, ()))}]: {run[:100]}")


def main(argv: Sequence[str] | None = None) -> int:
    """Score every extractor, print the table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder (ground-truth.json, html/)")
    parser.add_argument("--limit", type=int, help="score only the first N pages (by id)")
    parser.add_argument("--show-worse", type=int, default=0, metavar="K", help="print the K pages ours hurt most")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap draws for the F1 spread")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    pages = load_pages(args.data, args.limit)
    extractors = [trafilatura_extractor(BASELINE),
                  trafilatura_extractor(BASELINE_NO_COMMENTS, include_comments=False)]
    extractors += [e for e in (storyline_extractor(),) if e is not None]
    rows: dict[str, Row] = {}
    notes: dict[str, Notes] = {}
    for extractor in extractors:
        rows |= score(pages, extractor, notes)
    print(f"{len(pages)} pages, {SHINGLE_SIZE}-token shingles, F1 ± bootstrap std ({args.bootstrap} draws)")
    results: dict[str, object] = {"pages": len(pages), "limit": args.limit, "trafilatura": trafilatura.__version__,
                                  "rows": table(rows, args.bootstrap)}
    if OURS in rows:
        results["comparison"] = compare(pages, rows, BASELINE, OURS)
        results["cleaner_only"] = compare(pages, rows, OURS_RAW, OURS)
        show_worse(pages, rows, notes, args.show_worse)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
