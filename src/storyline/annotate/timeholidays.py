"""Holidays with a fixed or computable date: "Thanksgiving Day", "Election Day", "Easter week".

The dates are rules in ``[holidays]`` of data/timex.toml, computed by
:func:`storyline.annotate.timecalc.holiday_date`. A holiday without a year is the one the
clause's tense points at (as a day without a year is): past → the latest on or before
publication, future → the first on or after, no cue → the nearer; ``last``/``next`` → strictly
before/after; ``this`` → the publication year's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .timecalc import holiday_date, iso_week
from .timelex import load_time_lexicon
from .timeresolve import Context, Resolved, unresolved

__all__ = ["HOLIDAY_RESOLVERS"]


def _rule(name: str) -> str:
    return load_time_lexicon().holidays[" ".join(name.lower().replace("’", "'").split())]


def _pick(days: list[date], ref: date, rel: str | None, tense: str | None, week: bool) -> tuple[date, str]:
    """Choose among one holiday's dates in consecutive years (a week counts from its Monday)."""
    start = {d: d - timedelta(days=d.weekday()) if week else d for d in days}
    if rel == "last":
        return [d for d in days if d < ref and start[d] < ref][-1], "last <holiday>: the latest before publication"
    if rel == "next":
        return [d for d in days if start[d] > ref][0], "next <holiday>: the first after publication"
    if rel == "this":
        return next(d for d in days if d.year == ref.year), "this <holiday>: the publication year's"
    before = [d for d in days if start[d] <= ref][-1]
    after = [d for d in days if d >= ref][0]
    if tense == "past":
        return before, "past tense: the latest on or before publication"
    if tense == "future":
        return after, "future tense: the first on or after publication"
    nearer = before if (ref - before) <= (after - ref) else after
    return nearer, "no tense cue: the nearer one"


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
        days = [holiday_date(rule, y) for y in range(ref.year - 1, ref.year + 2)]
        (day, why), kind = _pick(days, ref, rel, ctx.tense(m), week), "partial"
    if week:
        return Resolved(iso_week(day), "week", kind, f"the week of {m['holiday']}: {why}")
    return Resolved(day.isoformat(), "day", kind, f"{m['holiday']}: {why}")


HOLIDAY_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {"holiday": _holiday}
"""Resolvers of holidays."""
