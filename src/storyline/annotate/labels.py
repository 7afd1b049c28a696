"""Labels: every descriptive phrase an article uses for an actor.

1. titles before a name ("Russian President Vladimir Putin" -> "Russian President");
2. appositions either way ("Putin's spokesman, Dmitry Peskov"; "Dmitry Peskov, the Kremlin spokesman");
3. stand-alone references ("the Kremlin chief said", "the dictator", "the Ukrainian president"),
   resolved to an earlier-named person by these rules, first that decides:
   a. the head noun and place words both fit what the article already calls someone
      ("the dictator" after "Russian dictator Vladimir Putin");
   b. the place words fit ("Kremlin" ~ "Russian"), and no other candidate's do;
   c. the head noun fits one of the candidate's titles ("the president");
   d. the most recent person who was the subject of a clause, then the most recent person.
   A person whose known place words conflict ("the Ukrainian leader" is not the Russian
   President) and the subject of the same sentence, when the label sits in a clause
   below it ("Maresh insisted ..., hinting the rebel leader had no mandate"), are
   never chosen. Each resolution keeps the rule that decided it as evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..models import Mention
from .actors import clean_name
from .lexicon import load_lexicon
from .nlp import ents_of

__all__ = ["find_labels"]

_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mx"})
_TITLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "nummod"})


@dataclass
class _Known:
    """What the article has called a person so far: role nouns and place keys."""

    roles: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)


def _roles_places(words: list[Token]) -> tuple[set[str], set[str]]:
    lex = load_lexicon()
    text = " ".join(t.lower_ for t in words)
    roles = {t.lemma_.lower() for t in words if t.lemma_.lower() in lex.role_nouns}
    places = {key for word, key in lex.affiliations.items() if f" {word} " in f" {text} "}
    return roles, places


def _title_before(ent: Span) -> Span | None:
    doc = ent.doc
    i = ent.start - 1
    # The parser sometimes hangs "US President Donald Trump" on the next word: accept that head too.
    heads = set(range(ent.start, ent.end)) | {ent.root.head.i}
    while i >= 0 and doc[i].dep_ in _TITLE_DEPS and (doc[i].head.i in heads or i < doc[i].head.i < ent.start) and not doc[i].is_punct:
        if doc[i].ent_type_ == "PERSON":
            break
        i -= 1
    start = i + 1
    while start < ent.start and doc[start].dep_ in {"poss", "case"} and doc[start].ent_type_ == "":
        start += 1
    if start >= ent.start:
        return None
    span = doc[start : ent.start]
    if span.text.lower().rstrip(".") in _HONORIFICS:
        return None
    return span if any(t.pos_ in {"NOUN", "PROPN", "ADJ"} and t.is_alpha for t in span) else None


def _appositions(doc: Doc, names: dict[int, str]) -> Iterator[tuple[Span, str, str]]:
    for token in doc:
        if token.dep_ != "appos":
            continue
        head = token.head
        if token.i in names and head.i not in names and head.pos_ in {"NOUN", "PROPN"}:
            left = [t for t in head.subtree if t.i < token.left_edge.i and not t.is_punct]
            if left:
                yield doc[left[0].i : left[-1].i + 1], names[token.i], "appositive"
        elif head.i in names and token.i not in names and token.pos_ == "NOUN":
            words = [t for t in token.subtree if not t.is_punct and t.dep_ not in {"relcl", "acl"}]
            if words:
                yield doc[words[0].i : words[-1].i + 1], names[head.i], "appositive"


def _person_tokens(doc: Doc, canonical: dict[str, str]) -> dict[int, str]:
    out: dict[int, str] = {}
    places = load_lexicon().affiliations
    for ent in ents_of(doc):
        if ent.label_ == "PERSON" and clean_name(ent.text).lower() not in places:
            name = clean_name(ent.text)
            out[ent.root.i] = canonical.get(name, name)
    return out


def _epithets(doc: Doc) -> Iterator[Span]:
    lex = load_lexicon()
    for chunk in doc.noun_chunks:
        root = chunk.root
        det = chunk[0].lower_
        if det not in {"the", "this", "that"} or root.lemma_.lower() not in lex.role_nouns:
            continue
        if any(t.ent_type_ == "PERSON" for t in chunk) or root.dep_ in {"compound", "appos"}:
            continue
        if any(c.dep_ == "appos" for c in root.children) or any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children):
            continue  # "the head of the agency": a role in an organisation, not an epithet
        yield chunk


def _excluded(label: Span, persons: list[tuple[int, str, bool]]) -> set[str]:
    """The subject of a verb the label's clause hangs under ("Putin stressed ..., suggesting the leader ...")."""
    doc = label.doc
    governing: set[int] = set()
    token = label.root
    while token.head.i != token.i and token.dep_ != "conj":  # a coordinated clause is a new statement
        token = token.head
        governing.add(token.i)
    return {name for i, name, is_subject in persons if is_subject and doc[i].head.i in governing}


def _resolve(label: Span, persons: list[tuple[int, str, bool]], known: dict[str, _Known]) -> tuple[str, str] | None:
    roles, places = _roles_places(list(label))
    before = [(i, n, s) for i, n, s in persons if i < label.start]
    banned = _excluded(label, before)
    pool = [(i, n, s) for i, n, s in before if n not in banned and not (places and known[n].places and not places & known[n].places)]
    if not pool:
        return None
    recent = sorted(pool, key=lambda p: -p[0])
    checks: tuple[tuple[str, Callable[[str], bool]], ...] = (
        ("role and place words match", lambda n: bool(roles & known[n].roles) and bool(places & known[n].places)),
        ("place words match", lambda n: bool(places) and bool(places & known[n].places)),
        ("role word matches a title", lambda n: bool(roles & known[n].roles)),
    )
    for rule, ok in checks:
        match = next((n for _, n, _ in recent if ok(n)), None)
        if match:
            return match, rule
    subject = next((n for _, n, s in recent if s), None)
    if subject:
        return subject, "most recent person in subject position"
    return recent[0][1], "most recent person"


def _mention(span: Span, name: str, evidence: str) -> Mention:
    return Mention(span.text, span.start_char, span.end_char, "label", "PERSON", name, evidence)


def find_labels(doc: Doc, canonical: dict[str, str]) -> Iterator[Mention]:
    """Yield ``label`` mentions (titles, appositions, resolved references) for the people in ``doc``."""
    names = _person_tokens(doc, canonical)
    known: dict[str, _Known] = {n: _Known() for n in names.values()}
    found: list[Mention] = []
    for ent in ents_of(doc):
        title = _title_before(ent) if ent.label_ == "PERSON" else None
        if title is not None and ent.root.i in names:
            found.append(_mention(title, names[ent.root.i], "title before the name"))
    for span, name, how in _appositions(doc, names):
        found.append(_mention(span, name, how))
    for m in found:
        roles, places = _roles_places(list(doc.char_span(m.start, m.end, alignment_mode="expand") or []))
        known[m.name].roles |= roles
        known[m.name].places |= places
    persons = sorted((i, n, doc[i].dep_ in {"nsubj", "nsubjpass"}) for i, n in names.items())
    for label in _epithets(doc):
        resolved = _resolve(label, persons, known)
        if resolved is None:
            continue
        name, rule = resolved
        roles, places = _roles_places(list(label))
        known[name].roles |= roles
        known[name].places |= places
        found.append(_mention(label, name, rule))
        persons = sorted(persons + [(label.root.i, name, label.root.dep_ in {"nsubj", "nsubjpass"})])
    yield from sorted(found, key=lambda m: m.start)
