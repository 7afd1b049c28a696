"""Explicit calendar dates in text: patterns and parsing.

Only dates with a day, month and year are found here; vaguer expressions are
the time-expression stage's job. Every match keeps its offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["DateMention", "NumericDate", "find_dates", "find_numeric_dates", "parse_iso_date"]

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A full calendar date written in the text."""

    value: date
    text: str
    start: int
    end: int


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS[token.lower().rstrip(".")]


def find_dates(text: str) -> Iterator[DateMention]:
    """Yield every full calendar date in ``text``, in order of position, with offsets."""
    found: dict[int, DateMention] = {}
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            try:
                value = date(int(m["year"]), _month_number(m["month"]), int(m["day"]))
            except (ValueError, KeyError):
                continue
            if not any(s <= m.start() < d.end for s, d in found.items()):
                found[m.start()] = DateMention(value, m.group(), m.start(), m.end())
    yield from (found[k] for k in sorted(found))


@dataclass(frozen=True, slots=True)
class NumericDate:
    """A date written in figures only ("27/09/2018", "11.14.2019", "05.10.18"), with every valid reading."""

    readings: tuple[date, ...]
    """Day-first first where it is valid; two readings when day and month could be either way round."""
    text: str
    start: int
    end: int


_NUMERIC = re.compile(r"(?<![\d./-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<year>(?:19|20)?\d\d)(?![\d./-]*\d)")
_NUMERIC_YMD = re.compile(r"(?<![\d./-])(?P<year>(?:19|20)\d\d)\.(?P<month>[01]?\d)\.(?P<day>[0-3]?\d)(?![\d.]*\d)")


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_numeric_dates(text: str) -> Iterator[NumericDate]:
    """Yield the dates written in figures in ``text`` (dd.mm.yyyy, mm/dd/yy, yyyy.mm.dd ...), with offsets.

    A two-digit year is read as 20yy. Which of day and month comes first is often
    unknowable; every valid reading is kept (day-first first) for the caller to settle.
    """
    for m in _NUMERIC.finditer(text):
        year = int(m["year"]) if len(m["year"]) == 4 else 2000 + int(m["year"])
        a, b = int(m["a"]), int(m["b"])
        readings = tuple(dict.fromkeys(d for d in (_valid(year, b, a), _valid(year, a, b)) if d))
        if readings:
            yield NumericDate(readings, m.group(), m.start(), m.end())
    for m in _NUMERIC_YMD.finditer(text):
        value = _valid(int(m["year"]), int(m["month"]), int(m["day"]))
        if value:
            yield NumericDate((value,), m.group(), m.start(), m.end())


def parse_iso_date(value: str | None) -> str | None:
    """Return ``YYYY-MM-DD`` for a declared date (ISO 8601, RFC 822 or a written date), else None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    iso = re.match(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        except ValueError:
            return None
    for fmt in ("%a, %d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M:%S %Z", "%d %b %Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    mention = next(find_dates(value), None)
    return mention.value.isoformat() if mention else None
