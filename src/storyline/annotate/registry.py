"""Corpus-level actors: one actor for every spelling of one name, across articles.

Names are compared in a folded form (case, accents and punctuation removed).
A person's name joins an existing actor when, first that applies:
1. the folded name is the actor's name or one of its variants;
2. the surnames are near-identical (difflib ratio >= 0.85: "Zelensky", "Zelenskyy",
   "Zelenskiy", "Zelenky") and the first names agree (equal, near-identical or same
   initial) or one side has none;
otherwise it is a new actor. Organisations and places match on the folded name only.
Incremental: adding a name never reorders or renames existing actors' ids. Every lookup is
indexed (folded names; people by the initial of their surname, near surnames checked with
difflib's cheap upper bounds first), so resolving a name costs the same with 100 or 100,000
actors known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from difflib import SequenceMatcher

from ..models import Actor

__all__ = ["fold", "ActorRegistry"]

_SURNAME_RATIO = 0.85
_FIRST_NAME_RATIO = 0.8


def fold(name: str) -> str:
    """Return the comparison form of a name: lower case, no accents or possessive, letters and spaces only."""
    text = unicodedata.normalize("NFKD", re.sub(r"[’']s$", "", name.strip()))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _similar(a: str, b: str, ratio: float) -> bool:
    if a == b:
        return True
    if a[:1] != b[:1]:
        return False
    matcher = SequenceMatcher(None, a, b)  # the quick ratios are upper bounds of ratio(): same answer, sooner
    return matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio


def _same_person(a: str, b: str) -> bool:
    pa, pb = a.split(), b.split()
    if not pa or not pb or not _similar(pa[-1], pb[-1], _SURNAME_RATIO):
        return False
    if len(pa) == 1 or len(pb) == 1:
        return True
    return _similar(pa[0], pb[0], _FIRST_NAME_RATIO) or (pa[0][:1] == pb[0][:1] and min(len(pa[0]), len(pb[0])) <= 2)


def _initial(folded: str) -> str:
    """The first letter of the surname (the last word): near surnames share it (:func:`_similar`)."""
    words = folded.split()
    return words[-1][:1] if words else ""


def _slug(kind: str, name: str) -> str:
    return f"{kind.lower()}:{fold(name).replace(' ', '-') or 'unnamed'}"


class ActorRegistry:
    """The actors of a corpus, growing one name at a time."""

    def __init__(self, actors: Iterable[Actor] = ()) -> None:
        """Start from already stored actors."""
        self._actors: dict[str, Actor] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._by_folded: dict[str, str] = {}
        """The first actor (of any type) with each folded name or variant."""
        self._people: dict[str, dict[str, str]] = {}
        """Surname initial -> {person id: folded name}."""
        self._order: dict[str, int] = {}
        self.changed: set[str] = set()
        """Actors created or given a variant since the last :meth:`saved` (what the next write must store)."""
        self.created: set[str] = set()
        """Actors created since the last :meth:`saved`."""
        for actor in actors:
            self._remember(actor)

    def _remember(self, actor: Actor) -> None:
        previous = self._actors.get(actor.id)
        self._order.setdefault(actor.id, len(self._order))
        self._actors[actor.id] = actor
        for variant in (actor.name, *actor.variants):
            folded = fold(variant)
            self._by_key.setdefault((actor.type, folded), actor.id)
            self._by_folded.setdefault(folded, actor.id)
        if actor.type == "PERSON":
            if previous is not None:
                self._people.get(_initial(fold(previous.name)), {}).pop(actor.id, None)
            self._people.setdefault(_initial(fold(actor.name)), {})[actor.id] = fold(actor.name)

    def _same_person_as(self, key: str) -> str | None:
        """The first person (in the order actors were first seen) whose name :func:`_same_person` matches."""
        found = [aid for aid, folded in self._people.get(_initial(key), {}).items() if _same_person(key, folded)]
        return min(found, key=self._order.__getitem__, default=None)

    @property
    def actors(self) -> list[Actor]:
        """Every actor, in the order first seen."""
        return list(self._actors.values())

    def known(self, name: str) -> Actor | None:
        """Return the actor ``name`` already refers to (a name or variant seen, or a person's surname),
        or None; never creates one."""
        key = fold(name)
        found = self._by_folded.get(key) or self._same_person_as(key)
        return self._actors[found] if found is not None else None

    def resolve(self, name: str, kind: str) -> Actor:
        """Return the actor ``name`` refers to, creating or extending one as needed."""
        key = fold(name)
        found = self._by_key.get((kind, key))
        if found is None:  # the small model types one name differently in different sentences
            found = self._by_folded.get(key)
        if found is None and kind == "PERSON":
            found = self._same_person_as(key)
        if found is None:
            actor = Actor(self._new_id(kind, name), name, kind, (name,))
            self._remember(actor)
            self.changed.add(actor.id)
            self.created.add(actor.id)
            return actor
        return self._add_variant(self._actors[found], name)

    def saved(self) -> None:
        """Note that every changed actor is stored now."""
        self.changed.clear()
        self.created.clear()

    def learn(self, stored: Iterable[Actor]) -> bool:
        """Take in actors another process stored (new ones, or new variants of known ones); return True when one
        of them names an actor this registry created and has not stored yet (:attr:`created`): the two would be
        one actor, had one process seen both names, so the caller starts again from the store."""
        clash = False
        for actor in stored:
            forms = {fold(v) for v in (actor.name, *actor.variants)}
            for mine in (self._actors[i] for i in self.created if i != actor.id):
                mine_forms = {fold(v) for v in (mine.name, *mine.variants)}
                both_people = mine.type == actor.type == "PERSON"
                if forms & mine_forms or both_people and _same_person(fold(mine.name), fold(actor.name)):
                    clash = True
            known = self._actors.get(actor.id)
            if known is None:
                self._remember(actor)
            else:
                extra = tuple(v for v in actor.variants if v not in known.variants)
                if extra:
                    self._remember(replace(known, variants=known.variants + extra))
        return clash

    def _new_id(self, kind: str, name: str) -> str:
        base = _slug(kind, name)
        candidate, n = base, 2
        while candidate in self._actors:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _add_variant(self, actor: Actor, name: str) -> Actor:
        if name in actor.variants:
            return actor
        # The fullest form names the actor: "Vladimir Putin" rather than "Putin".
        better = len(name.split()) > len(actor.name.split())
        updated = replace(actor, name=name if better else actor.name, variants=actor.variants + (name,))
        self._remember(updated)
        self.changed.add(actor.id)
        return updated
