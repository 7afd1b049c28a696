"""Score quotes, attribution chains, labels and actor variants on our own annotated set.

The set is ``eval/data/attribution_set.jsonl`` (77 invented passages; conventions in
eval/data/README.md). Gold strings carry no offsets: they are located with the README's
``occurrences`` rule. The quote rows reuse ``quotes_eval``'s metric (overlap > 0.3 of the
gold span, trimmed exact match, speaker-name and cue rules); eval/README.md lists the rest.
Usage: ``.venv/bin/python eval/attribution_eval.py [--show-errors K]``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotes_data import Article, Item, Region, predicted_items, region
from quotes_eval import (Result, accuracy, annotate, counts, cue_ok, match, name_tokens, overlap_ratio, score_ggt,
                         show_errors, table)

from storyline.annotate.registry import ActorRegistry
from storyline.models import Attribution, Mention, Span, TextAnnotations
from evalkit import write_results  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "eval" / "data" / "attribution_set.jsonl"
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "attribution_own.json"
LABEL_THRESHOLD = 0.5
LABEL_KINDS = ("title", "appositive", "epithet")
Record = dict[str, Any]
Errors = dict[str, list[str]]
Place = tuple[str, str]
"""(passage id, name as written): where one spelling of a name occurs."""
Found = dict[Place, set[tuple[str, str]]]
"""For each place we found a name: the (registry id, entity type) pairs our mentions there got."""


@dataclass(frozen=True, slots=True)
class Chain:
    """One attribution, gold or ours: where the content came from and through which outlets."""

    content: Region | None
    source: Region | None
    kind: str
    count: int | None
    via: tuple[str, ...]
    content_text: str
    source_text: str


@dataclass(frozen=True, slots=True)
class GoldLabel:
    """One gold label: its place in the text, the actor it describes and its kind."""

    where: Region | None
    text: str
    actor: str
    kind: str


# --- Locating gold strings -----------------------------------------------------------------


def occurrences(text: str, s: str) -> list[int]:
    """Return the starts of ``s`` in ``text``, skipping matches glued to a letter or digit (README rule)."""
    out, i = [], 0
    while s and (i := text.find(s, i)) >= 0:
        e = i + len(s)
        glued_before = s[0].isalnum() and i > 0 and text[i - 1].isalnum()
        glued_after = s[-1].isalnum() and e < len(text) and text[e].isalnum()
        if not (glued_before or glued_after):
            out.append(i)
        i += 1
    return out


def locate(text: str, s: str | None, occurrence: int | None = None) -> Region | None:
    """Return the region of the ``occurrence``-th (1-based, default first) match of ``s``, or None."""
    starts = occurrences(text, s) if s else []
    n = (occurrence or 1) - 1
    return region(starts[n], starts[n] + len(s or "")) if 0 <= n < len(starts) else None


def via_key(names: Sequence[str]) -> tuple[str, ...]:
    """Return outlet names lower-cased and without a leading "the " ("The Harbour Ledger" ~ "Harbour Ledger")."""
    return tuple(n.strip().lower().removeprefix("the ").strip() for n in names)


def surname_ok(name: str, actor: str) -> bool:
    """Tell whether our resolved ``name`` equals or contains the gold actor's surname as a word."""
    surname = name_tokens(actor)[-1:]
    return bool(surname) and surname[0] in name_tokens(name)


def bare_name(text: str) -> str:
    """Return a name mention without a leading "the/The" or a possessive ending, as gold variants are written."""
    for prefix in ("the ", "The "):
        text = text.removeprefix(prefix)
    for suffix in ("'s", "’s", "'", "’"):
        text = text.removesuffix(suffix)
    return text.strip()


# --- Gold and ours in one shape ------------------------------------------------------------


def gold_quotes(record: Record) -> Article:
    """Turn a record's quotes into a ``quotes_eval`` article (speaker name and cue words kept)."""
    text = record["text"]
    items = tuple(Item(
        content=locate(text, q["text"], q.get("occurrence")),
        source=locate(text, q["speaker"], q.get("speaker_occurrence")),
        cue=locate(text, q["cue"], q.get("cue_occurrence")),
        direct=bool(q["direct"]), speaker_name=q["speaker_name"] or "",
        speaker_text=q["speaker"] or "", cue_text=q["cue"] or "") for q in record["quotes"])
    return Article(record["id"], text, items)


def gold_chains(record: Record) -> list[Chain]:
    """Return a record's gold attributions as chains."""
    text = record["text"]
    return [Chain(locate(text, a["content"], a.get("occurrence")),
                  locate(text, a["source"], a.get("source_occurrence")),
                  a["source_kind"], a["count"], tuple(a["via"]), a["content"], a["source"] or "")
            for a in record["attributions"]]


def our_chains(found: TextAnnotations) -> list[Chain]:
    """Return our attributions as chains."""
    return [Chain(_region(a.content), _region(a.source), a.source_kind, a.count,
                  tuple(v.text for v in a.via), a.content.text, a.source.text if a.source else "")
            for a in found.attributions]


def _region(span: Span | None) -> Region | None:
    return region(span.start, span.end) if span is not None and span.end > span.start else None


# --- Scoring -------------------------------------------------------------------------------

CHAIN_CHECKS: dict[str, Callable[[Chain, Chain], bool]] = {
    "source": lambda g, p: overlap_ratio(g.source, p.source) > 0 if g.source or p.source else True,
    "source_kind": lambda g, p: g.kind == p.kind,
    "count": lambda g, p: g.count == p.count,
    "via": lambda g, p: via_key(g.via) == via_key(p.via),
}


def chain_ok(gold: Chain, ours: Chain) -> bool:
    """Tell whether source, kind, count and via are all right (the "full chain" row)."""
    return all(check(gold, ours) for check in CHAIN_CHECKS.values())


def score_attributions(record: Record, found: TextAnnotations, result: Result, errors: Errors) -> None:
    """Match attributions by content overlap (> 0.3) and check each part of the chain on the matches."""
    golds, ours = gold_chains(record), our_chains(found)
    pairs = match([g.content for g in golds], [p.content for p in ours], overlap_ratio, 0.3)
    result.add(result.prf, "attribution content @0.3", counts(pairs, golds, ours))  # type: ignore[arg-type]
    tag = f"{record['id']}/{record['pattern']}"
    for name, check in (*CHAIN_CHECKS.items(), ("full chain", chain_ok)):
        result.add(result.acc, f"{name} on matched", accuracy(pairs, golds, ours, check))  # type: ignore[arg-type]
        for g, p in pairs.items():
            if name != "full chain" and not check(golds[g], ours[p]):
                errors.setdefault(f"attribution: wrong {name}", []).append(_chain_diff(tag, golds[g], ours[p]))
    for g, gold in enumerate(golds):
        if g not in pairs:
            errors.setdefault("attribution: missed", []).append(f"{tag} {_chain_line(gold)}")
    for p, pred in enumerate(ours):
        if p not in pairs.values():
            errors.setdefault("attribution: spurious", []).append(f"{tag} {_chain_line(pred)}")


def _chain_line(chain: Chain) -> str:
    return (f"[[{chain.content_text[:90]}]] source={chain.source_text!r} kind={chain.kind} "
            f"count={chain.count} via={list(chain.via)}")


def _chain_diff(tag: str, gold: Chain, ours: Chain) -> str:
    return f"{tag}\n       gold {_chain_line(gold)}\n       ours {_chain_line(ours)}"


def score_labels(record: Record, found: TextAnnotations, result: Result, errors: Errors) -> None:
    """Match our label mentions to gold labels: span overlap > 0.5 and the right actor's surname."""
    text = record["text"]
    golds = [GoldLabel(locate(text, lab["label"], lab.get("occurrence")), lab["label"], lab["actor"], lab["kind"])
             for lab in record["labels"]]
    ours = [m for m in found.mentions if m.kind == "label"]

    def score(gold: GoldLabel, mention: Mention) -> float:
        ok = surname_ok(mention.name, gold.actor)
        return overlap_ratio(gold.where, region(mention.start, mention.end)) if ok else 0.0

    pairs = match(golds, ours, score, LABEL_THRESHOLD)  # type: ignore[arg-type]  # gold and ours differ in type
    result.add(result.prf, "label", counts(pairs, golds, ours))  # type: ignore[arg-type]
    for kind in LABEL_KINDS:
        of_kind = [g for g, gold in enumerate(golds) if gold.kind == kind]
        hit = sum(g in pairs for g in of_kind)
        result.add(result.acc, f"label recall: {kind}", (hit, len(of_kind), hit, len(of_kind)))
    tag = f"{record['id']}/{record['pattern']}"
    for g, gold in enumerate(golds):
        if g not in pairs:
            near = [f"{m.text!r}->{m.name!r}" for m in ours if overlap_ratio(gold.where, region(m.start, m.end))]
            errors.setdefault(f"label missed: {gold.kind}", []).append(
                f"{tag} {gold.text!r} for {gold.actor!r}; our labels there: {near or 'none'}")
    for p, m in enumerate(ours):
        if p not in pairs.values():
            errors.setdefault("label spurious", []).append(f"{tag} {m.text!r}->{m.name!r} ({m.evidence})")


def score_actors(records: Sequence[Record], found: Sequence[TextAnnotations], result: Result, errors: Errors) -> None:
    """Feed every name mention into one registry, then check how gold name variants were found and grouped."""
    registry, ids = ActorRegistry(), Found()
    for record, annotations in zip(records, found, strict=True):
        for m in annotations.mentions:
            if m.kind == "name":
                actor = registry.resolve(m.name, m.entity_type)
                ids.setdefault((record["id"], bare_name(m.text)), set()).add((actor.id, actor.type))
    gold: dict[tuple[str, str], list[Place]] = {}
    for record in records:
        for actor in record["actors"]:
            for variant in actor["variants"]:
                gold.setdefault((actor["name"], actor["type"]), []).append((record["id"], variant))
    for (name, kind), seen in gold.items():
        hits = [pair for pair in seen if pair in ids]
        typed = sum(kind in {t for _, t in ids[pair]} for pair in hits)
        for row, right in (("name variants found", len(hits)), ("  found, gold type", typed), (f"  {kind}", len(hits))):
            result.add(result.acc, row, (right, len(seen), right, len(seen)))
        for doc, variant in seen:
            if (doc, variant) not in ids:
                errors.setdefault("actor variant not found", []).append(f"{doc} {variant!r} ({kind} {name!r})")
            elif kind not in {t for _, t in ids[(doc, variant)]}:
                ours = sorted(ids[(doc, variant)])
                errors.setdefault("actor wrong type", []).append(f"{doc} {variant!r}: gold {kind}, ours {ours}")
    _score_grouping(gold, ids, result, errors)


def _score_grouping(gold: dict[tuple[str, str], list[Place]], ids: Found, result: Result, errors: Errors) -> None:
    """Count gold actors with two or more spellings whose found mentions all got one registry id."""
    for (name, _), seen in gold.items():
        hits = [pair for pair in seen if pair in ids]
        if len({v for _, v in seen}) < 2 or len(hits) < 2:
            continue  # one spelling, or fewer than two found mentions: nothing to group
        grouped = {i for pair in hits for i, _ in ids[pair]}
        result.add(result.acc, "variant grouping (one id)", (len(grouped) == 1, 1, len(grouped) == 1, 1))
        if len(grouped) > 1:
            parts = ", ".join(f"{d}:{v!r}->{sorted(i for i, _ in ids[(d, v)])}" for d, v in hits)
            errors.setdefault("actor variants split", []).append(f"{name!r}: {parts}")


# --- Running and reporting -----------------------------------------------------------------


def evaluate(records: Sequence[Record]) -> tuple[dict[str, Result], Errors, list[Article]]:
    """Annotate every passage once and score the four parts; return results, errors and quote articles."""
    results = {key: Result() for key in ("quotes", "attributions", "labels", "actors")}
    start = time.perf_counter()
    found = list(annotate([r["text"] for r in records], results["quotes"]))
    for result in results.values():  # one annotation run serves all four parts
        result.seconds, result.failures = time.perf_counter() - start, results["quotes"].failures
    errors: Errors = {}
    articles = [gold_quotes(r) for r in records]
    for record, article, annotations in zip(records, articles, found, strict=True):
        preds = predicted_items(annotations, article.text, with_attributions=False)
        results["quotes"].predicted += len(preds)
        score_ggt(article, preds, results["quotes"])
        _note_cue_errors(article, preds, errors)
        score_attributions(record, annotations, results["attributions"], errors)
        score_labels(record, annotations, results["labels"], errors)
    score_actors(records, found, results["actors"], errors)
    return results, errors, articles


def _note_cue_errors(article: Article, preds: Sequence[Item], errors: Errors) -> None:
    """Keep quotes matched @0.3 whose cue words differ (``quotes_eval`` notes speakers, not cues)."""
    pairs = match([g.content for g in article.gold], [p.content for p in preds], overlap_ratio, 0.3)
    for g, p in pairs.items():
        if not cue_ok(article.gold[g], preds[p]):
            errors.setdefault("quote: wrong cue", []).append(
                f"{article.id} gold {article.gold[g].cue_text!r} ours {preds[p].cue_text!r}")


def print_errors(errors: Errors, k: int) -> None:
    """Print k random examples (seed 0) of each error kind (terminal only)."""
    rng = random.Random(0)
    for kind, lines in sorted(errors.items()):
        print(f"\n--- {kind}: {len(lines)} in all, {min(k, len(lines))} shown")
        for line in rng.sample(lines, min(k, len(lines))):
            print(f"  {line}")


def main(argv: Sequence[str] | None = None) -> int:
    """Score the set, print the tables and write the numbers to JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the attribution_set.jsonl file")
    parser.add_argument("--show-errors", type=int, default=0, metavar="K", help="print K examples of each error kind")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap draws for the spread")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    results, errors, articles = evaluate(records)
    print(f"{len(records)} passages, {results['quotes'].failures} failures")
    titles = {"quotes": "Quotes (GGT metric)", "attributions": "Attribution chains",
              "labels": f"Labels (overlap > {LABEL_THRESHOLD} and actor surname)", "actors": "Actor name variants"}
    saved: dict[str, object] = {"passages": len(records)}
    for key, result in results.items():
        saved[key] = table(titles[key], result, args.bootstrap)
    if args.show_errors:
        show_errors(articles, results["quotes"], args.show_errors)
        print_errors(errors, args.show_errors)
    write_results(args.json, saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
