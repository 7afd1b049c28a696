"""Anaphoric time expressions: "later that year", "earlier that day", "the next morning".

They count from the latest date written before them in the text, not from the publication
date: "He left Cuba in June 1998 and returned later that year" → ``1998``. Only a date
precise enough for the unit counts (a day for "that day", any dated year for "that year");
with none before it the phrase is no time expression of its own and is left out. The dates
they count from are collected in one extra pass of the finder over the text, in which the
phrases that count from other dates ("later that year", "a year earlier") resolve to nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ...models import TimeExpression
from .calc import add_days, iso_week, shift_months, value_bounds, weekday_offset, year_text
from .lexicon import load_time_lexicon
from .resolve import Context, Ref, Resolved

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


@dataclass(frozen=True, slots=True)
class _Dated:
    """The dated expressions of one text that count from no other, by granularity, in text order.

    ``ends[g]`` holds where each expression of granularity ``g`` ends (rising, as the finder's
    expressions do not overlap), ``entries[g]`` (order in the text, first day, value, words).
    """

    ends: dict[str, list[int]]
    entries: dict[str, list[tuple[int, date, str, str]]]


@lru_cache(maxsize=32)
def _dated(finder: Callable[..., tuple[TimeExpression, ...]], text: str, published: str | None, inferred: bool) -> _Dated:
    """Index the dated expressions of ``text`` that count from no other (one pass of the finder over the whole text)."""
    token = _COLLECTING.set(True)
    try:
        found = finder(text, published, inferred=inferred)
    finally:
        _COLLECTING.reset(token)
    dated = _Dated({}, {})
    for order, t in enumerate(found):
        bounds = value_bounds(t.value)
        if t.value and t.granularity and t.type in {"DATE", "TIME"} and bounds:
            dated.ends.setdefault(t.granularity, []).append(t.end)
            dated.entries.setdefault(t.granularity, []).append((order, bounds[0], t.value, t.text))
    return dated


def latest_date(ctx: Context, before: int, granularities: frozenset[str] | set[str],
                within: int | None = None) -> tuple[date, str, str, str] | None:
    """(first day, value, granularity, words) of the latest date ending by ``before`` of one of ``granularities``
    (and, with ``within``, ending at most that many characters before it).

    A binary search per granularity: a text of n dates costs n log n, not n², for all its phrases.
    """
    if ctx.finder is None:
        return None
    dated = _dated(ctx.finder, ctx.text, _published(ctx.ref), ctx.ref.inferred)
    best: tuple[int, date, str, str, str] | None = None
    for granularity in granularities:
        ends = dated.ends.get(granularity, [])
        at = bisect.bisect_right(ends, before)
        if at and (within is None or before - ends[at - 1] <= within):
            order, first, value, words = dated.entries[granularity][at - 1]
            if best is None or order > best[0]:
                best = (order, first, value, granularity, words)
    return best[1:] if best else None


def _shifted(day: date, unit: str, offset: int) -> str:
    if unit == "day":
        return add_days(day, offset).isoformat()
    if unit == "week":
        return iso_week(add_days(day, 7 * offset))
    if unit == "month":
        return shift_months(day.replace(day=1), offset).isoformat()[:7]
    if unit == "quarter":
        first = shift_months(day.replace(day=1), 3 * offset)
        return f"{year_text(first.year)}-Q{(first.month - 1) // 3 + 1}"
    return year_text(day.year + offset)


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
    return Resolved(add_days(day, delta).isoformat(), "day", "anchored",
                    f"the {m['rel'].lower()} {m['wd']}: counted from “{words}” earlier in the text")


ANAPHORA_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {
    "anaphora": _anaphora, "weekday_after": _weekday_after,
}
"""Resolvers of phrases that count from a date given earlier in the text."""
