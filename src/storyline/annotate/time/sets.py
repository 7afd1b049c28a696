"""Recurring times and durations without a count: "daily", "every two years", "for weeks", "decades-long".

Recurring times are TimeML SETs whose value is the period they recur with ("daily" →
``P1D``, "every two years" → ``P2Y``); a duration whose length the text leaves open is
``PX`` + the unit ("for weeks" → ``PXW``, "decades-long" → ``PXY``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lexicon import load_time_lexicon
from .resolve import Context, Resolved, number_of

__all__ = ["SET_RESOLVERS", "period"]

_LETTERS = {"DE": ("Y", 10), "CE": ("Y", 100), "FN": ("W", 2)}
"""Units TimeML has no letter for: (letter, how many of it)."""
_SMALLER = {"Y": ("M", 12), "D": ("H", 24), "H": ("M", 60), "MIN": ("S", 60)}
"""A fraction of a unit is counted in the next smaller one: (its letter, how many make the unit)."""


def period(amount: float | None, unit: str) -> str:
    """Return the TimeML period of ``amount`` units (None: an unknown number, ``X``): ``P2Y``, ``PT6H``, ``PXW``."""
    letter = load_time_lexicon().units[unit]
    letter, times = _LETTERS.get(letter, (letter, 1))
    count = "X" if amount is None else f"{amount * times:g}"
    if amount is not None and amount % 1 and letter in _SMALLER:
        smaller, per = _SMALLER[letter]  # TimeML counts in whole units: "2 1/2 years" → P2Y6M, "5 1/2 hours" → PT5H30M
        whole, part = f"{int(amount)}{letter[0]}" if int(amount) else "", f"{round(amount % 1 * per)}{smaller}"
        clock = letter in {"H", "MIN"}
        return f"P{'T' if clock else ''}{whole}{'T' if smaller == 'H' else ''}{part}"
    if letter in {"H", "MIN", "S"}:
        return f"PT{count}{'M' if letter == 'MIN' else letter}"
    return f"P{count}{letter}"


_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")


def _set(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.in_name(m):
        return None  # "the Daily Mail"
    phrase = " ".join(m.group().lower().split())
    lex = load_time_lexicon()
    noun = _WORD_AFTER.match(ctx.text, m.end())
    if phrase in lex.classifying_sets and noun and noun[1] not in lex.not_adjective_before:
        return None  # "a quarterly dividend": a kind of dividend
    return Resolved(lex.sets[phrase], "duration", "duration", f"“{phrase}”: a recurring time", type="SET")


def _set_every(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = m["unit"].lower()
    n = 2.0 if m["other"] else number_of(m["num"]) if m["num"] else 1.0
    if n is None or unit not in load_time_lexicon().units:
        return None
    return Resolved(period(n, unit), "duration", "duration", f"every {n:g} {unit}s: a recurring time", type="SET")


def _set_named(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"every Thursday", "on Mondays", "each July", "Tuesday nights": TimeML's ``XXXX-WXX-4``, ``XXXX-07``, ``XXXX-WXX-2TNI``."""
    lex = load_time_lexicon()
    if m["month"]:
        month = lex.months[m["month"].lower().rstrip(".")]
        return Resolved(f"XXXX-{month:02d}", "duration", "duration", f"every {m['month']}: a recurring month", type="SET")
    name = m["wd"] or m["wds"]
    part = lex.parts_of_day.get((m["part"] or "").lower(), "")
    value = f"XXXX-WXX-{lex.weekdays[name.lower()] + 1}" + (f"T{part}" if part else "")
    return Resolved(value, "duration", "duration", f"every {name}: a recurring weekday", type="SET")


def _unit_long(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = m["unit"].lower()
    amount = None if m["plural"] else 1.0
    return Resolved(period(amount, unit), "duration", "duration", f"{m.group().lower()}: a duration", type="DURATION",
                    certain=amount is not None)


def _for_units(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = m["unit"].lower()
    return Resolved(period(None, unit), "duration", "duration", f"for {unit}s: a duration of an unknown number of {unit}s",
                    type="DURATION", certain=False)


SET_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {
    "set": _set, "set_every": _set_every, "set_named": _set_named, "unit_long": _unit_long, "for_units": _for_units,
}
"""Resolvers of recurring times and of durations with no count."""
