"""What kind of source a phrase names, how many, and which outlet it sits in.

Kinds: ``person`` (a named person), ``outlet`` (a news organisation),
``organisation`` (any other named body), ``anonymous`` (unnamed people:
"four sources in Russia", "a person familiar with the matter"), ``document``
("a leaked memo", "the files") and ``unknown``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import load_lexicon
from .quotemarks import word_list
from .speakers import named_entity
from .nlp import ents_in

__all__ = ["SourceInfo", "classify_source", "is_evidence_report", "is_outlet_name", "outlet_in"]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The kind of a source phrase, its count, and an outlet named inside it."""

    kind: str
    count: int | None = None
    outlet: Span | None = None


def is_outlet_name(name: str) -> bool:
    """Return True when a name reads as a news outlet ("New York Times", "Reuters", "The Sun")."""
    lex = load_lexicon()
    low = name.lower().removeprefix("the ").strip()
    words = set(re.findall(r"[a-z]+", low))
    return low in lex.agencies or bool(words & lex.outlet_words)


def outlet_in(phrase: Span) -> Span | None:
    """Return an outlet named inside a phrase ("a report in the New York Times", "cited by Reuters")."""
    for ent in ents_in(phrase):
        if ent.label_ in {"ORG", "PERSON", "GPE", "WORK_OF_ART"} and is_outlet_name(ent.text):
            return ent
    return None


def _count(head: Token) -> int | None:
    lex = load_lexicon()
    for child in head.children:
        if child.dep_ in {"nummod", "quantmod"} or (child.dep_ == "det" and child.lower_ in {"one", "another", "a", "an"}):
            word = child.lower_
            if word.isdigit():
                return int(word)
            if word in lex.numbers:
                return lex.numbers[word] or None
            if word in {"another", "a", "an"} and head.tag_ == "NN":
                return 1
    return 1 if head.tag_ == "NN" else None


def classify_source(phrase: Span, head: Token) -> SourceInfo:
    """Classify the source phrase headed by ``head``.

    The outlet is looked for in the head's whole subtree ("a recent report in the New York
    Times"), the name in the phrase or its apposition ("Putin's spokesman, Dmitry Peskov").
    """
    lex = load_lexicon()
    outlet = outlet_in(head.doc[head.left_edge.i : head.right_edge.i + 1])
    ent = named_entity(phrase, head)
    if ent is not None:
        if is_outlet_name(ent.text):
            return SourceInfo("outlet", None, ent)
        return SourceInfo("person" if ent.label_ == "PERSON" else "organisation", None, outlet)
    lemma = head.lemma_.lower()
    if head.lower_ in lex.anonymous_nouns or lemma in lex.anonymous_nouns:
        return SourceInfo("anonymous", _count(head), outlet)
    if head.lower_ in lex.document_nouns or lemma in lex.document_nouns:
        return SourceInfo("document", _count(head), outlet)
    if head.lower_ in lex.outlet_back_references:
        return SourceInfo("outlet", None, outlet)
    if lemma in lex.organisation_nouns or head.lower_ in lex.organisation_nouns:
        return SourceInfo("organisation", None, outlet)
    if head.pos_ == "PRON":
        return SourceInfo("person" if head.lower_ in lex.singular_pronouns else "unknown", None, outlet)
    return SourceInfo("unknown", None, outlet)


def is_evidence_report(cue: Token, head: Token) -> bool:
    """Return True for data or a document pointing to a conclusion ("The survey suggests ...",
    "records indicated ..."): an attribution to the document, but no one's words."""
    if cue.lemma_.lower() not in word_list("evidential_verbs"):
        return False
    # the word as written: "figures" are data, a "figure" may be a person
    return bool({head.lower_, head.lemma_.lower()} & load_lexicon().document_nouns) or head.lower_ in word_list("evidence")
