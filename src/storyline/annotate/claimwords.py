"""The word lists claims are read with (``data/claims.toml``), compiled once per process."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .time.lexicon import alternation

__all__ = ["ClaimWords", "claim_words"]


@dataclass(frozen=True, slots=True)
class ClaimWords:
    """Hedges, condition openers, count words, negations and words of refusal or doubt."""

    hedges: re.Pattern[str]
    conditions: re.Pattern[str]
    not_conditions: re.Pattern[str]
    numbers: frozenset[str]
    negation_words: frozenset[str]
    """Single words that negate the clause they stand in ("not", "never", "no")."""
    negative_predicates: frozenset[str]
    """Lemmas that turn a claim into its opposite ("reject", "deny", "remote", "unlikely")."""
    public_acts: frozenset[str]
    """Verbs whose subject's own statement or act the claim tells ("decide", "call", "vow")."""
    stances: dict[str, str]
    """Stance words by kind ("willingness" -> "ready")."""
    stance_topics: dict[str, str]
    """Lemmas of what a stance is towards, by topic ("truce" -> "peace")."""
    stance_endings: frozenset[str]
    """Verbs that turn a stance's object around ("end", "walk")."""


@lru_cache(maxsize=1)
def claim_words() -> ClaimWords:
    """Return the compiled word lists (cached)."""
    raw = tomllib.loads(resources.files("storyline.annotate").joinpath("data/claims.toml").read_text("utf-8"))
    return ClaimWords(
        hedges=re.compile(r"\b" + alternation(raw["hedges"]["words"]) + r"\b", re.I),
        conditions=re.compile(r"\b(?:" + alternation(raw["conditions"]["openers"]) + r")\b[^.;!?]*", re.I),
        not_conditions=re.compile(r"\b" + alternation(raw["conditions"]["not_conditions"]) + r"\b", re.I),
        numbers=frozenset(raw["numbers"]["words"]),
        negation_words=frozenset(raw["polarity"]["negation_words"]),
        negative_predicates=frozenset(raw["polarity"]["negative_predicates"]),
        public_acts=frozenset(raw["public_acts"]["verbs"]),
        stances={w: kind for kind, words in raw["stances"].items() for w in words},
        stance_topics={w: topic for topic, words in raw["stance_topics"].items() for w in words},
        stance_endings=frozenset(raw["stance_endings"]["verbs"]),
    )
