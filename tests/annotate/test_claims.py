"""Claims of one article: what is a claim, its hedges, conditions, figures and dates, its roles and polarity."""

from __future__ import annotations

import pytest

from storyline.annotate.claims import claim_dates, claim_features, find_claims
from storyline.annotate.nlp import parse
from storyline.annotate.document import annotate_doc
from storyline.models import Attribution, Mention, Span, TimeExpression


@pytest.mark.parametrize(("text", "conditions", "hedges", "numbers"), [
    ("The mayor is ready for talks.", (), (), set()),
    ("The mayor is ready for talks only if the strike ends.", ("only if the strike ends",), (), set()),
    ("The mayor will decide as soon as possible.", (), (), set()),
    ("The mayor reportedly may resign.", (), ("reportedly", "may"), set()),
    ("Seven people were hurt and 12 arrested.", (), (), {"seven", "12"}),
])
def test_claim_features(text: str, conditions: tuple[str, ...], hedges: tuple[str, ...], numbers: set[str]) -> None:
    f = claim_features(text)
    assert tuple(c.text for c in f.conditions) == conditions
    assert tuple(h.text for h in f.hedges) == hedges
    assert f.numbers == numbers
    assert all(text[c.start:c.end] == c.text for c in (*f.conditions, *f.hedges))


def test_numbers_inside_time_expressions_are_not_figures() -> None:
    text = "The port closed in September 2022 after 40 ships left."
    start = text.index("September")
    assert claim_features(text, 0, [(start, start + len("September 2022"))]).numbers == {"40"}


def test_claims_are_attribution_contents_and_asserted_sentences() -> None:
    text = "The ferry company said that sailings resume on Friday. Mayor Ines Hald visited the harbour. Why now?"
    (doc,) = parse([text])
    content = Span("that sailings resume on Friday", 23, 53)
    att = Attribution(content, Span("The ferry company", 0, 17), "organisation", cue=Span("said", 18, 22))
    mention = Mention("Ines Hald", 61, 70, "name", "PERSON", "Ines Hald")
    claims = find_claims(doc, [mention], [att])
    assert [(c.text, c.attribution_index) for c in claims] == [("sailings resume on Friday", 0), ("Mayor Ines Hald visited the harbour.", None)]
    assert claims[1].actors == ("Ines Hald",) and text[claims[1].start:claims[1].end] == claims[1].text
    assert claims[1].sentence.text == "Mayor Ines Hald visited the harbour."


def test_an_attribution_that_only_wraps_another_is_no_claim_of_its_own() -> None:
    text = "Several reports said the minister told envoys that the border would reopen soon."
    ann = annotate_doc(parse([text]).__next__())
    assert [c.text for c in ann.claims] == ["the border would reopen soon"], [(a.source, a.content.text) for a in ann.attributions]


def _claim(text: str):  # type: ignore[no-untyped-def]
    ann = annotate_doc(next(parse([text])))
    return max(ann.claims, key=lambda c: len(c.text)), ann


@pytest.mark.parametrize(("text", "negated"), [
    ("Mayor Ines Hald is ready for talks with the union.", False),
    ("Mayor Ines Hald is not ready for talks with the union.", True),
    ("Mayor Ines Hald rejected talks with the union on Monday.", True),
    ("Mayor Ines Hald has never refused talks with the union.", False),            # a negated refusal cancels out
    ("The prospect of talks between Mayor Ines Hald and the union now seems remote.", True),
    ("Mayor Ines Hald is open to talks, despite saying she would not budge.", False),  # the concession is not the claim
    ("Not paying the union makes Mayor Ines Hald popular, her aides say.", False),     # a negation inside the subject
])
def test_polarity_of_the_main_clause(text: str, negated: bool) -> None:
    claim, _ = _claim(text)
    assert claim.negated is negated, [c.text for c in claim.polarity_cues]
    assert all(text[c.start:c.end] == c.text for c in claim.polarity_cues)


def test_roles_tell_who_does_what_to_whom() -> None:
    claim, _ = _claim("Norway will pay 40 million crowns in damages to Sweden, the court said.")
    roles = {(r.role, r.name) for r in claim.roles}
    assert ("agent", "Norway") in roles and ("patient", "Sweden") in roles
    assert claim.figures == ("40", "million")


def test_a_pronoun_agent_is_the_nearest_earlier_person_and_says_so() -> None:
    text = "Prime Minister Anna Lindqvist spoke in Oslo on Monday. She is ready to sign the corridor deal this week."
    ann = annotate_doc(next(parse([text])))
    claim = next(c for c in ann.claims if c.text.startswith("She"))
    (agent,) = [r for r in claim.roles if r.role == "agent"]
    assert agent.name == "Anna Lindqvist" and agent.text == "She" and "pronoun" in agent.evidence
    assert claim.predicate.startswith("is ready to sign")


def test_claim_dates_come_from_resolved_times() -> None:
    times = (
        TimeExpression("last fall", 10, 19, "DATE", "2023-FA", "season", "relative", "2023-09-01", "2023-11-30"),
        TimeExpression("since September", 30, 45, "DATE", "2023-09", "month", "partial", "2023-09-01", "2023-09-30", "since"),
        TimeExpression("for a month", 50, 61, "DURATION", "P1M", "duration", "duration"),
        TimeExpression("in March", 70, 78, "DATE", None, None, "unresolved"),
    )
    assert claim_dates(times, 0, 100) == (("2023-09-01", "2023-11-30"), ("2023-09-01", "9999-12-31"), ("~march", "~march"))
    assert claim_dates(times, 0, 25) == (("2023-09-01", "2023-11-30"),)


@pytest.mark.parametrize(("text", "topic", "word", "obj", "holder"), [
    ("Mayor Ines Hald is ready for a truce with the union.", "peace", "ready", "for a truce", "Ines Hald"),
    ("Mayor Ines Hald is open to a cease-fire in the port.", "peace", "open", "to a cease-fire", "Ines Hald"),
    ("Mayor Ines Hald announced her willingness to hold talks with the union.", "peace", "willingness", "to hold talks", "Ines Hald"),
    ("Mayor Ines Hald has signaled openness to negotiations, aides said.", "peace", "openness", "to negotiations", "Ines Hald"),
    ("Ines Hald's readiness for talks surprised the union.", "peace", "readiness", "for talks", "Ines Hald"),
    ("Mayor Ines Hald is ready to walk away from the talks.", "", "ready", "to walk away from the talks", "Ines Hald"),  # turned around
    ("Mayor Ines Hald is ready to raise the port fees.", "", "ready", "to raise the port fees", "Ines Hald"),  # no topic
])
def test_stance_kind_topic_object_and_holder(text: str, topic: str, word: str, obj: str, holder: str) -> None:
    claim, _ = _claim(text)
    assert claim.stance is not None
    assert (claim.stance.kind, claim.stance.topic, claim.stance.word.text, claim.stance.object.text) == ("ready", topic, word, obj)
    assert text[claim.stance.object.start:claim.stance.object.end] == obj
    assert [r.name for r in claim.roles if r.role == "holder"] == [holder]


def test_no_stance_without_a_stance_word_or_in_a_subordinate_clause() -> None:
    assert _claim("The union will open the port to ships on Monday, Mayor Ines Hald said.")[0].stance is None  # "open" the verb
    assert _claim("While Ines Hald's readiness for talks is known, the strike goes on.")[0].stance is None


def test_a_stance_with_no_one_to_hold_it_has_no_holder() -> None:
    claim, _ = _claim("Readiness for talks with Mayor Ines Hald grew in the port city of Lisk.")
    assert claim.stance is not None and claim.stance.topic == "peace"
    assert not [r for r in claim.roles if r.role == "holder"]
