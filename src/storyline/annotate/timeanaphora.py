"""Anaphoric time expressions: "later that year", "earlier that day", "the next morning".

They count from the latest date written before them in the text, not from the publication
date: "He left Cuba in June 1998 and returned later that year" → ``1998``. Only a date
precise enough for the unit counts (a day for "that day", any dated year for "that year");
with none before it the phrase is no time expression of its own and is left out. The dates
they count from are collected in one extra pass of the finder over the text, in which the
phrases that count from other dates ("later that year", "a year earlier") resolve to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, timedelta
from functools import lru_cache

from .timecalc import iso_week, shift_months, value_bounds, weekday_offset
from .timelex import load_time_lexicon
from .timeresolve import Context, Ref, Resolved

__all__ = ["ANAPHORA_RESOLVERS", "latest_date", "collecting", "PLACEHOLDER"]

_PRECISE_ENOUGH = {
    "day": {"day", "time"},
    "week": {"day", "time", "week"},
    "month": {"day", "time", "month"},
    "quarter": {"day", "time", "month", "quarter"},
    "year": {"day", "time", "week", "weekend", "month", "season", "quarter", "year"},
}
"""Granularities of an earlier date that an anaphoric phrase of each unit can count from."""


def _published(ref: Ref) -> str | None:
    if ref.day is None or ref.precision is None:
        return None
    return ref.day.isoformat()[: {"year": 4, "month": 7, "day": 10}[ref.precision]]


_COLLECTING: ContextVar[bool] = ContextVar("collecting_dates", default=False)
"""Set while the dates of a text are collected: phrases counted from them are left out of that pass."""


def collecting() -> bool:
    """Return True while the finder collects the dates anaphoric phrases count from (they hold their span then, unresolved)."""
    return _COLLECTING.get()


PLACEHOLDER = Resolved(None, None, "unresolved", "counts from another date; left out while the dates are collected")
"""What a phrase that counts from another date resolves to while the dates are collected: it keeps
its span (so "Monday" of "the following Monday" is not taken for a date of its own) but gives none."""


@lru_cache(maxsize=32)
def _dated(text: str, published: str | None, inferred: bool) -> tuple[tuple[int, str, str, str], ...]:
    """(end, value, granularity, words) of each dated expression of ``text`` that counts from no other, in order."""
    from .timex import find_time_expressions  # one pass of the finder over the whole text

    token = _COLLECTING.set(True)
    try:
        found = find_time_expressions(text, published, inferred=inferred)
    finally:
        _COLLECTING.reset(token)
    return tuple((t.end, t.value, t.granularity, t.text) for t in found
                 if t.value and t.granularity and t.type in {"DATE", "TIME"} and value_bounds(t.value))


def latest_date(ctx: Context, before: int, granularities: frozenset[str] | set[str]) -> tuple[date, str, str, str] | None:
    """(first day, value, granularity, words) of the latest date ending by ``before`` of one of ``granularities``."""
    dated = _dated(ctx.text, _published(ctx.ref), ctx.ref.inferred)
    for end, value, granularity, words in reversed(dated):
        bounds = value_bounds(value)
        if end <= before and granularity in granularities and bounds:
            return bounds[0], value, granularity, words
    return None


def _shifted(day: date, unit: str, offset: int) -> str:
    if unit == "day":
        return (day + timedelta(days=offset)).isoformat()
    if unit == "week":
        return iso_week(day + timedelta(days=7 * offset))
    if unit == "month":
        return shift_months(day.replace(day=1), offset).isoformat()[:7]
    if unit == "quarter":
        first = shift_months(day.replace(day=1), 3 * offset)
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return str(day.year + offset)


def _anaphora(m: re.Match[str], ctx: Context) -> Resolved | None:
    """Count from the latest date before the phrase; one less precise than the unit ("that same day"
    after "last October") is all that is known: its own value, when the phrase moves by nothing."""
    phrase = " ".join(m.group().lower().split())
    unit, offset = load_time_lexicon().anaphora[phrase]
    if collecting():
        return PLACEHOLDER
    latest = latest_date(ctx, m.start(), _PRECISE_ENOUGH["year"])
    if latest is None:
        return None
    day, value, granularity, words = latest
    why = f"{phrase}: counted from “{words}” earlier in the text"
    if granularity in _PRECISE_ENOUGH[unit]:
        return Resolved(_shifted(day, unit, offset), unit, "anchored", why)
    if offset == 0 and unit != "quarter":
        return Resolved(value, granularity, "anchored", f"{why}, known only to the {granularity}", certain=False)
    return None  # "the quarter" after "in 1989" is no quarter the text names


def _weekday_after(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"the following Monday": the first such weekday after the latest day before it ("the previous": before)."""
    if collecting():
        return PLACEHOLDER
    latest = latest_date(ctx, m.start(), _PRECISE_ENOUGH["day"])
    if latest is None:
        return None
    day, _, _, words = latest
    target = load_time_lexicon().weekdays[m["wd"].lower()]
    rel = "last" if m["rel"].lower() == "previous" else "next"
    delta, _ = weekday_offset(day, target, rel, False)
    return Resolved((day + timedelta(days=delta)).isoformat(), "day", "anchored",
                    f"the {m['rel'].lower()} {m['wd']}: counted from “{words}” earlier in the text")


ANAPHORA_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {
    "anaphora": _anaphora, "weekday_after": _weekday_after,
}
"""Resolvers of phrases that count from a date given earlier in the text."""
