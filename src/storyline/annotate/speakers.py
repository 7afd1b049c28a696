"""Speakers: the noun phrase that says something, and the name it stands for.

Pronoun speakers ("he said") are resolved to the nearest earlier person named
in the article; a surname alone ("Putin") is resolved to the fullest form of
that name in the article ("Vladimir Putin"). Unresolvable stays None.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..models import Span as TextSpan
from .lexicon import load_lexicon
from .nlp import ents_in, ents_of, sentence_of

__all__ = ["subject_of", "plausible_speaker", "speaker_phrase", "resolve_speaker", "full_name", "named_entity"]

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_ADDRESSEE_VERBS = frozenset({"tell", "ask", "inform", "warn", "urge", "remind", "assure"})
# Parts of a subject phrase that describe rather than name it ("who has worked with ...").
_TRIM_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "appos"})


def subject_of(verb: Token) -> Token | None:
    """Return the subject of a reporting verb: its nsubj, or the noun after an inverted "said X".

    A relative pronoun ("Trump, who said ...") stands for the noun its clause hangs on.
    """
    # the subject nearest the verb, where the parser gave it two ("LABEL: On Monday, a survey suggested")
    for child in sorted(verb.children, key=lambda c: abs(c.i - verb.i)):
        if child.dep_ in _SUBJECT_DEPS:
            if child.tag_ in {"WP", "WDT"} and verb.dep_ == "relcl":
                near = [e for e in ents_of(verb.doc) if e.end <= child.i and child.i - e.end <= 3]
                return near[-1].root if near else verb.head
            return child
    if verb.dep_ in {"conj", "advcl", "xcomp"} and verb.head.pos_ in {"VERB", "AUX"} and verb.head.i != verb.i:
        head = verb.head
        if head.dep_ == "ccomp" and head.head.lemma_.lower() in load_lexicon().reporting_verbs:
            head = head.head  # "X said the ferry will run, adding ...": X adds, not the ferry
        return subject_of(head)  # "Zelensky made the remarks ..., telling the tabloid ..."
    if verb.tag_ == "VBG" and verb.i > 0 and verb.nbor(-1).text == ",":
        # "Flea shared the news, writing “...”": the parser may hang the gerund anywhere
        before = [t for t in sentence_of(verb) if t.i < verb.i and t.dep_ in _SUBJECT_DEPS and t.head.i < verb.i]
        if before:
            return before[-1]
    if verb.lemma_.lower() in _ADDRESSEE_VERBS:
        return None  # "told reporters": the object is who was told, not who spoke
    for child in verb.rights:  # "..., said another senior source"
        if child.dep_ in {"dobj", "attr", "npadvmod", "oprd", "dative"} and child.pos_ in {"PROPN", "NOUN", "PRON"}:
            return child
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if following is not None and following.head == verb and following.is_title and following.dep_ in {"advmod", "npadvmod", "nsubj"}:
        return following  # "”, said Skelly, explaining ...": the parser took the name for an adverb
    return None


_NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"})
_NOT_SPEAKER_PRONOUNS = frozenset({"this", "that", "which", "what", "there", "these", "those", "something", "nothing", "everything"})


def plausible_speaker(head: Token) -> bool:
    """Return False for subjects that cannot say anything: dates, amounts, titles of works, "this"."""
    if head.pos_ == "PRON":
        return head.lower_ not in _NOT_SPEAKER_PRONOUNS
    if head.like_num:
        return False
    if head.ent_type_ in _NOT_SPEAKER_ENTS and not _named_elsewhere(head):
        return False
    return head.lemma_.lower() not in load_lexicon().non_speakers


def _named_elsewhere(head: Token) -> bool:
    """"“...,” Sanders remarked" with "Sanders" tagged a work of art here: a name the text gives a person
    or an organisation elsewhere is one here too."""
    return head.pos_ in {"PROPN", "NOUN"} and head.is_title and any(
        e.label_ in {"PERSON", "ORG"} and head.text in e.text.split() for e in ents_of(head.doc))


def speaker_phrase(head: Token) -> Span:
    """Return the compact noun phrase of a speaker: modifiers kept, clauses and appositions cut."""
    doc = head.doc
    start, end = head.i, head.i + 1
    for child in head.lefts:
        if child.dep_ not in _TRIM_DEPS:
            start = min(start, child.left_edge.i)
    for child in head.rights:
        if child.dep_ in _TRIM_DEPS:
            break
        end = max(end, child.right_edge.i + 1)
    while start < end - 1 and doc[start].is_punct:
        start += 1
    return doc[start:end]


def named_entity(phrase: Span, head: Token) -> Span | None:
    """The name the phrase is headed by ("Putin", "Russian President Vladimir Putin"), or its apposition.

    A name that only modifies the head ("the Russian leader", "sources in Putin's circle") is not the speaker.
    """
    candidates = [e for e in ents_in(phrase) if e.start <= head.i < e.end]
    for child in head.children:
        if child.dep_ == "appos":
            candidates += [e for e in ents_of(head.doc) if child.left_edge.i <= e.start and e.end <= child.right_edge.i + 1]
    for label in ("PERSON", "ORG", "GPE", "NORP"):
        found = [e for e in candidates if e.label_ == label]
        if found:
            return max(found, key=len)
    return None


def full_name(name: str, doc: Doc) -> str:
    """Return the longest PERSON name in ``doc`` that ends with ``name`` (a surname), else ``name``."""
    last = name.split()[-1] if name.split() else name
    best = name
    for ent in ents_of(doc):
        if ent.label_ == "PERSON" and ent.text.split()[-1:] == [last] and len(ent.text) > len(best):
            best = ent.text
    return best.split("\n")[0].strip().removesuffix("'s").removesuffix("’s")


def _previous_person(doc: Doc, before: int) -> str | None:
    """The nearest earlier person, preferring one who is the subject of a clause (the topic)."""
    people = [e for e in ents_of(doc) if e.label_ == "PERSON" and e.end_char <= before]
    subjects = [e for e in people if e.root.dep_ in _SUBJECT_DEPS]
    # A subject within the last three sentences wins over a nearer person in an object or possessive.
    if subjects and (not people or _sentences_between(doc, subjects[-1], people[-1]) <= 3):
        return full_name(subjects[-1].text, doc)
    return full_name(people[-1].text, doc) if people else None


def _sentences_between(doc: Doc, a: Span, b: Span) -> int:
    return len({sentence_of(t).start for t in doc[a.start : b.end]}) - 1


def resolve_speaker(head: Token, phrase: Span) -> tuple[TextSpan, str | None]:
    """Return the speaker's words (with offsets) and the name they stand for, or None."""
    words = TextSpan(phrase.text, phrase.start_char, phrase.end_char)
    lex = load_lexicon()
    if head.pos_ == "PRON" or head.lower_ in lex.singular_pronouns | lex.plural_pronouns:
        if head.lower_ in lex.singular_pronouns - {"i"}:
            return words, _previous_person(head.doc, phrase.start_char)
        return words, None
    entity = named_entity(phrase, head)
    if entity is not None:
        name = full_name(entity.text, head.doc) if entity.label_ == "PERSON" else entity.text
        if entity.start > phrase.end and entity.label_ == "PERSON":
            # "His father, Ernie Roy, says": the apposition names the speaker
            words = TextSpan(entity.text, entity.start_char, entity.end_char)
        return words, name
    return words, phrase.text
