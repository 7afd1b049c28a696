"""Holidays with a fixed or computable date: "Thanksgiving Day", "Election Day", "Easter week".

The dates are rules in ``[holidays]`` of data/timex.toml, computed by
:func:`storyline.annotate.time.calc.holiday_date`. A holiday without a year is the one the
clause's tense points at (as a day without a year is): past → the latest on or before
publication, future → the first on or after, no cue → the nearer; ``last``/``next`` → strictly
before/after; ``this`` → the publication year's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .calc import OutOfCalendar, holiday_date, iso_week
from .lexicon import load_time_lexicon
from .resolve import Context, Resolved, unresolved

__all__ = ["HOLIDAY_RESOLVERS"]


def _rule(name: str) -> str:
    return load_time_lexicon().holidays[" ".join(name.lower().replace("’", "'").split())]


def _pick(days: list[date], ref: date, rel: str | None, tense: str | None, week: bool) -> tuple[date, str]:
    """Choose among one holiday's dates in consecutive years (a week counts from its Monday)."""
    start = {d: d - timedelta(days=d.weekday()) if week else d for d in days}
    if rel == "last":
        return _one([d for d in days if d < ref and start[d] < ref][-1:]), "last <holiday>: the latest before publication"
    if rel == "next":
        return _one([d for d in days if start[d] > ref][:1]), "next <holiday>: the first after publication"
    if rel == "this":
        return _one([d for d in days if d.year == ref.year][:1]), "this <holiday>: the publication year's"
    before = [d for d in days if start[d] <= ref][-1:]
    after = [d for d in days if d >= ref][:1]
    if tense == "past":
        return _one(before), "past tense: the latest on or before publication"
    if tense == "future":
        return _one(after), "future tense: the first on or after publication"
    if not (before and after):
        return _one(before or after), "no tense cue: the only one inside the calendar"
    nearer = before[0] if (ref - before[0]) <= (after[0] - ref) else after[0]
    return nearer, "no tense cue: the nearer one"


def _one(days: list[date]) -> date:
    """The day picked, or :class:`OutOfCalendar` when the one meant lies outside years 1 to 9999."""
    if not days:
        raise OutOfCalendar("the holiday meant lies outside the calendar")
    return days[0]


def _dates(rule: str, ref: date) -> list[date]:
    """The holiday's dates in the years around ``ref`` that lie inside the calendar."""
    days = []
    for year in range(ref.year - 1, ref.year + 2):
        try:
            days.append(holiday_date(rule, year))
        except OutOfCalendar:
            continue
    return days


def _holiday(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.in_set_phrase(m):
        return None  # "Easter Island"
    rule, week = _rule(m["holiday"]), bool(m["week"])
    rel = (m["rel"] or "").lower() or None
    if m["year"]:
        day, why, kind = holiday_date(rule, int(m["year"])), "holiday of the year given", "absolute"
    elif not ctx.ref.knows("day"):
        return unresolved("holiday without a year", "day")
    else:
        ref = ctx.ref.day
        assert ref is not None
        days = _dates(rule, ref)
        (day, why), kind = _pick(days, ref, rel, ctx.tense(m), week), "partial"
    if week:
        return Resolved(iso_week(day), "week", kind, f"the week of {m['holiday']}: {why}")
    return Resolved(day.isoformat(), "day", kind, f"{m['holiday']}: {why}")


HOLIDAY_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {"holiday": _holiday}
"""Resolvers of holidays."""
