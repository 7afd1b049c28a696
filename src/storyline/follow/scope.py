"""What a watch keeps: ``--match "ceasefire AND Putin"``, an actor, a story.

A scope is one line of text: words and ``"quoted phrases"`` that must all appear (``AND`` may be
written, it changes nothing), ``OR`` between alternatives, ``-word`` or ``NOT word`` for words that
must not appear, ``actor:"Vladimir Putin"`` (any spelling of that stored actor) and ``story:ID`` (at
least two of the story's three most-named actors, or its one actor). Matching is on whole words,
case-insensitive, in the article's title and cleaned text. An empty scope keeps everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError
from ..models import Article
from ..store.browse import find_actor
from ..store.db import Connection
from ..store.links import story_actor_names

__all__ = ["Scope", "parse_scope"]

_TOKEN = re.compile(r'(-?)(?:(actor|story):)?(?:"([^"]*)"|(\S+))')


@dataclass(frozen=True)
class _Term:
    names: tuple[tuple[str, ...], ...]
    """Things to find, each with its spellings (any one spelling finds it)."""
    needed: int = 1
    """How many of them must appear (a story's actors: 2)."""
    negated: bool = False


@dataclass(frozen=True)
class Scope:
    """A parsed scope: alternatives (OR) of term lists (AND)."""

    text: str
    groups: tuple[tuple[_Term, ...], ...]

    def keeps(self, article: Article) -> bool:
        """True when the article is in scope (always, for an empty scope)."""
        if not self.groups:
            return True
        haystack = f" {_words(article.title or '')} {_words(article.text)} "
        return any(all(_holds(t, haystack) for t in group) for group in self.groups)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _holds(term: _Term, haystack: str) -> bool:
    found = sum(1 for spellings in term.names if any(f" {_words(name)} " in haystack for name in spellings))
    return (found < term.needed) if term.negated else (found >= term.needed)


def parse_scope(text: str, conn: Connection | None = None) -> Scope:
    """Parse a scope; ``actor:`` and ``story:`` are looked up in the store (``conn``).

    Raises:
        InputError: an unknown actor or story, an empty alternative, or actor:/story: without a database.
    """
    groups: list[tuple[_Term, ...]] = []
    current: list[_Term] = []
    negate_next = False
    for match in _TOKEN.finditer(text):
        minus, kind, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        if kind is None and quoted is None and value in ("AND", "OR", "NOT"):
            if value == "OR":
                if not current:
                    raise InputError(f"scope {text!r}: OR with nothing before it")
                groups.append(tuple(current))
                current = []
            negate_next = value == "NOT"
            continue
        negated = bool(minus) or negate_next
        negate_next = False
        if kind is None:
            if _words(value):
                current.append(_Term(((value,),), negated=negated))
        elif conn is None:
            raise InputError(f"scope {text!r}: {kind}: needs a database")
        else:
            current.append(_lookup(conn, kind, value, negated))
    if current:
        groups.append(tuple(current))
    elif groups:
        raise InputError(f"scope {text!r}: OR with nothing after it")
    return Scope(text, tuple(groups))


def _lookup(conn: Connection, kind: str, value: str, negated: bool) -> _Term:
    if kind == "actor":
        actor = find_actor(conn, value)
        if actor is None:
            raise InputError(f"no stored actor named {value!r}; see `storyline actors`")
        return _Term((tuple(dict.fromkeys((actor.name, *actor.variants))),), negated=negated)
    names = story_actor_names(conn, value, top=3)
    if not names:
        raise InputError(f"no story {value!r} with named actors; see `storyline stories`")
    return _Term(tuple(names), needed=min(2, len(names)), negated=negated)
