"""Resolve one matched time expression to a normalised value, given the article's date.

One resolver per pattern of annotate/time/grammar.py. A resolver returns ``None`` when the
match is not a time expression after all ("Theresa May"), or a :class:`Resolved`. A
relative expression whose reference is not known precisely enough ("on Wednesday" in an
article dated only to the month) is returned unresolved: never guessed. The rules are
documented in docs/time.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from ...models import TimeExpression
from .tense import is_future, tense_of
from .calc import OutOfCalendar, calendar_date, iso_week, season_of, season_start, value_bounds, year_text
from .grammar import load_grammar
from .lexicon import load_time_lexicon

__all__ = ["Ref", "Resolved", "Context", "DATE_RESOLVERS", "number_of", "unresolved", "UNIT_GRANULARITY"]

_PRECISION = {"year": 1, "month": 2, "day": 3}
UNIT_GRANULARITY = {"D": "day", "W": "week", "M": "month", "Y": "year", "DE": "year", "CE": "year", "FN": "week", "H": "day", "MIN": "day", "S": "day"}
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "april", "apr", "june", "jun", "august", "aug", "jan", "sat", "sun", "dec", "sept", "sep", "oct", "nov", "feb", "jul"}
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|since|until|till|by|before|after|during|from|through|throughout|of|early|late|mid|last|next|this)\s+$", re.I)
_FAR_MONTHS = 9
"""A month written without a year lies at most this many months from publication in another year."""
_MEASURED_AFTER = re.compile(r"\s*(?:%|(?:per\s*cent|percent|people|men|women|children|feet|foot|metres|meters|miles|km|kg|tons|tonnes"
                             r"|GMT|UTC|EST|EDT|CET|hours?|hrs|local)\b|\s+[A-Z][a-z]+\s+(?:Avenue|Street|Road|Boulevard)\b)", re.I)
"""What follows a four-digit number that measures ("1500 GMT", "1800 metres"), not a year."""
_COUNTED_AFTER = re.compile(r"\s+(?!(?:as|was|is|has|this|its|his|hers|ours|yours|less|unless|whereas|news)\b)[a-z]+s\b")
"""A plural noun after a four-digit number with no date word before it counts ("2000 troops")."""
_COUNT_BEFORE = re.compile(r"\b(?:about|some|nearly|almost|approximately|roughly|over|only|just|least|than|up\s+to|No\.?|number|page|room|flight|route)\s+$", re.I)
_VERB_BEFORE = re.compile(r"\b(?:to|will|would|could|can|may|might|should|must|did|does|do|not|n't|also)\s+$", re.I)
_YEAR_BEFORE = re.compile(r"\b((?:19|20)\d\d)\s+(?:[A-Za-z-]+\s+){0,3}(?:in|on)\s+$")


@dataclass(frozen=True, slots=True)
class Ref:
    """The date relative expressions are resolved against: the article's publication date."""

    day: date | None
    precision: str | None
    """day, month or year: how much of ``day`` is known; None when nothing is."""
    inferred: bool = False

    def knows(self, precision: str) -> bool:
        """Return True when the reference is known at least to ``precision``."""
        return self.precision is not None and _PRECISION[self.precision] >= _PRECISION[precision]

    @property
    def label(self) -> str:
        """How the reference is shown as evidence."""
        shown = self.day.isoformat()[: {"year": 4, "month": 7, "day": 10}[self.precision or "day"]] if self.day else "?"
        return f"publication date {shown}" + (" (inferred)" if self.inferred else "")


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a resolver found."""

    value: str | None
    granularity: str | None
    kind: str
    rule: str
    type: str = "DATE"
    modifier: str | None = None
    certain: bool = True
    span: tuple[int, int] | None = None
    """A narrower span than the match, when the match carried a leading preposition."""
    amount: tuple[float, str] | None = None
    """For durations: how many of which unit (for anchoring)."""
    bounds: tuple[date, date] | None = None
    """The days a DURATION covers when the text places it ("the past two years": from two years
    before publication to publication); None for a date (its value gives them) or a free duration."""


@dataclass(frozen=True, slots=True)
class Context:
    """The text and the reference, shared by the resolvers of one article."""

    text: str
    ref: Ref
    finder: Callable[..., tuple[TimeExpression, ...]] | None = None
    """The whole-text finder (:func:`storyline.annotate.time.expressions.find_time_expressions`), which
    anaphora ("the day before") run once to index the text's dates; given by that finder itself, so no
    resolver imports it (None: anaphora resolve to nothing)."""

    def future(self, m: re.Match[str]) -> bool:
        """Return True when the match's clause speaks of the future."""
        return is_future(self.text, m.start(), m.end())

    def tense(self, m: re.Match[str]) -> str | None:
        """Return "future", "past" or None (no cue) for the match's clause."""
        return tense_of(self.text, m.start(), m.end())

    def left(self, m: re.Match[str], width: int = 40) -> str:
        """Return up to ``width`` characters before the match."""
        return self.text[max(0, m.start() - width):m.start()]

    def trigger(self, m: re.Match[str]) -> bool:
        """Return True when a word that introduces a date ("in", "since", "the", "early") stands before the match."""
        return load_grammar().trigger_before.search(self.left(m)) is not None

    def in_set_phrase(self, m: re.Match[str]) -> bool:
        """Return True when the match is part of a set phrase that is no time expression ("as soon as")."""
        word = m.group().lower()
        for phrase in load_time_lexicon().not_within:
            at = phrase.find(word)
            if 0 <= at <= m.start() and self.text[m.start() - at:m.start() - at + len(phrase)].lower() == phrase:
                return True
        return False

    def in_name(self, m: re.Match[str]) -> bool:
        """Return True when a capitalised match runs on into another capitalised word: a name ("Daily Mail")."""
        return m.group()[:1].isupper() and re.match(r"\s+[A-Z]", self.text[m.end():m.end() + 2]) is not None

    def qualified(self, m: re.Match[str]) -> bool:
        """Return True when a qualifier ("the end of", "early") stands right before the match."""
        return load_grammar().qualifier_before.search(self.left(m)) is not None


def unresolved(rule: str, needs: str) -> Resolved:
    """A relative expression left without a value: the publication date is not known to ``needs``."""
    return Resolved(None, None, "unresolved", f"{rule}; needs the publication {needs}, which is unknown")


def number_of(word: str) -> float | None:
    """Return the number a count word or digits stand for ("three" -> 3, "twenty-two" -> 22, "1.5")."""
    word = word.lower().strip()
    half = re.fullmatch(r"(\d+)(?:\s+1/2|½)", word)
    if half:
        return _finite(int(half[1]) + 0.5)
    try:
        return _finite(float(word))
    except (ValueError, OverflowError):
        pass
    numbers = load_time_lexicon().numbers
    parts = re.split(r"[\s-]+", word)
    if all(p in numbers for p in parts):
        return sum(numbers[p] for p in parts)
    return None


def _finite(n: float) -> float | None:
    """A count too large for a float ("1" followed by 400 zeros) counts as no number."""
    return n if math.isfinite(n) else None


def _month(m: re.Match[str]) -> int:
    return load_time_lexicon().months[m["month"].lower().rstrip(".")]


def _full_date(m: re.Match[str], ctx: Context) -> Resolved | None:
    try:
        value = date(int(m["year"]), _month(m), int(m["day"]))
    except ValueError:
        return None
    return Resolved(value.isoformat(), "day", "absolute", "full date")


def _iso_date(m: re.Match[str], ctx: Context) -> Resolved | None:
    try:
        value = date(int(m["year"]), int(m["mm"]), int(m["dd"]))
    except ValueError:
        return None
    return Resolved(value.isoformat(), "day", "absolute", "ISO date")


def _month_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    return Resolved(f"{int(m['year']):04d}-{_month(m):02d}", "month", "absolute", "month and year")


def _year_for(month: int, day: int, ctx: Context, m: re.Match[str], rel: str | None) -> tuple[int, str]:
    """Pick the year of a month (and day) written without one: by last/next/this, else by tense."""
    year_before = _YEAR_BEFORE.search(ctx.left(m, 60))
    if year_before and rel is None:
        return int(year_before[1]), f"year from “{year_before[1]}” earlier in the phrase"
    ref = ctx.ref.day
    assert ref is not None
    now = (ref.month, ref.day if day else 0)
    if rel == "last":
        return (ref.year if (month, day) < now else ref.year - 1), "last <month>: the most recent one before publication"
    if rel == "next":
        return (ref.year if (month, day) > now else ref.year + 1), "next <month>: the first one after publication"
    if rel == "this":
        return ref.year, "this <month>: the publication year"
    return _year_by_tense(month, day, ctx.tense(m), ref)


def _year_by_tense(month: int, day: int, tense: str | None, ref: date) -> tuple[int, str]:
    """Past tense: the latest such month (day) on or before ``ref``; future: the first on or after.

    With no tense cue, the nearer of the two. News style leaves the year out for dates of the
    current year: when the tense points more than ``_FAR_MONTHS`` months away into another
    year, the publication year wins.
    """
    now = (ref.month, ref.day if day else 0)
    after, before = (ref.year if (month, day) >= now else ref.year + 1), (ref.year if (month, day) <= now else ref.year - 1)
    year, why = (after, "future tense: the first such month on or after publication") if tense == "future" else (
        before, "past tense: the latest such month on or before publication")
    if tense is None:
        gap_after = (calendar_date(after, month, 1) - date(ref.year, ref.month, 1)).days
        gap_before = (date(ref.year, ref.month, 1) - calendar_date(before, month, 1)).days
        return (after, "no tense cue: the nearer such month, after publication") if gap_after < gap_before else (
            before, "no tense cue: the nearer such month, on or before publication")
    months_away = abs((year - ref.year) * 12 + month - ref.month)
    if year != ref.year and months_away > _FAR_MONTHS:
        return ref.year, f"{tense} tense, but over {_FAR_MONTHS} months away: the publication year"
    return year, why


def _day_month(m: re.Match[str], ctx: Context) -> Resolved | None:
    if not ctx.ref.knows("day") and not _YEAR_BEFORE.search(ctx.left(m, 60)):
        return unresolved("day and month without a year", "day")
    month, day = _month(m), int(m["day"])
    year, why = _year_for(month, day, ctx, m, (m.groupdict().get("rel") or "").lower() or None)
    try:
        value = calendar_date(year, month, day)
    except OutOfCalendar:
        raise
    except ValueError:
        return None  # a day the month lacks: "February 30"
    return Resolved(value.isoformat(), "day", "partial", why)


def _week_of(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"the week of March 6": the ISO week holding that day."""
    day = _full_date(m, ctx) if m["year"] else _day_month(m, ctx)
    if day is None or day.value is None:
        return day
    return Resolved(iso_week(date.fromisoformat(day.value)), "week", day.kind, f"the week of a day; {day.rule}")


def _second_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    """The second day of "April 24 and 25" (or "April 24-25"): a day of the same month; its span is the day alone."""
    resolved = _day_month(m, ctx)
    if resolved is None:
        return None
    return replace(resolved, span=(m.start("second"), m.end("second")), rule=f"second day of a pair; {resolved.rule}")


def _month_alone(m: re.Match[str], ctx: Context) -> Resolved | None:
    name = m["month"].lower().rstrip(".")
    rel = (m["rel"] or "").lower() or None
    prev_word = re.search(r"(\S+)\s+$", ctx.left(m))
    if rel is None and name in _AMBIGUOUS_MONTHS and re.match(r"\s[A-Z][a-z]", ctx.text[m.end():m.end() + 3]) \
            and not _PREPOSITION_BEFORE.search(ctx.left(m, 20)):
        return None  # a first name: "minister Jan Kavan", "and May Brown" (but "in May Britain voted")
    if rel is None and not ctx.trigger(m):
        nxt = ctx.text[m.end():m.end() + 2]
        if name in _AMBIGUOUS_MONTHS or len(name) < 5 or re.match(r"\s[A-Z]", nxt) or (prev_word and prev_word[1][:1].isupper()):
            return None
    if not ctx.ref.knows("month") and not _YEAR_BEFORE.search(ctx.left(m, 60)):
        return unresolved("month without a year", "month")
    year, why = _year_for(_month(m), 0, ctx, m, rel)
    return Resolved(f"{year_text(year)}-{_month(m):02d}", "month", "partial", why)


def _month_of_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"October this year", "April next year": the month in the year named relative to publication."""
    rel = m["yrel"].lower()
    if not ctx.ref.knows("year"):
        return unresolved(f"<month> {rel} year", "year")
    assert ctx.ref.day is not None
    year = ctx.ref.day.year + {"this": 0, "next": 1, "last": -1}[rel]
    return Resolved(f"{year_text(year)}-{_month(m):02d}", "month", "relative", f"<month> {rel} year: in the year {year}")


def _year(m: re.Match[str], ctx: Context) -> Resolved | None:
    """A bare year: "in 2010", "since 2007", "the 1996 campaign", "for 1988"; not a count or a measure.

    News writes counts of a thousand and more with a comma ("1,500 troops"), so four digits from
    1600 to 2099 are a year unless a unit or a counted noun follows ("1800-page", "2000 troops",
    "1500 GMT") or a count word stands before them ("about 1900").
    """
    left = ctx.left(m, 30)
    if left.endswith("-") and not left.lower().endswith(("mid-", "post-", "pre-")):
        return None
    after = ctx.text[m.end():m.end() + 30]
    if re.match(r"-[a-z]", after) or _MEASURED_AFTER.match(after):
        return None  # a measure, not a year: "an 1800-page report", "1500 GMT"
    if not ctx.trigger(m) and (_COUNTED_AFTER.match(after) or _COUNT_BEFORE.search(left)):
        return None  # a count: "2000 troops", "about 1900"
    return Resolved(m["year"], "year", "absolute", "year")


def _year_words(m: re.Match[str], ctx: Context) -> Resolved | None:
    """A year in words, as broadcasts write them: "nineteen ninety-six" → ``1996``, "the year two thousand" → ``2000``."""
    if m["hundreds"]:
        year = 100 * int(number_of(m["hundreds"]) or 0) + int(number_of(m["rest"]) or 0)
    else:
        year = 2000 + int(number_of(m["y2k"]) or 0) if m["y2k"] else 2000
    return Resolved(year_text(year), "year", "absolute", "year in words")


def _decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m["dec"]:
        value = m["dec"][:3]
    else:
        short = int(m["short"])
        value = f"19{short // 10}" if short >= 30 else f"20{short // 10}"
    return Resolved(value, "decade", "absolute", "decade", modifier=(m["q"] or "").lower() or None)


def _year_of_part(m: re.Match[str], ctx: Context, part: int, now: int, grace: int = 0) -> int:
    """The year of the ``part``-th half or quarter named without one (``now`` is the publication's):
    by "this/last/next year", else the latest on or before publication for the past, the first on
    or after it for the future; with ``grace`` 1 the future reaches back one part too (results are
    reported after a quarter ends: "expects to report third-quarter results", said in October)."""
    assert ctx.ref.day is not None
    year = ctx.ref.day.year
    rel = m.groupdict().get("yrel")
    if rel:
        return year + {"this": 0, "last": -1, "next": 1}[rel.lower()]
    if ctx.future(m):
        return year if part >= now - grace else year + 1
    return year if part <= now else year - 1


def _half(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"the second half of 1989" → ``1989-H2``; without a year by tense, as a quarter. Granularity quarter."""
    h = 1 if m["ord"].lower() == "first" else 2
    if not (m["year"] or m["yrel"] or m.group().lower().endswith("year") or "-" in m.group()):
        return None  # a bare "the second half" is as often a match's as a year's
    if m["year"]:
        return Resolved(f"{m['year']}-H{h}", "quarter", "absolute", "half of a year")
    if not ctx.ref.knows("month"):
        return unresolved("half-year without a year", "month")
    assert ctx.ref.day is not None
    year = _year_of_part(m, ctx, h, 1 if ctx.ref.day.month <= 6 else 2)
    return Resolved(f"{year_text(year)}-H{h}", "quarter", "partial", "half of a year without one, by tense")


def _century(m: re.Match[str], ctx: Context) -> Resolved | None:
    """"the 20th century" → ``19`` (TimeML: the first two digits of its years)."""
    return Resolved(f"{int(m['cent']) - 1:02d}", "century", "absolute", "century by its ordinal")


def _quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    g = m.groupdict()
    ordinal = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4, "last": 4}
    if g.get("qn"):
        return Resolved(f"{m['year']}-Q{m['qn']}", "quarter", "absolute", "quarter")
    word = m["ord"].lower()
    if g.get("year"):
        return Resolved(f"{m['year']}-Q{ordinal[word]}", "quarter", "absolute", "quarter of a year")
    if word == "latest" and not (g.get("yrel") or g.get("year")):
        return _latest_quarter(ctx)
    if word in {"last", "final", "latest"} and not g.get("yrel"):
        return None
    if not ctx.ref.knows("month"):
        return unresolved("quarter without a year", "month")
    assert ctx.ref.day is not None
    q = ordinal[word]
    year = _year_of_part(m, ctx, q, (ctx.ref.day.month - 1) // 3 + 1, grace=1)
    return Resolved(f"{year_text(year)}-Q{q}", "quarter", "partial", "quarter without a year, by tense")


def _latest_quarter(ctx: Context) -> Resolved:
    """"the latest quarter": the last quarter that ended before publication (the one results are reported for)."""
    if not ctx.ref.knows("month"):
        return unresolved("the latest quarter", "month")
    assert ctx.ref.day is not None
    q, year = (ctx.ref.day.month - 1) // 3, ctx.ref.day.year
    year, q = (year - 1, 4) if q == 0 else (year, q)
    return Resolved(f"{year_text(year)}-Q{q}", "quarter", "relative", "the latest quarter: the last one ended before publication")


def _season(m: re.Match[str], ctx: Context) -> Resolved | None:
    code = load_time_lexicon().seasons[m["season"].lower()]
    rel = (m["rel"] or "").lower() or None
    if m["year"]:
        return Resolved(f"{m['year']}-{code}", "season", "absolute", "season and year")
    after = ctx.text[m.end():m.end() + 12].lower()
    if m["season"].lower() == "fall" and not rel and (re.match(r"\s+(?:of|in|from|to|on|back|behind|apart|further|below|short)\b", after)
                                                     or _VERB_BEFORE.search(ctx.left(m, 20))):
        return None  # the verb: "prices could fall further", "began to fall apart"
    if rel is None and not m["the"] and not ctx.trigger(m):
        return None
    if rel == "that":
        return None
    if not ctx.ref.knows("month"):
        return unresolved("season without a year", "month")
    year = _season_year(code, ctx, m, rel)
    return Resolved(f"{year_text(year)}-{code}", "season", "relative" if rel else "partial", f"{rel or 'the'} <season>, by the rules of docs/time.md")


def _season_year(code: str, ctx: Context, m: re.Match[str], rel: str | None) -> int:
    ref = ctx.ref.day
    assert ref is not None
    years = range(max(ref.year - 2, date.min.year), min(ref.year + 2, date.max.year + 1))
    ended = [y for y in years if (b := value_bounds(f"{y:04d}-{code}")) and b[1] < ref]
    started = [y for y in years if season_start(y, code) <= ref]
    upcoming = [y for y in years if season_start(y, code) > ref]
    if rel == "this":
        year, current = season_of(ref)
        return year if current == code else ref.year
    if rel in {"last", "past"}:
        chosen = ended[-1:]
    elif rel in {"next", "coming"} or ctx.future(m):
        chosen = upcoming[:1]
    else:
        chosen = started[-1:]
    if not chosen:
        raise OutOfCalendar(f"the season {code} nearest {ref.isoformat()} lies outside the calendar")
    return chosen[0]


DATE_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {
    "full_date": _full_date, "iso_date": _iso_date, "month_year": _month_year, "day_month": _day_month,
    "decade": _decade, "quarter": _quarter, "season": _season, "month": _month_alone, "year": _year,
    "month_of_year": _month_of_year, "week_of": _week_of, "year_words": _year_words, "half": _half, "century": _century,
    "second_day": _second_day,
}
"""Resolvers of calendar dates, whole or partial (the relative ones are in annotate/time/relative.py)."""
