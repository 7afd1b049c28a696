"""Dated starts of named periods: "the war began on February 24, 2022".

A duration that counts from such a start ("22 months into the war") is a date. A
sentence that names a period (a noun from ``[anchors]`` in data/timex.toml), says it
began (a start verb) and holds an absolute date gives that period's start. The first
such sentence in the text wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .calc import value_bounds
from .lexicon import alternation, load_time_lexicon

__all__ = ["Anchor", "find_anchors", "may_anchor"]

_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_REACH = 300
"""Characters searched for a sentence's end on either side of a date."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """The start of a named period and the words that date it."""

    start: date
    evidence: str


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = load_time_lexicon()
    nouns = re.compile(r"\b(?P<noun>" + alternation(lex.anchor_nouns) + r")\b", re.I)
    verbs = re.compile(r"\b(?:" + alternation(lex.start_verbs) + r"|(?:start|beginning|outbreak|onset)\s+of)\b", re.I)
    war = re.compile(r"\b" + alternation(lex.war_verbs) + r"\b", re.I)
    return nouns, verbs, war


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a date, at most :data:`_REACH` characters on either side (a run-on list of dates
    with no full stop would otherwise make every date's sentence the rest of the text: quadratic)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - _REACH), start)), default=max(0, start - _REACH))
    right = _SENTENCE_END.search(text, end, end + _REACH)
    return left, right.start() + 1 if right else min(len(text), end + _REACH)


def may_anchor(text: str) -> bool:
    """Return False when no sentence of ``text`` can date a period (no period noun with a start verb, no war
    verb anywhere): a cheap test that spares the time grammar on most texts."""
    nouns, verbs, war = _patterns()
    return bool(war.search(text) or (nouns.search(text) and verbs.search(text)))


def find_anchors(text: str, dates: Sequence[tuple[int, int, str]]) -> dict[str, Anchor]:
    """Return the start date of each named period the text dates, by anchor key ("war").

    Args:
        text: the text.
        dates: (start, end, value) of the absolute day or month expressions found in it.
    """
    nouns, verbs, war = _patterns()
    keys = load_time_lexicon().anchor_nouns
    found: dict[str, Anchor] = {}
    for start, end, value in dates:
        s, e = _sentence(text, start, end)
        sentence = text[s:e]
        bounds = value_bounds(value)
        if bounds is None:
            continue
        noun, verb, invaded = nouns.search(sentence), verbs.search(sentence), war.search(sentence)
        if noun is not None and verb is not None:
            key, words = keys[" ".join(noun["noun"].lower().split())], f"{noun['noun']} … {verb.group()}"
        elif invaded is not None:
            key, words = "war", invaded.group()
        else:
            continue
        found.setdefault(key, Anchor(bounds[0], f"{words} … “{text[start:end]}” [{start}:{end}]"))
    return found
