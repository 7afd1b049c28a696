"""The anchors of an event that outlets keep however they frame it: its days and its figures.

A left-leaning and a right-leaning outlet tell one march as "police tear-gas families" and
"rioters torch cars": their words and sentences differ, but the day it happened and the
figures they report (41 arrests, 212 people rescued, a 12.4 billion mark package) are the
same, while the same people on another day are another event. Both are kept as extra terms of
the article (``d:`` for a day, ``f:`` for a figure) so that the corpus counts them like words
and the store keeps them with the other terms:

* days: the day-level dates of the article's events (relative dates resolved against its
  publication date by the annotator); the first of them within a week of its publication is its
  lead day (a report of a protest may name the election it follows, or the start of a war, but
  leads with the protest); an undated article has no lead day;
* figures: numbers of some size in the text, written in digits ("1,800", "12.4 billion",
  "7.8%") or in words ("forty-one"), as their value to three significant digits, so
  "12.4 billion" and "12,400,000,000" are one figure. Years, numbers up to
  :data:`MIN_FIGURE`, day numbers next to a month name and clock times are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

__all__ = [
    "DAY", "LEAD_DAY", "LEAD_WINDOW", "FIGURE", "MIN_FIGURE", "DAY_SLACK",
    "anchor_terms", "figures", "event_days", "lead_day", "news_days", "days_agree", "day_relation",
]

DAY = "d:"
LEAD_DAY = "d0:"
"""The day of the article's first dated event close to its publication: the news it leads with (an earlier
day, such as the start of a war, is background)."""
LEAD_WINDOW = (7, 1)
"""A lead day lies at most this many days before and after the article's publication day."""
FIGURE = "f:"
MIN_FIGURE = 10
"""Figures up to this are everywhere ("two people", "three days") and say nothing of the event."""
DAY_SLACK = 1
"""Days at most this far apart count as the same day ("Thursday night" in one, "early Friday" in another)."""

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DIGITS = re.compile(r"(?<![\w.,:/-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
                     r"(?:\s*(thousand|million|billion|trillion|bn|m)\b|(?![\w:/]|[.,-]\d))")
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$")
_MONTH_AFTER = re.compile(rf"\s+{_MONTH}(?!\w)")
_UNITS = {w: i for i, w in enumerate("one two three four five six seven eight nine".split(), 1)}
_TEENS = {w: i for i, w in enumerate("eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 11)}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_WORDS = re.compile(rf"\b(?:({'|'.join(_TENS)})(?:[- ]({'|'.join(_UNITS)}))?|({'|'.join(_TEENS)}))\b", re.IGNORECASE)


def _key(value: float) -> str:
    return f"{value:.3g}"


def figures(text: str) -> list[str]:
    """Return the figures of ``text`` (see the module docstring), as comparison keys, in order."""
    out: list[tuple[int, float]] = []
    for m in _DIGITS.finditer(text):
        raw, scale = m.group(1), m.group(2)
        if _MONTH_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or _MONTH_AFTER.match(text, m.end()):
            continue  # a day of the month: the days are anchors of their own
        value = float(raw.replace(",", ""))
        if not scale and "," not in raw and "." not in raw and 1800 <= value <= 2100:
            continue  # a year: the names already count years
        out.append((m.start(), value * _SCALES.get((scale or "").lower(), 1.0)))
    for m in _WORDS.finditer(text):
        tens, unit, teen = (g.lower() if g else None for g in m.groups())
        out.append((m.start(), float(_TEENS[teen] if teen else _TENS[tens or ""] + _UNITS.get(unit or "", 0))))
    return [_key(v) for _, v in sorted(out) if v > MIN_FIGURE]


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def anchor_terms(text: str, event_dates: Iterable[str], published: date | None = None) -> dict[str, int]:
    """Return the anchor terms of an article: its event days (``d:``, once each), its lead day (``d0:``, the first
    of them in the :data:`LEAD_WINDOW` of its publication day; none when it is undated) and its figures
    (``f:``, counted)."""
    days = list(filter(None, map(_day, event_dates)))
    recent = [d for d in days if published is not None and -LEAD_WINDOW[0] <= (d - published).days <= LEAD_WINDOW[1]]
    out = {LEAD_DAY + recent[0].isoformat(): 1} if recent else {}
    out.update((DAY + day.isoformat(), 1) for day in days)
    for figure in figures(text):
        out[FIGURE + figure] = out.get(FIGURE + figure, 0) + 1
    return out


def event_days(terms: Mapping[str, int]) -> frozenset[date]:
    """Return the event days kept among an article's terms."""
    return frozenset(filter(None, (_day(t[len(DAY):]) for t in terms if t.startswith(DAY))))


def lead_day(terms: Mapping[str, int]) -> date | None:
    """Return the lead day kept among an article's terms (None: it dates no event)."""
    return next((_day(t[len(LEAD_DAY):]) for t in terms if t.startswith(LEAD_DAY)), None)


def news_days(published: date) -> frozenset[date]:
    """The days an article that dates no event is taken to report: its publication day and the day before."""
    return frozenset({published, published - timedelta(days=1)})


def days_agree(a: frozenset[date], b: frozenset[date]) -> bool | None:
    """True when two articles date an event on the same day (within :data:`DAY_SLACK`), False when both date
    their events and no day is shared, None when either dates none."""
    if not a or not b:
        return None
    return any(abs((x - y).days) <= DAY_SLACK for x in a for y in b)


def day_relation(a: Mapping[str, int], a_published: date | None, b: Mapping[str, int], b_published: date | None) -> bool | None:
    """How two articles' events relate in time, from their terms and publication days.

    True: both lead with an event of the same day (within :data:`DAY_SLACK`). False: both are dated and no
    day of one is a day of the other, an article that dates no event standing for :func:`news_days`: the
    same people on another day are another event. None: nothing to tell.
    """
    lead_a, lead_b = lead_day(a), lead_day(b)
    if lead_a is not None and lead_b is not None and abs((lead_a - lead_b).days) <= DAY_SLACK:
        return True
    if a_published is None or b_published is None:
        return None
    return False if days_agree(event_days(a) or news_days(a_published), event_days(b) or news_days(b_published)) is False else None
