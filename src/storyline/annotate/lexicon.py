"""The word lists of the annotation stage, loaded once from ``data/lexicon.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Lexicon", "load_lexicon"]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Reporting verbs, pronouns, source nouns and number words."""

    speech_verbs: frozenset[str]
    loaded_verbs: frozenset[str]
    cognitive_verbs: frozenset[str]
    singular_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    anonymous_nouns: frozenset[str]
    document_nouns: frozenset[str]
    agent_nouns: frozenset[str]
    non_speakers: frozenset[str]
    organisation_nouns: frozenset[str]
    numbers: dict[str, int]
    outlet_words: frozenset[str]
    agencies: frozenset[str]
    outlet_back_references: frozenset[str]
    role_nouns: frozenset[str]
    affiliations: dict[str, str]
    """word -> affiliation key ("kremlin" -> "russia")."""

    @property
    def reporting_verbs(self) -> frozenset[str]:
        """Verbs that introduce speech (neutral or loaded), not mere belief."""
        return self.speech_verbs | self.loaded_verbs


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load the packaged word lists (cached per process)."""
    raw = tomllib.loads(resources.files("storyline.annotate").joinpath("data/lexicon.toml").read_text("utf-8"))
    verbs = raw["reporting_verbs"]
    return Lexicon(
        speech_verbs=frozenset(verbs["neutral"]),
        loaded_verbs=frozenset(verbs["loaded"]),
        cognitive_verbs=frozenset(verbs["cognitive"]),
        singular_pronouns=frozenset(raw["speaker_pronouns"]["singular"]),
        plural_pronouns=frozenset(raw["speaker_pronouns"]["plural"]),
        anonymous_nouns=frozenset(raw["anonymous"]["nouns"]),
        document_nouns=frozenset(raw["documents"]["nouns"]),
        agent_nouns=frozenset(raw["agents"]["nouns"]),
        non_speakers=frozenset(raw["non_speakers"]["nouns"]),
        organisation_nouns=frozenset(raw["organisations"]["nouns"]),
        numbers=dict(raw["numbers"]["words"]),
        outlet_words=frozenset(raw["outlets"]["name_words"]),
        agencies=frozenset(raw["outlets"]["agencies"]),
        outlet_back_references=frozenset(raw["outlets"]["back_references"]),
        role_nouns=frozenset(raw["roles"]["nouns"]),
        affiliations={word: key for key, words in raw["affiliations"].items() for word in words},
    )
