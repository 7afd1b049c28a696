"""Score story and thread linking (``storyline.link.stories.cluster_stories``) with B-cubed.

* ``ecbplus``: ECB+ (982 news documents, 43 topics, 86 gold events: two similar events per
  topic). Stories are scored against ``event_cluster``, over the whole corpus and within
  each topic. ``--split dev`` (odd topics) is for developing rules, ``test`` (even topics)
  and ``all`` are for reporting.
* ``own``: ``eval/data/stories_set.jsonl``, gold ``story`` and ``thread`` per article.
* ``framing``: ``eval/data/framing_set.jsonl``, each event told in short leads by outlets of left,
  centre and right leanings in different words and frames, next to same-actor events on other
  days (gold ``story``; stories only).
* ``polnear``: the 33 PolNeAR articles of 7 outlets that the claim-group set
  (``eval/data/polnear_claims.jsonl``) assigns to 5 events of 2016 (gold ``story`` = event;
  texts from ``../shared/eval-data/quotes/polnear``; stories only).

Every article goes through the real annotation pass (cached under ``eval/.cache/``) and
``clustering_data.story_doc_from``; then ``cluster_stories`` is called once on all of them,
timed on its own. Baselines (each article alone; one cluster per topic; everything in one)
show what the numbers mean. eval/README.md spells the metric out. Usage:
``.venv/bin/python eval/clustering_eval.py [--dataset ecbplus|own|framing|polnear|all] [--split dev|test|all] [--limit N]
[--set PATH] [--framing-set PATH] [--polnear DIR]
[--shuffle SEED] [--per-topic] [--refresh-cache] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from math import comb
from pathlib import Path

from clustering_data import (ECBPLUS, FRAMING_SET, OWN_SET, POLNEAR, GoldDoc, annotate_cached, load_ecbplus, load_own,
                             load_polnear, story_docs)

from storyline.link.stories import StoryDoc, cluster_stories
from storyline.models import StoryAssignment
from evalkit import prf_text, rounded, write_results  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "clustering.json"
SMALL_SETS = ("own", "framing", "polnear")
"""The sets scored by :func:`run_stories_set` (results under their names)."""

Labels = Sequence[Hashable]
Clusterer = Callable[[Sequence[StoryDoc]], list[StoryAssignment]]


# --- The metric ----------------------------------------------------------------------------


def bcubed(pred: Labels, gold: Labels) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009).

    ``pred[i]`` and ``gold[i]`` are item i's predicted and gold cluster labels. For each item,
    precision is |C ∩ G| / |C| and recall |C ∩ G| / |G|, where C is its predicted cluster and G
    its gold one (both contain the item itself). Both are averaged over the items; F1 is the
    harmonic mean of the two averages.
    """
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predicted labels for {len(gold)} gold labels")
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    both, n_pred, n_gold = Counter(zip(pred, gold)), Counter(pred), Counter(gold)
    p = sum(both[pg] / n_pred[pg[0]] for pg in zip(pred, gold)) / len(gold)
    r = sum(both[pg] / n_gold[pg[1]] for pg in zip(pred, gold)) / len(gold)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def bcubed_within(pred: Labels, gold: Labels, groups: Labels) -> dict[str, float]:
    """B-cubed computed inside each group (ECB+ topic) and averaged over all items.

    A predicted cluster is cut at group borders: an item's C and G only hold items of its own
    group. Averaging the per-item values over all items weighs each topic by its size.
    """
    return bcubed(list(zip(groups, pred)), list(zip(groups, gold)))


def adjusted_rand(pred: Labels, gold: Labels) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985): pair agreement corrected for chance; 1 is perfect."""
    n = len(gold)
    if n < 2:
        return 1.0
    both = sum(comb(c, 2) for c in Counter(zip(pred, gold)).values())
    a = sum(comb(c, 2) for c in Counter(pred).values())
    b = sum(comb(c, 2) for c in Counter(gold).values())
    expected = a * b / comb(n, 2)
    top = (a + b) / 2
    return (both - expected) / (top - expected) if top != expected else 1.0


def linker_name() -> str:
    """The module and name of the clusterer being scored (written to the JSON with its figures)."""
    return f"{getattr(cluster_stories, '__module__', '?')}.{getattr(cluster_stories, '__qualname__', '?')}"


def clusters(labels: Labels) -> int:
    return len(set(labels))


# --- Running the linker --------------------------------------------------------------------


@dataclass(slots=True)
class Linked:
    """Predicted story and thread labels, aligned with the input documents, and the time taken."""

    stories: list[str]
    threads: list[str]
    seconds: float
    missing: int = 0
    """Documents the linker returned no assignment for (each then counts as its own story)."""


def link(docs: Sequence[StoryDoc], clusterer: Clusterer | None = None) -> Linked:
    """Call the clusterer (default ``cluster_stories``) once on ``docs``; align its assignments with them by id."""
    start = time.perf_counter()
    assignments = (clusterer or cluster_stories)(docs)
    seconds = time.perf_counter() - start
    by_id = {a.article_id: a for a in assignments}
    missing = sum(d.id not in by_id for d in docs)
    stories = [by_id[d.id].story_id if d.id in by_id else f"missing:{d.id}" for d in docs]
    threads = [by_id[d.id].thread_id if d.id in by_id else f"missing:{d.id}" for d in docs]
    return Linked(stories, threads, seconds, missing)


def link_shuffled(docs: Sequence[StoryDoc], seed: int, clusterer: Clusterer | None = None) -> Linked:
    """Link the documents in a shuffled order; the labels come back in the original order."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    shuffled = link([docs[i] for i in order], clusterer)
    stories, threads = [""] * len(docs), [""] * len(docs)
    for pos, i in enumerate(order):
        stories[i], threads[i] = shuffled.stories[pos], shuffled.threads[pos]
    return Linked(stories, threads, shuffled.seconds, shuffled.missing)


def link_per_group(docs: Sequence[StoryDoc], groups: Labels, clusterer: Clusterer | None = None) -> Linked:
    """Call the clusterer separately on each group's documents (gold ECB+ topics given)."""
    by_group: dict[Hashable, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by_group[g].append(i)
    stories, threads = [""] * len(docs), [""] * len(docs)
    seconds, missing = 0.0, 0
    for g, idx in by_group.items():
        part = link([docs[i] for i in idx], clusterer)
        seconds += part.seconds
        missing += part.missing
        for pos, i in enumerate(idx):
            stories[i], threads[i] = f"{g}/{part.stories[pos]}", f"{g}/{part.threads[pos]}"
    return Linked(stories, threads, seconds, missing)


def stories_across_threads(stories: Labels, threads: Labels) -> int:
    """Predicted stories whose articles were put in more than one thread (should be 0)."""
    seen: dict[Hashable, set[Hashable]] = defaultdict(set)
    for s, t in zip(stories, threads):
        seen[s].add(t)
    return sum(len(ts) > 1 for ts in seen.values())


# --- Tables --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: B-cubed (and within-topic B-cubed), ARI and the cluster counts."""

    bcubed: dict[str, float]
    ari: float
    clusters: int
    gold_clusters: int
    within_topic: dict[str, float] | None = None

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"bcubed": self.bcubed, "ari": self.ari, "clusters": self.clusters,
                                  "gold_clusters": self.gold_clusters}
        if self.within_topic is not None:
            out["bcubed_within_topic"] = self.within_topic
        return out


def score_row(pred: Labels, gold: Labels, groups: Labels | None = None) -> Row:
    """Score one clustering; within-group B-cubed too when groups (ECB+ topics) are given."""
    return Row(bcubed(pred, gold), adjusted_rand(pred, gold), clusters(pred), clusters(gold),
               bcubed_within(pred, gold, groups) if groups is not None else None)


def rows_json(rows: Mapping[str, Row]) -> dict[str, object]:
    return {name: rounded(r.as_json()) for name, r in rows.items()}


def print_table(title: str, rows: Mapping[str, Row]) -> None:
    within = any(r.within_topic is not None for r in rows.values())
    head = f"{'row':<34}{'clusters':>9}{'gold':>6}{'B3 P/R/F1':>20}{'ARI':>7}"
    print(f"\n{title}\n{head}{'within-topic P/R/F1':>22}" if within else f"\n{title}\n{head}")
    for name, r in rows.items():
        line = f"{name:<34}{r.clusters:>9}{r.gold_clusters:>6}{prf_text(r.bcubed):>20}{r.ari:>7.3f}"
        if r.within_topic is not None:
            line += f"{prf_text(r.within_topic):>22}"
        print(line)


def singletons(docs: Sequence[GoldDoc]) -> list[str]:
    return [d.id for d in docs]


def gold_threads(docs: Sequence[GoldDoc]) -> list[str]:
    """Gold thread labels; an article without one is in a thread of its own story only."""
    return [d.thread if d.thread is not None else f"story:{d.story}" for d in docs]


# --- Data sets -----------------------------------------------------------------------------


@dataclass(slots=True)
class Prepared:
    """A data set's gold documents, their StoryDocs and the annotation cost."""

    docs: list[GoldDoc]
    story_docs: list[StoryDoc]
    annotated: int
    annotate_seconds: float


def prepare(name: str, docs: Sequence[GoldDoc], refresh: bool) -> Prepared:
    ann = annotate_cached(name, docs, refresh=refresh)
    return Prepared(list(docs), story_docs(docs, ann.annotations), ann.computed, ann.seconds)


def timing(prep: Prepared, linked: Linked) -> dict[str, object]:
    """Print and return the annotation and linking times."""
    n = len(prep.docs)
    rate = n / linked.seconds if linked.seconds > 0 else float("inf")
    cached = n - prep.annotated
    print(f"\nannotation: {prep.annotate_seconds:.1f} s for {prep.annotated} articles ({cached} from the cache); "
          f"linking: {linked.seconds:.3f} s for {n} articles ({rate:,.0f} articles/s)")
    if linked.missing:
        print(f"warning: cluster_stories returned no assignment for {linked.missing} articles", file=sys.stderr)
    return {"articles": n, "annotated": prep.annotated, "annotate_seconds": round(prep.annotate_seconds, 2),
            "link_seconds": round(linked.seconds, 4),
            "link_articles_per_s": round(rate, 1) if rate != float("inf") else None,
            "missing_assignments": linked.missing}


def shuffle_rows(shuffled: Linked, linked: Linked, seed: int, gold: Labels, groups: Labels | None,
                 rows: dict[str, Row], what: str = "stories") -> None:
    """Add the shuffled-order row and print how far the two orders' clusterings agree."""
    labels = shuffled.stories if what == "stories" else shuffled.threads
    ours = linked.stories if what == "stories" else linked.threads
    rows[f"cluster_stories, shuffled (seed {seed})"] = score_row(labels, gold, groups)
    agree = bcubed(labels, ours)["f1"]
    print(f"order dependence ({what}): B3 F1 of the shuffled-order clustering against the input-order one = {agree:.3f}"
          f" (shuffled linking {shuffled.seconds:.2f} s)")


def run_ecbplus(args: argparse.Namespace) -> dict[str, object]:
    docs = load_ecbplus(args.data, args.split)[: args.limit]
    prep = prepare("ecbplus", docs, args.refresh_cache)
    gold, topics = [d.story for d in docs], [d.topic for d in docs]
    linked = link(prep.story_docs)
    rows = {"cluster_stories": score_row(linked.stories, gold, topics)}
    if args.per_topic:
        per_topic = link_per_group(prep.story_docs, topics)
        rows["cluster_stories, run per topic"] = score_row(per_topic.stories, gold, topics)
    print(f"\nECB+ split {args.split}: {len(docs)} documents, {clusters(topics)} topics, {clusters(gold)} gold events")
    if args.shuffle is not None:
        shuffle_rows(link_shuffled(prep.story_docs, args.shuffle), linked, args.shuffle, gold, topics, rows)
    rows["baseline: each article alone"] = score_row(singletons(docs), gold, topics)
    rows["baseline: one cluster per topic"] = score_row([str(t) for t in topics], gold, topics)
    rows["baseline: all in one"] = score_row(["all"] * len(docs), gold, topics)
    print_table("Stories vs ECB+ event_cluster", rows)
    return {"linker": linker_name(), "split": args.split, "limit": args.limit, "shuffle": args.shuffle,
            "documents": len(docs), "topics": clusters(topics), "timing": timing(prep, linked),
            "stories": rows_json(rows)}


def cross_outlet_pairs(pred: Labels, docs: Sequence[GoldDoc]) -> dict[str, int]:
    """Pairs of articles of different outlets: same-story pairs put in one story (joined of all), and
    different-story pairs put in one story (wrongly joined)."""
    same = joined = wrong = 0
    for i, a in enumerate(docs):
        for j in range(i + 1, len(docs)):
            b = docs[j]
            if a.outlet == b.outlet:
                continue
            together = pred[i] == pred[j]
            if a.story == b.story:
                same += 1
                joined += together
            else:
                wrong += together
    return {"same_story_pairs": same, "joined": joined, "wrongly_joined": wrong}


def run_stories_set(name: str, docs: Sequence[GoldDoc], args: argparse.Namespace) -> dict[str, object]:
    """Score stories (and threads where the set has them) of one of our sets or PolNeAR's events."""
    prep = prepare(name, docs, args.refresh_cache)
    gold_s = [d.story for d in docs]
    with_threads = any(d.thread is not None for d in docs)
    gold_t = gold_threads(docs)
    linked = link(prep.story_docs)
    threads_text = f", {clusters(gold_t)} gold threads" if with_threads else ""
    print(f"\n{name} set: {len(docs)} articles, {clusters(gold_s)} gold stories{threads_text}")
    tables: dict[str, dict[str, Row]] = {}
    shuffled = link_shuffled(prep.story_docs, args.shuffle) if args.shuffle is not None else None
    for what, gold, ours in (("stories", gold_s, linked.stories), ("threads", gold_t, linked.threads))[:2 if with_threads else 1]:
        rows = {"cluster_stories": score_row(ours, gold)}
        if shuffled is not None:
            shuffle_rows(shuffled, linked, args.shuffle, gold, None, rows, what)
        rows["baseline: each article alone"] = score_row(singletons(docs), gold)
        rows["baseline: all in one"] = score_row(["all"] * len(docs), gold)
        if what == "threads":
            rows["baseline: gold stories as threads"] = score_row(gold_s, gold)
        print_table(f"{what.capitalize()} vs gold {'story' if what == 'stories' else 'thread'}", rows)
        tables[what] = rows
    split = stories_across_threads(linked.stories, linked.threads)
    pairs = cross_outlet_pairs(linked.stories, docs)
    print(f"\npredicted stories spread over more than one thread: {split}")
    print(f"pairs of articles of different outlets: same-story pairs joined {pairs['joined']} of {pairs['same_story_pairs']}, "
          f"different-story pairs joined {pairs['wrongly_joined']}")
    return {"linker": linker_name(), "limit": args.limit, "shuffle": args.shuffle, "documents": len(docs),
            "timing": timing(prep, linked), "stories_across_threads": split, "cross_outlet_pairs": pairs,
            **{k: rows_json(v) for k, v in tables.items()}}


def load_set(name: str, args: argparse.Namespace) -> list[GoldDoc] | None:
    """The gold documents of one of the small sets (``--limit`` applied); None (reported) when missing or empty."""
    where = {"own": args.set, "framing": args.framing_set, "polnear": args.polnear}[name]
    loaded = load_polnear(root=args.polnear) if name == "polnear" else load_own(where)
    if not loaded:
        print(f"\n{name} set: {where} not found or without usable records, skipped", file=sys.stderr)
        return None
    return loaded[: args.limit]


def main(argv: Sequence[str] | None = None) -> int:
    """Score the chosen data sets, print the tables and merge the numbers into the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=("ecbplus", *SMALL_SETS, "all"), default="all")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all",
                        help="ECB+ topics: dev = odd (develop rules here), test = even, all")
    parser.add_argument("--data", type=Path, default=ECBPLUS, help="ECB+ ecbplus_docs.jsonl")
    parser.add_argument("--set", type=Path, default=OWN_SET, help="our own JSONL set")
    parser.add_argument("--framing-set", type=Path, default=FRAMING_SET, help="our multi-outlet framing set (JSONL)")
    parser.add_argument("--polnear", type=Path, default=POLNEAR, help="the PolNeAR folder (holding data/metadata.tsv)")
    parser.add_argument("--limit", type=int, help="use only the first N articles of each set (split)")
    parser.add_argument("--shuffle", type=int, metavar="SEED", help="also link a shuffled input order")
    parser.add_argument("--per-topic", action="store_true",
                        help="ECB+: also link each gold topic's articles on their own (gold topics given)")
    parser.add_argument("--refresh-cache", action="store_true", help="annotate again instead of using eval/.cache/")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    saved = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    if args.dataset in ("ecbplus", "all"):
        if args.data.exists():
            saved[f"ecbplus_{args.split}"] = run_ecbplus(args)
        else:
            print(f"ECB+ not found at {args.data}, skipped", file=sys.stderr)
    for name in SMALL_SETS:
        if args.dataset in (name, "all") and (docs := load_set(name, args)) is not None:
            saved[name] = run_stories_set(name, docs, args)
    write_results(args.json, saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
