"""The pairwise metric, gold sentences and sentence-to-claim mapping of eval/ecb_claims_eval.py (no ingest, no data)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
import ecb_claims_eval as ev  # noqa: E402


def item(doc: str, instances: str, main: str | None = None, topic: int = 1, half: str = "ecb", line: int = 0) -> ev.GoldItem:
    ids = instances.split()
    return ev.GoldItem(doc, topic, half, line, f"{doc} sentence {line}", frozenset(ids), main or ids[0])


# --- pair counts ---------------------------------------------------------------------------


def test_pairs_only_across_documents_of_one_topic():
    items = [item("a", "e1", line=0), item("a", "e1", line=1), item("b", "e1"), item("c", "e1", topic=2)]
    counts = ev.pair_counts(items, ["g", "g", "g", "g"], ev.gold_same)
    # a0-b and a1-b only: same-document pairs and the other topic's item are not scored
    assert counts == ev.PairCounts(pairs=2, gold=2, predicted=2, tp=2)
    assert counts.scores()["f1"] == pytest.approx(1.0)


def test_precision_recall_f1():
    items = [item("a", "e1"), item("b", "e1"), item("c", "e1"), item("d", "e2")]
    groups = ["g1", "g1", None, "g1"]  # c unmatched; d joined wrongly
    counts = ev.pair_counts(items, groups, ev.gold_same)
    # gold: ab ac bc; predicted: ab ad bd; true: ab
    assert counts == ev.PairCounts(pairs=6, gold=3, predicted=3, tp=1)
    s = counts.scores()
    assert s["precision"] == pytest.approx(1 / 3)
    assert s["recall"] == pytest.approx(1 / 3)
    assert s["f1"] == pytest.approx(1 / 3)


def test_unmatched_items_are_never_the_same():
    items = [item("a", "e1"), item("b", "e1")]
    counts = ev.pair_counts(items, [None, None], ev.gold_same)
    assert counts == ev.PairCounts(pairs=1, gold=1, predicted=0, tp=0)
    assert counts.scores() == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "pairs": 1, "gold_pairs": 1,
                               "predicted_pairs": 0, "tp": 0}


def test_any_and_main_variants():
    a, b = item("a", "e1 e2", main="e1"), item("b", "e2 e3", main="e3")
    assert ev.gold_same(a, b, "any")
    assert not ev.gold_same(a, b, "main")
    assert not ev.gold_same(a, item("b", "e4"), "any")


def test_halves_keep_pairs_within_one_half():
    items = [item("a", "e1", half="ecb"), item("b", "e1", half="ecb"), item("c", "e1", half="ecbplus"),
             item("d", "e1", half="ecbplus")]
    groups = ["g"] * 4
    assert ev.pair_counts(items, groups, ev.gold_same, "all").pairs == 6
    assert ev.pair_counts(items, groups, ev.gold_same, "ecb") == ev.PairCounts(1, 1, 1, 1)
    assert ev.pair_counts(items, groups, ev.gold_same, "ecbplus") == ev.PairCounts(1, 1, 1, 1)


def test_cross_topic_joins():
    items = [item("a", "e1", topic=1), item("b", "e1", topic=1), item("c", "x", topic=2), item("d", "y", topic=3)]
    assert ev.cross_topic_joins(items, ["g", "g", "g", None]) == 2  # a-c, b-c


# --- gold sentences --------------------------------------------------------------------------


def test_gold_items_from_a_record():
    rec = {"doc_name": "1_1ecb.xml", "topic": 1, "subtopic": "ecb",
           "text": "Reid checked into rehab , her rep said .\nShe left on Friday .\nNothing happened .",
           "cross_doc_coref": [
               {"instance_id": "ACT1", "mentions": [{"tag": "ACTION_OCCURRENCE", "text": "checked", "token_ids": [2]},
                                                    {"tag": "ACTION_OCCURRENCE", "text": "left", "token_ids": [11]}]},
               {"instance_id": "ACT2", "mentions": [{"tag": "ACTION_REPORTING", "text": "said", "token_ids": [8]}]},
               {"instance_id": "ACT3", "mentions": [{"tag": "ACTION_OCCURRENCE", "text": "happened", "token_ids": [15]}]},
               {"instance_id": "HUM1", "mentions": [{"tag": "HUMAN_PART_PER", "text": "She", "token_ids": [10]}]}]}
    other = {"doc_name": "1_2ecb.xml", "cross_doc_coref": [{"instance_id": i, "mentions": [{}]} for i in ("ACT1", "ACT2", "HUM1")]}
    cross = ev.cross_doc_instances([rec, other])
    assert cross == {"ACT1", "ACT2", "HUM1"}
    items = ev.gold_items(rec, cross)
    assert [(it.line, it.text, set(it.instances), it.main) for it in items] == [
        (0, "Reid checked into rehab, her rep said.", {"ACT1", "ACT2"}, "ACT1"),
        (1, "She left on Friday.", {"ACT1"}, "ACT1"),
    ]  # "Nothing happened" has no cross-document instance; "She" is not an event


def test_tokens_split_on_spaces_only():
    assert ev.tokens("a\u00a0b c\nd") == ["a\u00a0b", "c", "d"]
    assert ev.token_lines("a b\n\nc") == [0, 0, 2]


# --- mapping sentences onto claims ----------------------------------------------------------


def test_locator_ignores_spacing_quotes_and_case():
    text = "Title\n\n“We will go,” she said.\n\nShe went.\n\nShe went."
    where = ev.Locator(text)
    start, end = where.find('"We will go," she said.')
    assert text[start:end] == "We will go,” she said"
    first = where.find("She went.")
    second = where.find("She went.")
    assert text[first[0]:first[1]] == text[second[0]:second[1]] == "She went"
    assert second[0] > first[0]
    assert where.find("Not there.") is None


def test_best_span_needs_half_of_the_shorter():
    claim = lambda s, e: SimpleNamespace(start=s, end=e)  # noqa: E731
    inner, outer = claim(10, 20), claim(0, 100)
    assert ev.best_span((0, 30), [inner], ev.MIN_OVERLAP) == (inner, True)  # all of the claim is in the sentence
    assert ev.best_span((10, 30), [outer], ev.MIN_OVERLAP) == (outer, True)  # all of the sentence is in the claim
    edge = claim(25, 60)
    assert ev.best_span((0, 30), [edge], ev.MIN_OVERLAP) == (edge, False)  # 5 of the shorter 30
    assert ev.best_span((0, 30), [claim(40, 50)], ev.MIN_OVERLAP) == (None, False)
    assert ev.best_span((0, 30), [edge, inner], ev.MIN_OVERLAP)[0] is inner  # the most overlap wins


def test_parse_topics():
    available = [1, 2, 3, 4, 5, 7, 8]
    assert ev.parse_topics("all", available) == available
    assert ev.parse_topics("1-4,7", available) == [1, 2, 3, 4, 7]
    assert ev.parse_topics("5,6", available) == [5]
    assert ev.topics_key([1, 2, 3, 7, 8], available) == "1-3,7-8"
    assert ev.topics_key(available, available) == "all"
