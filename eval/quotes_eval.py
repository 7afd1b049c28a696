"""Score "who said what" (quotes, speakers, cues, attributions) on two human-annotated sets.

* Gender Gap Tracker (98 Canadian articles): the lab's own ``evaluate_quotes.py``
  metric, re-implemented: a predicted quote matches a gold quote when it covers
  more than 30 % (or 80 %) of the gold quote's characters; one-to-one, greedy in
  gold order. Speaker and verb accuracy on the matched quotes.
* PolNeAR (US election news, ``--split dev``): Content, Source and Cue spans of
  every attribution relation, with the same overlap rule and exact match, plus
  whole relations (content and source both right).

eval/README.md spells the metric out. Usage:
``.venv/bin/python eval/quotes_eval.py [--dataset ggt|polnear|all] [--limit N] [--show-errors K]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from quotes_data import QUOTE_MARKS, Article, Item, Region, load_ggt, load_polnear, predicted_items

from storyline.annotate import annotate_texts
from storyline.models import TextAnnotations
from evalkit import write_results  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT.parent / "shared" / "eval-data" / "quotes"
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "quotes.json"
THRESHOLDS = (0.3, 0.8)
TRIM = " \t\n\r\u00a0\u200b" + QUOTE_MARKS + ".,;:!?-–—…()[]"
_WORD_RE = re.compile(r"\w+")

Counts = tuple[int, int, int, int]
"""One article's (matched predictions, predictions, matched gold, gold) for one row."""
Score = Callable[[Region | None, Region | None], float]
T = TypeVar("T")


@dataclass(slots=True)
class Result:
    """Per-article counts by row name, for P/R/F1 rows and accuracy rows, and error examples."""

    prf: dict[str, list[Counts]] = field(default_factory=dict)
    acc: dict[str, list[Counts]] = field(default_factory=dict)
    errors: dict[str, list[tuple[str, Item | None, Item | None]]] = field(default_factory=dict)
    predicted: int = 0
    failures: int = 0
    seconds: float = 0.0

    def add(self, table: dict[str, list[Counts]], name: str, counts: Counts) -> None:
        """Append one article's counts to a row."""
        table.setdefault(name, []).append(counts)


# --- The metric ----------------------------------------------------------------------------


def overlap_ratio(gold: Region | None, pred: Region | None) -> float:
    """Return the share of the gold region's characters that the prediction covers (GGT's score)."""
    if gold is None or pred is None:
        return 0.0
    true = gold.chars()
    return len(true & pred.chars()) / len(true) if true else 0.0


def trimmed(reg: Region, text: str) -> tuple[int, int]:
    """Return the region's outer bounds without surrounding space, quote marks and punctuation."""
    start, end = reg.start, reg.end
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def exact_score(text: str) -> Score:
    """Return a score that is 1 when two regions have the same trimmed bounds, else 0."""
    return lambda g, p: float(g is not None and p is not None and trimmed(g, text) == trimmed(p, text))


def match(golds: Sequence[T], preds: Sequence[T], score: Callable[[T, T], float], threshold: float) -> dict[int, int]:
    """Pair gold and predicted spans (or items) one to one, as GGT's ``compare_res`` does.

    Each gold one in turn takes the best-scoring unused prediction whose score is
    strictly above ``threshold`` (the first one on ties). Returns gold index -> prediction index.
    """
    pairs: dict[int, int] = {}
    free = list(range(len(preds)))
    for g, gold in enumerate(golds):
        best, best_score = None, 0.0
        for p in free:
            s = score(gold, preds[p])
            if s > threshold and s > best_score:
                best, best_score = p, s
        if best is not None:
            pairs[g] = best
            free.remove(best)
    return pairs


def speaker_span_ok(gold: Item, pred: Item) -> bool:
    """GGT's speaker rule: the speaker spans overlap, or neither quote has a speaker in the text."""
    if gold.source is None and pred.source is None:
        return not gold.speaker_text.strip()
    return overlap_ratio(gold.source, pred.source) > 0


def name_tokens(name: str) -> list[str]:
    """Return the lower-cased words of a name."""
    return _WORD_RE.findall(name.lower())


def speaker_name_ok(gold: Item, pred: Item) -> bool:
    """Name rule: one name's words are a contiguous run of the other's ("Scheer" ~ "Andrew Scheer")."""
    true, guess = name_tokens(gold.speaker_name or gold.speaker_text), name_tokens(pred.speaker_name)
    if not true or not guess:
        return not true and not guess
    short, long = sorted((true, guess), key=len)
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


def cue_ok(gold: Item, pred: Item) -> bool:
    """GGT's verb rule: the cue words are equal, ignoring case and surrounding space."""
    return gold.cue_text.lower().strip() == pred.cue_text.lower().strip()


def counts(pairs: dict[int, int], golds: Sequence[Item], preds: Sequence[Item],
           keep: Callable[[Item], bool] = lambda item: True) -> Counts:
    """Count matched and total predictions and gold items, among those ``keep`` accepts."""
    matched = set(pairs.values())
    kept_preds = [i for i, item in enumerate(preds) if keep(item)]
    kept_gold = [i for i, item in enumerate(golds) if keep(item)]
    return (sum(i in matched for i in kept_preds), len(kept_preds), sum(i in pairs for i in kept_gold), len(kept_gold))


def accuracy(pairs: dict[int, int], golds: Sequence[Item], preds: Sequence[Item],
             ok: Callable[[Item, Item], bool]) -> Counts:
    """Count the matched pairs that ``ok`` accepts, as (right, matched, right, matched)."""
    right = sum(ok(golds[g], preds[p]) for g, p in pairs.items())
    return right, len(pairs), right, len(pairs)


def summarise(rows: Sequence[Counts]) -> dict[str, float]:
    """Return micro-averaged precision, recall and F1 over articles (GGT sums its counts)."""
    hit_p, n_p, hit_g, n_g = (sum(c[i] for c in rows) for i in range(4))
    p, r = (hit_p / n_p if n_p else 0.0), (hit_g / n_g if n_g else 0.0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "matched": hit_g, "predicted": n_p, "gold": n_g}


def bootstrap_std(rows: Sequence[Counts], key: str, draws: int, seed: int = 0) -> float:
    """Return the standard deviation of ``key`` over ``draws`` resamples of the articles."""
    if draws < 2 or not rows:
        return 0.0
    rng, n = random.Random(seed), len(rows)
    return statistics.stdev(summarise([rows[rng.randrange(n)] for _ in range(n)])[key] for _ in range(draws))


# --- Scoring the two data sets -------------------------------------------------------------


def score_ggt(article: Article, preds: list[Item], result: Result) -> None:
    """Add one GGT article's quote, speaker and verb counts to ``result``."""
    gold, text = article.gold, article.text
    g_spans, p_spans = [i.content for i in gold], [i.content for i in preds]
    levels = {f"@{t}": match(g_spans, p_spans, overlap_ratio, t) for t in THRESHOLDS}
    levels["exact"] = match(g_spans, p_spans, exact_score(text), 0.5)
    for level, pairs in levels.items():
        result.add(result.prf, f"quote {level}", counts(pairs, gold, preds))
        result.add(result.prf, f"  direct {level}", counts(pairs, gold, preds, lambda i: i.direct))
        result.add(result.prf, f"  indirect {level}", counts(pairs, gold, preds, lambda i: not i.direct))
        for name, ok in (("speaker span (GGT)", speaker_span_ok), ("speaker name", speaker_name_ok), ("verb", cue_ok)):
            result.add(result.acc, f"{name} {level}", accuracy(pairs, gold, preds, ok))
    _note_errors(result, article, preds, levels["@0.3"], levels["exact"], speaker_name_ok)


def score_polnear(article: Article, preds: list[Item], result: Result) -> None:
    """Add one PolNeAR article's content, source, cue and relation counts to ``result``."""
    gold, text = article.gold, article.text
    g_spans, p_spans = [i.content for i in gold], [i.content for i in preds]
    pairs = match(g_spans, p_spans, overlap_ratio, 0.3)
    exact = match(g_spans, p_spans, exact_score(text), 0.5)
    result.add(result.prf, "content @0.3", counts(pairs, gold, preds))
    result.add(result.prf, "content exact", counts(exact, gold, preds))
    result.add(result.prf, "  direct content @0.3", counts(pairs, gold, preds, lambda i: i.direct))
    result.add(result.prf, "  direct content exact", counts(exact, gold, preds, lambda i: i.direct))
    for role in ("source", "cue"):
        g_role, p_role = _distinct(gold, role), _distinct(preds, role)
        g_spans, p_spans = [i.content for i in g_role], [i.content for i in p_role]
        result.add(result.prf, f"{role} @0.3", counts(match(g_spans, p_spans, overlap_ratio, 0.3), g_role, p_role))
        result.add(result.prf, f"{role} exact", counts(match(g_spans, p_spans, exact_score(text), 0.5), g_role, p_role))
    score_direct_quotes(article, preds, result)
    relations = match(gold, preds, relation_score, 0.3)
    result.add(result.prf, "relation (content @0.3 + source)", counts(relations, gold, preds))
    result.add(result.acc, "source span on matched content @0.3", accuracy(pairs, gold, preds, _source_ok))
    result.add(result.acc, "cue words on matched content @0.3", accuracy(pairs, gold, preds, cue_ok))
    _note_errors(result, article, preds, pairs, exact, _source_ok)


PRONOUNS = frozenset("i me my we us our you your he him his she her they them their it its one who "
                     "this that these those which".split())


TITLES = frozenset("mr mrs ms miss dr sen rep gov president senator representative secretary gen prof rev "
                   "judge justice mayor".split())


def token_starts(text: str) -> list[int]:
    """Return the first offset of every ``\\w+`` token of ``text``."""
    return [m.start() for m in _WORD_RE.finditer(text)]


def token_overlap(starts: Sequence[int]) -> Score:
    """Return the issue [9] direct-quote ratio: gold tokens the prediction covers / gold tokens.

    A token belongs to a region when its first character lies inside it.
    """
    def tokens(reg: Region) -> set[int]:
        return {t for t in starts if any(s <= t < e for s, e in reg.ranges)}

    def score(gold: Region | None, pred: Region | None) -> float:
        if gold is None or pred is None:
            return 0.0
        g = tokens(gold)
        return len(g & tokens(pred)) / len(g) if g else 0.0
    return score


def source_words_ok(gold: Item, pred: Item) -> bool:
    """Issue [9] speaker rule: the gold source's words and our speaker's (its words or its actor
    name) are one a contiguous run of the other, ours holding a word that is not a pronoun or article.

    "House Speaker Paul Ryan, the convention chair," ~ "Paul Ryan"; "Trump" ~ "Donald Trump"; a leading
    title of the gold words is dropped first ("Mr. Trump" ~ "Donald J. Trump").
    """
    true = name_tokens(gold.speaker_text)
    while len(true) > 1 and true[0] in TITLES:
        true = true[1:]  # "Mr. Trump" ~ "Donald J. Trump": a title is no word of the name
    for ours in (name_tokens(pred.speaker_text), name_tokens(pred.speaker_name)):
        if not any(w not in PRONOUNS | {"the", "a", "an"} for w in ours):
            continue
        short, long = sorted((true, ours), key=len)
        if any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1)):
            return True
    return False


def named_source(item: Item) -> bool:
    """Tell whether a gold item has a source other than pronouns."""
    words = name_tokens(item.speaker_text)
    return bool(words) and not all(w in PRONOUNS for w in words)


def joined_parts(text: str, quotes: Sequence[Item]) -> list[Item]:
    """Join one speaker's consecutive direct quotes into one item, PolNeAR's unit of a quotation.

    PolNeAR annotates "“A,” she said. “B.”" as one relation whose content has two ranges;
    we (like the Gender Gap Tracker) give two quotes. Two quotes join when they have the same
    resolved speaker and at most 12 words, and no paragraph break, lie between them.
    """
    joined: list[Item] = []
    for item in quotes:
        last = joined[-1] if joined else None
        if (last is not None and last.content and item.content and item.speaker_name
                and item.speaker_name == last.speaker_name):
            gap = text[last.content.end : item.content.start]
            if "\n" not in gap and len(gap.split()) <= 12:
                joined[-1] = replace(last, content=Region(last.content.ranges + item.content.ranges))
                continue
        joined.append(item)
    return joined


def score_direct_quotes(article: Article, preds: Sequence[Item], result: Result) -> None:
    """Issue [9] rows: gold contents opening with a quotation mark against our direct quotes only.

    A pair matches when our quote covers at least half of the gold content's tokens (one to
    one, greedy in gold order); speaker accuracy is over matched pairs whose gold source is
    not a pronoun.
    """
    gold = [i for i in article.gold if i.direct]
    overlap = token_overlap(token_starts(article.text))
    direct = sorted((i for i in preds if i.quote and i.direct), key=lambda i: i.content.start if i.content else 0)
    separate = match([i.content for i in gold], [i.content for i in direct], overlap, 0.5 - 1e-9)
    result.add(result.prf, "direct quotes, parts apart", counts(separate, gold, direct))
    ours = joined_parts(article.text, direct)
    pairs = match([i.content for i in gold], [i.content for i in ours], overlap, 0.5 - 1e-9)
    result.add(result.prf, "direct quotes (tokens >= 0.5)", counts(pairs, gold, ours))
    named = {g: p for g, p in pairs.items() if named_source(gold[g])}
    result.add(result.acc, "direct quote speaker (source words)", accuracy(named, gold, ours, source_words_ok))
    for g, item in enumerate(gold):
        if g in named and not source_words_ok(item, ours[named[g]]):
            result.errors.setdefault("direct quote, wrong speaker", []).append((article.id, item, ours[named[g]]))
    for p in set(range(len(ours))) - set(pairs.values()):
        result.errors.setdefault("direct quote, not gold direct", []).append((article.id, None, ours[p]))
    for g in set(range(len(gold))) - set(pairs):
        result.errors.setdefault("direct quote, missed", []).append((article.id, gold[g], None))


def _distinct(items: Sequence[Item], role: str) -> list[Item]:
    """Return the distinct regions of one role (source or cue), each wrapped as an item's content."""
    regions = dict.fromkeys(r for r in (getattr(i, role) for i in items) if r is not None)
    return [Item(r, None, None, False) for r in regions]


def _source_ok(gold: Item, pred: Item) -> bool:
    """Sources overlap, or both relations lack one."""
    return overlap_ratio(gold.source, pred.source) > 0 if gold.source or pred.source else True


def relation_score(gold: Item, pred: Item) -> float:
    """Score a relation pair by content overlap, zero unless the sources agree too."""
    return overlap_ratio(gold.content, pred.content) if _source_ok(gold, pred) else 0.0


def _note_errors(result: Result, article: Article, preds: Sequence[Item], pairs: dict[int, int],
                 exact: dict[int, int], speaker_ok: Callable[[Item, Item], bool]) -> None:
    """Keep missed, spurious, wrongly attributed and mis-bounded items for ``--show-errors``."""
    found = set(pairs.values())
    notes = result.errors
    for g, item in enumerate(article.gold):
        if g not in pairs:
            notes.setdefault("missed", []).append((article.id, item, None))
        elif not speaker_ok(item, preds[pairs[g]]):
            notes.setdefault("wrong speaker", []).append((article.id, item, preds[pairs[g]]))
        elif g not in exact:
            notes.setdefault("boundary (matched, not exact)", []).append((article.id, item, preds[pairs[g]]))
    for p, item in enumerate(preds):
        if p not in found:
            notes.setdefault("spurious", []).append((article.id, None, item))


# --- Running and reporting -----------------------------------------------------------------


def annotate(texts: Sequence[str], result: Result) -> Iterator[TextAnnotations]:
    """Annotate texts in batches; if a batch fails, redo it text by text and count failures."""
    try:
        yield from list(annotate_texts(texts))
        return
    except Exception as exc:  # noqa: BLE001 - one bad text must not stop the evaluation
        print(f"batch failed ({exc!r}); annotating one text at a time", file=sys.stderr)
    for text in texts:
        try:
            yield next(iter(annotate_texts([text])))
        except Exception:  # noqa: BLE001
            result.failures += 1
            yield TextAnnotations()


def evaluate(articles: Sequence[Article], scorer: Callable[[Article, list[Item], Result], None],
             with_attributions: bool) -> tuple[Result, list[list[Item]]]:
    """Annotate every article, score it, and return the result with the predictions."""
    result, start = Result(), time.perf_counter()
    found = list(annotate([a.text for a in articles], result))
    result.seconds = time.perf_counter() - start
    all_preds = []
    for article, annotations in zip(articles, found, strict=True):
        preds = predicted_items(annotations, article.text, with_attributions=with_attributions)
        result.predicted += len(preds)
        scorer(article, preds, result)
        all_preds.append(preds)
    return result, all_preds


def table(title: str, result: Result, draws: int) -> dict[str, object]:
    """Print one data set's tables and return them as plain numbers."""
    print(f"\n{title}  ({result.seconds:.1f} s annotating, {result.failures} failures, F1 ± bootstrap std)")
    print(f"{'row':<40}{'precision':>10}{'recall':>9}{'F1':>16}{'gold':>7}{'pred':>7}{'match':>7}")
    rows: dict[str, object] = {}
    for name, per_doc in result.prf.items():
        m = summarise(per_doc) | {"f1_std": bootstrap_std(per_doc, "f1", draws)}
        rows[name.strip()] = _rounded(m)
        f1 = f"{m['f1']:.3f} ± {m['f1_std']:.3f}"
        print(f"{name:<40}{m['precision']:>10.3f}{m['recall']:>9.3f}{f1:>16}{m['gold']:>7}{m['predicted']:>7}{m['matched']:>7}")
    print(f"\n{'accuracy on matched items':<40}{'accuracy':>10}{'std':>9}{'right':>8}{'of':>7}")
    for name, per_doc in result.acc.items():
        m, std = summarise(per_doc), bootstrap_std(per_doc, "precision", draws)
        rows[name] = _rounded({"accuracy": m["precision"], "std": std, "right": m["matched"], "matched": m["predicted"]})
        print(f"{name:<40}{m['precision']:>10.3f}{std:>9.3f}{m['matched']:>8}{m['predicted']:>7}")
    return {"failures": result.failures, "seconds": round(result.seconds, 2), "rows": rows}


def _rounded(numbers: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in numbers.items()}


def show_errors(articles: Sequence[Article], result: Result, k: int) -> None:
    """Print k random examples of each kind of error, with a little context (terminal only)."""
    texts = {a.id: a.text for a in articles}
    rng = random.Random(0)
    for kind, examples in result.errors.items():
        print(f"\n--- {kind}: {len(examples)} in all, {min(k, len(examples))} shown")
        for doc, gold, pred in rng.sample(examples, min(k, len(examples))):
            for label, item in (("gold", gold), ("ours", pred)):
                if item is not None:
                    print(f"  {label} {doc[:12]} {_context(texts[doc], item)}")
                    print(f"       speaker={item.speaker_text!r} name={item.speaker_name!r} cue={item.cue_text!r} "
                          f"direct={item.direct}")


def _context(text: str, item: Item) -> str:
    """Return the item's text in brackets with 40 characters either side, on one line."""
    if item.content is None:
        return "[[gold quote not found in the text]]"
    s, e = item.content.start, item.content.end
    body = text[s:e] if e - s <= 160 else f"{text[s : s + 100]} ... {text[e - 50 : e]}"
    return " ".join(f"{text[max(0, s - 40) : s]}[[{body}]]{text[e : e + 40]}".split())


def main(argv: Sequence[str] | None = None) -> int:
    """Score the chosen data sets, print the tables and merge the numbers into the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=("ggt", "polnear", "all"), default="all")
    parser.add_argument("--split", choices=("dev", "train"), default="dev", help="PolNeAR split (report dev)")
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding gender_gap_tracker/ and polnear/")
    parser.add_argument("--limit", type=int, help="score only the first N articles of each data set")
    parser.add_argument("--show-errors", type=int, default=0, metavar="K", help="print K examples of each error kind")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap draws for the spread")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    saved = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    runs = []
    if args.dataset in ("ggt", "all"):
        runs.append(("ggt", "Gender Gap Tracker: quotes", load_ggt(args.data / "gender_gap_tracker" / "annotations.jsonl",
                                                                  args.limit), score_ggt, False))
    if args.dataset in ("polnear", "all"):
        runs.append(("polnear", f"PolNeAR {args.split}: attribution relations (quotes + attributions)",
                     load_polnear(args.data / "polnear", args.split, args.limit), score_polnear, True))
    for key, title, articles, scorer, with_attributions in runs:
        result, _ = evaluate(articles, scorer, with_attributions)
        gold = sum(len(a.gold) for a in articles)
        print(f"\n{len(articles)} articles, {gold} gold items, {result.predicted} predicted")
        saved[key] = {"articles": len(articles), "limit": args.limit, "gold_items": gold,
                      "predicted_items": result.predicted, **table(title, result, args.bootstrap)}
        if key == "polnear":
            saved[key]["split"] = args.split
        if args.show_errors:
            show_errors(articles, result, args.show_errors)
    write_results(args.json, saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
