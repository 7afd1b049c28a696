"""Resolved time values in words, as people read them: "autumn 2024", "week of 24 February 2025", "evening of 3 March 2025".

Every page and listing shows these words; the codes (``2024-FA``, ``2025-W09``, ``2025-03-03TEV``)
stay in the store and the export. Durations read as lengths ("2 years", "some weeks"), vague
references as "the past", "now", "the future", recurring times as "every Thursday"; a counted
range ("the past two years", ``P2Y``) shows the days it covers when they are given:
"2 years (7 December 2024 to 7 December 2026)". :func:`time_in_words` reads all of it off a
:class:`~storyline.models.TimeExpression`. A value this module does not know is shown as it is.
"""

from __future__ import annotations

import re
from datetime import date

from ...models import TimeExpression
from .calc import (
    CENTURY_VALUE, DAY_VALUE, DECADE_VALUE, HALF_VALUE, MONTH_VALUE, QUARTER_VALUE, SEASON_VALUE, WEEK_VALUE, YEAR_VALUE,
)

__all__ = ["in_words", "time_in_words"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_ORDINAL = {"1": "first", "2": "second", "3": "third", "4": "fourth"}

_REFS = {"PAST_REF": "the past", "PRESENT_REF": "now", "FUTURE_REF": "the future"}
_PERIOD = re.compile(r"^P(?:(?P<n>X|\d+(?:\.\d+)?)(?P<unit>[YMWDQ]))?(?:(?P<n2>\d+)(?P<unit2>[MD]))?"
                     r"(?:T(?:(?P<h>X|\d+(?:\.\d+)?)H)?(?:(?P<min>X|\d+(?:\.\d+)?)M)?(?:(?P<sec>X|\d+(?:\.\d+)?)S)?)?$")
_DATE_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "Q": "quarter"}
_EVERY = re.compile(r"^XXXX-(?:WXX-(?P<wd>[1-7])(?:T(?P<part>MO|AF|EV|NI))?|(?P<month>\d\d))$")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^T(?:(MO|AF|EV|NI|DT)|(\d\d):(\d\d)(?::\d\d)?)$")
"""The part of a day value after the date: a part of the day, or a clock time."""


def _day(year: str, month: str, day: str) -> str:
    return f"{int(day)} {_MONTHS[int(month) - 1]} {int(year)}"


def _amount(n: str, unit: str) -> str:
    if n == "X":
        return f"some {unit}s"
    return f"{float(n):g} {unit}" + ("" if float(n) == 1 else "s")


def _period(value: str) -> str | None:
    """``P2Y`` → "2 years", ``PXW`` → "some weeks", ``P1DT12H`` → "1 day 12 hours", ``PT30M`` → "30 minutes"."""
    m = _PERIOD.match(value)
    if m is None:
        return None
    parts = [_amount(m["n"], _DATE_UNITS[m["unit"]]) if m["n"] else "",
             _amount(m["n2"], _DATE_UNITS[m["unit2"]]) if m["n2"] else "",
             _amount(m["h"], "hour") if m["h"] else "", _amount(m["min"], "minute") if m["min"] else "",
             _amount(m["sec"], "second") if m["sec"] else ""]
    return " ".join(p for p in parts if p) or None


def _every(value: str) -> str | None:
    """A recurring day or month: ``XXXX-WXX-4`` → "every Thursday", ``XXXX-07`` → "every July"."""
    m = _EVERY.match(value)
    if m is None:
        return None
    if m["month"]:
        return f"every {_MONTHS[int(m['month']) - 1]}" if 1 <= int(m["month"]) <= 12 else None
    return f"every {_WEEKDAYS[int(m['wd']) - 1]}" + (f" {_PARTS[m['part']]}" if m["part"] else "")


def time_in_words(t: TimeExpression) -> str:
    """Return a time expression's value in words: a recurring time as "every ...", a counted range with its days."""
    if not t.value:
        return ""
    words = in_words(t.value)
    if t.type == "SET" and t.value.startswith("P"):
        return "every " + re.sub(r"^1 ", "", words)
    if t.type == "DURATION" and t.earliest and t.latest:
        return f"{words} ({in_words(t.earliest + '/' + t.latest)})"
    return words


def in_words(value: str | None) -> str:
    """Return a resolved value in words ("" for None); a range ``A/B`` as "A to B"."""
    if not value:
        return ""
    if value in _REFS:
        return _REFS[value]
    if words := _period(value) or _every(value):
        return words
    if "/" in value:
        first, last = value.split("/", 1)
        return f"{in_words(first)} to {in_words(last)}"
    try:
        return _words(value) or value
    except (ValueError, IndexError):  # an impossible date ("2021-02-30", "2021-W54") stays as written
        return value


def _words(value: str) -> str | None:
    if m := DAY_VALUE.match(value):
        date(int(m[1]), int(m[2]), int(m[3]))  # a real day, or ValueError
        day = _day(m[1], m[2], m[3])
        if not m[4]:
            return day
        if (t := _TIME.match(m[4])) is None:
            return None
        return f"{_PARTS[t[1]]} of {day}" if t[1] else f"{day}, {t[2]}:{t[3]}"
    if m := MONTH_VALUE.match(value):
        return f"{_MONTHS[int(m[2]) - 1]} {int(m[1])}"
    if m := WEEK_VALUE.match(value):
        first = date.fromisocalendar(int(m[1]), int(m[2]), 6 if m[3] else 1)  # its Monday, or its Saturday
        return f"{'weekend' if m[3] else 'week'} of {first.day} {_MONTHS[first.month - 1]} {first.year}"
    if m := SEASON_VALUE.match(value):
        return f"{_SEASONS[m[2]]} {int(m[1])}"
    if m := QUARTER_VALUE.match(value):
        return f"{_ORDINAL[m[2]]} quarter of {int(m[1])}"
    if m := HALF_VALUE.match(value):
        return f"{_ORDINAL[m[2]]} half of {int(m[1])}"
    if m := YEAR_VALUE.match(value):
        return str(int(m[1]))
    if m := DECADE_VALUE.match(value):
        return f"the {int(m[1]) * 10}s"
    if m := CENTURY_VALUE.match(value):
        return f"the {int(m[1]) * 100}s"
    return None
