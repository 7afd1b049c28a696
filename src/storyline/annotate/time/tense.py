"""Is a time expression spoken of as future or past? A look at the words of its clause.

News reports the past, so past is the default. A future cue ("will", "is due to",
"plans to") before the expression in its clause, later than any past cue, makes it
future; so does one right after it when nothing before decides.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import alternation, load_time_lexicon

__all__ = ["is_future", "tense_of", "next_to_past_verb"]

_BOUNDARY = re.compile(r"[.!?;\n]|\bthat\b")
_CLAUSE = re.compile(r"[.!?;,\n]|\s(?:and|but|while|whereas)\s")
_OPENER = re.compile(r"\W*(?:on|in|at|by|from|until|since|during|early|late|later|earlier|last|next|this)?\s*", re.I)
_LOOK_BACK = 160
_FUTURE_REACH = 16  # characters after a future cue in which a past participle is still future
_LOOK_AHEAD = 80


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = load_time_lexicon()
    future = re.compile(r"(?<![\w'])" + alternation(lex.future_cues) + r"(?!\w)", re.I)
    regular = r"(?-i:(?!" + alternation(lex.not_past - set(lex.past_cues)) + r"\b)[a-z]{2,}ed)"
    past = re.compile(r"\b(?:" + alternation(lex.past_cues) + "|" + regular + r")\b", re.I)
    return future, past


def _last(pattern: re.Pattern[str], text: str, future: list[tuple[int, int]] | None = None) -> int:
    """Return where the last match of ``pattern`` starts (-1 if none).

    With ``future`` (the spans of future cues): a past form inside a future cue ("is
    expected to") or within a few words after one ("will be sentenced", "will stay
    closed") belongs to the future clause and is skipped.
    """
    found = -1
    for m in pattern.finditer(text):
        if not any(a <= m.start() < b + _FUTURE_REACH for a, b in future or ()):
            found = m.start()
    return found


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _ends_clause(text: str, m: re.Match[str]) -> bool:
    """Return False for the full stop of an abbreviation ("U.S.", "a.m.", "Mr.", "Sept.")."""
    if m.group() != ".":
        return True
    word = _WORD_BEFORE.search(text, 0, m.start())
    if word is None:
        return True
    token = word[1]
    return not ("." in token or len(token) == 1 or token.lower() in load_time_lexicon().abbreviations)


def _boundaries(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return [m for m in pattern.finditer(text) if _ends_clause(text, m)]


def tense_of(text: str, start: int, end: int) -> str | None:
    """Return "future" or "past" for the clause around ``text[start:end]``, or None when no cue says."""
    future, past = _cues()
    left = text[max(0, start - _LOOK_BACK):start]
    stop = max((m.end() for m in _boundaries(_BOUNDARY, left)), default=0)
    left = left[stop:]
    f, p = _last(future, left), _last(past, left, _spans(future, left))
    if f >= 0 or p >= 0:
        return "future" if f > p else "past"
    right = text[end:end + _LOOK_AHEAD]
    # An expression opening its sentence ("On Tuesday, the league plans to ...") is told by the
    # clause after its comma; elsewhere only by the rest of its own clause.
    cuts = _boundaries(_BOUNDARY if _OPENER.fullmatch(left) else _CLAUSE, right)
    right = right[:cuts[0].start()] if cuts else right
    f, p = _last(future, right), _last(past, right, _spans(future, right))
    if f >= 0 or p >= 0:
        return "future" if f > p else "past"
    return None


def is_future(text: str, start: int, end: int) -> bool:
    """Return True when the clause around ``text[start:end]`` speaks of the future (past when nothing says)."""
    return tense_of(text, start, end) == "future"


_WORD_LEFT = re.compile(r"(\w+)\s+$")
_WORD_RIGHT = re.compile(r"\s+(\w+)")


def next_to_past_verb(text: str, start: int, end: int) -> bool:
    """Return True when the word right before or after ``text[start:end]`` is a past verb ("was soon released")."""
    _, past = _cues()
    left, right = _WORD_LEFT.search(text, max(0, start - 30), start), _WORD_RIGHT.match(text, end)
    return any(w is not None and past.fullmatch(w[1]) is not None for w in (left, right))
