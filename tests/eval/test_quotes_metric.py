"""The quote metric in eval/quotes_eval.py: overlap, trimming, one-to-one matching, speaker rules."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
import quotes_data  # noqa: E402
import quotes_eval  # noqa: E402

from storyline.models import Attribution, Quote, Span, TextAnnotations  # noqa: E402

ev: ModuleType = quotes_eval
region = quotes_data.region
Item = quotes_data.Item

TEXT = 'The mayor said "the bridge will open in May." Critics said that it was too late.'
#       0         1         2         3         4         5         6         7
#       0123456789012345678901234567890123456789012345678901234567890123456789012345678


@pytest.mark.parametrize(("gold", "pred", "expected"), [
    ((10, 20), (10, 20), 1.0),
    ((10, 20), (15, 40), 0.5),   # measured against the gold span only
    ((10, 20), (0, 100), 1.0),   # a longer prediction is not penalised by the ratio
    ((10, 20), (20, 30), 0.0),   # touching is not overlapping
    ((10, 20), None, 0.0),
    (None, (10, 20), 0.0),
    ((10, 10), (0, 100), 0.0),   # an empty gold span matches nothing
])
def test_overlap_ratio_is_share_of_gold(gold: tuple[int, int] | None, pred: tuple[int, int] | None,
                                        expected: float) -> None:
    g = region(*gold) if gold else None
    p = region(*pred) if pred else None
    assert ev.overlap_ratio(g, p) == pytest.approx(expected)


def test_overlap_ratio_counts_discontinuous_gold_ranges() -> None:
    gold = quotes_data.Region(((0, 10), (20, 30)))
    assert ev.overlap_ratio(gold, region(5, 25)) == pytest.approx(0.5)


@pytest.mark.parametrize(("gold", "pred", "same"), [
    ((15, 45), (16, 43), True),   # '"the bridge will open in May."' vs 'the bridge will open in May'
    ((15, 45), (16, 44), True),
    ((15, 45), (20, 44), False),
    ((59, 80), (64, 79), False),  # 'that it was too late.' vs 'it was too late': "that" is a word, kept
])
def test_exact_match_ignores_surrounding_marks_and_space(gold: tuple[int, int], pred: tuple[int, int],
                                                         same: bool) -> None:
    assert ev.exact_score(TEXT)(region(*gold), region(*pred)) == float(same)


def test_threshold_is_strictly_greater_as_in_ggt() -> None:
    assert ev.match([region(0, 10)], [region(0, 3)], ev.overlap_ratio, 0.3) == {}
    assert ev.match([region(0, 10)], [region(0, 4)], ev.overlap_ratio, 0.3) == {0: 0}


def test_matching_is_one_to_one_and_greedy_in_gold_order() -> None:
    golds = [region(0, 10), region(0, 12)]
    preds = [region(0, 10), region(50, 60)]
    # the first gold takes the only overlapping prediction; the second gets nothing
    assert ev.match(golds, preds, ev.overlap_ratio, 0.3) == {0: 0}


def test_matching_takes_the_best_scoring_prediction() -> None:
    preds = [region(0, 4), region(0, 9), region(0, 9)]
    assert ev.match([region(0, 10)], preds, ev.overlap_ratio, 0.3) == {0: 1}


def test_counts_and_summary() -> None:
    golds = [Item(region(0, 10), None, None, True), Item(region(20, 30), None, None, False)]
    preds = [Item(region(0, 10), None, None, True), Item(region(40, 50), None, None, True)]
    pairs = ev.match([g.content for g in golds], [p.content for p in preds], ev.overlap_ratio, 0.3)
    assert ev.counts(pairs, golds, preds) == (1, 2, 1, 2)
    assert ev.counts(pairs, golds, preds, lambda i: i.direct) == (1, 2, 1, 1)
    assert ev.counts(pairs, golds, preds, lambda i: not i.direct) == (0, 0, 0, 1)
    scores = ev.summarise([(1, 2, 1, 2), (1, 1, 1, 3)])
    assert (scores["precision"], scores["recall"]) == pytest.approx((2 / 3, 2 / 5))
    assert scores["f1"] == pytest.approx(2 * (2 / 3) * (2 / 5) / (2 / 3 + 2 / 5))


@pytest.mark.parametrize(("gold", "pred", "span_ok", "name_ok"), [
    # same words in the text, gold resolved name vs our resolved name
    (("he", (10, 12), "Andrew Scheer"), ("he", (10, 12), "Scheer"), True, True),
    # pronoun span right, but we did not resolve it
    (("he", (10, 12), "Andrew Scheer"), ("he", (10, 12), ""), True, False),
    # a different mention of the same person: the span rule fails, the name rule passes
    (("Scheer", (10, 16), "Andrew Scheer"), ("Andrew Scheer", (40, 53), "Andrew Scheer"), False, True),
    # floating quote: no speaker in the text on either side
    (("", None, "Andrew Scheer"), ("", None, "Andrew Scheer"), True, True),
    (("", None, "Andrew Scheer"), ("Trudeau", (5, 12), "Justin Trudeau"), False, False),
    # "Drew" is not "Andrew": whole words only
    (("Andrew", (0, 6), "Andrew"), ("Drew", (2, 6), "Drew"), True, False),
])
def test_speaker_rules(gold: tuple[str, tuple[int, int] | None, str], pred: tuple[str, tuple[int, int] | None, str],
                       span_ok: bool, name_ok: bool) -> None:
    def item(words: str, span: tuple[int, int] | None, name: str) -> quotes_data.Item:
        return Item(region(0, 5), region(*span) if span else None, None, True, name, words, "said")
    g, p = item(*gold), item(*pred)
    assert ev.speaker_span_ok(g, p) is span_ok
    assert ev.speaker_name_ok(g, p) is name_ok


def test_cue_words_compare_ignoring_case_and_space() -> None:
    g = Item(None, None, None, True, cue_text="Said ")
    assert ev.cue_ok(g, Item(None, None, None, True, cue_text="said"))
    assert not ev.cue_ok(g, Item(None, None, None, True, cue_text="says"))


def test_predicted_items_dedupe_content_and_keep_quotes_first() -> None:
    quote = Quote("the bridge will open in May.", 16, 44, True, Span("The mayor", 0, 9), "Jane Doe", Span("said", 10, 14))
    same = Attribution(Span(quote.text, 16, 44), Span("The mayor", 0, 9), "person")
    other = Attribution(Span("it was too late.", 64, 80), Span("Critics", 46, 53), "person", cue=Span("said", 54, 58))
    found = TextAnnotations(quotes=(quote,), attributions=(same, other))
    items = quotes_data.predicted_items(found, TEXT, with_attributions=True)
    assert [(i.content.start if i.content else -1, i.speaker_name, i.cue_text, i.direct) for i in items] == [
        (16, "Jane Doe", "said", True), (64, "Critics", "said", False)]
    assert len(quotes_data.predicted_items(found, TEXT, with_attributions=False)) == 1


def test_scoring_gold_against_itself_is_perfect_and_unlocated_gold_counts_as_missed() -> None:
    said = Item(region(15, 45), region(0, 9), region(10, 14), True, "Jane Doe", "The mayor", "said")
    reported = Item(region(59, 80), region(46, 53), region(54, 58), False, "Critics", "Critics", "said")
    lost = Item(None, None, None, False, "Critics", "Critics", "said")
    article = quotes_data.Article("doc", TEXT, (said, reported, lost))
    result = ev.Result()
    ev.score_ggt(article, [said, reported], result)
    scores = ev.summarise(result.prf["quote @0.3"])
    assert (scores["precision"], scores["recall"]) == pytest.approx((1.0, 2 / 3))
    assert all(ev.summarise(rows)["precision"] == 1.0 for rows in result.acc.values())
    assert [g.content for _, g, _ in result.errors["missed"]] == [None]
