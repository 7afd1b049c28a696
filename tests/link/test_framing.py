"""Framing: the lexicon, loaded terms and scare quotes, reporting verbs, sources, hedges, outlets side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from storyline.link.framing import (
    OTHER_VERB, actor_matches, article_framing, compare_actor, load_framing_lexicon, outlet_framing,
)
from storyline.annotate.nlp import load_nlp, sentence_spans
from storyline.models import ArticleFraming, Attribution, LoadedTerm, Mention, Quote, Span, TextAnnotations

DOCS = Path(__file__).resolve().parents[2] / "docs" / "framing.md"


def _at(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``words`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def _span(text: str, words: str, nth: int = 0) -> Span:
    return Span(words, *_at(text, words, nth))


def _mention(text: str, words: str, name: str, kind: str = "name", nth: int = 0) -> Mention:
    start, end = _at(text, words, nth)
    return Mention(words, start, end, kind, "PERSON", name)


def _framing(text: str, *mentions: Mention, quotes: tuple[Quote, ...] = (),
             attributions: tuple[Attribution, ...] = ()) -> ArticleFraming:
    sentences = tuple((s.start, s.end) for s in sentence_spans(load_nlp()(text)))
    ann = TextAnnotations(mentions=mentions, quotes=quotes, attributions=attributions, sentences=sentences)
    return article_framing("art", "Outlet", text, ann)


def _terms(f: ArticleFraming) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.category, t.actor) for t in f.loaded_terms]


# --- The lexicon -----------------------------------------------------------------------------


def test_every_category_is_documented_non_empty_and_lower_case() -> None:
    lexicon = load_framing_lexicon()
    docs = DOCS.read_text("utf-8")
    expected = {"pejorative-label", "honorific-label", "intensifier", "scare-quote", "loaded-attribution-verb",
                "neutral-attribution-verb", "hedge"}
    assert set(lexicon.categories) == expected
    for name, category in lexicon.categories.items():
        assert len(category.about) > 40, name
        assert category.terms, name
        assert all(t == t.lower().strip() and t for t in category.terms), name
        assert category.use in {"term", "quoted", "cue", "hedge"}, name
        assert f"`{name}`" in docs, f"docs/framing.md does not describe {name}"


def test_no_entry_belongs_to_two_categories_matched_the_same_way() -> None:
    seen: dict[tuple[str, str], str] = {}
    for name, category in load_framing_lexicon().categories.items():
        for term in category.terms:
            assert (category.use, term) not in seen, f"{term!r} in {name} and {seen[(category.use, term)]}"
            seen[(category.use, term)] = name


def test_docs_state_that_no_bias_score_is_computed() -> None:
    assert "no outlet-level bias score" in DOCS.read_text("utf-8").lower()


# --- Sentences -------------------------------------------------------------------------------


# --- Loaded terms and who they are said of ---------------------------------------------------

VOLKOV_REGIME = "The regime of Marek Volkov launched a BRUTAL offensive."
TWO_LABELS = "Anna Berg, a reformer, met the despot of Lisk on Monday."
NEAREST = "Marek Volkov met Anna Berg, the opposition leader, for staggering talks."
NOBODY = "It was an unprecedented sum.\nMarek Volkov paid it."


@pytest.mark.parametrize(("text", "mentions", "expected"), [
    (VOLKOV_REGIME, [_mention(VOLKOV_REGIME, "Marek Volkov", "Marek Volkov")],
     [("regime", "pejorative-label", "Marek Volkov"), ("BRUTAL", "intensifier", "Marek Volkov")]),
    (TWO_LABELS, [_mention(TWO_LABELS, "Anna Berg", "Anna Berg"), _mention(TWO_LABELS, "a reformer", "Anna Berg", "label"),
                  _mention(TWO_LABELS, "the despot of Lisk", "Marek Volkov", "label")],
     [("reformer", "honorific-label", "Anna Berg"), ("despot", "pejorative-label", "Marek Volkov")]),
    (NEAREST, [_mention(NEAREST, "Marek Volkov", "Marek Volkov"), _mention(NEAREST, "Anna Berg", "Anna Berg"),
               _mention(NEAREST, "the opposition leader", "Anna Berg", "label")],
     [("staggering", "intensifier", "Anna Berg")]),  # two actors: the nearest label's
    (NOBODY, [_mention(NOBODY, "Marek Volkov", "Marek Volkov")], [("unprecedented", "intensifier", None)]),
    ("The regimen of drills and the regime's so-called plan.", [],
     [("regime", "pejorative-label", None), ("so-called", "intensifier", None)]),
    ("A freedom  fighter and a thuggish crowd.", [], [("freedom  fighter", "honorific-label", None)]),
])
def test_loaded_terms(text: str, mentions: list[Mention], expected: list[tuple[str, str, str | None]]) -> None:
    framing = _framing(text, *mentions)
    assert _terms(framing) == expected
    assert all(text[t.start:t.end] == t.text and t.sentence in text for t in framing.loaded_terms)


def test_a_term_in_a_speakers_words_is_said_of_the_speaker() -> None:
    text = "The embattled strongman of Lisk said the border stays shut."
    lisk = Mention("Lisk", *_at(text, "Lisk"), "name", "GPE", "Lisk")
    source = _span(text, "The embattled strongman of Lisk")
    quote = Quote("the border stays shut", *_at(text, "the border stays shut"), False, source, source.text, _span(text, "said"))
    (term,) = _framing(text, lisk, quotes=(quote,)).loaded_terms
    assert (term.text, term.actor) == ("strongman", "The embattled strongman of Lisk")  # not "Lisk"


# --- Scare quotes ----------------------------------------------------------------------------

REFORMS = 'The government\'s "reforms" cut pensions.'
WE_WIN = '"We will win," Volkov said.'
FARCE = 'Volkov said the talks were "a farce" and left.'
SMO = 'Volkov said the troops were on a "special military operation" in the east.'
CALLS = "Lisk sent troops on what it calls a “peace mission” last week."
LONG = 'Berg said: "The vote was stolen from the people of Lisk today."'
SINGLE = "Lisk's 'reforms' went on."
WHOLE = "“Enough.” Then silence."
UNCUED = 'Troops crossed on a "peace mission" in the night.'


def _speech(text: str, words: str, speaker: str, cue: str, direct: bool) -> Quote:
    return Quote(words, *_at(text, words), direct, _span(text, speaker), speaker, _span(text, cue))


@pytest.mark.parametrize(("text", "quotes", "expected"), [
    (REFORMS, (), ['"reforms"']),
    (WE_WIN, (_speech(WE_WIN, "We will win,", "Volkov", "said", True),), []),
    (FARCE, (_speech(FARCE, 'the talks were "a farce"', "Volkov", "said", False),), []),  # his words, partly quoted
    (SMO, (_speech(SMO, 'the troops were on a "special military operation" in the east', "Volkov", "said", False),),
     ['"special military operation"']),  # a term outlets quote to disown
    (CALLS, (), ["“peace mission”"]),
    (CALLS, (Quote("peace mission", *_at(CALLS, "peace mission"), True, cue=_span(CALLS, "calls")),), ["“peace mission”"]),
    (LONG, (), []),
    (SINGLE, (), ["'reforms'"]),
    (WHOLE, (), []),
    (UNCUED, (Quote("peace mission", *_at(UNCUED, "peace mission"), True),), ['"peace mission"']),  # no cue, no speaker
])
def test_scare_quotes(text: str, quotes: tuple[Quote, ...], expected: list[str]) -> None:
    framing = _framing(text, quotes=quotes)
    found = [t for t in framing.loaded_terms if t.category == "scare-quote"]
    assert [t.text for t in found] == expected
    assert all(text[t.start:t.end] == t.text for t in found)


# --- Reporting verbs -------------------------------------------------------------------------


@pytest.mark.parametrize(("cue", "category"), [
    ("said", "neutral-attribution-verb"),
    ("told reporters", "neutral-attribution-verb"),
    ("according to", "neutral-attribution-verb"),
    ("claimed", "loaded-attribution-verb"),
    ("has insisted", "loaded-attribution-verb"),
    ("Denied", "loaded-attribution-verb"),
    ("boasted", "loaded-attribution-verb"),
    ("warned", OTHER_VERB),
])
def test_attribution_verb_category(cue: str, category: str) -> None:
    text = f"Volkov {cue} that the dam held."
    quote = _speech(text, "that the dam held", "Volkov", cue, False)
    (verb,) = _framing(text, quotes=(quote,)).attribution_verbs
    assert (verb.text, verb.category, verb.actor, verb.sentence) == (cue, category, "Volkov", text)


def test_one_cue_shared_by_a_quote_and_an_attribution_is_one_verb() -> None:
    text = "Two officials claimed the dam held. Berg said it broke."
    claim = _span(text, "the dam held")
    officials = Attribution(claim, _span(text, "Two officials"), "anonymous", 2, _span(text, "claimed"))
    quote = _speech(text, "the dam held", "Two officials", "claimed", False)
    berg = _speech(text, "it broke", "Berg", "said", False)
    verbs = _framing(text, quotes=(quote, berg), attributions=(officials,)).attribution_verbs
    assert [(v.text, v.category, v.actor) for v in verbs] == [
        ("claimed", "loaded-attribution-verb", None),  # anonymous sources are no actor
        ("said", "neutral-attribution-verb", "Berg"),
    ]


# --- Sources and hedges ----------------------------------------------------------------------


def _sourced(kind: str, count: int | None = None) -> Attribution:
    return Attribution(Span("x", 0, 1), Span("y", 2, 3), kind, count)


@pytest.mark.parametrize(("kinds", "named", "anonymous", "share"), [
    ([], 0, 0, None),
    ([("person", None), ("organisation", None)], 2, 0, 0.0),
    ([("anonymous", 4), ("person", None)], 1, 4, 0.8),
    ([("anonymous", None), ("outlet", None), ("document", None), ("unknown", None)], 2, 1, 1 / 3),
])
def test_named_and_anonymous_sources(kinds: list[tuple[str, int | None]], named: int, anonymous: int,
                                     share: float | None) -> None:
    framing = _framing("x y z", attributions=tuple(_sourced(k, n) for k, n in kinds))
    assert (framing.named_sources, framing.anonymous_sources) == (named, anonymous)
    if share is None:
        assert framing.anonymous_share is None
    else:
        assert framing.anonymous_share == pytest.approx(share)


@pytest.mark.parametrize(("text", "expected"), [
    ("Volkov may resign in May, reportedly.", ["may", "reportedly"]),
    ("May brought rain. He is  said to be ill.", ["is  said to"]),
    ("The plan appears to fail, according to sources close to Berg.", ["appears to", "according to sources"]),
    ("Berg signalled a deal; it could possibly hold.", ["signalled", "could", "possibly"]),
    ("Mayor Berg spoke plainly.", []),
])
def test_hedges(text: str, expected: list[str]) -> None:
    hedges = _framing(text).hedges
    assert [h.text for h in hedges] == expected
    assert all(text[h.start:h.end] == h.text for h in hedges)


def test_labels_are_the_label_mentions_with_their_actor() -> None:
    text = "Anna Berg, the opposition leader, said she would run."
    mentions = (_mention(text, "Anna Berg", "Anna Berg"), _mention(text, "the opposition leader", "Anna Berg", "label"),
                _mention(text, "she", "Anna Berg", "pronoun"))
    assert _framing(text, *mentions).labels == (("Anna Berg", _span(text, "the opposition leader")),)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Volkov", "the", "regime", "“so-called”", '"', "'", "said", "may", "May",
                                 "brutal", ".", "\n", "Gen.", "reportedly", "is said to", "x"]), max_size=40))
def test_offsets_stay_inside_the_text(words: list[str]) -> None:
    text = " ".join(words)
    framing = _framing(text)
    for term in (*framing.loaded_terms, *framing.hedges):
        assert 0 <= term.start < term.end <= len(text) and text[term.start:term.end] == term.text


# --- Per outlet and side by side ---------------------------------------------------------------


def _article(aid: str, outlet: str | None, labels: list[tuple[str, str, int]], terms: list[LoadedTerm],
             verbs: tuple[LoadedTerm, ...] = (), named: int = 0, anonymous: int = 0, hedges: int = 0) -> ArticleFraming:
    return ArticleFraming(aid, outlet, tuple((actor, Span(words, s, s + len(words))) for actor, words, s in labels),
                          tuple(terms), tuple(verbs), named, anonymous, tuple(Span("may", 0, 3) for _ in range(hedges)))


def _loaded(words: str, category: str, start: int, actor: str | None, sentence: str = "") -> LoadedTerm:
    return LoadedTerm(words, category, start, start + len(words), sentence or words, actor)


NORTH_1 = _article("n1", "North Post", [("Marek Volkov", "the strongman of Lisk", 14)],
                   [_loaded("strongman", "pejorative-label", 18, "Marek Volkov", "Volkov, the strongman of Lisk, spoke.")],
                   (_loaded("claimed", "loaded-attribution-verb", 40, "Marek Volkov"),), named=1, anonymous=3, hedges=2)
NORTH_2 = _article("n2", "North Post", [("Marek Volkov", "The strongman of Lisk", 0), ("Anna Berg", "the reformer", 50)],
                   [_loaded("reformer", "honorific-label", 54, "Anna Berg")], named=1)
SOUTH = _article("s1", "South Daily", [("Volkov", "President Volkov", 5)], [],
                 (_loaded("said", "neutral-attribution-verb", 30, "Volkov"),), named=2, hedges=1)
WEST = _article("w1", None, [("Anna Berg", "the opposition leader", 0)], [])


def test_outlet_framing_counts_per_outlet() -> None:
    north, south, unknown = outlet_framing([SOUTH, WEST, NORTH_1, NORTH_2])
    assert (north.outlet, north.articles, south.outlet, unknown.outlet) == ("North Post", 2, "South Daily", None)
    assert [(u.actor, u.label, u.count) for u in north.labels] == [
        ("Anna Berg", "reformer", 1), ("Marek Volkov", "strongman of Lisk", 2)]  # "the"/"The" counted once
    assert dict(north.term_counts) == {"pejorative-label": 1, "honorific-label": 1, "loaded-attribution-verb": 1}
    assert (north.named_sources, north.anonymous_sources, north.hedges) == (2, 3, 2)
    assert north.anonymous_share == pytest.approx(0.6)
    assert south.anonymous_share == 0.0 and unknown.anonymous_share is None


def test_compare_actor_side_by_side() -> None:
    texts = {"s1": "Then President Volkov left. Then he said no."}
    south_parsed = replace(SOUTH, sentences=((0, 27), (28, 44)))  # the parse's sentences, stored with the framing
    (_, unparsed, _) = compare_actor("Volkov", [NORTH_1, SOUTH, NORTH_2, WEST], texts)
    assert [i.sentence for i in unparsed.labels] == ["Then President Volkov left. Then he said no."]  # no parse: the paragraph
    north, south, unknown = compare_actor("Volkov", [NORTH_1, south_parsed, NORTH_2, WEST], texts)
    assert (north.outlet, north.articles) == ("North Post", ("n1", "n2"))
    assert [(i.text, i.article_id, i.start, i.end) for i in north.labels] == [
        ("the strongman of Lisk", "n1", 14, 35), ("The strongman of Lisk", "n2", 0, 21)]
    assert [(i.text, i.category, i.sentence) for i in north.terms] == [
        ("strongman", "pejorative-label", "Volkov, the strongman of Lisk, spoke."),
        ("claimed", "loaded-attribution-verb", "claimed")]
    assert [(i.text, i.sentence) for i in south.labels] == [("President Volkov", "Then President Volkov left.")]
    assert [(i.text, i.category) for i in south.terms] == [("said", "neutral-attribution-verb")]
    assert (unknown.outlet, unknown.labels, unknown.terms) == (None, (), ())  # said nothing of him: still a row


@pytest.mark.parametrize(("query", "name", "expected"), [
    ("Putin", "Vladimir Putin", True),
    ("putin", "Vladimir Putin", True),
    ("Vladimir Putin", "Putin", True),
    ("President Putin", "V. Putin", True),
    ("Put", "Vladimir Putin", False),
    ("Berg", "Anna Bergman", False),
    ("Berg", None, False),
])
def test_actor_matches(query: str, name: str | None, expected: bool) -> None:
    assert actor_matches(query, name) is expected


# --- With the real annotation pass -------------------------------------------------------------


def test_framing_of_a_parsed_article() -> None:
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.document import annotate_doc

    text = ("Marek Volkov, the strongman of Lisk, closed the border on Monday. "
            "Opposition leader Anna Berg claimed the vote had been stolen. "
            "Two officials, speaking on condition of anonymity, said the army may move north.")
    framing = article_framing("a1", "North Post", text, annotate_doc(load_nlp()(text)))
    assert ("Marek Volkov", _span(text, "the strongman of Lisk")) in framing.labels
    strongman = next(t for t in framing.loaded_terms if t.text == "strongman")
    assert (strongman.category, strongman.actor) == ("pejorative-label", "Marek Volkov")
    assert text[strongman.start:strongman.end] == "strongman"
    assert strongman.sentence == "Marek Volkov, the strongman of Lisk, closed the border on Monday."
    claimed = next(v for v in framing.attribution_verbs if v.text == "claimed")
    assert (claimed.category, claimed.actor, text[claimed.start:claimed.end]) == (
        "loaded-attribution-verb", "Anna Berg", "claimed")
    assert framing.anonymous_sources == 2 and framing.named_sources == 1
    assert [h.text for h in framing.hedges] == ["may"]
    (view,) = compare_actor("Volkov", [framing], {"a1": text})
    assert [i.text for i in view.labels] == ["the strongman of Lisk"] and [i.text for i in view.terms] == ["strongman"]
