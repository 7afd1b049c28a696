"""Calendar arithmetic for time values: weeks, seasons, month shifts and the days a value covers.

Values follow TimeML's TIMEX3 forms (see :class:`storyline.models.TimeExpression`).

Every date this module computes lies in :mod:`datetime`'s calendar, years 1 to 9999: a
computation that would leave it raises :class:`OutOfCalendar`, which the finder
(annotate/time/expressions.py) turns into an unresolved expression. ``value_bounds`` never raises.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, timedelta

__all__ = [
    "shift_months", "iso_week", "weekend_of", "season_of", "season_start", "value_bounds", "narrow", "SEASON_MONTHS",
    "easter", "holiday_date", "weekday_offset", "OutOfCalendar", "add_days", "calendar_date", "year_text",
    "DAY_VALUE", "MONTH_VALUE", "WEEK_VALUE", "SEASON_VALUE", "QUARTER_VALUE", "HALF_VALUE", "YEAR_VALUE", "DECADE_VALUE", "CENTURY_VALUE",
]


class OutOfCalendar(ValueError):
    """A computed date falls outside years 1 to 9999 ("8000 years into the war"): the expression stays unresolved."""

SEASON_MONTHS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
"""First and last month of each season; a winter runs from December of its year into February."""

QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
HALF_VALUE = re.compile(r"^(\d{4})-H([12])$")
WEEK_VALUE = re.compile(r"^(\d{4})-W(\d\d)(-WE)?$")
SEASON_VALUE = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
DAY_VALUE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(T.*)?$")
MONTH_VALUE = re.compile(r"^(\d{4})-(\d\d)$")
YEAR_VALUE = re.compile(r"^(\d{4})$")
DECADE_VALUE = re.compile(r"^(\d{3})$")
CENTURY_VALUE = re.compile(r"^(\d{2})$")


def _check_year(year: int) -> int:
    if not date.min.year <= year <= date.max.year:
        raise OutOfCalendar(f"year {year} is outside the calendar ({date.min.year} to {date.max.year})")
    return year


def calendar_date(year: int, month: int, day: int) -> date:
    """Return ``date(year, month, day)``; raise :class:`OutOfCalendar` for a year outside 1..9999.

    A day the month lacks (February 30) still raises a plain ``ValueError``.
    """
    return date(_check_year(year), month, day)


def year_text(year: int) -> str:
    """Return ``year`` as the four digits of a value (``"0800"``); raise :class:`OutOfCalendar` outside 1..9999."""
    return f"{_check_year(year):04d}"


def add_days(d: date, days: float) -> date:
    """Return ``d`` moved by ``days`` (rounded); raise :class:`OutOfCalendar` when that leaves the calendar."""
    if not math.isfinite(days) or abs(days) > (date.max - date.min).days:
        raise OutOfCalendar(f"{days} days from {d.isoformat()} is outside the calendar")
    ordinal = d.toordinal() + round(days)
    if not date.min.toordinal() <= ordinal <= date.max.toordinal():
        raise OutOfCalendar(f"{days} days from {d.isoformat()} is outside the calendar")
    return date.fromordinal(ordinal)


def shift_months(d: date, months: int) -> date:
    """Return ``d`` moved by ``months`` calendar months, the day clamped to the month's length.

    Raises:
        OutOfCalendar: the month reached lies outside years 1 to 9999.
    """
    year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
    _check_year(year)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def iso_week(d: date) -> str:
    """Return the ISO week holding ``d`` as ``YYYY-Www``."""
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weekend_of(d: date) -> str:
    """Return the most recent weekend ending on or before ``d`` (its Saturday's ISO week + ``-WE``)."""
    saturday = add_days(d, -((d.weekday() - 5) % 7))
    return iso_week(saturday) + "-WE"


def season_of(d: date) -> tuple[int, str]:
    """Return (season year, season code) of the season holding ``d``."""
    if d.month == 12:
        return d.year, "WI"
    if d.month <= 2:
        return d.year - 1, "WI"
    return d.year, next(code for code, (a, b) in SEASON_MONTHS.items() if code != "WI" and a <= d.month <= b)


def season_start(year: int, code: str) -> date:
    """Return the first day of season ``code`` of ``year`` (:class:`OutOfCalendar` outside years 1..9999)."""
    return calendar_date(year, SEASON_MONTHS[code][0], 1)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def value_bounds(value: str | None) -> tuple[date, date] | None:
    """Return the first and last day a value covers.

    Returns None for durations, vague references, unknown forms and impossible dates
    (``2021-02-30``, ``2021-W53``, a winter of 9999 that ends in 10000): it never raises.
    """
    if not value:
        return None
    try:
        return _bounds(value)
    except (ValueError, OverflowError):
        return None


def _bounds(value: str) -> tuple[date, date] | None:
    if "/" in value:
        a, b = (value_bounds(v) for v in value.split("/", 1))
        return (a[0], b[1]) if a and b else None
    if m := DAY_VALUE.match(value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := MONTH_VALUE.match(value):
        return date(int(m[1]), int(m[2]), 1), _month_end(int(m[1]), int(m[2]))
    if m := WEEK_VALUE.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return (monday + timedelta(days=5), monday + timedelta(days=6)) if m[3] else (monday, monday + timedelta(days=6))
    if m := SEASON_VALUE.match(value):
        start = season_start(int(m[1]), m[2])
        last = SEASON_MONTHS[m[2]][1]
        return start, _month_end(start.year + (1 if m[2] == "WI" else 0), last)
    if m := QUARTER_VALUE.match(value):
        first = 3 * (int(m[2]) - 1) + 1
        return date(int(m[1]), first, 1), _month_end(int(m[1]), first + 2)
    if m := HALF_VALUE.match(value):
        return date(int(m[1]), 6 * int(m[2]) - 5, 1), _month_end(int(m[1]), 6 * int(m[2]))
    if m := YEAR_VALUE.match(value):
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    if m := DECADE_VALUE.match(value):
        return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
    if m := CENTURY_VALUE.match(value):
        return date(int(m[1]) * 100, 1, 1), date(int(m[1]) * 100 + 99, 12, 31)
    return None


def narrow(bounds: tuple[date, date], modifier: str | None) -> tuple[date, date]:
    """Return the part of ``bounds`` a qualifier points at: early/start = first third, mid = middle, late/end = last third."""
    first, last = bounds
    span = (last - first).days + 1
    if span < 3 or modifier not in {"early", "start", "mid", "late", "end"}:
        return bounds
    third = span // 3
    if modifier in {"early", "start"}:
        return first, first + timedelta(days=third - 1)
    if modifier == "mid":
        return first + timedelta(days=third), last - timedelta(days=third)
    return last - timedelta(days=third - 1), last


def easter(year: int) -> date:
    """Return Western (Gregorian) Easter Sunday of ``year`` (the anonymous Gregorian computus)."""
    _check_year(year)
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l) // 433
    month, day = divmod(h + l - 7 * m + 90, 25)
    return date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


_WEEKDAY_CODES = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """Return the ``n``-th ``weekday`` of a month (``n = -1``: the last one)."""
    if n > 0:
        first = calendar_date(year, month, 1)
        return add_days(first, (weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = calendar_date(year, month, calendar.monthrange(year, month)[1])
    return add_days(last, -((last.weekday() - weekday) % 7))


def holiday_date(rule: str, year: int) -> date:
    """Return the date of a holiday in ``year`` by its rule in data/timex.toml.

    ``"12-25"`` (fixed), ``"easter-2"`` (days from Easter Sunday), ``"11 thu 4"`` (the 4th
    Thursday of November; ``-1``: the last) with an optional ``"+D"`` days after it.

    Raises:
        OutOfCalendar: the holiday of ``year`` lies outside years 1 to 9999.
    """
    if rule.startswith("easter"):
        return add_days(easter(year), int(rule[6:]))
    if "-" in rule and " " not in rule:
        month, day = rule.split("-")
        return calendar_date(year, int(month), int(day))
    month, weekday, n, *extra = rule.split()
    return add_days(_nth_weekday(year, int(month), _WEEKDAY_CODES[weekday], int(n)), int(extra[0]) if extra else 0)


def weekday_offset(ref: date, target: int, rel: str | None, future: bool) -> tuple[int, str]:
    """Return how many days from ``ref`` a weekday (0 = Monday) lies, and why.

    ``last``: strictly before; ``next``: strictly after; otherwise the future tense takes the
    first on or after ``ref``, the past the most recent on or before it.
    """
    if rel == "last":
        return -((ref.weekday() - target) % 7 or 7), "last <weekday>: the most recent one before publication"
    if rel == "next":
        return (target - ref.weekday()) % 7 or 7, "next <weekday>: the first one after publication"
    if future:
        return (target - ref.weekday()) % 7, "future tense: the first such day on or after publication"
    return -((ref.weekday() - target) % 7), "past tense: the most recent such day on or before publication"
