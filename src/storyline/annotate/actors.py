"""Actors in one article: name mentions, grouped by the fullest form of each name.

PERSON, ORG, GPE and NORP entities become ``name`` mentions. Within an article a
surname alone ("Putin") stands for the fullest name ending with it ("Vladimir
Putin"); possessives and a leading "the" are dropped from names. Corpus-level
grouping (spelling variants across articles) is :mod:`storyline.annotate.registry`.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from collections.abc import Iterator

from spacy.tokens import Doc, Span

from ..models import Mention
from .lexicon import load_lexicon
from .nlp import ents_of, text_of

__all__ = ["ACTOR_TYPES", "clean_name", "name_mentions", "canonical_names"]

ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_POSSESSIVE = re.compile(r"[’']s?$")
_LEADING = frozenset({"the", "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mx", "prof"})


def clean_name(text: str) -> str:
    """Return a name without a leading "the" or honorific, a possessive ending or surrounding punctuation."""
    text = _POSSESSIVE.sub("", text.strip(" \t\n.,;:“”\"'‘’()").split("\n")[0].strip())
    words = text.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _LEADING:
        words = words[1:]
    return " ".join(words)


def _entity_span(ent: Span) -> tuple[int, int, str]:
    """The name's own characters: "the" and "'s" trimmed off the entity."""
    start, end = ent.start_char, ent.end_char
    text = ent.text
    if text.lower().startswith("the "):
        start += 4
    trimmed = _POSSESSIVE.sub("", text)
    end -= len(text) - len(trimmed)
    return start, end, text_of(ent.doc)[start:end]


def canonical_names(doc: Doc) -> dict[str, str]:
    """Map every person name form in ``doc`` to its fullest form ("Putin" -> "Vladimir Putin")."""
    places = load_lexicon().affiliations
    # longest first, then in order of first appearance (never the hash order of a set: runs must agree)
    people = sorted(dict.fromkeys(clean_name(e.text) for e in ents_of(doc) if e.label_ == "PERSON"), key=len, reverse=True)
    people = [p for p in people if p.lower() not in places]
    out: dict[str, str] = {}
    for name in people:
        parts = name.split()
        fuller = next((p for p in people if len(p.split()) > len(parts) and p.split()[-len(parts):] == parts), None)
        if fuller is None and len(parts) == 1:  # a misspelt surname: "Zelenky" for "Volodymyr Zelensky"
            fuller = next((p for p in people if len(p.split()) > 1 and _near(p.split()[-1], name)), None)
        out[name] = fuller or name
    return out


def _near(a: str, b: str) -> bool:
    return a[:1].lower() == b[:1].lower() and SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.85


def _majority_types(doc: Doc) -> dict[str, str]:
    """The type each name gets most often in the article (the small model wavers: "Carvenne")."""
    votes: dict[str, Counter[str]] = {}
    for ent in ents_of(doc):
        if ent.label_ in ACTOR_TYPES:
            votes.setdefault(clean_name(ent.text), Counter())[ent.label_] += 1
    return {name: max(c, key=lambda k: (c[k], k != "PERSON")) for name, c in votes.items()}


def _trimmed(ent: Span) -> Span:
    """Drop a leading verb the model swept into a name ("Addressing G20", "Follow Halmyra")."""
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].tag_.startswith("VB"):
        start += 1
    return ent.doc[start : ent.end]


def name_mentions(doc: Doc) -> Iterator[Mention]:
    """Yield a ``name`` mention for every actor entity in ``doc``."""
    names = canonical_names(doc)
    types = _majority_types(doc)
    for whole in ents_of(doc):
        if whole.label_ not in ACTOR_TYPES:
            continue
        ent = _trimmed(whole)
        if ent.start != whole.start and whole.label_ == "PERSON":
            continue  # "Addressing G20" is not a person
        start, end, text = _entity_span(ent)
        name = clean_name(text)
        if not name or not any(ch.isalpha() for ch in name):
            continue
        label = _corrected_type(types.get(name, whole.label_), name)
        full = names.get(name, name) if label == "PERSON" else name
        yield Mention(text, start, end, "name", label, full)


def _corrected_type(label: str, name: str) -> str:
    """Known places the small model tags as people ("Kyiv") are places."""
    return "GPE" if label == "PERSON" and name.lower() in load_lexicon().affiliations else label
