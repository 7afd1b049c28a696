"""The linking metrics in eval/clustering_eval.py and eval/claims_eval.py, the ECB+ detokeniser and story_doc_from."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
import claims_eval  # noqa: E402
import clustering_data  # noqa: E402
import clustering_eval  # noqa: E402

from storyline.link.stories import StoryDoc  # noqa: E402
from storyline.models import StoryAssignment  # noqa: E402
from storyline.models import Attribution, Event, Mention, Span, TextAnnotations, TimeExpression  # noqa: E402

ce: ModuleType = clustering_eval
cd: ModuleType = clustering_data
cl: ModuleType = claims_eval


def approx(p: float, r: float, f: float) -> dict[str, object]:
    return {"precision": pytest.approx(p), "recall": pytest.approx(r), "f1": pytest.approx(f)}


# --- B-cubed -------------------------------------------------------------------------------


GOLD = ["a", "a", "a", "b"]


def test_bcubed_perfect_ignores_label_names() -> None:
    assert ce.bcubed(["x", "x", "x", "y"], GOLD) == approx(1, 1, 1)


def test_bcubed_all_in_one() -> None:
    # each a: |C∩G|/|C| = 3/4, b: 1/4 -> P = (3*3/4 + 1/4)/4 = 10/16; recall is 1
    p = 10 / 16
    assert ce.bcubed(["x"] * 4, GOLD) == approx(p, 1, 2 * p / (p + 1))


def test_bcubed_all_singletons() -> None:
    # recall: a's 1/3 each, b 1/1 -> (1/3*3 + 1)/4 = 1/2
    assert ce.bcubed(["1", "2", "3", "4"], GOLD) == approx(1, 0.5, 2 / 3)


def test_bcubed_mixed_case() -> None:
    # pred {0,1} {2,3}: per item p = 1, 1, 1/2, 1/2; r = 2/3, 2/3, 1/3, 1
    assert ce.bcubed(["x", "x", "y", "y"], GOLD) == approx(0.75, 2 / 3, 12 / 17)


def test_bcubed_is_asymmetric_in_pred_and_gold() -> None:
    assert ce.bcubed(GOLD, ["x", "x", "y", "y"]) == approx(2 / 3, 0.75, 12 / 17)


def test_bcubed_rejects_misaligned_labels() -> None:
    with pytest.raises(ValueError):
        ce.bcubed(["x"], GOLD)


def test_bcubed_empty() -> None:
    assert ce.bcubed([], []) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_bcubed_within_topic_cuts_clusters_at_topics() -> None:
    gold, topics = ["a", "a", "b", "c", "c", "d"], [1, 1, 1, 2, 2, 2]
    everything = ["x"] * 6
    # corpus-wide: a,a: 2/6; b: 1/6; c,c: 2/6; d: 1/6 -> P = 10/36
    assert ce.bcubed(everything, gold)["precision"] == pytest.approx(10 / 36)
    # within topic: a,a: 2/3, b: 1/3 (same in topic 2) -> P = 5/9, recall 1
    assert ce.bcubed_within(everything, gold, topics) == approx(5 / 9, 1, 2 * (5 / 9) / (5 / 9 + 1))
    # one cluster per topic is the same clustering once cut at topics
    assert ce.bcubed_within(topics, gold, topics) == ce.bcubed_within(everything, gold, topics)


def test_adjusted_rand() -> None:
    assert ce.adjusted_rand(["x", "x", "y", "y"], ["a", "a", "b", "b"]) == pytest.approx(1.0)
    assert ce.adjusted_rand(["1", "2", "3", "4"], ["a", "a", "b", "b"]) == pytest.approx(0.0)
    # same-cluster pairs: both 1 + 3 = 4, pred 3 + 3 = 6, gold 1 + 6 = 7, of 15 pairs:
    # expected 6 * 7 / 15 = 2.8, max (6 + 7) / 2 = 6.5 -> (4 - 2.8) / (6.5 - 2.8)
    assert ce.adjusted_rand(list("xxxyyy"), list("aabbbb")) == pytest.approx(1.2 / 3.7)


def test_link_aligns_by_id_and_shuffle_restores_order() -> None:
    docs = [StoryDoc(id=f"d{i}", text="") for i in range(5)]

    def by_parity(ds: list[StoryDoc]) -> list[StoryAssignment]:
        return [StoryAssignment(d.id, f"s{int(d.id[1:]) % 2}", "t") for d in reversed(ds)]

    linked = ce.link(docs, by_parity)
    assert linked.stories == ["s0", "s1", "s0", "s1", "s0"] and linked.missing == 0
    assert ce.link_shuffled(docs, 3, by_parity).stories == linked.stories
    assert ce.link(docs, lambda ds: list(by_parity(ds))[1:]).missing == 1


def test_stories_across_threads() -> None:
    assert ce.stories_across_threads(["s1", "s1", "s2"], ["t1", "t2", "t1"]) == 1
    assert ce.stories_across_threads(["s1", "s1", "s2"], ["t1", "t1", "t1"]) == 0


# --- Detokeniser ---------------------------------------------------------------------------


@pytest.mark.parametrize(("tokens", "expected"), [
    ("Reid , 33 , said .", "Reid, 33, said."),
    ("the ( new ) line", "the (new) line"),
    ("they do n't know , it 's late", "they don't know, it's late"),
    ("`` We appreciate it , '' he said", '"We appreciate it," he said'),
    ('he said " no " and left', 'he said "no" and left'),
    ("a $2 . 6 - million booty at 11 : 25", "a $2.6-million booty at 11:25"),
    ("Ram - raiders hit Paris - The end", "Ram-raiders hit Paris - The end"),
    ("1 , 000 people in 2008 , 300 more", "1,000 people in 2008, 300 more"),
    ("http : / / www . example . fr / a - b", "http://www.example.fr/a-b"),
    ("“ Yes , ” she said ?", "“Yes,” she said?"),
    ("they say - - wrongly", "they say -- wrongly"),
])
def test_detokenise_line(tokens: str, expected: str) -> None:
    assert cd.detokenise(tokens) == expected


def test_detokenise_keeps_lines_and_quote_state_across_them() -> None:
    assert cd.detokenise('He said " we will\ngo " .') == 'He said "we will\ngo".'


# --- MAP@5 and ranking ---------------------------------------------------------------------


def test_average_precision_at_5() -> None:
    assert cl.average_precision_at([True, False, False], 1) == pytest.approx(1.0)
    assert cl.average_precision_at([False, False, True], 1) == pytest.approx(1 / 3)
    # hits at 2 and 4 of 2 relevant: (1/2 + 2/4) / 2
    assert cl.average_precision_at([False, True, False, True, False], 2) == pytest.approx(0.5)
    # a hit at rank 6 is past the cut-off
    assert cl.average_precision_at([False] * 5 + [True], 1) == 0.0
    assert cl.average_precision_at([True], 0) == 0.0


def test_rank_breaks_ties_against_the_gold() -> None:
    assert cl.rank("q", ["a", "b", "c"], {0}, lambda q, c: 1.0) == [False, False, True]
    assert cl.rank("q", ["a", "b", "c"], {2}, lambda q, c: float(c == "c")) == [True, False, False]


def test_retrieval_map5_and_recall1() -> None:
    pairs = [cl.Pair("1", "cats purr", "cats purr loudly", True, "k"),
             cl.Pair("2", "dogs bark", "dogs bark often", True, "k"),
             cl.Pair("3", "dogs bark", "birds sing", False, "k")]

    def shared_words(a: str, b: str) -> float:
        return len(set(a.split()) & set(b.split())) - (0.5 if b == "dogs bark often" and a == "cats purr" else 0)

    r = cl.retrieval(pairs, shared_words)
    assert (r.queries, r.candidates) == (2, 3)
    assert r.map5 == pytest.approx(1.0) and r.recall1 == pytest.approx(1.0)
    r = cl.retrieval(pairs, lambda a, b: float(b == "birds sing"))
    # "birds sing" first, then the tie between the other two goes against the gold: rank 3 for both
    assert r.map5 == pytest.approx(1 / 3) and r.recall1 == 0.0


def test_binary_scores_and_per_kind() -> None:
    gold, pred = [True, True, False, False, True], [True, False, True, False, True]
    s = cl.binary_scores(gold, pred)
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (2, 1, 1, 1)
    assert s["precision"] == pytest.approx(2 / 3) and s["recall"] == pytest.approx(2 / 3)
    assert s["accuracy"] == pytest.approx(0.6)
    pairs = [cl.Pair(str(i), "a", "b", g, "neg" if i % 2 else "para") for i, g in enumerate(gold)]
    assert cl.per_kind(pairs, pred) == {"neg": {"pairs": 2, "same": 1, "right": 1},
                                         "para": {"pairs": 3, "same": 2, "right": 2}}


def test_check_pair() -> None:
    assert cl.check_pair({"id": "1", "a": "x", "b": "y", "same": True}) is None
    assert cl.check_pair({"id": "1", "a": "x", "b": "y", "same": "yes"}) == "same is not true/false"
    assert cl.check_pair({"id": "1", "a": "", "b": "y", "same": False}) == "missing a"


# --- story_doc_from ------------------------------------------------------------------------


TEXT = "Mayor Ana Lind said on 3 May that the Harbour Ledger, citing Radio Kestrel, reported the closure."


def _time(value: str, granularity: str) -> TimeExpression:
    return TimeExpression(text="3 May", start=23, end=28, type="DATE", value=value, granularity=granularity,
                          kind="absolute")


def test_story_doc_from() -> None:
    sent = Span(TEXT, 0, len(TEXT))
    ann = TextAnnotations(
        mentions=(
            Mention("Mayor", 0, 5, "label", "PERSON", "Ana Lind"),
            Mention("Ana Lind", 6, 14, "name", "PERSON", "Ana Lind"),
            Mention("he", 60, 62, "pronoun", "PERSON", "Piet Sorn"),
            Mention("Harbour Ledger", 38, 52, "name", "ORG", "Harbour Ledger"),
        ),
        attributions=(
            Attribution(Span("the closure", 84, 95), Span("Ana Lind", 6, 14), "person"),
            Attribution(Span("the closure", 84, 95), None, "outlet",
                        via=(Span("the Harbour Ledger", 34, 52), Span("The  Radio Kestrel", 61, 74))),
            Attribution(Span("the closure", 84, 95), Span("officials", 0, 9), "anonymous"),
            Attribution(Span("x", 0, 1), Span("The Town Report", 0, 15), "document"),
            Attribution(Span("x", 0, 1), Span("ana lind", 6, 14), "person"),
        ),
        events=(
            Event(sent, _time("2024-05-03", "day")),
            Event(sent, _time("2024-05", "month")),
            Event(sent, _time("2024", "year")),
            Event(sent, _time("2024-05-03", "day")),
        ),
    )
    doc = cd.story_doc_from("a1", TEXT, "Closure", "Orbis24", "2024-05-04", ann)
    assert doc == StoryDoc(id="a1", text=TEXT, title="Closure", outlet="Orbis24", published="2024-05-04",
                           actor_ids=("Ana Lind", "Harbour Ledger"),
                           origins=("radio kestrel",),  # the farthest outlet of a chain; people and documents are not report origins
                           attributions=5, event_dates=("2024-05-03", "2024-05"))


def test_story_doc_from_empty_annotations() -> None:
    doc = cd.story_doc_from("a2", "Nothing here.", None, None, None, TextAnnotations())
    assert (doc.actor_ids, doc.origins, doc.event_dates) == ((), (), ())


def test_check_own_record() -> None:
    good = {"id": "s1", "text": "x", "story": "st1", "thread": "t1", "published": "2024-05-03"}
    assert cd.check_own(good) is None
    assert cd.check_own({**good, "story": ""}) == "missing story"
    assert cd.check_own({**good, "published": "May 3"}) == "published 'May 3' is not YYYY-MM-DD"


def test_text_key_depends_on_version_text_and_date() -> None:
    k = cd.text_key("a", None, "0.1.0")
    assert k == cd.text_key("a", None, "0.1.0")
    assert len({k, cd.text_key("a", None, "0.2.0"), cd.text_key("b", None, "0.1.0"),
                cd.text_key("a", "2024-01-01", "0.1.0")}) == 4


def test_cross_outlet_pairs_count_joined_and_wrongly_joined_pairs() -> None:
    docs = [clustering_data.GoldDoc("a", "", "e1", outlet="Left"), clustering_data.GoldDoc("b", "", "e1", outlet="Right"),
            clustering_data.GoldDoc("c", "", "e1", outlet="Left"), clustering_data.GoldDoc("d", "", "e2", outlet="Centre")]
    pairs = clustering_eval.cross_outlet_pairs(["s1", "s1", "s2", "s1"], docs)
    # same story, other outlet: a-b (joined), b-c (apart); a-c share an outlet; d is in e2 but put with a and b
    assert pairs == {"same_story_pairs": 2, "joined": 1, "wrongly_joined": 2}


def test_polnear_events_are_read_as_stories() -> None:
    docs = clustering_data.load_polnear()
    if docs is None:
        pytest.skip(f"{clustering_data.POLNEAR} not found")
    assert len(docs) == 33 and len({d.story for d in docs}) == 5 and len({d.outlet for d in docs}) == 7
    assert all(d.text and d.published and d.title for d in docs)
