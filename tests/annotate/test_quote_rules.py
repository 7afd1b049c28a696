"""Quote-finding rules, each on sentences written for these tests: (text, expected quotes) tables."""

from __future__ import annotations

import pytest

from storyline.annotate.nlp import load_nlp
from storyline.annotate.quotes import find_quotes


def _quotes(text: str) -> list[tuple[str, bool, str]]:
    """(content, direct, cue) for every quote found in ``text``."""
    return [(q.text, q.direct, q.cue.text if q.cue else "") for q in find_quotes(load_nlp()(text))]


@pytest.mark.parametrize(("text", "expected"), [
    # The clause runs on over what the parser hung on the reporting verb ...
    ("Marta Quill said she is pleased with the new bridge because it cuts her commute in half.",
     [("she is pleased with the new bridge because it cuts her commute in half", False, "said")]),
    ("The mayor said the budget is balanced, as spending fell for a second year.",
     [("the budget is balanced, as spending fell for a second year", False, "said")]),
    # A subject the parser took for the verb's object still opens the clause.
    ("But she said older buses that run on diesel — especially those on rural routes — are likely to be replaced first.",
     [("older buses that run on diesel — especially those on rural routes — are likely to be replaced first", False, "said")]),
    # The clause stays in the cue's paragraph, whatever stands on the line before.
    ("WATCH: Rail strike talks resume in capital\n\nOla Berg said the two sides will meet again on Friday.",
     [("the two sides will meet again on Friday", False, "said")]),
    # A that-clause hung on the noun of a phrase after the cue is still the cue's clause ...
    ("She told the court in an email that the payments had stopped.",
     [("that the payments had stopped", False, "told")]),
    # ... but a relative clause there is not.
    ("He spoke in a town that the storm had flattened.", []),
    # ... but not over a second cue, which brings a quote of its own.
    ("Dov Arlen said the ferry will run all winter, adding that fares will not rise.",
     [("the ferry will run all winter", False, "said"), ("that fares will not rise", False, "adding")]),
])
def test_clause_runs_to_the_end_of_what_the_verb_governs(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A cue in mid-sentence splits what was said into the part before and the part after it.
    ("The crews worked through the night, she said, but the road stayed closed until noon.",
     [("The crews worked through the night", False, "said"), ("but the road stayed closed until noon", False, "said")]),
    # Both parts are what was said, even a part without a verb.
    ("The new rules, Ilse Brandt says, have been three years in the making.",
     [("The new rules", False, "says"), ("have been three years in the making", False, "says")]),
    # A part with a cue of its own is that cue's quote.
    ("The pier will reopen on Friday, Rana Holt said, though she warned that repairs could run late.",
     [("The pier will reopen on Friday", False, "said"), ("that repairs could run late", False, "warned")]),
])
def test_a_parenthetical_cue_splits_the_content(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("According to the ministry, the dam holds enough water for two summers.",
     [("the dam holds enough water for two summers", False, "According to")]),
    ("The dam, according to the ministry, holds enough water for two summers.",
     [("The dam", False, "according to"), ("holds enough water for two summers", False, "according to")]),
    ("The dam holds enough water for two summers, according to the ministry.",
     [("The dam holds enough water for two summers", False, "according to")]),
])
def test_according_to_splits_like_a_parenthetical_cue(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "and added" with no subject of its own, even where the parser hangs it inside the clause.
    ("Ines Varga said the river is falling, and added that the roads will reopen by Monday.",
     [("the river is falling", False, "said"), ("that the roads will reopen by Monday", False, "added")]),
])
def test_a_second_cue_ends_the_first_quote(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # The headline of another story after a link label is not this article's reporting.
    ("The vote is on Tuesday. READ MORE: Minister says the vote will be close\n\nThe count starts at nine.", []),
    ("Crews cleared the road. WATCH: Mayor says crews worked all night\n\nThe mayor said the road is open again.",
     [("the road is open again", False, "said")]),
    # A section label is not a link label: the section's quotes stand.
    ("MARKETS: Traders said the rally will not last through the week.",
     [("the rally will not last through the week", False, "said")]),
])
def test_link_headlines_hold_no_quotes(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A paragraph closed by a photo credit is a caption: it repeats the story, it is not the story.
    ("Rolf Yates said the mill will reopen in spring.\n\n"
     "Rolf Yates says the mill will reopen in spring. (Ana Ruiz/The Valley Ledger)\n\nThe mill closed in May.",
     [("the mill will reopen in spring", False, "said")]),
    ("The owner says the shop will stay open late on Fridays. (Tom Hale)\n\nIt opened in 1990.", []),
    # A paragraph that is only a single-quoted phrase with no stop is a subhead, not a quote.
    ("The bakery opened in 1950.\n\n'We never thought of closing the doors'\n\nThe owners are brothers.", []),
    # An abbreviation in brackets is not a credit.
    ("The Rural Schools Board (RSB) said the buses will run on Monday.",
     [("the buses will run on Monday", False, "said")]),
])
def test_photo_captions_hold_no_quotes(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("“Get out of the water now!” the lifeguard shouted.", [("Get out of the water now!", True, "shouted")]),
    ("“We lost the match but not the season,” the coach repeated.",
     [("We lost the match but not the season,", True, "repeated")]),
    # The parser ends the sentence at "!", the cue after the closing mark still belongs to it.
    ("“Stay off the ice!” the ranger warned.", [("Stay off the ice!", True, "warned")]),
    ("Pia Moss confessed that she had never driven a tractor before the harvest.",
     [("that she had never driven a tractor before the harvest", False, "confessed")]),
])
def test_manner_of_speaking_verbs_are_cues(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Advice or a plea to someone: the to-infinitive is what was said.
    ("The utility urged residents to keep their taps running overnight.",
     [("to keep their taps running overnight", False, "urged")]),
    ("The city urged residents to boil their water so that nobody falls ill.",
     [("to boil their water so that nobody falls ill", False, "urged")]),
    ("The clinic advised parents never to leave the medicine within reach.",
     [("never to leave the medicine within reach", False, "advised")]),
    # A promise or an order without words reported is not a quote.
    ("The council promised to repave the road.", []),
    ("The judge ordered the firm to pay the fine.", []),
])
def test_advice_to_someone_is_an_indirect_quote(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # What someone called something is theirs to answer for.
    ("The union called the offer an insult to every nurse in the province.",
     [("an insult to every nurse in the province", False, "called")]),
    ("Police described the driver as a man in his forties.", [("a man in his forties", False, "described")]),
    ("She called her brother on Sunday.", []),
])
def test_a_name_given_is_an_indirect_quote(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(("text", "quotes", "attributed"), [
    # Data or a document pointing to a conclusion: attributed to it, but nobody said it.
    ("The survey suggests that most drivers would pay a toll.", [], ["that most drivers would pay a toll"]),
    ("Last year's figures indicated the lake was shrinking.", [], ["the lake was shrinking"]),
    # A person who suggests something, or a report that says it, is quoted.
    ("The minister suggested that the toll could fall.", ["that the toll could fall"], ["that the toll could fall"]),
    ("The report said the lake was shrinking.", ["the lake was shrinking"], ["the lake was shrinking"]),
])
def test_evidence_is_attributed_not_quoted(text: str, quotes: list[str], attributed: list[str]) -> None:
    from storyline.annotate.attribution import find_attributions

    doc = load_nlp()(text)
    assert [q.text for q in find_quotes(doc)] == quotes
    assert [a.content.text for a in find_attributions(doc, find_quotes(doc))] == attributed


def test_a_clause_is_sought_in_the_cue_paragraph_only() -> None:
    """A parse that hangs a headline of the previous line on the cue as its clause (as the parser
    does when the headline has no stop): the clause is the one in the cue's own paragraph."""
    from spacy.tokens import Doc

    from storyline.annotate.quotes import _cue_clause

    words = ["Talks", "resume", "\n\n", "Ola", "said", "talks", "stalled", "."]
    spaces = [True, False, False, True, True, True, False, False]
    heads = [1, 4, 1, 4, 4, 6, 4, 4]
    deps = ["nsubj", "ccomp", "dep", "nsubj", "ROOT", "nsubj", "ccomp", "punct"]
    pos = ["NOUN", "VERB", "SPACE", "PROPN", "VERB", "NOUN", "VERB", "PUNCT"]
    lemmas = ["talk", "resume", "\n\n", "Ola", "say", "talk", "stall", "."]
    doc = Doc(load_nlp().vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    clause = _cue_clause(doc[4])
    assert clause is not None and clause.text == "stalled"


@pytest.mark.parametrize(("text", "speaker", "name"), [
    # An apposition that names a person is the speaker's words ...
    ("Her brother, Tomas Reyes, said the farm will stay in the family.", "Tomas Reyes", "Tomas Reyes"),
    # ... a plain noun phrase stays as it is.
    ("Her brother said the farm will stay in the family.", "Her brother", "Her brother"),
])
def test_an_apposition_naming_the_speaker_is_the_speaker(text: str, speaker: str, name: str) -> None:
    quote = next(find_quotes(load_nlp()(text)))
    assert quote.speaker is not None and (quote.speaker.text, quote.speaker_name) == (speaker, name)


@pytest.mark.parametrize(("text", "expected"), [
    # "?" or "!" ends the parser's sentence, but the cue after the closing mark is the quote's.
    ("“Why would we wait?” Ada Quist asked.", [("Why would we wait?", True, "asked")]),
])
def test_a_cue_after_a_question_mark_belongs_to_the_quote(text: str, expected: list[tuple[str, bool, str]]) -> None:
    assert _quotes(text) == expected


def test_of_two_subjects_the_nearer_speaks() -> None:
    """A label run into the sentence ("FARM NEWS: a poll suggested ...") may give the verb two subjects."""
    from spacy.tokens import Doc

    from storyline.annotate.speakers import subject_of

    words = ["FARM", "NEWS", ":", "a", "poll", "suggested", "rain", "."]
    heads = [1, 5, 5, 4, 5, 5, 5, 5]
    deps = ["compound", "nsubj", "punct", "det", "nsubj", "ROOT", "dobj", "punct"]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "VERB", "NOUN", "PUNCT"]
    doc = Doc(load_nlp().vocab, words=words, heads=heads, deps=deps, pos=pos)
    subject = subject_of(doc[5])
    assert subject is not None and subject.text == "poll"


def _said(text: str) -> list[tuple[str, bool, str | None, str | None]]:
    """(content, direct, speaker words, speaker name) for every quote found in ``text``."""
    return [(q.text, q.direct, q.speaker.text if q.speaker else None, q.speaker_name) for q in find_quotes(load_nlp()(text))]


@pytest.mark.parametrize(("text", "expected"), [
    # words quoted inside the writer's own clause are indirect speech holding quoted words (issue [9])
    ("Councillor Vela Aston spoke on Friday. Aston said the tram plan was \u201clike a bridge to nowhere, and an expensive one.\u201d",
     [("the tram plan was \u201clike a bridge to nowhere, and an expensive one.\u201d", False, "Aston", "Vela Aston")]),
    # the clause the parser cut short inside the quote runs on to the closing mark
    ("Mayor Ines Hald, who backed the plan, now said Lisk had \u201cthe chance and the duty to build the bridge.\u201d",
     [("Lisk had \u201cthe chance and the duty to build the bridge.\u201d", False, "Mayor Ines Hald", "Ines Hald")]),
    # ... and stops before a quotation it runs into after a second cue
    ("Hald said the old ferry \u201cwas a disgrace,\u201d adding, \u201cWe will not go back to the old timetable ever again.\u201d",
     [("the old ferry \u201cwas a disgrace,\u201d", False, "Hald", "Hald"),
      ("We will not go back to the old timetable ever again.", True, "Hald", "Hald")]),
])
def test_a_fragment_quoted_inside_reported_speech_is_part_of_it(text: str, expected: list[tuple[str, bool, str | None, str | None]]) -> None:
    assert _said(text) == expected


def test_titles_and_slogans_are_not_quotes() -> None:
    found = _said("Hald defended the plan on \u201cMorning Harbour Live\u201d on Sunday. \u201cWe are ready for the vote,\u201d she said.")
    assert [(t, d) for t, d, _, _ in found] == [("We are ready for the vote,", True)]


def test_a_pronoun_after_a_quote_is_the_last_speaker_not_a_name_inside_the_quote() -> None:
    text = ("Councillor Vela Aston said she would vote against it. \u201cSome people think Ines Hald will fix the ferry,\u201d "
            "she said. \u201cIf the plan passes, the fares will rise,\u201d she said.")
    assert [n for _, d, _, n in _said(text) if d] == ["Vela Aston", "Vela Aston"]


def test_typewriter_marks_and_a_name_before_a_colon() -> None:
    found = _said("The union met on Monday. ''You would have to be mad,'' he said.\n\n"
                  "The vote surprised union steward Ola Berg: \u201cNobody expected the dockers to agree so quickly.\u201d")
    assert [(t, d, s) for t, d, s, _ in found] == [
        ("You would have to be mad,", True, "he"),
        ("Nobody expected the dockers to agree so quickly.", True, "union steward Ola Berg")]


def test_a_curly_quote_nested_in_a_straight_one_does_not_cut_it() -> None:
    found = _said('Dr. Vela Aston stated: "The port is not about \u201cjobs for all\u201d anymore. It is about the budget."')
    assert found[0][:2] == ('The port is not about \u201cjobs for all\u201d anymore. It is about the budget.', True)


def test_a_mixed_quote_is_flagged_as_holding_quoted_words_everywhere() -> None:
    from storyline.export.records import quote_record
    from storyline.store.annotations import StoredQuote

    mixed, plain = find_quotes(load_nlp()("Aston said the tram plan was \u201clike a bridge to nowhere.\u201d Aston said Lisk\u2019s ferry will run."))
    assert mixed.quoted_words and not mixed.direct
    assert not plain.quoted_words  # an apostrophe is no quote mark
    record = quote_record(StoredQuote("a:q0", "a", None, mixed))
    assert record["quoted_words"] is True and record["direct"] is False
