"""The word lists of the time-expression rules, loaded once from ``data/timex.toml``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["TimeLexicon", "load_time_lexicon", "alternation"]


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    """Months, weekdays, seasons, numbers, units, qualifiers, tense cues and anchor nouns."""

    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    numbers: dict[str, float]
    units: dict[str, str]
    vague_counts: frozenset[str]
    vague_reach: dict[str, int]
    """unit (days, weeks, months, years) -> how far back "the past few <unit>" reaches."""
    qualifiers: dict[str, str]
    approximators: frozenset[str]
    boundaries: dict[str, str]
    vague_references: dict[str, str]
    not_within: tuple[str, ...]
    adjective_references: frozenset[str]
    not_adjective_before: frozenset[str]
    name_words: frozenset[str]
    narrative: frozenset[str]
    """Vague references that are one only before another word ("current leaders")."""
    """Set phrases that hold a time word without being a time expression ("as soon as")."""
    future_cues: tuple[str, ...]
    past_cues: tuple[str, ...]
    not_past: frozenset[str]
    abbreviations: frozenset[str]
    """Words whose full stop ends no clause ("Mr.", "Sept.")."""
    """Lower-case words ending in "-ed" that are no past forms ("need", "hundred")."""
    anchor_nouns: dict[str, str]
    """noun -> anchor key ("invasion" -> "war")."""
    start_verbs: tuple[str, ...]
    war_verbs: tuple[str, ...]
    """Verbs that start a war without naming it ("invaded")."""
    sets: dict[str, str]
    """Recurring times ("daily") -> the period they recur with ("P1D")."""
    classifying_sets: frozenset[str]
    """Recurring times that, right before a noun, only classify it ("a quarterly dividend")."""
    holidays: dict[str, str]
    """Holiday name -> its date rule ("12-25", "easter-2", "11 thu 4")."""
    anaphora: dict[str, tuple[str, int]]
    """"later that year" -> (unit, offset) from the latest date written before it."""


def alternation(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words``, longest first, spaces matching any whitespace."""
    items = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items) + ")"


@lru_cache(maxsize=1)
def load_time_lexicon() -> TimeLexicon:
    """Load the packaged time word lists (cached per process)."""
    raw = tomllib.loads(resources.files("storyline.annotate").joinpath("data/timex.toml").read_text("utf-8"))
    vague = raw["vague_counts"]
    anchors = dict(raw["anchors"])
    return TimeLexicon(
        months=dict(raw["months"]),
        weekdays=dict(raw["weekdays"]),
        seasons=dict(raw["seasons"]),
        parts_of_day=dict(raw["parts_of_day"]),
        numbers={k: float(v) for k, v in raw["numbers"].items()},
        units=dict(raw["units"]),
        vague_counts=frozenset(vague["words"]),
        vague_reach={k: int(vague[k]) for k in ("days", "weeks", "months", "years")},
        qualifiers=dict(raw["qualifiers"]),
        approximators=frozenset(raw["approximators"]["words"]),
        boundaries=dict(raw["boundaries"]),
        vague_references=dict(raw["vague_references"]),
        not_within=tuple(raw["vague_not_within"]["phrases"]),
        adjective_references=frozenset(raw["vague_not_within"]["adjectives"]),
        not_adjective_before=frozenset(raw["vague_not_within"]["not_adjective_before"]),
        name_words=frozenset(raw["vague_not_within"]["name_words"]),
        narrative=frozenset(raw["vague_not_within"]["narrative"]),
        future_cues=tuple(raw["tense"]["future"]),
        past_cues=tuple(raw["tense"]["past"]),
        not_past=frozenset(raw["tense"]["not_past"]),
        abbreviations=frozenset(raw["tense"]["abbreviations"]),
        anchor_nouns={noun: key for key, nouns in anchors.items() for noun in nouns},
        start_verbs=tuple(raw["anchor_starts"]["verbs"]),
        war_verbs=tuple(raw["anchor_starts"]["war"]),
        sets={k: v for k, v in raw["sets"].items() if isinstance(v, str)},
        classifying_sets=frozenset(raw["sets"].get("classifying", [])),
        holidays=dict(raw["holidays"]),
        anaphora={phrase: (str(unit), int(offset)) for phrase, (unit, offset) in raw["anaphora"].items()},
    )
