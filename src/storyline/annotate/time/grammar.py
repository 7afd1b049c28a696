"""The patterns of time expressions, built once from the word lists in ``data/timex.toml``.

Each pattern is named after the rule that resolves it (annotate/time/resolve.py). Month
and weekday names must be capitalised; everything else matches in any case.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import TimeLexicon, alternation, load_time_lexicon

__all__ = ["Grammar", "load_grammar"]


@dataclass(frozen=True, slots=True)
class Grammar:
    """Compiled patterns, tried in order; on overlap the longest match wins, then the earlier rule."""

    rules: tuple[tuple[str, re.Pattern[str]], ...]
    qualifier_before: re.Pattern[str]
    boundary_before: re.Pattern[str]
    approx_before: re.Pattern[str]
    anchor_after: re.Pattern[str]
    trigger_before: re.Pattern[str]
    day_after_time: re.Pattern[str]
    """The day a clock time is on, right after it: "9 a.m. Tuesday", "10:35 a.m. (0735 GMT) Friday"."""


def _names(words: object) -> str:
    """A case-sensitive alternation of multi-word names, each word capitalised but "of" and "the"
        ("Thanksgiving Day", "the Fourth of July"); an apostrophe matches ' or ’."""
    small = {"of", "the"}
    names = [" ".join(w if w in small else w[:1].upper() + w[1:] for w in n.split()) for n in words]  # type: ignore[attr-defined]
    return "(?-i:" + alternation(names).replace("'", "['’]") + ")"


def _cap(words: object) -> str:
    """A case-sensitive alternation of capitalised names (and their all-caps forms)."""
    names = [w.capitalize() for w in words] + [w.upper() for w in words if len(w) > 3]  # type: ignore[attr-defined]
    return "(?-i:" + alternation(names) + ")"


_TENS = "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = "(?:one|two|three|four|five|six|seven|eight|nine)"
_ZONES = "GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|CET|CEST|BST"
"""Time zones after a 24-hour clock time that make it one without a preposition ("15:00 GMT")."""


@dataclass(frozen=True, slots=True)
class _Pieces:
    """Sub-patterns shared by the rules: month and weekday names, days, years, counts, units."""

    mon: str
    wd: str
    day: str
    year: str
    num: str
    unit: str
    units: str
    vague: str
    season: str
    part: str
    rel: str
    approx: str


def _pieces(lex: TimeLexicon) -> _Pieces:
    full = {name.lower() for name in calendar.month_name if name}
    tens = rf"{_TENS}[\s-]+{_ONES}"
    return _Pieces(
        mon="(?:" + _cap(m for m in lex.months if m in full) + "|" + _cap(m for m in lex.months if m not in full) + r"\.?)",
        wd=_cap(w for w in lex.weekdays if len(w) > 4),
        day=r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?",
        year=r"(?P<year>(?:1[6-9]|20)\d\d)(?![\d,]\d|\s*%)",
        num=r"(?P<num>(?<![/\d])\d+(?:\.\d+|\s+1/2|½)?|" + tens + "|" + alternation(lex.numbers) + ")",
        unit=r"(?P<unit>" + alternation(lex.units) + r")s?",
        units=alternation(lex.units),
        vague=r"(?P<vague>" + alternation(lex.vague_counts) + r")",
        season=r"(?P<season>" + alternation(lex.seasons) + r")",
        part=r"(?P<part>morning|afternoon|evening|night)",
        rel=r"(?P<rel>last|this|next|past|coming|previous|that|current)",
        approx=r"(?:(?P<approx>" + alternation(lex.approximators) + r")\s+)?",
    )


def _calendar_rules(p: _Pieces, lex: TimeLexicon) -> tuple[tuple[str, str], ...]:
    """Dates, months, years, decades, quarters, halves, centuries and seasons."""
    b = r"\b"
    return (
        ("full_date", rf"{b}(?:{p.wd},?\s+)?(?P<month>{p.mon})\s+{p.day},?\s+{p.year}"),
        ("full_date", rf"{b}(?:{p.wd},?\s+)?(?:the\s+)?{p.day}\s+(?:of\s+)?(?P<month>{p.mon}),?\s+{p.year}"),
        ("week_of", rf"{b}the\s+week\s+of\s+(?P<month>{p.mon})\s+{p.day}(?:,?\s+{p.year})?{b}"),
        ("iso_date", rf"{b}(?P<year>(?:19|20)\d\d)-(?P<mm>[01]\d)-(?P<dd>[0-3]\d){b}"),
        ("month_year", rf"{b}(?P<month>{p.mon}),?\s+(?:of\s+)?{p.year}"),
        ("day_month", rf"{b}(?:(?P<rel>last|next|this)\s+)?(?:{p.wd},?\s+)?(?P<month>{p.mon})\s+{p.day}{b}(?!,?\s+\d)"),
        ("day_month", rf"{b}(?:{p.wd},?\s+)?(?:the\s+)?{p.day}\s+(?:of\s+)?(?P<month>{p.mon})(?!,?\s+\d)"),
        ("second_day", rf"{b}(?P<month>{p.mon})\s+[0-3]?\d(?:st|nd|rd|th)?\s*(?:and|or|to|through|-|–)\s*(?P<second>{p.day}){b}(?!,?\s+\d|\s*%)"),
        ("decade", rf"{b}(?:the\s+)?(?:(?P<q>early|late|mid)[\s-]*)?(?P<dec>(?:1[6-9]|20)\d0)'?s{b}|(?:the\s+)?'(?P<short>\d0)s{b}"),
        ("quarter", rf"{b}(?:the\s+)?(?P<ord>first|second|third|fourth|final|last|latest|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?:{p.year}|(?P<yrel>this|last|next)\s+year))?"),
        ("quarter", rf"{b}Q(?P<qn>[1-4])\s+{p.year}"),
        ("quarter", rf"{b}(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)-quarter{b}"),
        ("half", rf"{b}(?:the\s+)?(?P<ord>first|second|latter)[\s-]+half(?:\s+of\s+(?:{p.year}|(?P<yrel>this|last|next)\s+year|the\s+year))?{b}"),
        ("century", rf"{b}(?:the\s+)?(?P<cent>1[5-9]|2[01])(?:st|nd|rd|th)\s+century{b}"),
        ("season", rf"{b}(?:(?P<rel>last|next|this|that|past|coming)\s+|(?P<the>the)\s+)?{p.season}(?:\s+(?:of\s+)?{p.year})?{b}"),
        ("month_of_year", rf"{b}(?P<month>{p.mon})\s+(?P<yrel>this|next|last)\s+year{b}"),
        ("month", rf"{b}(?:(?P<rel>last|next|this)\s+)?(?P<month>{p.mon})(?![\w-])"),
        ("year", rf"(?<![\w$€£.,]){p.year}(?!\w|[.,]\d)"),
        ("year_words", rf"{b}(?:(?P<hundreds>eighteen|nineteen)\s+(?P<rest>{_TENS}(?:[\s-]+{_ONES})?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
                       rf"|the\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?P<y2k>{_ONES}|ten))?){b}"),
    )


def _relative_rules(p: _Pieces, lex: TimeLexicon) -> tuple[tuple[str, str], ...]:
    """Days, weekdays, weeks and units relative to publication; ago, ranges, vague references, clock times."""
    b = r"\b"
    return (
        ("relative_day", rf"{b}(?:the\s+day\s+(?P<dayrel>before\s+yesterday|after\s+tomorrow)|(?P<word>yesterday|today|tomorrow|tonight)(?:\s+{p.part})?){b}"),
        ("relative_day", rf"{b}(?P<word>last|this)\s+{p.part}{b}"),
        ("weekday", rf"{b}(?:(?P<rel>last|next|this|that)\s+)?(?P<wd>{p.wd})(?:\s+{p.part})?{b}"),
        ("earlier_unit", rf"{b}(?P<dir>earlier|later)\s+(?:this|in\s+the)\s+(?P<unit>week|month|year){b}"),
        ("ago", rf"{b}{p.approx}(?:{p.num}|{p.vague})(?:\s+and\s+a\s+half)?\s+{p.unit}\s+(?:ago|(?P<hence>from\s+now|hence)){b}"),
        ("shifted", rf"{b}{p.approx}{p.num}(?:\s+and\s+a\s+half)?\s+{p.unit}\s+(?P<dir>earlier|later){b}"),
        ("shifted", rf"{b}(?P<unit>year)-(?P<dir>earlier|ago){b}"),
        ("past_n", rf"{b}(?:the\s+)?(?P<rel>past|last|previous|next|coming|first)\s+(?:{p.num}|{p.vague})\s+(?P<unit>{p.units}|quarter)s?{b}"),
        ("recent", rf"{b}(?:(?P<rel>recent|the\s+past|the\s+last|(?:the\s+)?coming)\s+(?P<unit>day|week|month|year)s"
                   rf"|(?:the\s+)?(?P<unit2>day|week|month|year)s\s+(?P<ahead>ahead)){b}"),
        ("weekend", rf"{b}(?:(?P<rel>last|this|next|that)|the)\s+weekend{b}"),
        ("relative_unit", rf"{b}(?:the\s+)?{p.rel}\s+(?:(?P<fiscal>fiscal)\s+)?(?P<unit>week|month|year|decade|quarter|century){b}"),
        ("the_unit", rf"{b}(?P<unit>the\s+(?:week|month|year))(?=\W)"),
        ("vague_ref", rf"{b}" + alternation(lex.vague_references) + rf"{b}"),
        ("time", rf"{b}(?P<h>[01]?\d)(?:[:.](?P<min>[0-5]\d))?\s*(?:(?P<ampm>a\.m\.|p\.m\.|am{b}|pm{b})|(?:o'clock\s+)?in\s+the\s+(?P<inpart>morning|afternoon|evening))"
                 rf"|{b}(?P<noon>noon|midnight|midday){b}"
                 rf"|{b}(?:(?P<prep>at|by|until|till|from|for|before|after|around|about|since)\s+)?(?P<h24>[01]?\d|2[0-3]):(?P<min24>[0-5]\d){b}(?![:.]\d|\s*(?:a\.?m|p\.?m))"
                 rf"(?(prep)|(?=\s+(?-i:{_ZONES})\b))"),
    )


def _other_rules(p: _Pieces, lex: TimeLexicon) -> tuple[tuple[str, str], ...]:
    """Durations, recurring times, holidays and anaphoric phrases."""
    b = r"\b"
    return (
        ("duration", rf"{b}{p.approx}(?:{p.num}|{p.vague})(?:\s+and\s+a\s+half)?(?:\s+(?:more|additional|extra|straight|consecutive|full))?[\s-]+{p.unit}(?P<old>-old|-long)?(?:\s+and\s+a\s+half)?{b}"),
        ("set", rf"{b}{alternation(lex.sets)}{b}"),
        ("set_every", rf"{b}every\s+(?:(?P<other>other)\s+|{p.num}\s+)?{p.unit}{b}"),
        ("set_named", rf"{b}(?:(?:every|each)\s+(?:(?P<wd>{p.wd})|(?P<month>{p.mon}))|(?P<wds>{p.wd})s)(?:\s+{p.part}s?)?{b}"),
        ("unit_long", rf"{b}(?P<unit>{p.units})(?P<plural>s)?-long{b}"),
        ("for_units", rf"(?<=\bfor\s)(?P<unit>{p.units})s{b}"),
        ("holiday", rf"{b}(?:(?P<rel>last|next|this)\s+)?(?P<holiday>{_names(lex.holidays)})(?:\s+(?P<week>week))?(?:,?\s+{p.year})?(?!\w)"),
        *_period_rules(p),
        ("anaphora", rf"{b}{alternation(lex.anaphora)}{b}(?!-)"),
        ("weekday_after", rf"{b}the\s+(?P<rel>following|next|previous)\s+(?P<wd>{p.wd}){b}"),
    )


def _period_rules(p: _Pieces) -> tuple[tuple[str, str], ...]:
    """The periods company results are reported for: "the year", "the quarter", "the year-ago period"."""
    b, same = r"\b", r"(?:comparable\s+|corresponding\s+|same\s+)?"
    ordinal, period = r"(?:(?P<ord>first|second|third|fourth)[\s-]+)?", r"(?-i:quarter|period)(?![\w-])"
    return (
        ("the_year", rf"{b}the\s+(?:(?:full|fiscal)\s+)?year(?![\w-])"),
        ("the_quarter", rf"{b}the\s+(?:(?-i:quarter)|latest\s+period)(?![\w-])"),
        ("year_ago_period", rf"{b}the\s+{same}(?:{p.year}|year[\s-](?:ago|earlier|before))\s+{ordinal}{period}"),
        ("year_ago_period", rf"{b}last\s+year's\s+{ordinal}{period}"),
        ("year_ago_period", rf"{b}the\s+{same}{period}\s+(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year){b}"),
    )


@lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    """Compile the patterns (cached per process)."""
    lex = load_time_lexicon()
    p = _pieces(lex)
    wd, b = p.wd, r"\b"
    rules = _calendar_rules(p, lex) + _relative_rules(p, lex) + _other_rules(p, lex)
    quals = alternation(lex.qualifiers)
    return Grammar(
        rules=tuple((name, re.compile(pattern, re.I)) for name, pattern in rules),
        qualifier_before=re.compile(rf"(?:(?<=\W)|^)(?P<q>{quals})(?:\s+|-\s*)$", re.I),
        boundary_before=re.compile(rf"(?:(?<=\W)|^)(?P<b>{alternation(lex.boundaries)})\s+(?P<least>at\s+least\s+)?$", re.I),
        approx_before=re.compile(rf"(?:(?<=\W)|^)(?P<a>{alternation(lex.approximators)})\s+$", re.I),
        anchor_after=re.compile(rf"^\s*(?:into|of|since|after|in)?\s*(?:the\s+|a\s+|this\s+|its\s+|their\s+|[A-Z]\w+'s\s+)?(?:[\w-]+\s+){{0,2}}?(?P<noun>{alternation(lex.anchor_nouns)}){b}", re.I),
        day_after_time=re.compile(rf"\s*(?P<paren>\([^()\n]{{0,30}}\)\s*)?(?:(?-i:[A-Z]{{2,4}}),?\s+)?(?:on\s+)?"
                                  rf"(?:(?P<wd>{wd})|(?P<word>yesterday|today|tomorrow|tonight)|(?P<date>(?={p.mon}\s+[0-3]?\d\b))){b}", re.I),
        trigger_before=re.compile(r"(?:\b(?:in|since|until|till|by|before|after|during|through|throughout|from|to|of|between|and|or|with|than|against|versus|vs\.?|early|late|mid|until|on|last|next|this|the|end|beginning|start|middle|fiscal|around|circa|as\s+of|a|an)\s+|\b(?:post|pre)-|\bmid-|^|[(,])\s*$", re.I),
    )
