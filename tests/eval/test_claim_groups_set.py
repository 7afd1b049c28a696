"""The PolNeAR claim-group set (eval/data/polnear_claims.jsonl) is well formed, and the metrics of
eval/claim_groups_eval.py on tiny hand-made inputs (pure functions, no ingest)."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "eval"))
import claim_groups_eval as cge  # noqa: E402

SET = REPO / "eval" / "data" / "polnear_claims.jsonl"
POLNEAR = SHARED / "eval-data" / "quotes" / "polnear"
EVENT_KEYS = {"event", "summary", "articles", "dates"}
CLAIM_KEYS = {"id", "event", "summary", "appearances", "origins", "independent_origins", "origins_range", "distractors"}
ID_KEYS = {"id", "event", "article", "origin", "articles"}
"""Keys whose values are ids or article file names (exempt from the length limit)."""


def _lines() -> list[dict[str, Any]]:
    if not SET.exists():
        pytest.skip(f"{SET} not found")
    rows = []
    for n, line in enumerate(SET.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {n}: blank"
        row = json.loads(line)
        assert isinstance(row, dict), f"line {n}: not an object"
        rows.append(row)
    return rows


def _split() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = _lines()
    events = [r for r in rows if "id" not in r]
    claims = [r for r in rows if "id" in r]
    return events, claims


def _texts(names: set[str]) -> dict[str, str]:
    if not (POLNEAR / "data" / "metadata.tsv").exists():
        pytest.skip(f"PolNeAR not found at {POLNEAR}")
    articles = cge.polnear_articles(POLNEAR)
    missing = sorted(names - set(articles))
    assert not missing, f"articles not in PolNeAR: {missing[:5]}"
    return {n: cge.read_text(articles[n].path) for n in names}


# --- The set -------------------------------------------------------------------------------


def test_lines_have_exactly_the_documented_keys() -> None:
    rows = _lines()
    first_claim = next(n for n, r in enumerate(rows) if "id" in r)
    assert all("id" not in r for r in rows[:first_claim]), "event lines come first"
    for r in rows:
        keys = EVENT_KEYS if "id" not in r else CLAIM_KEYS
        assert set(r) == keys, (r.get("id") or r.get("event"), set(r) ^ keys)
    events, claims = _split()
    for c in claims:
        for a in c["appearances"]:
            assert set(a) == {"article", "start", "end", "origin"}, c["id"]
        for d in c["distractors"]:
            assert set(d) == {"article", "start", "end", "why"}, c["id"]
            assert d["why"] in cge.WHYS, (c["id"], d["why"])
        for o in c["origins"]:
            assert set(o) == {"id", "kind", "name", "count"}, c["id"]
            assert o["kind"] in cge.KINDS, (c["id"], o["kind"])
            assert o["count"] is None or (isinstance(o["count"], int) and o["count"] > 0), c["id"]


def test_size_and_ids() -> None:
    events, claims = _split()
    assert len(events) >= 4 and len(claims) >= 25
    assert len({e["event"] for e in events}) == len(events)
    ids = [c["id"] for c in claims]
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    known = {e["event"] for e in events}
    for c in claims:
        assert c["event"] in known, c["id"]
        assert re.fullmatch(rf"{c['event']}c\d+", c["id"]), c["id"]


def test_events_list_their_articles_and_dates() -> None:
    events, claims = _split()
    by_event = {e["event"]: e for e in events}
    for e in events:
        assert len(set(e["articles"])) == len(e["articles"]) >= 3, e["event"]
        assert len({a.split("_", 1)[0] for a in e["articles"]}) >= 2, f"{e['event']}: one publisher only"
        assert all(re.fullmatch(r"2016-\d\d-\d\d", d) for d in e["dates"]), e["event"]
        dates = sorted({a.split("_")[1] for a in e["articles"]})
        assert sorted(e["dates"]) == dates, e["event"]
    for c in claims:
        listed = set(by_event[c["event"]]["articles"])
        for x in c["appearances"] + c["distractors"]:
            assert x["article"] in listed, (c["id"], x["article"])


def test_claims_span_two_articles_and_origins_resolve() -> None:
    _, claims = _split()
    for c in claims:
        assert len({a["article"] for a in c["appearances"]}) >= 2, f"{c['id']}: told by one article only"
        origin_ids = [o["id"] for o in c["origins"]]
        assert len(set(origin_ids)) == len(origin_ids), c["id"]
        used = {a["origin"] for a in c["appearances"]}
        assert used <= set(origin_ids), (c["id"], used - set(origin_ids))
        assert set(origin_ids) <= used, f"{c['id']}: an origin no appearance uses"
        n, rng = c["independent_origins"], c["origins_range"]
        assert isinstance(n, int) and n >= 1, c["id"]
        if rng is None:
            assert n == len(used), f"{c['id']}: independent_origins {n}, distinct origins used {len(used)}"
        else:
            assert len(rng) == 2 and 1 <= rng[0] <= n <= rng[1] <= len(used) and rng[0] < rng[1], c["id"]
        assert 1 <= len(c["distractors"]) <= 3 or not c["distractors"], c["id"]
        assert len(c["summary"].split()) <= 12, c["id"]


def test_no_sentence_text_is_stored() -> None:
    def strings(obj: Any, key: str = "") -> list[tuple[str, str]]:
        if isinstance(obj, str):
            return [(key, obj)]
        if isinstance(obj, dict):
            return [s for k, v in obj.items() for s in strings(v, k)]
        if isinstance(obj, list):
            return [s for v in obj for s in strings(v, key)]
        return []

    for row in _lines():
        for key, value in strings(row):
            if key not in ID_KEYS:
                assert len(value) <= 100, (row.get("id") or row.get("event"), key, value[:40])


def test_offsets_lie_inside_their_articles_and_cut_whole_sentences() -> None:
    events, claims = _split()
    names = {a for e in events for a in e["articles"]}
    texts = _texts(names)
    for c in claims:
        spans = []
        for x in c["appearances"] + c["distractors"]:
            text = texts[x["article"]]
            assert 0 <= x["start"] < x["end"] <= len(text), (c["id"], x)
            piece = text[x["start"]:x["end"]]
            assert piece == piece.strip() and len(piece.split()) >= 3, (c["id"], x)
            assert x["start"] == 0 or text[x["start"] - 1].isspace() or text[x["start"] - 1] in "\"'“‘", (c["id"], x, "starts inside a word")
            assert re.search(r"[.!?][\"'”’)]*$", piece), (c["id"], x, "does not end a sentence")
            spans.append((x["article"], x["start"], x["end"]))
        assert len(set(spans)) == len(spans), f"{c['id']}: a sentence used twice"
    # no summary or origin name copies the articles' words at length
    for c in claims:
        for value in [c["summary"], *(o["name"] for o in c["origins"])]:
            if len(value.split()) >= 6:
                assert not any(value in t for t in texts.values()), (c["id"], value)


def test_the_loader_reads_every_line() -> None:
    events, claims = cge.load_set(SET) if SET.exists() else pytest.skip("set not found")
    raw_events, raw_claims = _split()
    assert len(events) == len(raw_events) and len(claims) == len(raw_claims)
    assert sum(len(c.appearances) for c in claims) == sum(len(c["appearances"]) for c in raw_claims)


# --- Metrics -------------------------------------------------------------------------------


def _claim(cid: str, apps: list[tuple[str, int]], dists: list[tuple[str, int]] = (), n: int = 1,
           rng: tuple[int, int] | None = None) -> cge.GoldClaim:
    return cge.GoldClaim(cid, "e1", n, rng, tuple(cge.Item(cid, a, s, s + 10) for a, s in apps),
                         tuple(cge.Item(cid, a, s, s + 10, True, "related") for a, s in dists))


def test_pairwise_counts_only_pairs_of_different_articles() -> None:
    c1 = _claim("c1", [("A", 0), ("B", 0), ("C", 0)], [("B", 50)])
    c2 = _claim("c2", [("A", 100), ("B", 100)])
    items = cge.all_items([c1, c2])  # A0 B0 C0 dB50 A100 B100
    # c1 fully grouped, but the distractor joins it; c2 split.
    groups = ["g1", "g1", "g1", "g1", "g2", "g3"]
    s = cge.pairwise(items, groups)
    # gold pairs: c1 A-B, A-C, B-C (3); c2 A-B (1) -> 4
    assert s["gold_pairs"] == 4
    # predicted: A0-B0, A0-C0, B0-C0, A0-dB50, C0-dB50 (B0-dB50 same article) -> 5
    assert s["predicted_pairs"] == 5 and s["true_pairs"] == 3
    assert s["precision"] == pytest.approx(3 / 5) and s["recall"] == pytest.approx(3 / 4)
    assert s["f1"] == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_unmatched_items_are_never_the_same() -> None:
    c1 = _claim("c1", [("A", 0), ("B", 0)])
    s = cge.pairwise(cge.all_items([c1]), [None, None])
    assert s["gold_pairs"] == 1 and s["predicted_pairs"] == 0 and s["recall"] == 0.0 and s["precision"] == 0.0
    assert not cge.predicted_same(None, None)
    assert cge.predicted_same("g", "g") and not cge.predicted_same("g", "h")


def test_distractor_joins() -> None:
    c1 = _claim("c1", [("A", 0), ("B", 0)], [("A", 50), ("C", 50)])
    items = cge.all_items([c1])  # A0 B0 dA50 dC50
    out = cge.distractor_joins(items, ["g1", "g2", "g2", None])
    assert out["joined"] == 1 and out["total"] == 2 and out["rate"] == 0.5
    assert out["by_why"] == {"related": {"joined": 1, "total": 2}}
    assert cge.distractor_joins(items, [None, None, "g1", "g1"])["joined"] == 0


def test_origin_counts() -> None:
    exact = _claim("c1", [("A", 0), ("B", 0)], n=2)
    ranged = _claim("c2", [("A", 0), ("B", 0)], n=2, rng=(1, 2))
    g = lambda n, lo, hi: cge.StoredGroup("g", n, (lo, hi), 2)  # noqa: E731
    assert cge.origin_right(exact, 2) and not cge.origin_right(exact, 1)
    assert cge.origin_right(ranged, 1) and cge.origin_right(ranged, 2) and not cge.origin_right(ranged, 3)
    assert cge.origin_in_range(exact, (1, 3)) and not cge.origin_in_range(exact, (3, 4))
    assert cge.origin_in_range(ranged, (2, 5)) and not cge.origin_in_range(ranged, (3, 3))
    out = cge.origin_scores([exact, ranged, exact], [g(3, 1, 3), g(1, 1, 1), None])
    assert out["exact"] == 1 and out["in_range"] == 2 and out["with_group"] == 2
    assert out["overcounted"] == 1 and out["undercounted"] == 0
    assert out["exact_rate"] == pytest.approx(1 / 3)


def test_claim_group_takes_the_group_with_most_appearances() -> None:
    c = _claim("c1", [("A", 0), ("B", 0), ("C", 0)])
    assert cge.claim_group(c, ["g2", "g1", "g1"]) == "g1"
    assert cge.claim_group(c, ["g2", "g1", None]) == "g2"  # first seen on ties
    assert cge.claim_group(c, [None, None, None]) is None


def test_claim_row_and_worst_first() -> None:
    c = _claim("c1", [("A", 0), ("B", 0), ("B", 40)], [("C", 0)])
    row = cge.claim_row(c, ["g1", "g1", "g2"], ["g2"], cge.StoredGroup("g1", 1, (1, 1), 2))
    # cross-article pairs: A-B0, A-B40 (B0-B40 share an article)
    assert row["pairs"] == 2 and row["pairs_together"] == 1 and row["pair_recall"] == 0.5
    assert row["groups"] == 2 and row["distractors_joined"] == 1 and row["origins_right"]
    good = {**row, "id": "c0", "pair_recall": 1.0, "distractors_joined": 0}
    assert [r["id"] for r in cge.worst_first([good, row])] == ["c1", "c0"]


@dataclass
class _Claim:
    id: str
    start: int
    end: int


def test_best_span_needs_half_of_the_shorter_span() -> None:
    claims = [_Claim("a", 0, 10), _Claim("b", 10, 100)]
    best, enough = cge.best_span((5, 60), claims, cge.MIN_OVERLAP)
    assert best.id == "b" and enough  # 50 of the sentence's 55 characters
    best, enough = cge.best_span((0, 40), [_Claim("c", 30, 100)], cge.MIN_OVERLAP)
    assert best.id == "c" and not enough  # 10 of the shorter 40
    assert cge.best_span((0, 5), [_Claim("d", 10, 20)], cge.MIN_OVERLAP) == (None, False)


def test_locate_exact_folded_fuzzy_and_missing() -> None:
    stored = "Intro line.\n\nHe said \u201cwe won\u201d on   Tuesday. Another sentence follows here. Unrelated words."
    assert cge.locate("Another sentence follows here.", stored) == ((stored.index("Another"), stored.index(" Unrelated")), "exact")
    span, how = cge.locate('He said "we won" on Tuesday.', stored)
    assert how == "folded" and stored[span[0]:span[1]].startswith("He said") and stored[span[0]:span[1]].endswith("Tuesday.")
    span, how = cge.locate("Another sentence follows there.", stored)
    assert how == "fuzzy" and stored[span[0]:span[1]].startswith("Another")
    assert cge.locate("Completely different words entirely present nowhere.", stored) == (None, "missing")


def test_gold_classes() -> None:
    c = _claim("c1", [("A", 0)], [("B", 0), ("C", 0)])
    classes = [it.gold_class for it in cge.all_items([c])]
    assert classes[0] == "c1" and len(set(classes)) == 3
