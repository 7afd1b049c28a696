"""Score time expressions (``find_time_expressions``) on our own set and on TimeBank / AQUAINT.

* ``own``: ``eval/data/timex_set.jsonl``, one gold expression per line. Each gold item takes the
  prediction that overlaps it most; span recall, strict span match, value, granularity,
  modifier and type accuracy over all gold items (a miss counts wrong), precision of the
  predictions, and value accuracy per category.
* ``timebank`` / ``aquaint``: TimeML gold (TBAQ-cleaned), read from
  ``../shared/eval-data/temporal/timebank_aquaint``. Strict and relaxed span P/R/F1, type and
  value accuracy on relaxed matches, and value F1 (relaxed match with the same value), split
  into relative expressions and the rest.

eval/README.md spells the metric out. Usage:
``.venv/bin/python eval/timex_eval.py [--dataset own|timebank|aquaint|all] [--errors K] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol

from timex_data import OWN_SET, TML_DATA, GoldTimex, TmlDoc, TmlTimex, load_own, load_tml

from storyline.annotate.time.expressions import find_time_expressions
from storyline.models import TimeExpression
from evalkit import prf_text, rounded, write_results  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "timex.json"
VAGUE_REFS = frozenset({"PAST_REF", "PRESENT_REF", "FUTURE_REF"})
_YEAR_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


Finder = Callable[..., Iterable[TimeExpression]]
"""``find_time_expressions`` or a stand-in with the same call signature."""


class Spanned(Protocol):
    """Anything with character offsets: gold items and predictions alike."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


# --- The metric ----------------------------------------------------------------------------


def overlap(a: Spanned, b: Spanned) -> int:
    """Return how many characters two spans share (0 when they only touch)."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def same_span(a: Spanned, b: Spanned) -> bool:
    """Strict span match: identical start and end offsets."""
    return a.start == b.start and a.end == b.end


def best_overlap(gold: Spanned, preds: Sequence[Spanned]) -> int | None:
    """Return the index of the prediction overlapping ``gold`` most (first on ties), or None."""
    best, most = None, 0
    for i, pred in enumerate(preds):
        if (n := overlap(gold, pred)) > most:
            best, most = i, n
    return best


def match_strict(golds: Sequence[Spanned], preds: Sequence[Spanned]) -> dict[int, int]:
    """Pair gold and predictions with identical offsets, one to one, in order."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for g, gold in enumerate(golds):
        p = next((i for i, pred in enumerate(preds) if i not in used and same_span(gold, pred)), None)
        if p is not None:
            pairs[g] = p
            used.add(p)
    return pairs


def match_relaxed(golds: Sequence[Spanned], preds: Sequence[Spanned]) -> dict[int, int]:
    """Pair overlapping gold and predictions one to one; return gold index -> prediction index.

    Candidate pairs (overlap of at least one character) are taken greedily: identical spans
    first, then by larger overlap, then in document order (gold, then prediction). A gold item
    or a prediction is used at most once.
    """
    candidates = sorted(
        ((not same_span(g, p), -overlap(g, p), gi, pi)
         for gi, g in enumerate(golds) for pi, p in enumerate(preds) if overlap(g, p) > 0))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, _, gi, pi in candidates:
        if gi not in pairs and pi not in used:
            pairs[gi] = pi
            used.add(pi)
    return pairs


def norm_value(value: str | None) -> str | None:
    """Values are compared as upper-cased strings without surrounding space."""
    return value.strip().upper() if value is not None else None


def value_exact(gold: str | None, pred: str | None) -> bool:
    """The headline rule: the two values are the same string after upper-casing."""
    return norm_value(gold) == norm_value(pred)


def value_lenient(gold: str | None, pred: str | None) -> bool:
    """Exact, or both values start with the same calendar day (``1998-02-27TEV`` ~ ``1998-02-27``)."""
    if value_exact(gold, pred):
        return True
    g, p = norm_value(gold) or "", norm_value(pred) or ""
    return bool(_DAY_RE.match(g) and _DAY_RE.match(p) and g[:10] == p[:10])


def prf(hit_pred: int, n_pred: int, hit_gold: int, n_gold: int) -> dict[str, float]:
    """Precision = hit_pred / n_pred, recall = hit_gold / n_gold, and their harmonic mean."""
    p = hit_pred / n_pred if n_pred else 0.0
    r = hit_gold / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def is_relative(text: str, type_: str, value: str | None) -> bool:
    """Relative expression: a DATE/TIME whose words hold no 4-digit year, or a vague reference."""
    if norm_value(value) in VAGUE_REFS:
        return True
    return type_.upper() in ("DATE", "TIME") and not _YEAR_RE.search(text)


def call_finder(finder: Finder, text: str, published: str | None,
                anchors: dict[str, str] | None = None) -> tuple[list[TimeExpression], bool]:
    """Run the finder; on an exception return no predictions and ``False``."""
    try:
        return list(finder(text, published, anchors=anchors)), True
    except Exception as exc:  # noqa: BLE001 - one bad passage must not stop the evaluation
        print(f"finder failed ({exc!r})", file=sys.stderr)
        return [], False


# --- Our own set ---------------------------------------------------------------------------


@dataclass(slots=True)
class OwnOutcome:
    """One gold item of our set and the prediction chosen for it (None when nothing overlaps)."""

    gold: GoldTimex
    pred: TimeExpression | None

    @property
    def found(self) -> bool:
        return self.pred is not None

    def ok(self, what: str) -> bool:
        """Whether the chosen prediction gets ``what`` right (a miss is always wrong)."""
        if self.pred is None:
            return False
        if what == "span":
            return same_span(self.gold, self.pred)
        if what == "value":
            return value_exact(self.gold.value, self.pred.value)
        if what == "type":
            return self.gold.type == self.pred.type
        if what == "range":
            return (self.gold.earliest, self.gold.latest) == (self.pred.earliest, self.pred.latest)
        return bool(getattr(self.gold, what) == getattr(self.pred, what))


@dataclass(slots=True)
class OwnResult:
    """Outcomes per gold item, plus prediction counts over the set's distinct passages."""

    outcomes: list[OwnOutcome] = field(default_factory=list)
    predictions: int = 0
    predictions_on_gold: int = 0
    passages: int = 0
    failures: int = 0
    seconds: float = 0.0


def score_own(items: Sequence[GoldTimex], finder: Finder = find_time_expressions) -> OwnResult:
    """Run the finder once per distinct passage and pick, for each gold item, its best-overlapping prediction."""
    result = OwnResult()
    by_passage: dict[tuple[str, str | None, str], list[GoldTimex]] = defaultdict(list)
    for item in items:
        by_passage[item.passage_key].append(item)
    start = time.perf_counter()
    for golds in by_passage.values():
        first = golds[0]
        preds, ok = call_finder(finder, first.text, first.published, dict(first.anchors) if first.anchors else None)
        result.failures += not ok
        result.predictions += len(preds)
        result.predictions_on_gold += sum(any(overlap(g, p) > 0 for g in golds) for p in preds)
        for gold in golds:
            best = best_overlap(gold, preds)
            result.outcomes.append(OwnOutcome(gold, preds[best] if best is not None else None))
    result.passages = len(by_passage)
    result.seconds = time.perf_counter() - start
    return result


OWN_ROWS = (("span recall (any overlap)", "found"), ("strict span match", "span"), ("value accuracy", "value"),
            ("granularity accuracy", "granularity"), ("modifier accuracy", "modifier"), ("type accuracy", "type"),
            ("certain accuracy", "certain"))


def own_rows(outcomes: Sequence[OwnOutcome]) -> dict[str, tuple[int, int]]:
    """Return (right, of) for each accuracy row, over all the given gold items."""
    rows = {}
    for name, what in OWN_ROWS:
        right = sum(o.found for o in outcomes) if what == "found" else sum(o.ok(what) for o in outcomes)
        rows[name] = (right, len(outcomes))
    return rows


def per_category(outcomes: Sequence[OwnOutcome]) -> dict[str, tuple[int, int, int]]:
    """Return, per category in first-seen order, (gold items, found, value right)."""
    table: dict[str, list[int]] = {}
    for o in outcomes:
        row = table.setdefault(o.gold.category, [0, 0, 0])
        row[0] += 1
        row[1] += o.found
        row[2] += o.ok("value")
    return {k: (v[0], v[1], v[2]) for k, v in table.items()}


def report_own(result: OwnResult) -> dict[str, object]:
    """Print the own-set tables and return them as plain numbers."""
    outs = result.outcomes
    print(f"\nOwn set: {len(outs)} gold expressions in {result.passages} passages, {result.predictions} predicted "
          f"({result.seconds:.2f} s, {result.failures} failures)")
    print(f"{'row':<34}{'rate':>8}{'right':>8}{'of':>6}")
    rows = own_rows(outs)
    p = result.predictions_on_gold / result.predictions if result.predictions else 0.0
    for name, (right, n) in rows.items():
        print(f"{name:<34}{(right / n if n else 0):>8.3f}{right:>8}{n:>6}")
    print(f"{'precision (preds on a gold span)':<34}{p:>8.3f}{result.predictions_on_gold:>8}{result.predictions:>6}")
    ranged = [o for o in outs if o.gold.earliest is not None]
    range_row = (sum(o.ok("range") for o in ranged), len(ranged))
    print(f"{'range accuracy (where given)':<34}{_rate(range_row):>8.3f}{range_row[0]:>8}{range_row[1]:>6}")
    unpublished = own_rows([o for o in outs if o.gold.published is None])["value accuracy"]
    print(f"{'value accuracy, published null':<34}{_rate(unpublished):>8.3f}{unpublished[0]:>8}{unpublished[1]:>6}")
    cats = per_category(outs)
    print(f"\n{'category':<22}{'items':>6}{'found':>7}{'value ok':>9}{'value acc':>10}")
    for cat, (n, found, right) in sorted(cats.items()):
        print(f"{cat:<22}{n:>6}{found:>7}{right:>9}{right / n:>10.3f}")
    return {
        "gold": len(outs), "passages": result.passages, "predicted": result.predictions,
        "failures": result.failures, "seconds": round(result.seconds, 2),
        "rows": {name: {"rate": round(_rate(rn), 4), "right": rn[0], "of": rn[1]} for name, rn in rows.items()},
        "precision": {"rate": round(p, 4), "on_gold": result.predictions_on_gold, "predicted": result.predictions},
        "range_accuracy": {"rate": round(_rate(range_row), 4), "right": range_row[0], "of": range_row[1]},
        "value_accuracy_published_null": {"rate": round(_rate(unpublished), 4), "right": unpublished[0], "of": unpublished[1]},
        "categories": {c: {"items": n, "found": f, "value_right": r, "value_accuracy": round(r / n, 4)}
                       for c, (n, f, r) in sorted(cats.items())},
    }


def own_errors(result: OwnResult, k: int) -> None:
    """Print the first k gold items whose value (or span) is wrong, with expected and got."""
    wrong = [o for o in result.outcomes if not (o.ok("value") and o.ok("span"))]
    print(f"\n--- own set: {len(wrong)} items with a wrong value or span, {min(k, len(wrong))} shown")
    for o in wrong[:k]:
        g, p = o.gold, o.pred
        print(f"  {g.id} [{g.category}] published={g.published} {_marked(g.text, g.start, g.end)}")
        print(f"       expected {g.expression!r} {g.type} value={g.value} gran={g.granularity} mod={g.modifier}")
        got = "nothing overlapping" if p is None else (
            f"{p.text!r} {p.type} value={p.value} gran={p.granularity} mod={p.modifier} rule={p.rule!r}")
        print(f"       got      {got}")


# --- TimeBank / AQUAINT --------------------------------------------------------------------


COUNT_KEYS = ("gold", "pred", "strict", "relaxed", "type_ok", "value_ok", "value_lenient_ok")


@dataclass(slots=True)
class TmlCounts:
    """Summed counts for one corpus (or one split of it)."""

    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    value_lenient_ok: int = 0
    # For the relative/rest split, predictions are classed by their own text, type and value.
    pred_strict: int = 0
    pred_relaxed: int = 0
    pred_value_ok: int = 0
    pred_value_lenient_ok: int = 0

    def add(self, other: TmlCounts) -> None:
        """Add another document's (or corpus's) counts to these."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def score_doc(golds: Sequence[TmlTimex], preds: Sequence[TimeExpression],
              keep_gold: Callable[[TmlTimex], bool] = lambda t: True,
              keep_pred: Callable[[TimeExpression], bool] = lambda p: True) -> TmlCounts:
    """Count one document's matches, over the gold items and predictions that the filters keep.

    Matching is done on all items first; the filters only choose what is counted.
    """
    strict, relaxed = match_strict(golds, preds), match_relaxed(golds, preds)
    c = TmlCounts(gold=sum(map(keep_gold, golds)), pred=sum(map(keep_pred, preds)))
    for g, p in strict.items():
        c.strict += keep_gold(golds[g])
        c.pred_strict += keep_pred(preds[p])
    for g, p in relaxed.items():
        gold, pred = golds[g], preds[p]
        exact, lenient = value_exact(gold.value, pred.value), value_lenient(gold.value, pred.value)
        if keep_gold(gold):
            c.relaxed += 1
            c.type_ok += gold.type == pred.type
            c.value_ok += exact
            c.value_lenient_ok += lenient
        if keep_pred(pred):
            c.pred_relaxed += 1
            c.pred_value_ok += exact
            c.pred_value_lenient_ok += lenient
    return c


def tml_summary(c: TmlCounts) -> dict[str, Any]:
    """Turn summed counts into the reported figures."""
    def rate(a: int, b: int) -> float:
        return a / b if b else 0.0
    return {
        "gold": c.gold, "predicted": c.pred,
        "strict": prf(c.pred_strict, c.pred, c.strict, c.gold),
        "relaxed": prf(c.pred_relaxed, c.pred, c.relaxed, c.gold),
        "type_accuracy": rate(c.type_ok, c.relaxed),
        "value_accuracy": rate(c.value_ok, c.relaxed),
        "value": prf(c.pred_value_ok, c.pred, c.value_ok, c.gold),
        "value_lenient": prf(c.pred_value_lenient_ok, c.pred, c.value_lenient_ok, c.gold),
        "counts": {k: getattr(c, k) for k in COUNT_KEYS},
    }


def gold_relative(t: TmlTimex) -> bool:
    return is_relative(t.text, t.type, t.value)


def pred_relative(p: TimeExpression) -> bool:
    return is_relative(p.text, p.type, p.value)


@dataclass(slots=True)
class TmlResult:
    """Counts for all, relative and other expressions, plus the per-document matches for --errors."""

    all: TmlCounts = field(default_factory=TmlCounts)
    relative: TmlCounts = field(default_factory=TmlCounts)
    other: TmlCounts = field(default_factory=TmlCounts)
    docs: int = 0
    failures: int = 0
    seconds: float = 0.0
    matched: list[tuple[TmlDoc, list[TimeExpression]]] = field(default_factory=list)

    def add(self, other: TmlResult) -> None:
        for name in ("all", "relative", "other"):
            getattr(self, name).add(getattr(other, name))
        self.docs += other.docs
        self.failures += other.failures
        self.seconds += other.seconds
        self.matched += other.matched


def score_tml(docs: Sequence[TmlDoc], finder: Finder = find_time_expressions) -> TmlResult:
    """Run the finder on every document with its creation date and sum the counts."""
    result = TmlResult(docs=len(docs))
    for doc in docs:
        start = time.perf_counter()
        preds, ok = call_finder(finder, doc.text, doc.dct)
        result.seconds += time.perf_counter() - start
        result.failures += not ok
        result.all.add(score_doc(doc.timexes, preds))
        result.relative.add(score_doc(doc.timexes, preds, gold_relative, pred_relative))
        result.other.add(score_doc(doc.timexes, preds, lambda t: not gold_relative(t), lambda p: not pred_relative(p)))
        result.matched.append((doc, preds))
    return result


def report_tml(title: str, result: TmlResult) -> dict[str, object]:
    """Print one corpus's table and return its numbers."""
    print(f"\n{title}: {result.docs} documents ({result.seconds:.2f} s, {result.failures} failures)")
    print(f"{'rows':<12}{'gold':>6}{'pred':>6}{'strict P/R/F1':>22}{'relaxed P/R/F1':>22}"
          f"{'type':>7}{'value':>7}{'value P/R/F1':>22}{'lenient F1':>11}")
    out: dict[str, object] = {}
    for name in ("all", "relative", "other"):
        s = tml_summary(getattr(result, name))
        out[name] = rounded(s)
        print(f"{name:<12}{s['gold']:>6}{s['predicted']:>6}{prf_text(s['strict']):>22}{prf_text(s['relaxed']):>22}"
              f"{s['type_accuracy']:>7.3f}{s['value_accuracy']:>7.3f}{prf_text(s['value']):>22}"
              f"{s['value_lenient']['f1']:>11.3f}")
    return {"documents": result.docs, "failures": result.failures, "seconds": round(result.seconds, 2), **out}


def tml_errors(result: TmlResult, k: int) -> None:
    """Print up to k missed, k spurious and k wrong-value items (terminal only, never saved)."""
    kinds: dict[str, list[str]] = {"missed": [], "spurious": [], "wrong value": []}
    for doc, preds in result.matched:
        pairs = match_relaxed(doc.timexes, preds)
        for g, gold in enumerate(doc.timexes):
            if g not in pairs:
                kinds["missed"].append(f"{doc.id} dct={doc.dct} {_marked(doc.text, gold.start, gold.end)} "
                                       f"gold {gold.type} {gold.value}")
            elif not value_exact(gold.value, (p := preds[pairs[g]]).value):
                kinds["wrong value"].append(f"{doc.id} dct={doc.dct} {_marked(doc.text, gold.start, gold.end)} "
                                            f"gold {gold.type} {gold.value} | ours {p.text!r} {p.type} {p.value}")
        for i, p in enumerate(preds):
            if i not in pairs.values():
                kinds["spurious"].append(f"{doc.id} dct={doc.dct} {_marked(doc.text, p.start, p.end)} ours {p.type} {p.value}")
    for kind, lines in kinds.items():
        print(f"\n--- {kind}: {len(lines)} in all, {min(k, len(lines))} shown")
        for line in lines[:k]:
            print(f"  {line}")


# --- Helpers and main ----------------------------------------------------------------------


def _rate(rn: tuple[int, int]) -> float:
    return rn[0] / rn[1] if rn[1] else 0.0


def _marked(text: str, start: int, end: int, width: int = 40) -> str:
    """Return the span in [[...]] with ``width`` characters either side, on one line."""
    return " ".join(f"{text[max(0, start - width):start]}[[{text[start:end]}]]{text[end:end + width]}".split())


def run_tml(args: argparse.Namespace, saved: dict[str, object]) -> None:
    """Score the chosen TimeML corpora (and their combination) into ``saved``."""
    corpora = {"timebank": "TimeBank", "aquaint": "AQUAINT"}
    chosen = list(corpora) if args.dataset == "all" else [args.dataset]
    combined = TmlResult()
    for key in chosen:
        result = score_tml(load_tml(args.data, corpora[key], args.limit))
        saved[key] = report_tml(corpora[key], result) | {"limit": args.limit}
        combined.add(result)
        if args.errors:
            tml_errors(result, args.errors)
    if len(chosen) > 1:
        saved["timebank_aquaint"] = report_tml("TimeBank + AQUAINT", combined) | {"limit": args.limit}


def main(argv: Sequence[str] | None = None) -> int:
    """Score the chosen data sets, print the tables and merge the numbers into the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=("own", "timebank", "aquaint", "all"), default="all")
    parser.add_argument("--data", type=Path, default=TML_DATA, help="folder holding TimeBank/ and AQUAINT/")
    parser.add_argument("--set", type=Path, default=OWN_SET, help="our own JSONL set")
    parser.add_argument("--limit", type=int, help="score only the first N documents of each TimeML corpus")
    parser.add_argument("--errors", type=int, default=0, metavar="K", help="print K wrong items of each kind")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    saved = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    if args.dataset in ("own", "all"):
        result = score_own(load_own(args.set))
        saved["own"] = report_own(result)
        if args.errors:
            own_errors(result, args.errors)
    if args.dataset != "own":
        run_tml(args, saved)
    write_results(args.json, saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
