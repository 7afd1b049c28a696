"""Resolved time values as people read them: "autumn 2024", "week of 24 February 2025", "evening of 3 March 2025".

Every page and listing shows these words; the codes (``2024-FA``, ``2025-W09``, ``2025-03-03TEV``)
stay in the store and the export. A value this module does not know is shown as it is.
"""

from __future__ import annotations

import re
from datetime import date

from .calc import (
    CENTURY_VALUE, DAY_VALUE, DECADE_VALUE, HALF_VALUE, MONTH_VALUE, QUARTER_VALUE, SEASON_VALUE, WEEK_VALUE, YEAR_VALUE,
)

__all__ = ["in_words"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_ORDINAL = {"1": "first", "2": "second", "3": "third", "4": "fourth"}

_TIME = re.compile(r"^T(?:(MO|AF|EV|NI|DT)|(\d\d):(\d\d)(?::\d\d)?)$")
"""The part of a day value after the date: a part of the day, or a clock time."""


def _day(year: str, month: str, day: str) -> str:
    return f"{int(day)} {_MONTHS[int(month) - 1]} {int(year)}"


def in_words(value: str | None) -> str:
    """Return a resolved value in words ("" for None); a range ``A/B`` as "A to B"."""
    if not value:
        return ""
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
