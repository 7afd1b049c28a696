"""Actors in one article: name mentions, grouped by the fullest form of each name.

PERSON, ORG, GPE and NORP entities become ``name`` mentions. Within an article a
surname alone ("Putin") stands for the fullest name ending with it ("Vladimir
Putin"); possessives and a leading "the" are dropped from names. Corpus-level
grouping (spelling variants across articles) is :mod:`storyline.annotate.registry`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Span

from ..models import Mention
from .lexicon import load_lexicon

__all__ = ["ACTOR_TYPES", "clean_name", "name_mentions", "canonical_names"]

ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_POSSESSIVE = re.compile(r"[’']s?$")


def clean_name(text: str) -> str:
    """Return a name without a leading "the", a possessive ending or surrounding punctuation."""
    text = _POSSESSIVE.sub("", text.strip(" \t\n.,;:“”\"'‘’()"))
    if text.lower().startswith("the "):
        text = text[4:]
    return " ".join(text.split())


def _entity_span(ent: Span) -> tuple[int, int, str]:
    """The name's own characters: "the" and "'s" trimmed off the entity."""
    start, end = ent.start_char, ent.end_char
    text = ent.text
    if text.lower().startswith("the "):
        start += 4
    trimmed = _POSSESSIVE.sub("", text)
    end -= len(text) - len(trimmed)
    return start, end, ent.doc.text[start:end]


def canonical_names(doc: Doc) -> dict[str, str]:
    """Map every person name form in ``doc`` to its fullest form ("Putin" -> "Vladimir Putin")."""
    places = load_lexicon().affiliations
    people = sorted({clean_name(e.text) for e in doc.ents if e.label_ == "PERSON"} - set(), key=len, reverse=True)
    people = [p for p in people if p.lower() not in places]
    out: dict[str, str] = {}
    for name in people:
        parts = name.split()
        fuller = next((p for p in people if len(p.split()) > len(parts) and p.split()[-len(parts):] == parts), None)
        out[name] = fuller or name
    return out


def name_mentions(doc: Doc) -> Iterator[Mention]:
    """Yield a ``name`` mention for every actor entity in ``doc``."""
    names = canonical_names(doc)
    for ent in doc.ents:
        if ent.label_ not in ACTOR_TYPES:
            continue
        start, end, text = _entity_span(ent)
        name = clean_name(text)
        if not name or not any(ch.isalpha() for ch in name):
            continue
        label = _corrected_type(ent.label_, name)
        full = names.get(name, name) if label == "PERSON" else name
        yield Mention(text, start, end, "name", label, full)


def _corrected_type(label: str, name: str) -> str:
    """Known places the small model tags as people ("Kyiv") are places."""
    return "GPE" if label == "PERSON" and name.lower() in load_lexicon().affiliations else label
