"""Claim groups: one proposition told by different outlets or at different times.

Two claims join one group only when they assert the same proposition (:func:`judge`):

1. their wording is close (:func:`similarity` at least :data:`RELATED_FLOOR`);
2. the same polarity ("ready" vs "not ready", "rejected", "seems remote");
3. no role filled by two different actors of one type: "Ostrel will pay" is not "Tarvosia
   will pay" (a person and a state may fill one role: a leader speaks for the state);
4. overlapping dates where both name one ("in March" vs "in June"; "last fall" as resolved);
5. the same figures: "28 dead" and "31 dead" are *variants* of one claim, kept apart and
   linked as such;
6. close enough: :func:`similarity` at least :data:`SAME_THRESHOLD` (the embeddings' cosine
   weighed with the content words they share, compared by a light stem: "negotiations" and
   "negotiate" agree);
7. or, however far apart their wording, the same actor holds the same stance towards the same
   topic in both (annotate/claimstance.py): "Putin is ready for a ceasefire", "he is open to a
   cease-fire", "his willingness to hold talks" (rules 2 to 5 still apply).

Hedges, conditions ("ready for talks only if ...") and attribution are attributes of each
appearance, shown with it, not reasons to split. Every join keeps its evidence (the rule, the cosine, the matched actors); a pair
that is close but not allowed is kept as a related-claim link with the reason.

Grouping is incremental: a new claim is judged against its :data:`CANDIDATES` nearest stored
claims and joins the group whose nearby members it matches best, provided none of them is a
different proposition or a variant and it is the same proposition as at least
:data:`GROUP_SHARE` of them; other groups it fits as well are merged into it. Requiring a
share, not one close member, keeps a group from chaining through loosely related claims; the
price is that grouping can depend on the order claims arrive in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol

import numpy as np

from ..models import Claim, ClaimLink, ClaimRecord, Verdict
from .embed import embed_unique
from .exact import ExactIndex
from .lexical import content_words

__all__ = [
    "ClaimRecord", "ClaimLink", "Verdict", "ClaimBackend", "MemoryClaimBackend", "ClaimLinker", "claim_record", "claim_records", "claim_texts",
    "judge", "similarity", "stem", "TOO_FAR", "W_WORDS", "RELATED_FLOOR", "SAME_THRESHOLD", "GROUP_SHARE", "CANDIDATES",
]

W_WORDS = 0.3
"""Weight of the shared content words in :func:`similarity` (the embedding's cosine has the rest)."""
RELATED_FLOOR = 0.45
"""Similarity below which two claims are not compared at all (not even kept as related)."""
SAME_THRESHOLD = 0.55
"""Similarity (:func:`similarity`) at or above which two claims no rule keeps apart are one proposition
(chosen on the PolNeAR claim-group set for precision: eval/claim_groups_eval.py)."""
GROUP_SHARE = 0.67
"""Share of a group's nearby members a claim must be the same proposition as to join it (two thirds): one
close member is not enough, or groups would chain through loosely related claims."""
CANDIDATES = 30
"""Nearest stored claims each new claim is judged against."""
RELATED_KEPT = 3
"""Related-claim links kept per claim: the closest this many kept apart by a rule, and as many that were only too far."""
TOO_FAR = "too far"
"""The rule of a related verdict that only says the wording is not close enough (it blocks nothing)."""


_SUFFIXES = ("ions", "ion", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s")


@lru_cache(maxsize=65_536)
def claim_words(text: str) -> frozenset[str]:
    """A claim's content words, stemmed (:func:`stem`): what :func:`similarity` compares beside the embeddings."""
    return frozenset(stem(w) for w in content_words(text))


def stem(word: str) -> str:
    """A light stem for comparing words across wordings ("negotiations", "negotiate" -> "negotiat";
    "cease-fire" -> "ceasefire"): hyphens dropped, one common suffix cut from a word long enough to keep
    four letters."""
    word = word.replace("-", "")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)].rstrip("e")
    return word.rstrip("e") if len(word) > 4 else word


def _kind(actor_id: str) -> str:
    return actor_id.split(":", 1)[0]


def _role_clash(a: frozenset[str], b: frozenset[str]) -> tuple[str, str] | None:
    """Two different actors of one type in one role ("gpe:ostrel" vs "gpe:tarvosia"), if any."""
    if not a or not b or a & b:
        return None
    for x in sorted(a):
        for y in sorted(b):
            if _kind(x) == _kind(y):
                return x, y
    return None


def _dates_clash(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]) -> bool:
    """No date of one overlaps a date of the other. Unresolved calendar words ("~march") are compared
    with each other only: "March" of an undated article may be any March."""
    for words in (True, False):
        da = [d for d in a if d[0].startswith("~") == words]
        db = [d for d in b if d[0].startswith("~") == words]
        if da and db and not any(ea <= lb and eb <= la for ea, la in da for eb, lb in db):
            return True
    return False


def _names(ids: Sequence[str]) -> str:
    return ", ".join(i.split(":", 1)[-1].replace("-", " ") for i in ids)


def _blocker(a: ClaimRecord, b: ClaimRecord) -> tuple[str, str] | None:
    """Rules 2 to 4: (rule, reason) when the two claims cannot be one proposition."""
    if a.negated != b.negated:
        cues = ", ".join(dict.fromkeys(a.polarity + b.polarity))
        return "polarity", f"opposite polarity ({cues})"
    for role, x, y in (("agent", a.agents, b.agents), ("patient", a.patients, b.patients)):
        clash = _role_clash(x, y)
        if clash:
            return "actors", f"different actors as {role} ({_names(clash[:1])} / {_names(clash[1:])})"
    if _dates_clash(a.dates, b.dates):
        return "dates", "different dates (" + " / ".join(f"{x[0][0][:10]}…{x[0][1][:10]}" for x in (a.dates, b.dates)) + ")"
    return None


def _figures_differ(a: ClaimRecord, b: ClaimRecord) -> str | None:
    """Rule 5: "48 hours" and "two days" are not compared; "seven" and "nine" are."""
    for digits in (True, False):
        na, nb = {n for n in a.numbers if n[:1].isdigit() == digits}, {n for n in b.numbers if n[:1].isdigit() == digits}
        if na and nb and not na & nb:
            return f"different figures ({', '.join(sorted(na))} / {', '.join(sorted(nb))})"
    return None


def similarity(a: ClaimRecord, b: ClaimRecord) -> float:
    """The similarity that decides: the embeddings' cosine, weighed with the share of content words the
    two have in common (:data:`W_WORDS`). When the same actor acts in both, the cosine is the mean of the
    whole words' and of what they say of it (their words without the subject): the shared name alone
    makes any two claims about one actor look alike."""
    cosine = float(a.vector @ b.vector)
    if a.agents & b.agents and a.predicate is not None and b.predicate is not None:
        cosine = (cosine + float(a.predicate @ b.predicate)) / 2
    words_a, words_b = claim_words(a.text), claim_words(b.text)
    if not words_a or not words_b:  # nothing to share: the embeddings alone
        return cosine
    shared = 2 * len(words_a & words_b) / (len(words_a) + len(words_b))  # Dice: a short claim is not "all shared"
    return (1 - W_WORDS) * cosine + W_WORDS * shared


def _same_stance(a: ClaimRecord, b: ClaimRecord) -> tuple[str, ...]:
    """Rule 7: the actors both claims say hold one stance towards one topic ("ready for a ceasefire",
    "willing to negotiate"), if any."""
    return tuple(sorted(a.holders & b.holders)) if a.stance and a.stance == b.stance else ()


def judge(a: ClaimRecord, b: ClaimRecord) -> Verdict | None:
    """Return whether ``a`` and ``b`` assert one proposition, a variant of it, or a related one (None: not close)."""
    return _verdict(a, b, similarity(a, b))


def _verdict(a: ClaimRecord, b: ClaimRecord, sim: float) -> Verdict | None:
    """:func:`judge`, given the two claims' :func:`similarity`."""
    holders = _same_stance(a, b)
    if sim < RELATED_FLOOR and not holders:
        return None
    blocked = _blocker(a, b)
    if blocked is not None:
        return Verdict("related", sim, *blocked)
    figures = _figures_differ(a, b)
    if figures is not None:
        return Verdict("variant", sim, "figures", figures)
    agents = tuple(sorted(a.agents & b.agents))
    shared = tuple(sorted((a.agents | a.patients) & (b.agents | b.patients)))
    rule, actors = ("same agent", agents) if agents else (("same actors", shared) if shared else ("close wording", ()))
    who = f" ({_names(actors)})" if actors else ""
    if holders:
        kind, topic = a.stance.split(":", 1)
        return Verdict("same", sim, "same stance", f"same stance: {_names(holders)} {kind} ({topic}), similarity {sim:.3f}", holders)
    if sim >= SAME_THRESHOLD:
        return Verdict("same", sim, rule, f"{rule}{who}, similarity {sim:.3f} ≥ {SAME_THRESHOLD}", actors)
    return Verdict("related", sim, TOO_FAR, f"{rule}{who}, but similarity {sim:.3f} < {SAME_THRESHOLD}", actors)


class ClaimBackend(Protocol):
    """Where the claim linker keeps claims, their nearest-neighbour index, groups and links."""

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]: ...
    def load(self, ids: Sequence[str]) -> list[ClaimRecord]: ...
    def add(self, record: ClaimRecord, group: str, links: Sequence[ClaimLink]) -> None: ...
    def group_of(self, claim_id: str) -> str: ...
    def merge(self, groups: set[str], into: str) -> None: ...


@dataclass
class MemoryClaimBackend:
    """An in-memory backend with exact nearest neighbours, for batches and tests."""

    records: dict[str, ClaimRecord] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    links: list[ClaimLink] = field(default_factory=list)
    index: ExactIndex = field(default_factory=ExactIndex)

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]:
        return self.index.nearest(vector, limit)

    def load(self, ids: Sequence[str]) -> list[ClaimRecord]:
        return [self.records[i] for i in ids]

    def add(self, record: ClaimRecord, group: str, links: Sequence[ClaimLink]) -> None:
        self.records[record.id] = record
        self.groups[record.id] = group
        self.links.extend(links)
        self.index.add(record.id, record.vector)

    def group_of(self, claim_id: str) -> str:
        return self.groups[claim_id]

    def merge(self, groups: set[str], into: str) -> None:
        for claim_id, group in self.groups.items():
            if group in groups:
                self.groups[claim_id] = into


def claim_record(claim_id: str, article_id: str, claim: Claim, vector: np.ndarray, actor_ids: dict[str, str],
                 predicate: np.ndarray | None = None) -> ClaimRecord:
    """Return the linker's record of one annotated claim (role names mapped to actor ids; ``predicate`` the
    embedding of :attr:`Claim.predicate`)."""
    conditions = frozenset(w for c in claim.conditions for w in content_words(c.text))

    def ids(role: str) -> frozenset[str]:
        return frozenset(actor_ids[r.name] for r in claim.roles if r.role == role and r.name in actor_ids)

    stance = f"{claim.stance.kind}:{claim.stance.topic}" if claim.stance is not None and claim.stance.topic else ""
    return ClaimRecord(claim_id, article_id, vector, claim.text, claim.negated, conditions, frozenset(claim.figures),
                       claim.dates, ids("agent"), ids("patient"), tuple(c.text.lower() for c in claim.polarity_cues), predicate,
                       stance=stance, holders=ids("holder") if stance else frozenset())


def _unembedded(items: Sequence[tuple[str, str, Claim]], actor_ids: dict[str, str]) -> tuple[list[ClaimRecord], list[str | None]]:
    """The records without vectors, and the text whose embedding is each one's predicate (None: none)."""
    records = [claim_record(cid, aid, claim, np.zeros(0, dtype=np.float32), actor_ids) for cid, aid, claim in items]
    predicates = [claim.predicate or claim.text if record.agents else None for (_, _, claim), record in zip(items, records)]
    return records, predicates


def claim_texts(items: Sequence[tuple[str, str, Claim]], actor_ids: dict[str, str]) -> list[str]:
    """Return the texts :func:`claim_records` embeds for these items (to embed many articles' texts in one call)."""
    _, predicates = _unembedded(items, actor_ids)
    return list(dict.fromkeys([claim.text for _, _, claim in items] + [p for p in predicates if p is not None]))


def claim_records(items: Sequence[tuple[str, str, Claim]], actor_ids: dict[str, str],
                  vectors: Mapping[str, np.ndarray] | None = None) -> list[ClaimRecord]:
    """Embed (claim id, article id, claim) items in one batch and return their records.

    Each distinct text is embedded once; ``vectors`` gives embeddings already made (by text), e.g. for
    :func:`claim_texts` of many articles at once. A predicate is embedded only for a claim with an agent
    the actors resolve: :func:`similarity` compares predicates of claims that share an agent, never others.
    """
    records, predicates = _unembedded(items, actor_ids)
    if vectors is None:
        vectors = embed_unique(claim_texts(items, actor_ids))
    return [replace(record, vector=vectors[claim.text], predicate=vectors[p] if p is not None else None)
            for (_, _, claim), record, p in zip(items, records, predicates)]


@dataclass(frozen=True, slots=True)
class _Fit:
    group: str
    mean: float
    share: float
    """The share of the group's nearby members that are the same proposition."""
    best: ClaimLink | None
    kept_apart: tuple[ClaimLink, ...]
    blocked: bool
    """A nearby member is a different proposition or a variant."""


@dataclass
class ClaimLinker:
    """Place claims one at a time into claim groups (see the module docstring)."""

    backend: ClaimBackend = field(default_factory=MemoryClaimBackend)

    def _fit(self, record: ClaimRecord, group: str, members: list[ClaimRecord]) -> _Fit:
        sims = [similarity(record, o) for o in members]
        links = [(o, _verdict(record, o, sim)) for o, sim in zip(members, sims)]
        apart = tuple(ClaimLink(record.id, o.id, v) for o, v in links if v is not None and v.kind != "same")
        same = [ClaimLink(record.id, o.id, v) for o, v in links if v is not None and v.kind == "same"]
        best = max(same, key=lambda link: link.verdict.similarity) if same else None
        blocked = any(link.verdict.rule != TOO_FAR for link in apart)
        return _Fit(group, float(np.mean(sims)), len(same) / len(members), best, apart, blocked)

    def add(self, record: ClaimRecord) -> str:
        """Place ``record`` in the group it fits best (merging groups it fits as well), or a new group; return its group id."""
        ids = [i for i in self.backend.candidates(record.vector, CANDIDATES) if i != record.id]
        by_group: dict[str, list[ClaimRecord]] = {}
        for o in self.backend.load(ids):
            if o.article_id == record.article_id:  # one article's claims about one actor are mostly different claims
                continue
            by_group.setdefault(self.backend.group_of(o.id), []).append(o)
        fits = [self._fit(record, g, members) for g, members in sorted(by_group.items())]
        joinable = sorted((f for f in fits if f.best is not None and not f.blocked and f.share >= GROUP_SHARE),
                          key=lambda f: (-f.mean, f.group))
        group = joinable[0].group if joinable else f"claim:{record.id}"
        if len(joinable) > 1:
            self.backend.merge({f.group for f in joinable}, group)
        # the closest pairs a rule kept apart, then the closest that were only too far
        apart_links = [link for f in fits if f not in joinable for link in f.kept_apart]
        apart = [*sorted((x for x in apart_links if x.verdict.rule != TOO_FAR), key=lambda x: -x.verdict.similarity)[:RELATED_KEPT],
                 *sorted((x for x in apart_links if x.verdict.rule == TOO_FAR), key=lambda x: -x.verdict.similarity)[:RELATED_KEPT]]
        joins = [joinable[0].best] if joinable and joinable[0].best is not None else []
        self.backend.add(record, group, [*joins, *apart])
        return group
