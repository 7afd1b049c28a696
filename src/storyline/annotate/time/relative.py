"""Resolve relative time expressions against the publication date: days, weeks, "ago", ranges.

"yesterday", "on Wednesday", "last week", "three years ago", "two weeks from now", "the past
two weeks", "in recent weeks", "recently" and durations ("for three months"); "a year
earlier" counts from the latest date before it. Clock times are in annotate/time/clock.py,
recurring times and open durations in annotate/time/sets.py, holidays in
annotate/time/holidays.py, "later that year" in annotate/time/anaphora.py: their resolvers
join :data:`RELATIVE_RESOLVERS`. The conventions (how far "recent weeks" reaches, which
Wednesday) are in docs/time.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from .anaphora import ANAPHORA_RESOLVERS, PLACEHOLDER, collecting, latest_date
from .tense import next_to_past_verb
from .clock import CLOCK_RESOLVERS
from .calc import QUARTER_VALUE, OutOfCalendar, add_days, iso_week, shift_months, weekday_offset, weekend_of, year_text
from .holidays import HOLIDAY_RESOLVERS
from .periods import PERIOD_RESOLVERS
from .lexicon import load_time_lexicon
from .resolve import Context, Resolved, number_of, unresolved
from .sets import SET_RESOLVERS, period

__all__ = ["RELATIVE_RESOLVERS", "shift_by"]


def _g(m: re.Match[str], name: str) -> str:
    """Return an optional group's text, or "" when the pattern has no such group or it did not match."""
    return m.groupdict().get(name) or ""


_PART = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI", "tonight": "TNI"}


def _relative_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = (_g(m, "word") or "").lower()
    if word == "today" and re.search(r"[A-Z][\w.]*\s+$", ctx.left(m, 20)) and m.group()[0] == "T":
        return None  # "USA Today", "Russia Today"
    if not ctx.ref.knows("day"):
        return unresolved("relative day", "day")
    ref = ctx.ref.day
    assert ref is not None
    offsets = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "this": 0, "last": -1}
    if _g(m, "dayrel"):
        day, suffix = add_days(ref, -2 if "before" in _g(m, "dayrel").lower() else 2), ""
    else:
        day = add_days(ref, offsets[word])
        part = (_g(m, "part") or "").lower() or ("tonight" if word == "tonight" else "")
        suffix = _PART.get(part, "")
    return Resolved(day.isoformat() + (f"T{suffix[1:]}" if suffix else ""), "day", "relative", f"{m.group().lower()} from the publication day",
                    type="TIME" if suffix else "DATE")


def _weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
    if not ctx.ref.knows("day"):
        return unresolved("weekday", "day")
    ref = ctx.ref.day
    assert ref is not None
    target = load_time_lexicon().weekdays[m["wd"].lower()]
    rel = (_g(m, "rel") or "").lower() or None
    delta, why = weekday_offset(ref, target, rel, rel is None and ctx.future(m))
    day = add_days(ref, delta).isoformat()
    part = _PART.get((_g(m, "part") or "").lower(), "")
    return Resolved(day + (f"T{part[1:]}" if part else ""), "day", "relative", why, type="TIME" if part else "DATE")


def _unit_value(unit: str, day: date) -> tuple[str, str]:
    if unit == "week":
        return iso_week(day), "week"
    if unit == "month":
        return day.isoformat()[:7], "month"
    if unit == "quarter":
        return f"{year_text(day.year)}-Q{(day.month - 1) // 3 + 1}", "quarter"
    if unit == "decade":
        return year_text(day.year)[:3], "decade"
    if unit == "century":
        return year_text(day.year)[:2], "century"
    return year_text(day.year), "year"


_UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}
_MAX_MONTHS = 12 * date.max.year
"""No shift of this many months or more stays inside the calendar (a guard before ``int`` of a huge float)."""


def shift_by(day: date, unit: str, n: float) -> date:
    """Move ``day`` by ``n`` units (days, weeks or calendar months; halves of months become days).

    Raises:
        OutOfCalendar: the day reached lies outside years 1 to 9999 ("8000 years into the war").
    """
    if unit in {"day", "week", "fortnight"}:
        return add_days(day, n * {"day": 1, "week": 7, "fortnight": 14}[unit])
    months = n * _UNIT_MONTHS.get(unit, 12)
    if not abs(months) < _MAX_MONTHS:
        raise OutOfCalendar(f"{n:g} {unit}s from {day.isoformat()} is outside the calendar")
    return add_days(shift_months(day, int(months)), (months - int(months)) * 30)


def _need(unit: str) -> str:
    return "day" if unit in {"day", "week", "weekend", "fortnight", "hour", "minute", "second"} else "month" if unit in {"month", "quarter"} else "year"


def _earlier_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = m["unit"].lower()
    if not ctx.ref.knows(_need(unit)):
        return unresolved(f"{m['dir'].lower()} this {unit}", _need(unit))
    assert ctx.ref.day is not None
    value, granularity = _unit_value(unit, ctx.ref.day)
    return Resolved(value, granularity, "relative", f"{m['dir'].lower()} in the {unit} of publication")


def _relative_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    rel, unit = _g(m, "rel").lower(), m["unit"].lower()
    if rel == "that":
        return None
    if not ctx.ref.knows(_need(unit)):
        return unresolved(f"{rel} {unit}", _need(unit))
    ref = ctx.ref.day
    assert ref is not None
    if rel in {"past", "coming"}:
        end = shift_by(ref, unit, 1 if rel == "coming" else -1)
        return _counted(1.0, unit, (ref, end), True, f"the {rel} {unit}: one {unit} {'from' if rel == 'coming' else 'up to'} publication")
    step = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "past": -1, "coming": 1}[rel]
    value, granularity = _unit_value(unit, shift_by(ref, unit, step))
    return Resolved(value, granularity, "relative", f"{rel} {unit} from the publication date")


def _weekend(m: re.Match[str], ctx: Context) -> Resolved | None:
    rel = (_g(m, "rel") or "").lower()
    if rel == "that":
        return None
    if not ctx.ref.knows("day"):
        return unresolved("weekend", "day")
    ref = ctx.ref.day
    assert ref is not None
    coming = add_days(ref, (5 - ref.weekday()) % 7)
    if rel == "next":
        return Resolved(weekend_of(add_days(coming, 7 if ref.weekday() < 5 else 0)), "weekend", "relative", "next weekend")
    if rel == "last" or not ctx.future(m):
        return Resolved(weekend_of(ref), "weekend", "relative", "past tense: the most recent weekend up to publication")
    return Resolved(weekend_of(coming), "weekend", "relative", "future tense: the coming weekend")


def _the_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    if not ctx.qualified(m):
        return None
    unit = m["unit"].split()[-1].lower()
    if not ctx.ref.knows(_need(unit)):
        return unresolved(f"the {unit}", _need(unit))
    assert ctx.ref.day is not None
    value, granularity = _unit_value(unit, ctx.ref.day)
    return Resolved(value, granularity, "relative", f"the {unit} of publication")


def _count(m: re.Match[str]) -> tuple[float | None, bool]:
    """Return (the count, whether it is vague) of a counted expression."""
    if _g(m, "vague"):
        return (2.0, False) if "couple" in _g(m, "vague").lower() else (None, True)  # "a couple of years": P2Y, as TimeML counts it
    n = number_of(_g(m, "num"))
    if n is not None and "and a half" in m.group().lower():
        n += 0.5
    return n, False


def _approx(m: re.Match[str]) -> tuple[str | None, bool]:
    word = (_g(m, "approx") or "").lower()
    if not word:
        return None, True
    return ("at-least" if word in {"at least", "more than", "over", "just over"} else "approx"), False


def _unit_name(m: re.Match[str]) -> str:
    word = m["unit"].lower().rstrip("s") if m["unit"].lower() not in {"days", "hours"} else m["unit"].lower()[:-1]
    return word


_QUARTER_REACH = 400
"""How far before "a year ago" a quarter may be named for the phrase to mean that quarter a year before."""


def _year_before_quarter(m: re.Match[str], ctx: Context, n: float | None) -> Resolved | None:
    """"(profit rose in the third quarter ...) from $9 million a year ago": the quarter just named, ``n`` years
    before (TimeML: a comparison takes the granularity of the period it compares); None when no quarter is near."""
    if n is None or n % 1 or collecting():
        return None
    latest = latest_date(ctx, m.start(), {"quarter"}, within=_QUARTER_REACH)
    if latest is None or not QUARTER_VALUE.match(latest[1]):
        return None
    value = f"{year_text(int(latest[1][:4]) - int(n))}{latest[1][4:]}"
    return Resolved(value, "quarter", "anchored", f"{n:g} years before “{latest[3]}”, the quarter named just before")


def _ago(m: re.Match[str], ctx: Context) -> Resolved | None:
    n, vague = _count(m)
    unit = _unit_name(m)
    if unit == "year" and (same := _year_before_quarter(m, ctx, n)):
        return same
    if not ctx.ref.knows(_need(unit)):
        return unresolved(f"<n> {unit}s ago", _need(unit))
    ref = ctx.ref.day
    assert ref is not None
    modifier, certain = _approx(m)
    sign, words = (1, "after") if _g(m, "hence") else (-1, "before")
    if vague or n is None:
        return Resolved("FUTURE_REF" if sign > 0 else "PAST_REF", "vague", "relative", f"a vague number of {unit}s {words} publication", certain=False)
    then = shift_by(ref, unit, sign * n)
    if unit in {"hour", "minute", "second"}:
        return Resolved(then.isoformat(), "day", "relative", f"{unit}s {words} publication: the publication day", type="TIME")
    value, granularity = _at_unit(then, unit, n)
    return Resolved(value, granularity, "relative", f"{n:g} {unit}s {words} publication", modifier=modifier, certain=certain)


def _at_unit(then: date, unit: str, n: float) -> tuple[str, str]:
    """The value of a day reached by counting ``n`` units, at the unit's granularity (a half unit: a month)."""
    granularity = {"day": "day", "week": "week", "fortnight": "week"}.get(unit, "month" if unit in {"month", "quarter"} or n % 1 else "year")
    value = then.isoformat() if granularity == "day" else iso_week(then) if granularity == "week" else then.isoformat()[:7] if granularity == "month" else year_text(then.year)
    return value, granularity


_BASES = {
    "day": frozenset({"day", "time"}), "week": frozenset({"day", "time", "week"}),
    "month": frozenset({"day", "time", "month"}), "quarter": frozenset({"day", "time", "month", "quarter"}),
}
"""The dates "<n> <unit>s earlier/later" can count from, by unit; years count from any date."""
_ANY_DATE = frozenset({"day", "time", "week", "weekend", "month", "season", "quarter", "year"})
_KEEPS_FORM = frozenset({"month", "season", "quarter"})
"""Periods that "a year earlier" moves by whole years, keeping their form: ``1989-Q3`` → ``1988-Q3``."""


def _shifted(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"a year earlier", "two days later", "year-earlier": counted from the latest date before it precise enough for the
    unit; "earlier" with none counts from publication (as "ago"), "later" is then a duration."""
    n, vague = _count(m) if _g(m, "num") else (1.0, False)  # "the year-earlier quarter": one year
    unit = _unit_name(m)
    if vague or n is None or unit in {"hour", "minute", "second"}:
        return None
    if collecting():
        return PLACEHOLDER
    sign = 1 if m["dir"].lower() == "later" else -1
    if unit == "year" and sign < 0 and (same := _year_before_quarter(m, ctx, n)):
        return same
    base = latest_date(ctx, m.start(), _BASES.get(unit, _ANY_DATE))
    if base is None and sign > 0:
        return None
    if base is None and not ctx.ref.knows(_need(unit)):
        return unresolved(f"<n> {unit}s {m['dir'].lower()}", _need(unit))
    first, value, granularity, words = base or (ctx.ref.day, "", "day", "the publication date")
    assert first is not None
    modifier, certain = _approx(m)
    why = f"{n:g} {unit}s {'later' if sign > 0 else 'earlier'} than “{words}”"
    if unit == "year" and granularity in _KEEPS_FORM and n % 1 == 0:
        return Resolved(f"{year_text(int(value[:4]) + sign * int(n))}{value[4:]}", granularity, "anchored", why, modifier=modifier, certain=certain)
    shifted, unit_granularity = _at_unit(shift_by(first, unit, sign * n), unit, n)
    return Resolved(shifted, unit_granularity, "anchored", why, modifier=modifier, certain=certain)


def _counted(n: float | None, unit: str, ends: tuple[date, date], certain: bool, why: str) -> Resolved:
    """A counted range ("the past two years"): TimeML's DURATION ``P2Y``, the days it covers in ``bounds``."""
    value = f"P{'X' if n is None else f'{n:g}'}Q" if unit == "quarter" else period(n, unit)
    return Resolved(value, "range", "relative", why, type="DURATION", certain=certain, bounds=(min(ends), max(ends)))


def _range(m: re.Match[str], ctx: Context, n: float | None, unit: str, forward: bool, certain: bool, why: str) -> Resolved:
    ref = ctx.ref.day
    assert ref is not None
    reach = load_time_lexicon().vague_reach
    if n is None:
        unit_plural = unit + "s" if unit + "s" in reach else "days"
        other = shift_by(ref, "day" if unit_plural in {"days", "weeks"} else unit, (1 if forward else -1) * reach[unit_plural])
    else:
        other = shift_by(ref, unit, n if forward else -n)
    return _counted(n, unit, (ref, other), certain, why)


def _past_n(m: re.Match[str], ctx: Context) -> Resolved | None:
    rel = _g(m, "rel").lower()
    if rel == "first":
        return None
    n, vague = _count(m)
    unit = _unit_name(m)
    if unit in {"hour", "minute", "second"}:
        return None
    if not ctx.ref.knows("day"):
        return replace(unresolved(f"the {rel} <n> {unit}s", "day"), type="DURATION")
    forward = rel in {"next", "coming"}
    return _range(m, ctx, n, unit, forward, not vague, f"the {rel} {'few' if vague else f'{n:g}'} {unit}s {'from' if forward else 'up to'} publication")


def _recent(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"recent weeks", "the past weeks" (back from publication), "the coming weeks", "the weeks ahead" (forward)."""
    unit = (m["unit"] or m["unit2"]).lower()
    forward = bool(m["ahead"]) or "coming" in _g(m, "rel").lower()
    words = f"{'coming' if forward else 'recent'} {unit}s"
    if not ctx.ref.knows("day"):
        return replace(unresolved(words, "day"), type="DURATION")
    reach = load_time_lexicon().vague_reach[unit + "s"]
    return _range(m, ctx, None, unit, forward, False,
                  f"{words}: the {reach} {unit if unit in {'month', 'year'} else 'day'}s of docs/time.md {'from' if forward else 'up to'} publication")


def _before_a_noun(m: re.Match[str], ctx: Context) -> bool:
    """Return True when the word after the match can be the noun an adjective qualifies ("current leaders")."""
    following = re.match(r"\s+([a-z]+)", ctx.text[m.end():m.end() + 30])
    return following is not None and following[1] not in load_time_lexicon().not_adjective_before


def _vague_ref(m: re.Match[str], ctx: Context) -> Resolved | None:
    phrase = " ".join(m.group().lower().split())
    value = load_time_lexicon().vague_references.get(phrase)
    if value is None or ctx.in_set_phrase(m):
        return None
    lex = load_time_lexicon()
    if (phrase in lex.name_words and ctx.in_name(m)) or (phrase in lex.adjective_references and not _before_a_noun(m, ctx)):
        return None  # a name ("Future Publishing") or a noun ("swept away by the current")
    if phrase in lex.narrative and next_to_past_verb(ctx.text, m.start(), m.end()):
        return None  # "he was soon released": the story's sequence
    span = (m.start() + 3, m.end()) if phrase.startswith(("in ", "at ")) else None
    if not ctx.ref.knows("year"):
        return Resolved(None, None, "unresolved", "vague reference; needs the publication date, which is unknown", span=span, certain=False)
    return Resolved(value, "vague", "relative", "vague reference to the past, present or future", certain=False, span=span)


_RATE_BEFORE = re.compile(r"(?:\b(?:once|twice|thrice|times|per|every|each|a|an|the|hours|days|nights|weeks|months|minutes"
                          r"|million|billion|thousand|hundred|cents?|dollars?|euros?|pounds?|percent|shares|units|barrels|tons|tonnes)|\d|%)\s+$", re.I)
"""What stands before "a year" in a rate: "twice a year", "$1.76 a year", "8% a year"."""


def _duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    n, vague = _count(m)
    unit = _unit_name(m)
    word = (_g(m, "num") or "").lower()
    if word in {"a", "an"} and _RATE_BEFORE.search(ctx.left(m, 20)):
        return None  # a rate: "twice a year", "24 hours a day"
    if word in {"a", "an"} and unit == "second" and re.match(r"\s+[a-z]", ctx.text[m.end():m.end() + 2]):
        return None  # an ordinal: "a second term"
    if _g(m, "old").lower() == "-old" or re.match(r"\s+old\b", ctx.text[m.end():m.end() + 5]) or (m["unit"][0].isupper() and m.start() > 0 and ctx.text[m.start() - 1] != "\n"):
        return None  # ages ("a 44-year-old") and titles ("60 Minutes") are not time expressions
    modifier, certain = _approx(m)
    amount = None if vague or n is None else n
    return Resolved(period(amount, unit), "duration", "duration", f"a duration of {'X' if amount is None else f'{amount:g}'} {unit}s",
                    type="DURATION", modifier=modifier,
                    certain=certain and not vague, amount=(n, unit) if n is not None else None)


RELATIVE_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {
    "relative_day": _relative_day, "weekday": _weekday, "earlier_unit": _earlier_unit, "ago": _ago,
    "past_n": _past_n, "recent": _recent, "relative_unit": _relative_unit, "weekend": _weekend, "the_unit": _the_unit,
    "vague_ref": _vague_ref, "duration": _duration, "shifted": _shifted,
    **CLOCK_RESOLVERS, **SET_RESOLVERS, **HOLIDAY_RESOLVERS, **ANAPHORA_RESOLVERS, **PERIOD_RESOLVERS,
}
"""Resolvers of expressions relative to the publication date, of durations, recurring times,
holidays and anaphoric phrases ("later that year")."""
