"""Claim groups: the same claim told by different outlets or at different times.

Two claims are the same when their words mean the same (sentence-embedding cosine at least
:data:`CLAIM_THRESHOLD`) and nothing that changes the meaning differs: negation ("ready" vs
"not ready"), conditions ("ready for talks" vs "ready for talks only if ..."), the numbers
they give ("seven killed" vs "seventeen") or the times they name ("in March" vs "in June").
Hedges and sourcing do not make a claim different; they are kept with each appearance.

Grouping is incremental: a new claim is compared with its :data:`CANDIDATES` nearest stored
claims and joins every group whose members among them it matches on average (at least
:data:`GROUP_THRESHOLD`, compatible with every one of them), merging them, else it starts a
group. Average matching keeps a group from chaining through loosely related claims; the price
is that the grouping can depend on the order claims arrive in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..annotate.claims import claim_features
from ..annotate.timex import find_time_expressions
from .embed import embed
from .exact import ExactIndex
from .lexical import content_words

__all__ = [
    "ClaimRecord", "ClaimBackend", "MemoryClaimBackend", "ClaimLinker", "claim_record", "claim_records",
    "compatible", "same_claim", "claim_similarity", "CLAIM_THRESHOLD", "GROUP_THRESHOLD", "CANDIDATES",
]

CLAIM_THRESHOLD = 0.45
"""Cosine of the two claims' sentence embeddings at or above which they say the same thing (chosen
on the odd-numbered pairs of eval/data/claim_pairs.jsonl; the even ones are the held-out half)."""
GROUP_THRESHOLD = 0.55
"""Mean cosine to a group's nearby members at or above which a new claim joins the group. Higher
than :data:`CLAIM_THRESHOLD`: a group must hold together as a whole, not chain pair by pair."""
STRONG_MATCH = 0.7
"""A claim this close to one member joins its group even when the group's mean is up to
:data:`STRONG_SLACK` below :data:`GROUP_THRESHOLD` (the many wordings of one claim)."""
STRONG_SLACK = 0.1
CANDIDATES = 30
"""Nearest stored claims each new claim is compared with."""
_CONDITION_OVERLAP = 0.5
_CALENDAR_WORD = re.compile(r"\b[A-Z][a-z]+")


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One claim of one article, as the claim linker keeps it."""

    id: str
    article_id: str
    vector: np.ndarray
    text: str
    negated: bool
    conditions: frozenset[str]
    """Content words of its conditions."""
    numbers: frozenset[str]
    times: frozenset[str]


class ClaimBackend(Protocol):
    """Where the claim linker keeps claims, their nearest-neighbour index and their groups."""

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]: ...
    def load(self, ids: Sequence[str]) -> list[ClaimRecord]: ...
    def add(self, record: ClaimRecord, group: str) -> None: ...
    def group_of(self, claim_id: str) -> str: ...
    def merge(self, groups: set[str], into: str) -> None: ...


@dataclass
class MemoryClaimBackend:
    """An in-memory backend with exact nearest neighbours, for batches and tests."""

    records: dict[str, ClaimRecord] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    index: ExactIndex = field(default_factory=ExactIndex)

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]:
        return self.index.nearest(vector, limit)

    def load(self, ids: Sequence[str]) -> list[ClaimRecord]:
        return [self.records[i] for i in ids]

    def add(self, record: ClaimRecord, group: str) -> None:
        self.records[record.id] = record
        self.groups[record.id] = group
        self.index.add(record.id, record.vector)

    def group_of(self, claim_id: str) -> str:
        return self.groups[claim_id]

    def merge(self, groups: set[str], into: str) -> None:
        for claim_id, group in self.groups.items():
            if group in groups:
                self.groups[claim_id] = into


def _times(text: str) -> frozenset[str]:
    """The dates a claim names by the calendar ("in March 2024", "in March", "on Tuesday"). Deictic
    ones ("last fall", "yesterday") mean different days in different articles, so they do not tell
    claims apart."""
    out = set()
    for t in find_time_expressions(text):
        word = _CALENDAR_WORD.search(t.text)
        if t.type in {"DATE", "TIME"} and (t.kind in {"absolute", "partial"} or word):
            out.add(t.value.split("T")[0] if t.value else word.group().lower() if word else t.text.lower())
    return frozenset(out)


def claim_record(claim_id: str, article_id: str, text: str, vector: np.ndarray) -> ClaimRecord:
    """Return the linker's record of one claim's words and vector."""
    f = claim_features(text)
    conditions = frozenset(w for c in f.conditions for w in content_words(c.text))
    return ClaimRecord(claim_id, article_id, vector, text, f.negated, conditions, f.numbers, _times(text))


def claim_records(items: Sequence[tuple[str, str, str]]) -> list[ClaimRecord]:
    """Embed (claim id, article id, text) items in one batch and return their records."""
    vectors = embed([text for _, _, text in items])
    return [claim_record(cid, aid, text, v) for (cid, aid, text), v in zip(items, vectors)]


def compatible(a: ClaimRecord, b: ClaimRecord) -> bool:
    """Return False when negation, conditions, numbers or times tell the two claims apart."""
    if a.negated != b.negated:
        return False
    if bool(a.conditions) != bool(b.conditions):
        return False
    if a.conditions and len(a.conditions & b.conditions) / min(len(a.conditions), len(b.conditions)) < _CONDITION_OVERLAP:
        return False
    for digits in (True, False):  # "48 hours" and "two days" are not compared; "seven" and "nine" are
        na, nb = {n for n in a.numbers if n[:1].isdigit() == digits}, {n for n in b.numbers if n[:1].isdigit() == digits}
        if na and nb and not na & nb:
            return False
    return not (a.times and b.times and not a.times & b.times)


def claim_similarity(a: str, b: str) -> float:
    """Return the cosine of the two sentences' embeddings."""
    va, vb = embed([a, b])
    return float(va @ vb)


def same_claim(a: str, b: str) -> bool:
    """Return True when sentences ``a`` and ``b`` make the same claim.

    Hedges ("reportedly") and sourcing do not change the claim (they are recorded per
    appearance); negation, conditions ("only if ..."), numbers and times do.
    """
    ra, rb = claim_records([("a", "a", a), ("b", "b", b)])
    return float(ra.vector @ rb.vector) >= CLAIM_THRESHOLD and compatible(ra, rb)


@dataclass
class ClaimLinker:
    """Place claims one at a time into claim groups (see the module docstring)."""

    backend: ClaimBackend = field(default_factory=MemoryClaimBackend)
    threshold: float = GROUP_THRESHOLD

    def _fits(self, record: ClaimRecord, members: list[ClaimRecord]) -> bool:
        """True when the claim is compatible with every nearby member and close to them on average
        (or very close to one of them and nearly close enough on average)."""
        if not all(compatible(record, o) for o in members):
            return False
        sims = [float(o.vector @ record.vector) for o in members]
        mean = float(np.mean(sims))
        return mean >= self.threshold or (max(sims) >= STRONG_MATCH and mean >= self.threshold - STRONG_SLACK)

    def add(self, record: ClaimRecord) -> str:
        """Place ``record`` in every group it fits (merging them), or a new group; return its group id."""
        ids = [i for i in self.backend.candidates(record.vector, CANDIDATES) if i != record.id]
        near = [o for o in self.backend.load(ids) if o.article_id != record.article_id]
        by_group: dict[str, list[ClaimRecord]] = {}
        for o in near:
            by_group.setdefault(self.backend.group_of(o.id), []).append(o)
        joined = sorted(g for g, members in by_group.items() if self._fits(record, members))
        group = joined[0] if joined else f"claim:{record.id}"
        if len(joined) > 1:
            self.backend.merge(set(joined), group)
        self.backend.add(record, group)
        return group
