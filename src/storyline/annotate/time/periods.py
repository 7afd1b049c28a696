"""Reporting periods of company results: "the year", "the quarter", "the year-ago period".

Results are reported for a period that has just ended, and the report names it without a
date: "sales for the year", "profit rose in the quarter", "from $9 million in the year-earlier
quarter". TimeML reads such a definite "the year" / "the quarter" as the year or quarter of the
document's reference time (TimeML 1.2.1, anaphoric and document-relative expressions):

* "the year", "the full year", "the fiscal year" → the publication year; followed by "ended" /
  "ending" and a date ("the year ended March 31") it is a fiscal year, no calendar year: a
  DURATION ``P1Y``;
* "the quarter", "the latest period" → the quarter ended last before publication (the one
  results are reported for); "the quarter ended Sept. 30" → the calendar quarter holding most of
  the three months that end then ("ended July 31": May to July, ``Q2``);
* "the year-ago period", "the year-earlier quarter", "last year's quarter", "the quarter a year
  ago", "the 1988 period", "the year-ago third quarter" → the reported quarter (or the quarter
  named), a year before (or in the year named).

The rules are documented in docs/time.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .anaphora import PLACEHOLDER, collecting
from .calc import year_text
from .lexicon import load_time_lexicon
from .resolve import Context, Resolved, unresolved

__all__ = ["PERIOD_RESOLVERS"]

_ENDED_AFTER = re.compile(r"\s+(?:ended|ending)\b(?:\s+(?P<month>[A-Z][a-z]+)\.?\s+[0-3]?\d\b)?")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _reported(ctx: Context) -> tuple[int, int]:
    """(year, quarter) of the last quarter that ended before publication."""
    assert ctx.ref.day is not None
    q, year = (ctx.ref.day.month - 1) // 3, ctx.ref.day.year
    return (year - 1, 4) if q == 0 else (year, q)


def _ended_quarter(month: int, ctx: Context) -> tuple[int, int]:
    """The calendar quarter holding most of the three months that end with ``month`` (the latest before publication)."""
    assert ctx.ref.day is not None
    middle = (month - 2) % 12 + 1
    year = ctx.ref.day.year if month <= ctx.ref.day.month else ctx.ref.day.year - 1
    return (year - 1 if middle > month else year), (middle - 1) // 3 + 1


def _the_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"the year", "the full year", "the fiscal year": the publication year; "the year ended ...": ``P1Y``."""
    if re.match(r"\s*(?:\d|-|two\s+thousand|before|after|earlier|later|ago)", ctx.text[m.end():m.end() + 14], re.I):
        return None  # "the year 2000", "the year before": other rules
    if _ENDED_AFTER.match(ctx.text, m.end()):
        return Resolved("P1Y", "duration", "duration", "the (fiscal) year ended on a date: one year", type="DURATION", amount=(1.0, "year"))
    if not ctx.ref.knows("year"):
        return unresolved("the year", "year")
    assert ctx.ref.day is not None
    return Resolved(year_text(ctx.ref.day.year), "year", "relative", "the year of a report: the publication year")


def _the_quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"the quarter", "the latest period": the quarter reported (ended last before publication); "the quarter ended Sept. 30": that one."""
    if not ctx.ref.knows("month"):
        return unresolved("the quarter", "month")
    ended = _ENDED_AFTER.match(ctx.text, m.end())
    month = load_time_lexicon().months.get((ended["month"] or "").lower().rstrip(".")) if ended and ended["month"] else None
    if month:
        (year, q), why = _ended_quarter(month, ctx), "the quarter ended on a date: the one holding most of its months"
    else:
        (year, q), why = _reported(ctx), "the quarter of a report: the last one ended before publication"
    return Resolved(f"{year_text(year)}-Q{q}", "quarter", "relative", why)


def _year_ago_period(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"the year-ago period", "the 1988 third quarter", "the quarter a year ago": the reported quarter in the year given or a year before."""
    named_year = m.groupdict().get("year")
    if collecting() and not named_year:
        return PLACEHOLDER  # counts from the quarter reported: no date of its own to count from
    if not ctx.ref.knows("month") and not named_year:
        return unresolved("the year-ago period", "month")
    ordinal = _ORDINALS.get((m.groupdict().get("ord") or "").lower())
    year, q = _reported(ctx) if ctx.ref.knows("month") else (int(named_year or 0), ordinal or 0)
    if ordinal:
        year, q = (year if ordinal <= q else year - 1), ordinal
    if not q:
        return unresolved("the period of a year", "month")
    if named_year:
        return Resolved(f"{named_year}-Q{q}", "quarter", "partial", "the period of a year named: its reported quarter")
    return Resolved(f"{year_text(year - 1)}-Q{q}", "quarter", "relative", "the year-ago period: the reported quarter a year before")


PERIOD_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {
    "the_year": _the_year, "the_quarter": _the_quarter, "year_ago_period": _year_ago_period,
}
"""Resolvers of the periods company results are reported for."""
