"""ECB+ cross-document event coreference as a test of claim grouping.

The selected ECB+ documents are ingested through the public API (``storyline.ingest``: cleaning,
annotation and claim linking for real) and every gold sentence is mapped to the stored claim
that overlaps it most. A gold sentence is one holding at least one ``ACTION_*`` mention of an
event instance that has mentions in two or more documents. Two gold sentences of different
documents of one topic are the same when they share such an instance (``any``), or, in the
strict variant, when their main instances (the first such mention of each sentence) are equal
(``main``). They are predicted the same when both claims are in one claim group. The script
reports pairwise precision, recall and F1, overall and within the ``ecb`` / ``ecbplus`` halves.
eval/README.md spells the metric out. Usage:
``.venv/bin/python eval/ecb_claims_eval.py [--topics 1-10|all] [--split dev|test|all] [--title none|first] [--errors K] [--db PATH] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from clustering_data import ECBPLUS, detokenise  # noqa: E402
from evalkit import prf_text, rounded, write_results, best_span, folded, ingest_fresh, overlap, predicted_same  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "ecb_claims.json"
DEFAULT_TOPICS = 10
"""Without ``--topics``, the first this many topic numbers of the set (1-10: 231 documents)."""
MIN_OVERLAP = 0.5
"""A gold sentence takes a claim only when they share at least this share of the shorter one's characters."""
HALVES = ("all", "ecb", "ecbplus")
VARIANTS = ("any", "main")
_URL_LINE = re.compile(r"^(https?|www)\b", re.IGNORECASE)
_FINAL_STOP = re.compile(r"[.!?][\"'”’)]*$")


# --- Gold items ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One gold sentence: a sentence of a document holding an ACTION mention of a cross-document event."""

    doc: str
    topic: int
    half: str
    """``ecb`` or ``ecbplus`` (the document's subtopic)."""
    line: int
    """Sentence index in the document (0-based line of its text)."""
    text: str
    """The detokenised sentence."""
    instances: frozenset[str]
    """Every cross-document ACTION instance mentioned in the sentence."""
    main: str
    """The instance of the sentence's first ACTION mention that belongs to a cross-document instance."""


def tokens(text: str) -> list[str]:
    """The tokens ``token_ids`` count (1-based): the text split on spaces and newlines only.

    A few ECB+ tokens hold a tab or a non-breaking space, so ``str.split()`` would shift them.
    """
    return [t for t in re.split(r"[ \n]+", text) if t]


def token_lines(text: str) -> list[int]:
    """The 0-based line (sentence) of every token of ``tokens(text)``."""
    out: list[int] = []
    for n, line in enumerate(text.split("\n")):
        out.extend(n for t in line.split(" ") if t)
    return out


def mismatched_mentions(rec: Mapping) -> int:
    """How many mentions of a document do not read as their tokens (a check of the 1-based indexing)."""
    toks = tokens(rec["text"])
    return sum(" ".join(toks[i - 1] for i in m["token_ids"] if 0 < i <= len(toks)).split() != m["text"].split()
               for inst in rec["cross_doc_coref"] for m in inst["mentions"])


def is_action(tag: str) -> bool:
    """Event mentions: tags starting with ``ACTION_`` (``NEG_ACTION_*`` is left out)."""
    return tag.startswith("ACTION_")


def cross_doc_instances(recs: Iterable[Mapping]) -> set[str]:
    """Instance ids that have mentions in at least two documents."""
    docs: dict[str, set[str]] = defaultdict(set)
    for rec in recs:
        for inst in rec["cross_doc_coref"]:
            if inst["mentions"]:
                docs[inst["instance_id"]].add(rec["doc_name"])
    return {i for i, names in docs.items() if len(names) >= 2}


def gold_items(rec: Mapping, cross: set[str]) -> list[GoldItem]:
    """The gold sentences of one document, in text order."""
    lines_of = token_lines(rec["text"])
    first: dict[int, list[tuple[int, str]]] = defaultdict(list)  # line -> (first token id, instance)
    for inst in rec["cross_doc_coref"]:
        if inst["instance_id"] not in cross:
            continue
        for m in inst["mentions"]:
            ids = [i for i in m["token_ids"] if 1 <= i <= len(lines_of)]
            if is_action(m["tag"]) and ids:
                first[lines_of[min(ids) - 1]].append((min(ids), inst["instance_id"]))
    sentences = detokenise(rec["text"]).split("\n")
    items = []
    for line in sorted(first):
        mentions = sorted(first[line])
        items.append(GoldItem(rec["doc_name"], int(rec["topic"]), rec["subtopic"], line, sentences[line],
                              frozenset(i for _, i in mentions), mentions[0][1]))
    return items


def gold_same(a: GoldItem, b: GoldItem, variant: str = "any") -> bool:
    """``any``: the sentences share a cross-document ACTION instance; ``main``: their main instances are equal."""
    return a.main == b.main if variant == "main" else bool(a.instances & b.instances)


# --- The pairwise metric -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairCounts:
    """Pairs of items of different documents of one topic."""

    pairs: int
    gold: int
    predicted: int
    tp: int

    def scores(self) -> dict[str, float | int]:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                "pairs": self.pairs, "gold_pairs": self.gold, "predicted_pairs": self.predicted, "tp": self.tp}


def in_half(a: GoldItem, b: GoldItem, half: str) -> bool:
    """``all``: any pair; ``ecb`` / ``ecbplus``: both documents in that half."""
    return half == "all" or a.half == b.half == half


def candidate_pairs(items: Sequence[GoldItem], half: str = "all") -> Iterable[tuple[int, int]]:
    """Index pairs (i < j) of items of different documents of one topic, in the half."""
    by_topic: dict[int, list[int]] = defaultdict(list)
    for n, it in enumerate(items):
        by_topic[it.topic].append(n)
    for idx in by_topic.values():
        for x, i in enumerate(idx):
            for j in idx[x + 1:]:
                if items[i].doc != items[j].doc and in_half(items[i], items[j], half):
                    yield i, j


def pair_counts(items: Sequence[GoldItem], groups: Sequence[str | None], same: Callable[[GoldItem, GoldItem], bool],
                half: str = "all") -> PairCounts:
    """Count gold, predicted and true pairs; ``groups[i]`` is item i's claim group (None: unmatched or ungrouped)."""
    pairs = gold = pred = tp = 0
    for i, j in candidate_pairs(items, half):
        g = same(items[i], items[j])
        p = predicted_same(groups[i], groups[j])
        pairs += 1
        gold += g
        pred += p
        tp += g and p
    return PairCounts(pairs, gold, pred, tp)


def cross_topic_joins(items: Sequence[GoldItem], groups: Sequence[str | None]) -> int:
    """Item pairs of different topics whose claims share a group (false joins outside the scored pairs)."""
    by_group: dict[str, Counter[int]] = defaultdict(Counter)
    for it, g in zip(items, groups):
        if g is not None:
            by_group[g][it.topic] += 1
    total = 0
    for topics in by_group.values():
        n = sum(topics.values())
        total += (n * n - sum(c * c for c in topics.values())) // 2
    return total


# --- Mapping gold sentences onto stored claims ---------------------------------------------


class Locator:
    """Find sentences in a stored text, ignoring spacing, punctuation, quotation marks and case."""

    def __init__(self, text: str) -> None:
        self.folded, self.offsets = folded(text)
        self.cursor = 0

    def find(self, sentence: str) -> tuple[int, int] | None:
        """(start, end) of ``sentence`` in the text, searching on from the last hit first; None when absent."""
        key, _ = folded(sentence)
        if not key:
            return None
        at = self.folded.find(key, self.cursor)
        if at < 0:
            at = self.folded.find(key)
        if at < 0:
            return None
        self.cursor = at + len(key)
        return self.offsets[at], self.offsets[at + len(key) - 1] + 1


# --- Running -------------------------------------------------------------------------------


def parse_topics(spec: str, available: Sequence[int]) -> list[int]:
    """``all``, or numbers and ranges: ``1-10``, ``1,3,5``, ``2-4,7``; only topics present are kept."""
    if spec.strip().lower() == "all":
        return sorted(available)
    wanted: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        wanted.update(range(int(lo), int(hi or lo) + 1))
    return sorted(t for t in set(available) if t in wanted)


def topics_key(topics: Sequence[int], available: Sequence[int]) -> str:
    if sorted(topics) == sorted(set(available)):
        return "all"
    runs, start = [], None
    for n, t in enumerate(topics):
        if start is None:
            start = t
        if n + 1 == len(topics) or topics[n + 1] != t + 1:
            runs.append(f"{start}-{t}" if t != start else f"{t}")
            start = None
    return ",".join(runs)


def title_of(text: str, mode: str) -> str | None:
    """``first``: the first sentence that is not a URL line (ecbplus documents start with their URL); ``none``."""
    if mode == "none":
        return None
    for line in text.split("\n"):
        if line.strip() and not _URL_LINE.match(line.strip()):
            return line.strip()
    return None


def write_inputs(recs: Sequence[Mapping], folder: Path, title_mode: str) -> dict[str, str]:
    """One ``{"text", "title"}`` JSON file per document; return {source path: doc name}."""
    sources = {}
    for rec in recs:
        text = detokenise(rec["text"])
        doc = {"text": text}
        title = title_of(text, title_mode)
        if title:
            doc["title"] = title
        path = folder / (Path(rec["doc_name"]).stem + ".json")
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        sources[str(path)] = rec["doc_name"]
    return sources


def article_ids(conn: sqlite3.Connection, sources: Mapping[str, str]) -> dict[str, str]:
    """{doc name: stored article id}, through the sources table (a document stored twice maps to one article)."""
    out = {}
    for source, article in conn.execute("SELECT source, article_id FROM sources"):
        if source in sources:
            out[sources[source]] = article
    return out


@dataclass(slots=True)
class Mapped:
    """Where one gold item landed."""

    group: str | None = None
    claim_id: str | None = None
    claim_text: str | None = None
    outcome: str = "matched"


def map_items(conn: sqlite3.Connection, items: Sequence[GoldItem], ids: Mapping[str, str]) -> list[Mapped]:
    """Map every gold item to its stored claim and that claim's group (see ``Mapped.outcome``)."""
    from storyline.store.claims import article_claims

    by_doc: dict[str, list[int]] = defaultdict(list)
    for n, it in enumerate(items):
        by_doc[it.doc].append(n)
    out = [Mapped() for _ in items]
    for doc, idx in by_doc.items():
        article = ids.get(doc)
        if article is None:
            for n in idx:
                out[n].outcome = "document not stored"
            continue
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (article,)).fetchone()[0]
        removals = [(r[0], folded(r[1])[0]) for r in conn.execute("SELECT reason, text FROM removals WHERE article_id = ?",
                                                                    (article,))]
        claims = article_claims(conn, article)
        where = Locator(text)
        for n in sorted(idx, key=lambda n: items[n].line):
            span = where.find(items[n].text)
            if span is None:
                key = folded(items[n].text)[0]
                reason = next((r for r, t in removals if key and key in t), None)
                out[n].outcome = f"removed: {reason}" if reason else "sentence not found in stored text"
                continue
            claim, enough = best_span(span, claims, MIN_OVERLAP)
            if claim is None:
                kind = "sentence" if _FINAL_STOP.search(items[n].text.rstrip()) else "headline-like line (no final . ! ?)"
                out[n].outcome = f"no claim overlaps: {kind}"
            elif not enough:
                out[n].outcome = f"claim overlap < {MIN_OVERLAP}"
            elif claim.group_id is None:
                out[n].outcome = "claim not grouped"
            else:
                out[n] = Mapped(claim.group_id, claim.id, claim.text)
    return out


def score(items: Sequence[GoldItem], groups: Sequence[str | None]) -> dict[str, dict[str, dict[str, float | int]]]:
    """{variant: {half: scores}}."""
    return {v: {h: pair_counts(items, groups, lambda a, b, v=v: gold_same(a, b, v), h).scores() for h in HALVES}
            for v in VARIANTS}


def print_table(title: str, table: Mapping[str, Mapping[str, Mapping[str, float | int]]]) -> None:
    print(f"\n{title}")
    print(f"  {'gold':<6}{'half':<9}{'P/R/F1':>20}{'pairs':>9}{'gold':>8}{'pred':>8}{'TP':>7}")
    for v in VARIANTS:
        for h in HALVES:
            s = table[v][h]
            print(f"  {v:<6}{h:<9}{prf_text(s):>20}{s['pairs']:>9}{s['gold_pairs']:>8}{s['predicted_pairs']:>8}{s['tp']:>7}")


def print_errors(items: Sequence[GoldItem], mapped: Sequence[Mapped], k: int, descriptors: Mapping[str, str]) -> None:
    """K false joins and K misses (``any`` variant, overall), chosen at random with seed 0; terminal only."""
    groups = [m.group for m in mapped]
    false_joins, misses = [], []
    for i, j in candidate_pairs(items):
        g, p = gold_same(items[i], items[j]), predicted_same(groups[i], groups[j])
        if p and not g:
            false_joins.append((i, j))
        elif g and not p:
            misses.append((i, j))
    rng = random.Random(0)

    def show(i: int) -> str:
        it, m = items[i], mapped[i]
        events = ", ".join(sorted(descriptors.get(x, x) for x in it.instances))
        flat = " ⏎ ".join(line.strip() for line in (m.claim_text or "").splitlines() if line.strip())
        claim = f"claim [{m.claim_id} group {m.group}]: {flat}" if m.claim_id else f"({m.outcome})"
        return f"    {it.doc} s{it.line} [{events}]\n      gold:  {it.text}\n      {claim}"

    for name, found in (("false joins", false_joins), ("misses", misses)):
        print(f"\n{name}: {len(found)} pairs, {min(k, len(found))} shown")
        for i, j in rng.sample(found, min(k, len(found))):
            print(f"  --\n{show(i)}\n{show(j)}")
    unmapped = [n for n, m in enumerate(mapped) if m.group is None]
    print(f"\nunmatched items: {len(unmapped)}, {min(k, len(unmapped))} shown")
    for n in rng.sample(unmapped, min(k, len(unmapped))):
        print(show(n))


def code_version() -> dict[str, str | None]:
    """The checkout's commit and a short hash of every file under src/ (the code scored, committed or not)."""
    import hashlib
    import subprocess

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "src").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO_ROOT)).encode() + b"\0" + path.read_bytes())
    return {"commit": commit, "src_sha256": digest.hexdigest()[:12]}


def load_records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run(args: argparse.Namespace) -> dict[str, object]:
    from storyline import open_store

    t0 = time.perf_counter()
    code = code_version()
    recs = load_records(args.data)
    available = sorted({int(r["topic"]) for r in recs})
    spec = args.topics or ",".join(str(t) for t in available[:DEFAULT_TOPICS])
    topics = [t for t in parse_topics(spec, available) if args.split == "all" or (t % 2 == 1) == (args.split == "dev")]
    recs = [r for r in recs if int(r["topic"]) in set(topics)]
    if not recs:
        raise SystemExit(f"no ECB+ topic matches --topics {spec} --split {args.split}")
    cross = cross_doc_instances(recs)
    items = [it for rec in recs for it in gold_items(rec, cross)]
    descriptors = {i["instance_id"]: i["descriptor"] for r in recs for i in r["cross_doc_coref"]}
    bad_tokens = sum(mismatched_mentions(r) for r in recs)
    print(f"ECB+ topics {topics_key(topics, available)}: {len(recs)} documents, {len(items)} gold sentences "
          f"({len(cross)} cross-document instances)", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="ecb_claims_") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        sources = write_inputs(recs, folder, args.title)
        db: Path | str = args.db if args.db else Path(tmp) / "ecb.db"
        summary, ingest_s = ingest_fresh(folder, db)
        conn = open_store(str(db))
        try:
            ids = article_ids(conn, sources)
            mapped = map_items(conn, items, ids)
            n_claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
            n_groups = conn.execute("SELECT COUNT(DISTINCT group_id) FROM claim_groups").fetchone()[0]
        finally:
            conn.close()

    groups = [m.group for m in mapped]
    matched = [n for n, g in enumerate(groups) if g is not None]
    outcomes = Counter(m.outcome for m in mapped)
    overall = score(items, groups)
    matched_only = score([items[n] for n in matched], [groups[n] for n in matched])
    shared_docs = sum(c - 1 for c in Counter(ids.values()).values() if c > 1)
    wall = time.perf_counter() - t0

    counts = {
        "documents": len(recs), "documents_stored": len(ids), "documents_sharing_an_article": shared_docs,
        "ingest_failures": len(summary.failed), "near_duplicates": len(summary.duplicates),
        "cross_doc_instances": len(cross), "items": len(items), "matched_items": len(matched),
        "items_by_half": dict(Counter(it.half for it in items)),
        "matched_by_half": dict(Counter(items[n].half for n in matched)),
        "outcomes": dict(outcomes.most_common()), "mentions_with_mismatched_tokens": bad_tokens,
        "claims": n_claims, "claim_groups": n_groups,
        "cross_topic_joined_pairs": cross_topic_joins(items, groups),
    }
    print(f"\n{counts['items']} gold sentences, {counts['matched_items']} matched to grouped claims "
          f"({counts['matched_items'] / max(1, counts['items']):.1%}); {n_claims} claims in {n_groups} groups")
    for outcome, n in outcomes.most_common():
        print(f"  {outcome:<45}{n:>6}")
    print_table("pairwise, all items (unmatched items are never the same)", overall)
    print_table("pairwise, matched items only (grouping alone, extraction misses left out)", matched_only)
    print(f"\nitem pairs of different topics put in one group: {counts['cross_topic_joined_pairs']}")
    print(f"wall time {wall:.1f} s (ingest, annotation and linking {ingest_s:.1f} s)")
    if args.errors:
        print_errors(items, mapped, args.errors, descriptors)
    per_topic = {}
    for t in topics:
        idx = [n for n, it in enumerate(items) if it.topic == t]
        sub = [items[n] for n in idx]
        sg = [groups[n] for n in idx]
        per_topic[str(t)] = {"items": len(idx), "matched": sum(g is not None for g in sg),
                             "any": pair_counts(sub, sg, gold_same).scores()}
    return {"key": topics_key(topics, available), "code": code, "topics": topics, "title": args.title, "min_overlap": MIN_OVERLAP, "counts": counts,
            "pairwise": overall, "pairwise_matched_only": matched_only, "per_topic": per_topic,
            "seconds": {"wall": wall, "ingest": ingest_s}}


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest the chosen topics, score the claim groups and merge the numbers into the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", help=f"topic numbers and ranges (1-10, 2,4,6) or 'all'; default the first {DEFAULT_TOPICS}")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all",
                        help="of the chosen topics keep dev = odd (tune here), test = even, or all")
    parser.add_argument("--title", choices=("none", "first"), default="none",
                        help="none (default): no title; first: the first non-URL sentence as the title, which the cleaner"
                             " then cuts from the text as the headline (ECB's lead sentence: about a fifth of the gold sentences)")
    parser.add_argument("--data", type=Path, default=ECBPLUS, help="ECB+ ecbplus_docs.jsonl")
    parser.add_argument("--errors", type=int, default=0, metavar="K", help="print K false joins, misses and unmatched items")
    parser.add_argument("--db", help="keep the database at this path (replaced if it exists) instead of a temporary one, or"
                        " write it into this empty PostgreSQL database (postgresql://...)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"ECB+ not found at {args.data}", file=sys.stderr)
        return 1
    result = run(args)
    saved = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    key = f"topics_{result['key']}" + ("" if args.title == "none" else f"_title_{args.title}")
    saved[key] = rounded(result)
    write_results(args.json, saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
