"""The time-expression metric in eval/timex_eval.py, the TimeML reader and our own set's format."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Mapping
from types import ModuleType

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
import timex_data  # noqa: E402
import timex_eval  # noqa: E402

from storyline.models import TimeExpression  # noqa: E402

ev: ModuleType = timex_eval
td: ModuleType = timex_data


def pred(start: int, end: int, value: str | None = None, type_: str = "DATE", text: str = "x",
         granularity: str | None = "day", modifier: str | None = None) -> TimeExpression:
    return TimeExpression(text=text, start=start, end=end, type=type_, value=value,
                          granularity=granularity, kind="relative", modifier=modifier)


def gold(start: int, end: int, value: str = "", type_: str = "DATE", text: str = "x") -> td.TmlTimex:
    return td.TmlTimex("t1", start, end, text, type_, value)


# --- spans and matching ----------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "expected"), [
    ((0, 10), (0, 10), 10), ((0, 10), (5, 20), 5), ((0, 10), (10, 20), 0), ((5, 6), (0, 100), 1),
    ((0, 10), (30, 40), 0),
])
def test_overlap_counts_shared_characters(a: tuple[int, int], b: tuple[int, int], expected: int) -> None:
    assert ev.overlap(pred(*a), pred(*b)) == expected


def test_best_overlap_takes_the_largest_and_the_first_on_ties() -> None:
    g = gold(10, 20)
    assert ev.best_overlap(g, [pred(0, 12), pred(12, 30), pred(15, 25)]) == 1   # 8 chars beats 2 and 5
    assert ev.best_overlap(g, [pred(0, 15), pred(15, 30)]) == 0                 # 5 and 5: first wins
    assert ev.best_overlap(g, [pred(0, 10), pred(20, 30)]) is None              # touching only


def test_strict_matching_needs_identical_offsets_one_to_one() -> None:
    golds = [gold(0, 9), gold(12, 20), gold(12, 20)]
    preds = [pred(0, 10), pred(12, 20)]
    assert ev.match_strict(golds, preds) == {1: 1}


def test_relaxed_matching_is_one_to_one_and_prefers_identical_then_larger_overlap() -> None:
    golds = [gold(0, 10), gold(12, 20)]
    preds = [pred(5, 15), pred(12, 20)]
    # pred 0 overlaps both golds, but gold 1 takes its identical pred 1 first
    assert ev.match_relaxed(golds, preds) == {0: 0, 1: 1}
    # one prediction spanning two gold items matches only one of them (the larger overlap)
    assert ev.match_relaxed([gold(0, 4), gold(5, 20)], [pred(0, 20)]) == {1: 0}
    # two predictions inside one gold item: only one is matched
    assert ev.match_relaxed([gold(0, 20)], [pred(0, 5), pred(6, 20)]) == {0: 1}
    assert ev.match_relaxed([gold(0, 5)], [pred(5, 9)]) == {}


# --- values and P/R/F1 -----------------------------------------------------------------------


@pytest.mark.parametrize(("g", "p", "exact", "lenient"), [
    ("2024-W21", "2024-w21", True, True),
    ("1998-02-27T10:00", "1998-02-27T10:00", True, True),
    ("1998-02-27T10:00", "1998-02-27", False, True),
    ("1998-02-27TEV", "1998-02-27T18:00", False, True),
    ("1998-02-27", "1998-02-28", False, False),
    ("1998-02", "1998-02-27", False, False),     # a month is not a day prefix
    ("PAST_REF", None, False, False),
    (None, None, True, True),
])
def test_value_comparison(g: str | None, p: str | None, exact: bool, lenient: bool) -> None:
    assert ev.value_exact(g, p) is exact
    assert ev.value_lenient(g, p) is lenient


def test_prf_arithmetic() -> None:
    assert ev.prf(1, 2, 1, 3) == pytest.approx({"precision": 0.5, "recall": 1 / 3, "f1": 0.4})
    assert ev.prf(0, 0, 0, 5) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_value_f1_counts_relaxed_matches_with_the_same_value() -> None:
    golds = [gold(0, 9, "1998-02-27"), gold(20, 29, "P3M", "DURATION"), gold(40, 48, "1998")]
    preds = [pred(0, 9, "1998-02-27"), pred(22, 29, "P2M", "DURATION"), pred(60, 70, "PAST_REF")]
    s = ev.tml_summary(ev.score_doc(golds, preds))
    assert s["strict"] == pytest.approx({"precision": 1 / 3, "recall": 1 / 3, "f1": 1 / 3})
    assert s["relaxed"] == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3})
    assert s["value"] == pytest.approx({"precision": 1 / 3, "recall": 1 / 3, "f1": 1 / 3})
    assert s["value_accuracy"] == pytest.approx(0.5)
    assert s["type_accuracy"] == pytest.approx(1.0)


def test_value_f1_precision_and_recall_use_different_denominators() -> None:
    golds = [gold(0, 5, "1998"), gold(10, 15, "1999")]
    preds = [pred(0, 5, "1998"), pred(10, 15, "2000"), pred(20, 25), pred(30, 35)]
    s = ev.tml_summary(ev.score_doc(golds, preds))
    assert s["value"] == pytest.approx({"precision": 0.25, "recall": 0.5, "f1": 1 / 3})


@pytest.mark.parametrize(("text", "type_", "value", "relative"), [
    ("Friday", "DATE", "1998-02-27", True),
    ("last week", "DATE", "1998-W08", True),
    ("Feb. 27, 1998", "DATE", "1998-02-27", False),
    ("the 1990s", "DATE", "199", False),
    ("three months", "DURATION", "P3M", False),
    ("recent months", "DURATION", "PAST_REF", True),
    ("10 a.m.", "TIME", "1998-02-27T10:00", True),
    ("12345", "DATE", "1998", True),             # five digits are not a year
])
def test_relative_split(text: str, type_: str, value: str, relative: bool) -> None:
    assert ev.is_relative(text, type_, value) is relative


def test_split_counts_keep_their_own_items_but_share_the_matching() -> None:
    golds = [gold(0, 6, "1998-02-27", text="Friday"), gold(10, 14, "1998", text="1998")]
    preds = [pred(0, 6, "1998-02-27", text="Friday"), pred(10, 14, "1997", text="1998")]
    rel = ev.score_doc(golds, preds, ev.gold_relative, ev.pred_relative)
    other = ev.score_doc(golds, preds, lambda t: not ev.gold_relative(t), lambda p: not ev.pred_relative(p))
    assert (rel.gold, rel.pred, rel.relaxed, rel.value_ok) == (1, 1, 1, 1)
    assert (other.gold, other.pred, other.relaxed, other.value_ok) == (1, 1, 1, 0)


# --- TimeML text and offsets -----------------------------------------------------------------


TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>X1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-27T08:00" functionInDocument="CREATION_TIME">19980227</TIMEX3></DCT>
<TEXT>
Shares in Smith &amp; Co <EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-02-26">yesterday</TIMEX3>.
A deal <EVENT eid="e2">is due</EVENT> <TIMEX3 tid="t2" type="DATE" value="1998-W10">next <EVENT eid="e3">week</EVENT></TIMEX3>.<TIMEX3 tid="t3" type="DATE" value="X"></TIMEX3>
</TEXT>
<TIMEX3 tid="t9" type="DATE" value="1990">outside</TIMEX3>
</TimeML>"""


def test_parse_tml_strips_tags_decodes_entities_and_keeps_offsets() -> None:
    doc = td.parse_tml(TML, "X1", "TimeBank")
    assert doc.dct == "1998-02-27"
    assert doc.text == "\nShares in Smith & Co fell yesterday.\nA deal is due next week.\n"
    assert [(t.tid, t.text, t.type, t.value) for t in doc.timexes] == [
        ("t1", "yesterday", "DATE", "1998-02-26"), ("t2", "next week", "DATE", "1998-W10")]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.text
    assert [(t.start, t.end) for t in doc.timexes] == [(27, 36), (52, 61)]


# --- our own set: scoring and file format ------------------------------------------------------


def own_item(id_: str, start: int, end: int, value: str | None, category: str = "c",
             text: str = "Talks ended on Friday and resume next week.", published: str | None = "2024-05-23",
             modifier: str | None = None) -> td.GoldTimex:
    return td.GoldTimex(id_, category, text, published, None, text[start:end], start, end, "DATE", value,
                        "day" if value else None, modifier, True)


def test_score_own_calls_the_finder_once_per_passage_and_picks_best_overlap() -> None:
    calls: list[tuple[str, str | None, Mapping[str, str] | None]] = []

    def finder(text: str, published: str | None = None, *, anchors: Mapping[str, str] | None = None
               ) -> tuple[TimeExpression, ...]:
        calls.append((text, published, anchors))
        return (pred(12, 21, "2024-05-17", text="on Friday"), pred(40, 42, "2099"))  # second hits no gold

    items = [own_item("a", 15, 21, "2024-05-17", "weekday"), own_item("b", 33, 42, "2024-W22", "week")]
    result = ev.score_own(items, finder)
    assert len(calls) == 1
    rows = ev.own_rows(result.outcomes)
    assert rows["span recall (any overlap)"] == (2, 2)     # (40, 42) overlaps "next week"
    assert rows["strict span match"] == (0, 2)
    assert rows["value accuracy"] == (1, 2)
    assert rows["modifier accuracy"] == (2, 2)
    assert (result.predictions, result.predictions_on_gold) == (2, 2)
    assert ev.per_category(result.outcomes) == {"weekday": (1, 1, 1), "week": (1, 1, 0)}


def test_score_own_counts_a_miss_as_wrong_even_for_a_null_value() -> None:
    items = [own_item("a", 15, 21, None, published=None)]
    result = ev.score_own(items, lambda text, published=None, *, anchors=None: ())
    assert ev.own_rows(result.outcomes)["value accuracy"] == (0, 1)
    hit = ev.score_own(items, lambda text, published=None, *, anchors=None: (pred(15, 21, None),))
    assert ev.own_rows(hit.outcomes)["value accuracy"] == (1, 1)
    assert ev.own_rows(hit.outcomes)["strict span match"] == (1, 1)


def test_score_own_survives_a_failing_finder() -> None:
    def broken(text: str, published: str | None = None, *, anchors: Mapping[str, str] | None = None) -> tuple[()]:
        raise RuntimeError("boom")

    result = ev.score_own([own_item("a", 15, 21, "2024-05-17")], broken)
    assert result.failures == 1 and not result.outcomes[0].found


def test_check_record_reports_bad_offsets_and_fields() -> None:
    good = {"id": "t1", "category": "c", "text": "on Friday", "published": "2024-05-23", "expression": "Friday",
            "start": 3, "end": 9, "type": "DATE", "value": "2024-05-17", "granularity": "day", "modifier": None,
            "certain": True}
    assert td.check_record(good) == []
    assert td.check_record(good | {"start": 2}) != []
    assert td.check_record(good | {"granularity": "fortnight"}) != []
    assert td.check_record(good | {"value": None}) != []          # value and granularity go together
    assert td.check_record({k: v for k, v in good.items() if k != "certain"}) != []


OWN_LINES = td.OWN_SET.read_text(encoding="utf-8").splitlines()


def test_own_set_is_well_formed() -> None:
    records = [json.loads(line) for line in OWN_LINES if line.strip()]
    assert len(records) >= 230
    problems = {r.get("id"): p for r in records if (p := td.check_record(r))}
    assert problems == {}
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert r["text"][r["start"]:r["end"]] == r["expression"]
        if r["published"] is None and r["type"] != "DURATION" and r["category"] not in (
                "absolute-date", "month-year", "year", "decade", "anchored"):
            assert r["value"] is None, r["id"]      # relative expressions stay unresolved without a date
    per_category = Counter(r["category"] for r in records)
    assert min(per_category.values()) >= 8, per_category
    assert sum(r["published"] is None for r in records) >= 15
    assert len(td.load_own()) == len(records)


def test_own_set_spans_in_one_passage_do_not_overlap() -> None:
    spans: dict[str, list[tuple[int, int]]] = {}
    for line in OWN_LINES:
        r = json.loads(line)
        spans.setdefault(r["text"], []).append((r["start"], r["end"]))
    for text, found in spans.items():
        found.sort()
        assert all(a[1] <= b[0] for a, b in zip(found, found[1:])), text
