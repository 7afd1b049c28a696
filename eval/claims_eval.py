"""Score claim matching (``storyline.link.claimlink.same_claim``) on our own sentence pairs.

``eval/data/claim_pairs.jsonl`` holds one pair per line: ``id, a, b, same, kind``. The
classification view scores ``same_claim(a, b)`` against ``same`` (precision, recall and F1 of
the positive class, accuracy, and a table per ``kind``). The retrieval view, run only when
the module offers ``claim_similarity(a, b) -> float``, ranks every distinct ``b`` sentence of
the set for each pair with ``same`` true and reports MAP@5 and recall@1. eval/README.md
spells the metric out. Usage:
``.venv/bin/python eval/claims_eval.py [--set PATH] [--errors K] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from storyline.link import claimtext as claims
from evalkit import read_jsonl, write_results  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
PAIRS = REPO_ROOT / "eval" / "data" / "claim_pairs.jsonl"
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "claims.json"
CHECKTHAT_2022_BASELINE_MAP5 = 0.818
"""CheckThat! 2022 task 2A (English) claim-retrieval baseline MAP@5, a reference point only."""

Matcher = Callable[[str, str], bool]
Similarity = Callable[[str, str], float]


@dataclass(frozen=True, slots=True)
class Pair:
    """One gold sentence pair."""

    id: str
    a: str
    b: str
    same: bool
    kind: str


def check_pair(rec: object) -> str | None:
    """Return what is wrong with one line of the set, or None."""
    if not isinstance(rec, dict):
        return "not a JSON object"
    missing = [k for k in ("id", "a", "b") if not isinstance(rec.get(k), str) or not rec[k].strip()]
    if missing:
        return f"missing {', '.join(missing)}"
    if not isinstance(rec.get("same"), bool):
        return "same is not true/false"
    return None


def load_pairs(path: Path = PAIRS) -> list[Pair] | None:
    """Read the pair set; None when the file does not exist. Bad lines are reported and skipped."""
    if not path.exists():
        return None
    pairs = [Pair(str(rec["id"]), rec["a"], rec["b"], rec["same"], str(rec.get("kind") or "unknown"))
             for rec in read_jsonl(path, check_pair)]
    return pairs


# --- Classification ------------------------------------------------------------------------


def classify(pairs: Sequence[Pair], matcher: Matcher) -> tuple[list[bool], int]:
    """Call the matcher on every pair; an exception counts as ``False``. Returns predictions and failures."""
    preds, failures = [], 0
    for p in pairs:
        try:
            preds.append(bool(matcher(p.a, p.b)))
        except Exception as exc:  # noqa: BLE001 - one bad pair must not stop the evaluation
            print(f"{p.id}: same_claim failed ({exc!r})", file=sys.stderr)
            preds.append(False)
            failures += 1
    return preds, failures


def binary_scores(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, float | int]:
    """Precision, recall and F1 of the positive class (``same``), accuracy and the confusion counts."""
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    tn = len(gold) - tp - fp - fn
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "accuracy": (tp + tn) / len(gold) if gold else 0.0, "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def per_kind(pairs: Sequence[Pair], pred: Sequence[bool]) -> dict[str, dict[str, int]]:
    """Per kind, sorted: pairs, how many are ``same``, how many the matcher got right."""
    table: dict[str, dict[str, int]] = {}
    for p, guess in zip(pairs, pred):
        row = table.setdefault(p.kind, {"pairs": 0, "same": 0, "right": 0})
        row["pairs"] += 1
        row["same"] += p.same
        row["right"] += guess == p.same
    return dict(sorted(table.items()))


# --- Retrieval -----------------------------------------------------------------------------


def average_precision_at(ranked_relevant: Sequence[bool], relevant: int, k: int = 5) -> float:
    """AP@k: the precision at each rank (≤ k) holding a relevant item, summed, over the number relevant."""
    if relevant <= 0:
        return 0.0
    hits, total = 0, 0.0
    for rank, rel in enumerate(ranked_relevant[:k], 1):
        if rel:
            hits += 1
            total += hits / rank
    return total / relevant


def rank(query: str, candidates: Sequence[str], relevant: set[int], similarity: Similarity) -> list[bool]:
    """Rank the candidates by similarity to the query (highest first); return relevance in rank order.

    Ties are broken against the gold: among equal scores, irrelevant candidates come first, so
    a constant similarity earns nothing.
    """
    scores = [similarity(query, c) for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i in relevant, i))
    return [i in relevant for i in order]


@dataclass(slots=True)
class Retrieval:
    queries: int
    candidates: int
    map5: float
    recall1: float
    seconds: float


def retrieval(pairs: Sequence[Pair], similarity: Similarity, k: int = 5) -> Retrieval:
    """For every ``same`` pair, rank all distinct ``b`` sentences of the set for its ``a``.

    The relevant candidates of a query are the ``b`` of every ``same`` pair with that ``a``.
    """
    candidates = list(dict.fromkeys(p.b for p in pairs))
    index = {b: i for i, b in enumerate(candidates)}
    start = time.perf_counter()
    aps, top1 = [], []
    for p in pairs:
        if not p.same:
            continue
        relevant = {index[q.b] for q in pairs if q.same and q.a == p.a}
        ranked = rank(p.a, candidates, relevant, similarity)
        aps.append(average_precision_at(ranked, len(relevant), k))
        top1.append(bool(ranked and ranked[0]))
    n = len(aps)
    return Retrieval(n, len(candidates), sum(aps) / n if n else 0.0, sum(top1) / n if n else 0.0,
                     time.perf_counter() - start)


# --- Report and main -----------------------------------------------------------------------


def report(pairs: Sequence[Pair], pred: Sequence[bool], failures: int, seconds: float) -> dict[str, object]:
    """Print the classification tables and return them as plain numbers."""
    s = binary_scores([p.same for p in pairs], pred)
    same = sum(p.same for p in pairs)
    print(f"\nsame_claim on {len(pairs)} pairs ({same} same), {seconds:.3f} s, {failures} failures")
    print(f"{'precision':>10}{'recall':>8}{'F1':>8}{'accuracy':>10}{'TP':>6}{'FP':>6}{'FN':>6}{'TN':>6}")
    print(f"{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['accuracy']:>10.3f}"
          f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}{s['tn']:>6}")
    kinds = per_kind(pairs, pred)
    print(f"\n{'kind':<28}{'pairs':>6}{'same':>6}{'right':>7}{'accuracy':>10}")
    for kind, row in kinds.items():
        print(f"{kind:<28}{row['pairs']:>6}{row['same']:>6}{row['right']:>7}{row['right'] / row['pairs']:>10.3f}")
    rounded = {k: round(v, 4) if isinstance(v, float) else v for k, v in s.items()}
    return {"pairs": len(pairs), "failures": failures, "seconds": round(seconds, 3), "same_claim": rounded,
            "kinds": {k: {**row, "accuracy": round(row["right"] / row["pairs"], 4)} for k, row in kinds.items()}}


def report_retrieval(pairs: Sequence[Pair], similarity: Similarity | None) -> dict[str, object]:
    if similarity is None:
        print("\nretrieval: storyline.link.claimlink has no claim_similarity(a, b) -> float; table skipped")
        return {"skipped": "no claim_similarity in storyline.link.claimlink"}
    r = retrieval(pairs, similarity)
    print(f"\nretrieval: {r.queries} queries over {r.candidates} candidate sentences ({r.seconds:.2f} s)")
    print(f"{'MAP@5':>8}{'recall@1':>10}   (CheckThat! 2022 2A baseline MAP@5: {CHECKTHAT_2022_BASELINE_MAP5})")
    print(f"{r.map5:>8.3f}{r.recall1:>10.3f}")
    return {"queries": r.queries, "candidates": r.candidates, "map@5": round(r.map5, 4),
            "recall@1": round(r.recall1, 4), "checkthat2022_baseline_map@5": CHECKTHAT_2022_BASELINE_MAP5}


def print_errors(pairs: Sequence[Pair], pred: Sequence[bool], k: int) -> None:
    """Print up to k false positives and k false negatives (terminal only)."""
    for label, want in (("false positives (said same, gold differs)", False), ("false negatives (missed same)", True)):
        wrong = [p for p, g in zip(pairs, pred) if p.same == want and g != want]
        print(f"\n--- {label}: {len(wrong)}, {min(k, len(wrong))} shown")
        for p in wrong[:k]:
            print(f"  {p.id} [{p.kind}]\n     a: {p.a}\n     b: {p.b}")


def main(argv: Sequence[str] | None = None) -> int:
    """Score the pair set, print the tables and write the numbers to the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=PAIRS, help="the JSONL pair set")
    parser.add_argument("--errors", type=int, default=0, metavar="K", help="print K wrong pairs of each kind")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    pairs = load_pairs(args.set)
    if pairs is None:
        print(f"{args.set} not found: nothing to score", file=sys.stderr)
        return 0
    if not pairs:
        print(f"{args.set} has no usable pairs: nothing to score", file=sys.stderr)
        return 0
    start = time.perf_counter()
    pred, failures = classify(pairs, claims.same_claim)
    out = report(pairs, pred, failures, time.perf_counter() - start)
    out["retrieval"] = report_retrieval(pairs, getattr(claims, "claim_similarity", None))
    if args.errors:
        print_errors(pairs, pred, args.errors)
    write_results(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
