"""Boilerplate phrase lists, loaded once from ``data/boilerplate.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["BoilerplateRules", "load_rules", "line_key"]

_EDGE = re.compile(r"^[\s\[\(\{•·*>»|–—-]+|[\s\]\)\}:.!…|–—-]+$")
_SPACES = re.compile(r"\s+")


def line_key(line: str) -> str:
    """Return the comparison form of a line: lower case, single spaces, no edge punctuation."""
    line = line.replace("’", "'").replace("‘", "'")
    return _EDGE.sub("", _SPACES.sub(" ", line)).lower()


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """Every phrase table, keyed for fast lookup, with the reason each one gives."""

    labels: frozenset[str]
    label_reason: str
    comments: frozenset[str]
    comment_reason: str
    teaser_prefixes: tuple[str, ...]
    teaser_reason: str
    tag_prefixes: tuple[str, ...]
    breaking_prefixes: tuple[str, ...]
    breaking_reason: str
    block_headings: frozenset[str]
    block_reason: str
    comment_headings: frozenset[str]
    glued_teaser: re.Pattern[str]
    glued_reason: str
    footer: tuple[re.Pattern[str], ...]
    footer_reason: str


@lru_cache(maxsize=1)
def load_rules() -> BoilerplateRules:
    """Load the phrase tables shipped with the package (cached per process)."""
    raw = tomllib.loads(resources.files("storyline.clean").joinpath("data/boilerplate.toml").read_text("utf-8"))
    glued = "|".join(re.escape(w) for w in sorted(raw["glued_teasers"]["words"], key=len, reverse=True))
    return BoilerplateRules(
        labels=frozenset(line_key(x) for x in raw["labels"]["lines"]),
        label_reason=raw["labels"]["reason"],
        comments=frozenset(line_key(x) for x in raw["comments"]["lines"]),
        comment_reason=raw["comments"]["reason"],
        teaser_prefixes=tuple(p.lower() for p in raw["teaser_prefixes"]["prefixes"]),
        teaser_reason=raw["teaser_prefixes"]["reason"],
        tag_prefixes=tuple(p.lower() for p in raw["tag_prefixes"]["prefixes"]),
        breaking_prefixes=tuple(p.lower() for p in raw["breaking_prefixes"]["prefixes"]),
        breaking_reason=raw["breaking_prefixes"]["reason"],
        block_headings=frozenset(line_key(x) for x in raw["block_headings"]["lines"]),
        block_reason=raw["block_headings"]["reason"],
        comment_headings=frozenset(line_key(x) for x in raw["comment_headings"]["lines"]),
        # A sentence end with no space after it, then a teaser word: "...in March.Watch Russia..."
        glued_teaser=re.compile(rf"(?<=[a-z0-9)\]”\"’'])[.!?](?=(?:{glued})\b)"),
        glued_reason=raw["glued_teasers"]["reason"],
        footer=tuple(re.compile(r, re.I) for r in raw["footer_patterns"]["regexes"]),
        footer_reason=raw["footer_patterns"]["reason"],
    )
