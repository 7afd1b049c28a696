"""Score claim groups and their origin counts on real news: the PolNeAR claim-group set.

``eval/data/polnear_claims.jsonl`` (described in eval/data/README.md) names, for a few 2016
news events, the claims that several PolNeAR articles tell: every appearance (article and
character offsets of the sentence in the shared ``.txt``), the ultimate origins and their
number, and distractor sentences that are close to a claim but say something else. The set
holds offsets only; the article texts are read from ``../shared/eval-data/quotes/polnear``
(or ``--data``) and never copied.

Every article of the set is written as a JSON file (text, title, outlet, published) into a
temporary folder and ingested into a temporary database through the public API
(``storyline.ingest``: cleaning, annotation, story and claim linking for real). Each gold
sentence is then located in the stored (cleaned) text and mapped to the stored claim of that
article that overlaps it most (at least half of the shorter span). The script reports:

- pairwise precision, recall and F1 over pairs of gold items in different articles (items:
  the appearances of all claims and the distractors, each distractor a gold class of its own);
  predicted the same when both claims are in one claim group;
- distractors joined: a distractor whose claim sits in a group holding an appearance of the
  claim it is close to;
- origin counts: for each gold claim, the group holding most of its appearances, and whether
  its ``independent_origins`` is right (equal, or inside the gold ``origins_range``) and
  whether the gold count lies inside the group's ``origin_range``;
- a per-claim table (``--errors K`` prints the K worst claims, with sentence text on the
  terminal only).

eval/data/README.md spells the metric out. Results go to ``eval/results/claim_groups.json`` (no
article text). Usage:
``.venv/bin/python eval/claim_groups_eval.py [--set PATH] [--data DIR] [--errors K] [--db PATH] [--json PATH]``
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalkit import prf_text, read_jsonl, rounded, write_results, best_span, folded, ingest_fresh, overlap, predicted_same  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SET = REPO_ROOT / "eval" / "data" / "polnear_claims.jsonl"
POLNEAR = REPO_ROOT.parent / "shared" / "eval-data" / "quotes" / "polnear"
DEFAULT_JSON = REPO_ROOT / "eval" / "results" / "claim_groups.json"
MIN_OVERLAP = 0.5
"""A gold sentence takes a claim only when they share at least this share of the shorter one's characters."""
MIN_FUZZY = 0.6
"""Token Dice score a stored passage needs to stand in for a gold sentence not found verbatim."""
OUTLETS = {
    "nyt": "The New York Times", "wash-post": "The Washington Post", "usa-today": "USA Today", "politico": "Politico",
    "breitbart": "Breitbart", "huff-post": "HuffPost", "west-journal": "Western Journal",
}
"""PolNeAR publisher codes and the outlet names given to the ingest."""
KINDS = ("person", "organisation", "outlet", "anonymous", "document")
WHYS = ("negation", "other-actor", "other-figure", "other-date", "related")


# --- The set -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """One gold sentence: an appearance of a claim, or a distractor close to it."""

    claim: str
    """The claim it belongs to (an appearance) or is close to (a distractor)."""
    article: str
    start: int
    end: int
    distractor: bool = False
    why: str = ""

    @property
    def gold_class(self) -> str:
        """Appearances share their claim's class; every distractor is a class of its own."""
        return f"{self.claim}|d|{self.article}|{self.start}" if self.distractor else self.claim


@dataclass(frozen=True, slots=True)
class GoldClaim:
    id: str
    event: str
    independent_origins: int
    origins_range: tuple[int, int] | None
    appearances: tuple[Item, ...]
    distractors: tuple[Item, ...]


def check_line(rec: object) -> str | None:
    """Return what is wrong with one line of the set (an event line or a claim line), or None."""
    if not isinstance(rec, dict):
        return "not a JSON object"
    if "id" not in rec:
        if not isinstance(rec.get("event"), str) or not isinstance(rec.get("articles"), list) or not rec["articles"]:
            return "event line without event or articles"
        return None
    for key in ("id", "event"):
        if not isinstance(rec.get(key), str):
            return f"claim without {key}"
    if not isinstance(rec.get("independent_origins"), int):
        return "independent_origins is not an integer"
    apps = rec.get("appearances")
    if not isinstance(apps, list) or not apps:
        return "no appearances"
    for x in apps + list(rec.get("distractors") or []):
        if not (isinstance(x, dict) and isinstance(x.get("article"), str) and isinstance(x.get("start"), int)
                and isinstance(x.get("end"), int) and 0 <= x["start"] < x["end"]):
            return "bad appearance or distractor"
    rng = rec.get("origins_range")
    if rng is not None and not (isinstance(rng, list) and len(rng) == 2 and all(isinstance(v, int) for v in rng)):
        return "origins_range is not [low, high]"
    return None


def load_set(path: Path = SET) -> tuple[list[dict[str, Any]], list[GoldClaim]]:
    """Read the set: (event lines, claims). Bad lines are reported and skipped."""
    events, claims = [], []
    for rec in read_jsonl(path, check_line):
        if "id" not in rec:
            events.append(rec)
            continue
        rng = rec.get("origins_range")
        claims.append(GoldClaim(
            rec["id"], rec["event"], rec["independent_origins"], (rng[0], rng[1]) if rng else None,
            tuple(Item(rec["id"], a["article"], a["start"], a["end"]) for a in rec["appearances"]),
            tuple(Item(rec["id"], d["article"], d["start"], d["end"], True, str(d.get("why", ""))) for d in rec.get("distractors") or ())))
    return events, claims


def all_items(claims: Sequence[GoldClaim]) -> list[Item]:
    return [it for c in claims for it in (*c.appearances, *c.distractors)]


# --- PolNeAR -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Article:
    filename: str
    publisher: str
    published: str
    title: str
    path: Path


def polnear_articles(root: Path) -> dict[str, Article]:
    """Every PolNeAR article with a text: {filename: Article}, from ``data/metadata.tsv``."""
    out = {}
    with (root / "data" / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            path = root / "data" / row["compartment"] / "text" / f"{row['filename']}.txt"
            if path.exists():
                out[row["filename"]] = Article(row["filename"], row["publisher"], row["publication_date"], row["title"], path)
    return out


def read_text(path: Path) -> str:
    """The article text exactly as the set's offsets count it (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def write_inputs(names: Iterable[str], articles: Mapping[str, Article], folder: Path) -> dict[str, str]:
    """One ``{text, title, outlet, published}`` JSON file per article; return {source path: filename}."""
    sources = {}
    for name in names:
        a = articles[name]
        doc = {"text": read_text(a.path), "title": a.title, "outlet": OUTLETS.get(a.publisher, a.publisher), "published": a.published}
        path = folder / f"{name}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        sources[str(path)] = name
    return sources


def article_ids(conn: sqlite3.Connection, sources: Mapping[str, str]) -> dict[str, str]:
    """{filename: stored article id}, through the ``sources`` table (else ``articles.source``)."""
    out: dict[str, str] = {}
    try:
        rows = list(conn.execute("SELECT source, article_id FROM sources"))
    except sqlite3.OperationalError:
        rows = []
    rows += list(conn.execute("SELECT source, id FROM articles"))
    for source, article in rows:
        name = sources.get(source) or sources.get(str(Path(source)))
        if name is None and source:
            stem = Path(str(source).split("#")[0]).stem
            name = stem if stem in sources.values() else None
        if name is not None:
            out.setdefault(name, article)
    return out


# --- Locating gold sentences in the stored text --------------------------------------------


_TOKEN = re.compile(r"\w+")
_EDGE = ".!?\"'“”‘’()…"
_PIECE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|$)")


def _dice(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def locate(sentence: str, text: str) -> tuple[tuple[int, int] | None, str]:
    """Where ``sentence`` stands in ``text``: (span, how) with how ``exact``, ``folded``, ``fuzzy`` or ``missing``.

    ``folded`` ignores spacing, punctuation, quotation marks and case; ``fuzzy`` takes the run of
    one to three stored sentence pieces with the best token Dice score (at least ``MIN_FUZZY``).
    """
    at = text.find(sentence)
    if at >= 0:
        return (at, at + len(sentence)), "exact"
    key = folded(sentence)[0]
    letters, offsets = folded(text)
    at = letters.find(key) if key else -1
    if at >= 0:
        start, end = offsets[at], offsets[at + len(key) - 1] + 1
        lead = len(sentence) - len(sentence.lstrip(_EDGE))  # quotation marks and end punctuation the folding dropped
        trail = len(sentence) - len(sentence.rstrip(_EDGE))
        while lead and start > 0 and text[start - 1] in _EDGE:
            start, lead = start - 1, lead - 1
        while trail and end < len(text) and text[end] in _EDGE:
            end, trail = end + 1, trail - 1
        return (start, end), "folded"
    want = Counter(t.lower() for t in _TOKEN.findall(sentence))
    pieces = [(m.start(), m.end(), Counter(t.lower() for t in _TOKEN.findall(m.group()))) for m in _PIECE.finditer(text)]
    best, score = None, 0.0
    for i in range(len(pieces)):
        bag: Counter[str] = Counter()
        for j in range(i, min(i + 3, len(pieces))):
            bag += pieces[j][2]
            s = _dice(want, bag)
            if s > score:
                best, score = (pieces[i][0], pieces[j][1]), s
    if best is not None and score >= MIN_FUZZY:
        start, end = best
        while start < end and text[start].isspace():
            start += 1
        return (start, end), "fuzzy"
    return None, "missing"


@dataclass(slots=True)
class Mapped:
    """Where one gold item landed in the database."""

    outcome: str = "matched"
    """matched | article not stored | sentence not found | no claim overlaps | overlap below 0.5"""
    located: str = ""
    """exact | folded | fuzzy | missing"""
    claim_id: str | None = None
    group: str | None = None
    """The claim's group; None when unmatched or the claim is in no group."""
    claims_overlapping: int = 0
    """Stored claims overlapping the located sentence."""
    stored_sentences: int = 0
    """Distinct sentences of stored claims overlapping it (more than one: our splitter cut the gold sentence)."""
    stored_sentence: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class StoredGroup:
    id: str
    independent_origins: int
    origin_range: tuple[int, int]
    articles: int


def map_items(conn: sqlite3.Connection, items: Sequence[Item], ids: Mapping[str, str], texts: Mapping[str, str]) -> list[Mapped]:
    """Map every gold item to the stored claim overlapping its sentence most, and that claim's group."""
    from storyline.store.claims import article_claims

    out = [Mapped() for _ in items]
    by_article: dict[str, list[int]] = defaultdict(list)
    for n, it in enumerate(items):
        by_article[it.article].append(n)
    for name, idx in by_article.items():
        article = ids.get(name)
        if article is None:
            for n in idx:
                out[n].outcome = "article not stored"
            continue
        stored = conn.execute("SELECT text FROM articles WHERE id = ?", (article,)).fetchone()[0]
        claims = article_claims(conn, article)
        try:
            sentences = [tuple(r) for r in conn.execute(
                "SELECT DISTINCT sentence_start, sentence_end FROM claims WHERE article_id = ?", (article,))]
        except sqlite3.OperationalError:  # a schema without claim sentences: not counted
            sentences = []
        for n in idx:
            it = items[n]
            span, how = locate(texts[name][it.start:it.end], stored)
            m = out[n]
            m.located = how
            if span is None:
                m.outcome = "sentence not found"
                continue
            m.stored_sentence = span
            m.claims_overlapping = sum(overlap(span, (c.start, c.end)) > 0 for c in claims)
            m.stored_sentences = sum(overlap(span, sent) >= 3 for sent in sentences)
            claim, enough = best_span(span, claims, MIN_OVERLAP)
            if claim is None:
                m.outcome = "no claim overlaps"
                continue
            m.claim_id = claim.id
            if not enough:
                m.outcome = "overlap below 0.5"
                continue
            m.group = claim.group_id
            if m.group is None:
                m.outcome = "claim in no group"
    return out


def stored_groups(conn: sqlite3.Connection) -> dict[str, StoredGroup]:
    """Every claim group, with its origin count and range (``origin_range`` where the store gives one)."""
    from storyline.link.groups import iter_claim_groups

    out = {}
    for g in iter_claim_groups(conn):
        n = int(g.independent_origins)
        rng = tuple(getattr(g, "origin_range", (n, n)) or (n, n))
        if rng == (0, 0) and n:  # a default left unset: no range was computed
            rng = (n, n)
        out[g.id] = StoredGroup(g.id, n, (int(rng[0]), int(rng[1])), len({a.article_id for a in g.appearances}))
    return out


# --- Metrics (pure) ------------------------------------------------------------------------


def pairwise(items: Sequence[Item], groups: Sequence[str | None]) -> dict[str, float | int]:
    """Pairwise precision, recall and F1 over item pairs of different articles.

    Gold same: one claim's appearances (each distractor is its own class); predicted same: one group.
    """
    pairs = gold = pred = tp = 0
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i].article == items[j].article:
                continue
            g = items[i].gold_class == items[j].gold_class
            p = predicted_same(groups[i], groups[j])
            pairs += 1
            gold += g
            pred += p
            tp += g and p
    prec = tp / pred if pred else 0.0
    rec = tp / gold if gold else 0.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "pairs": pairs, "gold_pairs": gold, "predicted_pairs": pred, "true_pairs": tp}


def distractor_joins(items: Sequence[Item], groups: Sequence[str | None]) -> dict[str, object]:
    """Distractors whose group holds an appearance of the claim they are close to: joined / total, by ``why``."""
    claim_groups: dict[str, set[str]] = defaultdict(set)
    for it, g in zip(items, groups):
        if not it.distractor and g is not None:
            claim_groups[it.claim].add(g)
    total = joined = 0
    by_why: dict[str, list[int]] = {}
    for it, g in zip(items, groups):
        if not it.distractor:
            continue
        hit = g is not None and g in claim_groups[it.claim]
        total += 1
        joined += hit
        row = by_why.setdefault(it.why or "unknown", [0, 0])
        row[0] += hit
        row[1] += 1
    return {"joined": joined, "total": total, "rate": joined / total if total else 0.0,
            "by_why": {k: {"joined": v[0], "total": v[1]} for k, v in sorted(by_why.items())}}


def claim_group(claim: GoldClaim, groups: Sequence[str | None]) -> str | None:
    """The group holding most of the claim's matched appearances (first seen on ties); ``groups`` follows
    ``claim.appearances``."""
    counts = Counter(g for g in groups if g is not None)
    if not counts:
        return None
    top = max(counts.values())
    return next(g for g in groups if g is not None and counts[g] == top)


def origin_right(claim: GoldClaim, predicted: int) -> bool:
    """The predicted count equals the gold one, or lies inside the gold ``origins_range`` when given."""
    if claim.origins_range is not None:
        return claim.origins_range[0] <= predicted <= claim.origins_range[1]
    return predicted == claim.independent_origins


def origin_in_range(claim: GoldClaim, predicted: tuple[int, int]) -> bool:
    """The gold count (or range) meets the group's predicted ``origin_range``."""
    lo, hi = claim.origins_range or (claim.independent_origins, claim.independent_origins)
    return predicted[0] <= hi and lo <= predicted[1]


def origin_scores(claims: Sequence[GoldClaim], chosen: Sequence[StoredGroup | None]) -> dict[str, object]:
    """Share of claims whose chosen group has the right origin count, and whose range holds the gold count.

    A claim with no chosen group (no appearance matched to a grouped claim) counts as wrong.
    """
    n = len(claims)
    right = sum(g is not None and origin_right(c, g.independent_origins) for c, g in zip(claims, chosen))
    in_range = sum(g is not None and origin_in_range(c, g.origin_range) for c, g in zip(claims, chosen))
    over = sum(g is not None and g.independent_origins > (c.origins_range or (0, c.independent_origins))[1]
               for c, g in zip(claims, chosen))
    with_group = sum(g is not None for g in chosen)
    return {"claims": n, "with_group": with_group, "exact": right, "exact_rate": right / n if n else 0.0,
            "in_range": in_range, "in_range_rate": in_range / n if n else 0.0, "overcounted": over,
            "undercounted": with_group - right - over}


def origins_given_grouping(conn: sqlite3.Connection, claims: Sequence[GoldClaim], items: Sequence[Item],
                           mapped: Sequence[Mapped]) -> dict[str, object]:
    """Score origin resolution and counting alone: count the origins of each gold claim's own matched
    appearances (as if the grouping were perfect) with the same function the claim groups use."""
    from storyline.link.origins import count_origins
    from storyline.store.claims import load_appearances

    by_claim: dict[str, list[str]] = defaultdict(list)
    for it, m in zip(items, mapped):
        if not it.distractor and m.claim_id is not None and m.outcome == "matched":
            by_claim[it.claim].append(m.claim_id)
    chosen = []
    for c in claims:
        apps = load_appearances(conn, by_claim.get(c.id, []))
        if not apps:
            chosen.append(None)
            continue
        _, (low, high) = count_origins(apps)
        chosen.append(StoredGroup(c.id, low, (low, high), len({a.article_id for a in apps})))
    return origin_scores(claims, chosen)


def claim_row(claim: GoldClaim, app_groups: Sequence[str | None], dis_groups: Sequence[str | None],
              chosen: StoredGroup | None) -> dict[str, object]:
    """One line of the per-claim table: matched appearances, groups they fell into, pair recall, joins, origins."""
    cross = [(i, j) for i in range(len(claim.appearances)) for j in range(i + 1, len(claim.appearances))
             if claim.appearances[i].article != claim.appearances[j].article]
    together = sum(predicted_same(app_groups[i], app_groups[j]) for i, j in cross)
    mine = {g for g in app_groups if g is not None}
    return {
        "id": claim.id, "appearances": len(claim.appearances), "matched": sum(g is not None for g in app_groups),
        "groups": len(mine), "pairs": len(cross), "pairs_together": together,
        "pair_recall": round(together / len(cross), 4) if cross else 0.0,
        "distractors": len(claim.distractors), "distractors_joined": sum(g is not None and g in mine for g in dis_groups),
        "gold_origins": claim.independent_origins, "gold_range": list(claim.origins_range) if claim.origins_range else None,
        "group": chosen.id if chosen else None, "group_articles": chosen.articles if chosen else None,
        "predicted_origins": chosen.independent_origins if chosen else None,
        "predicted_range": list(chosen.origin_range) if chosen else None,
        "origins_right": bool(chosen is not None and origin_right(claim, chosen.independent_origins)),
    }


def worst_first(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Claims ordered worst first: lowest pair recall, then most distractors joined, then wrong origins."""
    return sorted(rows, key=lambda r: (r["pair_recall"], -r["distractors_joined"], r["origins_right"], r["id"]))


# --- Running -------------------------------------------------------------------------------


def _clip(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def print_errors(rows: Sequence[Mapping[str, Any]], claims: Mapping[str, GoldClaim], items: Sequence[Item],
                 mapped: Sequence[Mapped], texts: Mapping[str, str], k: int) -> None:
    """Print the k worst claims: every item, where it landed and its sentence (terminal only)."""
    where = {(it.claim, it.distractor, it.article, it.start): m for it, m in zip(items, mapped)}
    print(f"\n--- the {min(k, len(rows))} worst claims (sentence text shown here only, never saved)")
    for r in worst_first(rows)[:k]:
        c = claims[r["id"]]
        print(f"\n{r['id']}: {r['matched']}/{r['appearances']} appearances matched, in {r['groups']} group(s); "
              f"pairs together {r['pairs_together']}/{r['pairs']}; distractors joined {r['distractors_joined']}/{r['distractors']}; "
              f"origins gold {r['gold_origins']}{' ' + str(r['gold_range']) if r['gold_range'] else ''}, "
              f"predicted {r['predicted_origins']} {r['predicted_range'] or ''}")
        for it in (*c.appearances, *c.distractors):
            m = where[(it.claim, it.distractor, it.article, it.start)]
            tag = f"D:{it.why}" if it.distractor else "A"
            landed = m.group or m.outcome
            extra = f" [located {m.located}]" if m.located not in ("exact", "") else ""
            if m.stored_sentences > 1:
                extra += f" [cut into {m.stored_sentences} stored sentences]"
            print(f"  {tag:<15} {it.article[:34]:<34} [{it.start},{it.end}] -> {landed}{extra}")
            print(f"      {_clip(texts[it.article][it.start:it.end])}")


def run(args: argparse.Namespace) -> dict[str, object]:
    from storyline import open_store

    t0 = time.perf_counter()
    events, claims = load_set(args.set)
    articles = polnear_articles(args.data)
    names = list(dict.fromkeys([a for e in events for a in e["articles"]] + [it.article for it in all_items(claims)]))
    missing = [n for n in names if n not in articles]
    if missing:
        raise SystemExit(f"{len(missing)} article(s) of the set not in {args.data}: {', '.join(missing[:5])}")
    texts = {n: read_text(articles[n].path) for n in names}
    items = all_items(claims)
    print(f"{len(events)} events, {len(names)} articles, {len(claims)} claims, "
          f"{sum(not it.distractor for it in items)} appearances, {sum(it.distractor for it in items)} distractors", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="claim_groups_") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        sources = write_inputs(names, articles, folder)
        db: Path | str = args.db if args.db else Path(tmp) / "claims.db"
        summary, ingest_s = ingest_fresh(folder, db)
        conn = open_store(str(db))
        try:
            ids = article_ids(conn, sources)
            mapped = map_items(conn, items, ids, texts)
            groups_by_id = stored_groups(conn)
            given = origins_given_grouping(conn, claims, items, mapped)
            n_claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        finally:
            conn.close()

    groups = [m.group for m in mapped]
    pw = pairwise(items, groups)
    apps = [(it, m) for it, m in zip(items, mapped) if not it.distractor]
    pw_matched = pairwise([it for it, m in apps if m.group is not None], [m.group for it, m in apps if m.group is not None])
    dj = distractor_joins(items, groups)
    by_claim: dict[str, list[int]] = defaultdict(list)
    for n, it in enumerate(items):
        by_claim[it.claim].append(n)
    rows, chosen = [], []
    for c in claims:
        app_g = [groups[n] for n in by_claim[c.id] if not items[n].distractor]
        dis_g = [groups[n] for n in by_claim[c.id] if items[n].distractor]
        g = claim_group(c, app_g)
        sg = groups_by_id.get(g) if g is not None else None
        chosen.append(sg)
        rows.append(claim_row(c, app_g, dis_g, sg))
    origins = origin_scores(claims, chosen)
    whole = sum(r["origins_right"] and r["groups"] == 1 and r["matched"] == r["appearances"] for r in rows)
    origins["exact_and_whole"] = whole  # right count, and every appearance in that one group
    outcomes = Counter(m.outcome for m in mapped)
    located = Counter(m.located for m in mapped)
    split = sum(m.stored_sentences > 1 for m in mapped)
    wall = time.perf_counter() - t0

    print(f"\n{len(items)} gold items: {outcomes['matched']} matched to grouped claims; located "
          + ", ".join(f"{k} {v}" for k, v in located.most_common())
          + f"; {split} gold sentences cut into several by our sentence splitter; {n_claims} stored claims in {len(groups_by_id)} groups")
    for outcome, n in outcomes.most_common():
        print(f"  {outcome:<28}{n:>5}")
    print(f"\n{'pairwise (P/R/F1)':<52}{'P/R/F1':>20}{'gold':>7}{'pred':>7}{'true':>7}")
    for label, s in (("all items, different articles (unmatched: never same)", pw),
                     ("matched appearances only (grouping alone)", pw_matched)):
        print(f"{label:<52}{prf_text(s):>20}{s['gold_pairs']:>7}{s['predicted_pairs']:>7}{s['true_pairs']:>7}")
    print(f"\ndistractors grouped with their claim: {dj['joined']}/{dj['total']} ({dj['rate']:.3f})   "
          + "  ".join(f"{k} {v['joined']}/{v['total']}" for k, v in dj["by_why"].items()))
    print(f"origin counts: exactly right {origins['exact']}/{origins['claims']} ({origins['exact_rate']:.3f}), "
          f"gold within predicted range {origins['in_range']}/{origins['claims']} ({origins['in_range_rate']:.3f}); "
          f"over {origins['overcounted']}, under {origins['undercounted']}, no group {origins['claims'] - origins['with_group']}; "
          f"right with all appearances in that one group {whole}/{origins['claims']}")
    print(f"origin counts given the gold grouping (resolution and counting alone): exactly right {given['exact']}/{given['claims']}"
          f" ({given['exact_rate']:.3f}), gold within predicted range {given['in_range']}/{given['claims']} ({given['in_range_rate']:.3f})")
    print(f"\n{'claim':<7}{'matched':>8}{'groups':>7}{'pairs':>9}{'distr.':>8}{'origins gold/pred':>19}{'  group articles':>16}")
    for r in rows:
        gold = f"{r['gold_origins']}" + (f"[{r['gold_range'][0]}-{r['gold_range'][1]}]" if r["gold_range"] else "")
        pred = "-" if r["predicted_origins"] is None else (
            f"{r['predicted_origins']}" + (f"[{r['predicted_range'][0]}-{r['predicted_range'][1]}]"
                                           if r["predicted_range"] and r["predicted_range"][0] != r["predicted_range"][1] else ""))
        print(f"{r['id']:<7}{r['matched']:>4}/{r['appearances']:<3}{r['groups']:>7}{r['pairs_together']:>5}/{r['pairs']:<3}"
              f"{r['distractors_joined']:>4}/{r['distractors']:<3}{gold + ' / ' + pred:>19}{str(r['group_articles'] or '-'):>16}")
    print(f"\nwall time {wall:.1f} s (ingest, annotation and linking {ingest_s:.1f} s)")
    if args.errors:
        print_errors(rows, {c.id: c for c in claims}, items, mapped, texts, args.errors)

    unmatched = [{"claim": it.claim, "distractor": it.distractor, "article": it.article, "start": it.start, "end": it.end,
                  "outcome": m.outcome, "located": m.located} for it, m in zip(items, mapped) if m.group is None]
    return {
        "set": args.set.name, "min_overlap": MIN_OVERLAP,
        "counts": {"events": len(events), "articles": len(names), "articles_stored": len(ids), "ingest_failures": len(summary.failed),
                   "near_duplicates": len(summary.duplicates), "claims": len(claims),
                   "appearances": sum(not it.distractor for it in items), "distractors": sum(it.distractor for it in items),
                   "stored_claims": n_claims, "stored_groups": len(groups_by_id), "outcomes": dict(outcomes.most_common()),
                   "located": dict(located.most_common()), "gold_sentences_cut_by_our_splitter": split},
        "pairwise": pw, "pairwise_matched_appearances": pw_matched, "distractors": dj, "origins": origins,
        "origins_given_gold_grouping": given,
        "per_claim": rows, "unmatched": unmatched, "seconds": {"wall": wall, "ingest": ingest_s},
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Ingest the set's articles, score the claim groups and write the numbers to the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=SET, help="the JSONL claim-group set")
    parser.add_argument("--data", type=Path, default=POLNEAR, help="the PolNeAR folder (holding data/metadata.tsv)")
    parser.add_argument("--errors", type=int, default=0, metavar="K", help="print the K worst claims with their sentences")
    parser.add_argument("--db", help="keep the database at this path (replaced if it exists) instead of a temporary one, or"
                        " write it into this empty PostgreSQL database (postgresql://...)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    if not args.set.exists():
        print(f"{args.set} not found: nothing to score", file=sys.stderr)
        return 0
    if not (args.data / "data" / "metadata.tsv").exists():
        print(f"PolNeAR not found at {args.data}", file=sys.stderr)
        return 1
    result = run(args)
    write_results(args.json, rounded(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
