"""Time expressions: find them and resolve each against the article's own date.

Steps, for one text:

1. every pattern of annotate/time/grammar.py is matched and each match resolved
   (annotate/time/resolve.py); a resolver may reject a match ("Theresa May");
2. overlapping matches: the longest wins, then the earlier pattern;
3. a qualifier right before a match joins its span ("late March", "the end of 2024")
   and a boundary word before it sets the modifier ("since", "until"; "since at least"
   makes it uncertain);
4. durations that count from a dated start ("22 months into the war") are anchored:
   the start comes from the text itself ("the war began on February 24, 2022") or from
   the corpus (``anchors``); see annotate/time/anchors.py.

Relative expressions need the publication date: without it they stay unresolved, and an
article dated only to the month resolves "last month" but not "on Wednesday". An expression
whose date would fall outside years 1 to 9999 ("8000 years ago") stays unresolved too, and a
duration anchored that far ("8000 years into the war") stays a duration.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from ...models import TimeExpression
from .anchors import Anchor, find_anchors, may_anchor
from .calc import OutOfCalendar, narrow, value_bounds, year_text
from .grammar import load_grammar
from .lexicon import load_time_lexicon
from .relative import RELATIVE_RESOLVERS, shift_by
from .resolve import DATE_RESOLVERS, UNIT_GRANULARITY, Context, Ref, Resolved

__all__ = ["find_time_expressions", "text_anchors", "corpus_anchors", "reference", "Anchor"]

_Candidate = tuple[int, int, int, Resolved]
_RESOLVERS = {**DATE_RESOLVERS, **RELATIVE_RESOLVERS}
_SPAN_QUALIFIED = {"day", "week", "month", "season", "quarter", "year", "decade"}


def reference(published: str | None, *, inferred: bool = False) -> Ref:
    """Return the reference for ``published`` given as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (or None)."""
    if not published:
        return Ref(None, None)
    parts = published[:10].split("-")
    try:
        day = date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError, OverflowError):  # "2200000000": no calendar year
        return Ref(None, None)
    return Ref(day, ("year", "month", "day")[min(len(parts), 3) - 1], inferred)


def _resolve(name: str, m: re.Match[str], ctx: Context) -> Resolved | None:
    """Resolve one match; a date outside years 1 to 9999 leaves it unresolved."""
    try:
        return _RESOLVERS[name](m, ctx)
    except OutOfCalendar:
        return Resolved(None, None, "unresolved", f"{name}: the date falls outside years 1 to 9999", certain=False)


def _candidates(ctx: Context) -> list[_Candidate]:
    found = []
    for priority, (name, pattern) in enumerate(load_grammar().rules):
        for m in pattern.finditer(ctx.text):
            resolved = _resolve(name, m, ctx)
            if resolved is not None:
                start, end = resolved.span or (m.start(), m.end())
                found.append((start, end, priority, resolved))
    return found


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates: the longest first, then the earlier rule.

    The spans kept so far are held sorted by (start, end); as they do not overlap, their ends
    rise with their starts, so a candidate overlaps one of them exactly when it overlaps the last
    span starting before its end: one binary search per candidate instead of a scan of all kept.
    """
    spans: list[tuple[int, int]] = []
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        start, end = cand[0], cand[1]
        before = bisect.bisect_left(spans, (end, -1))  # spans[:before] start before ``end`` (or at it, when empty)
        if before and spans[before - 1][1] > start:
            continue
        bisect.insort(spans, (start, end))
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c[0])


def _qualify(text: str, cand: _Candidate) -> _Candidate:
    """Join a qualifier before the span; set the modifier from it or from a boundary word."""
    start, end, priority, res = cand
    grammar, lex = load_grammar(), load_time_lexicon()
    if (res.granularity in _SPAN_QUALIFIED or res.kind == "unresolved") and res.modifier is None:
        window = text[max(0, start - 40):start]
        q = grammar.qualifier_before.search(window)
        if q:
            start = start - len(window) + q.start("q")
            res = replace(res, modifier=lex.qualifiers[" ".join(q["q"].lower().split())])
    window = text[max(0, start - 30):start]
    b = grammar.boundary_before.search(window)
    if b and res.type != "DURATION":
        modifier = res.modifier or lex.boundaries[" ".join(b["b"].lower().split())]
        res = replace(res, modifier=modifier, certain=res.certain and not b["least"])
        if b["least"]:
            start = start - len(window) + b.start("least")
    return start, end, priority, res


def _period_noun(text: str, cand: _Candidate) -> str | None:
    """Return the period noun a counted duration runs into ("22 months into the war" -> "war"), or None."""
    res = cand[3]
    if res.type != "DURATION" or res.amount is None:
        return None
    m = load_grammar().anchor_after.match(text[cand[1]:cand[1] + 60])
    return m["noun"] if m else None


def _anchored(cand: _Candidate, noun: str, anchors: Mapping[str, Anchor]) -> tuple[_Candidate, str | None]:
    """Turn a duration that counts from a dated start ("22 months into the war") into a date; return the anchor's evidence."""
    start, end, priority, res = cand
    lex = load_time_lexicon()
    anchor = anchors.get(lex.anchor_nouns[" ".join(noun.lower().split())])
    if anchor is None or res.amount is None:
        return cand, None
    n, unit = res.amount
    granularity = {"day": "day", "year": "year"}.get(UNIT_GRANULARITY.get(lex.units[unit], "day"), "month")
    try:
        then = shift_by(anchor.start, unit, n)
    except OutOfCalendar:
        return cand, None  # "8000 years into the war": no date, the duration it is
    value = {"day": then.isoformat(), "month": then.isoformat()[:7], "year": year_text(then.year)}[granularity]
    anchored = Resolved(value, granularity, "anchored", f"{res.rule} counted from the start of the {noun.lower()}",
                        modifier=res.modifier, certain=res.certain)
    return (start, end, priority, anchored), anchor.evidence


def _record(text: str, cand: _Candidate, ref: Ref, anchor: str | None) -> TimeExpression:
    start, end, _, res = cand
    bounds = res.bounds or (value_bounds(res.value) if res.type not in {"DURATION", "SET"} else None)
    if bounds and res.modifier and res.bounds is None:
        bounds = narrow(bounds, res.modifier)
    relative = res.kind in {"relative", "partial"}
    return TimeExpression(
        text=text[start:end], start=start, end=end, type=res.type, value=res.value, granularity=res.granularity,
        kind=res.kind, earliest=bounds[0].isoformat() if bounds else None, latest=bounds[1].isoformat() if bounds else None,
        modifier=res.modifier, certain=res.certain and not (relative and ref.inferred),
        anchor=ref.label if relative else anchor, rule=res.rule,
    )


def _merge_anchors(text: str, found: list[_Candidate], given: Mapping[str, str] | None) -> dict[str, Anchor]:
    keys = load_time_lexicon().anchor_nouns
    merged: dict[str, Anchor] = {}
    for key, value in (given or {}).items():
        bounds = value_bounds(value)
        if bounds:
            merged[keys.get(key.lower(), key.lower())] = Anchor(bounds[0], f"corpus: {key} began {value}")
    absolute = [(s, e, r.value) for s, e, _, r in found if r.kind in {"absolute", "partial"} and r.granularity in {"day", "month"} and r.value]
    merged.update(find_anchors(text, absolute))
    return merged


def find_time_expressions(
    text: str, published: str | None = None, *, anchors: Mapping[str, str] | None = None, inferred: bool = False
) -> tuple[TimeExpression, ...]:
    """Return every time expression in ``text``, in order, resolved against ``published``.

    Args:
        text: the article's cleaned text (or any passage).
        published: the article's publication date as ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``
            when known only that far); ``None`` when unknown, in which case relative
            expressions stay unresolved (``value = None``).
        anchors: start dates the corpus knows for named periods ("war": "2022-02-24"), used
            for anchored durations ("22 months" into the war); the text's own statements
            ("the war began on February 24, 2022") win over them.
        inferred: the publication date was inferred from the text; relative values resolved
            against it are marked uncertain.
    """
    ref = reference(published, inferred=inferred)
    ctx = Context(text, ref, find_time_expressions)
    chosen = [_qualify(text, c) for c in _select(_candidates(ctx))]
    periods: dict[str, Anchor] | None = None  # looked for once, and only when a duration runs into a period
    out = []
    for cand in chosen:
        final, evidence = cand, None
        noun = _period_noun(text, cand)
        if noun is not None:
            periods = _merge_anchors(text, chosen, anchors) if periods is None else periods
            final, evidence = _anchored(cand, noun, periods)
        out.append(_record(text, final, ref, evidence))
    return tuple(out)


def text_anchors(text: str) -> dict[str, Anchor]:
    """Return the start dates the text itself gives for named periods ("the war began on ...")."""
    if not may_anchor(text):
        return {}
    ctx = Context(text, Ref(None, None), find_time_expressions)
    return _merge_anchors(text, _select(_candidates(ctx)), None)


def corpus_anchors(texts: Iterable[str]) -> dict[str, str]:
    """Return the start dates that any of ``texts`` gives for named periods ("war" -> "2022-02-24"), first found wins."""
    found: dict[str, str] = {}
    for text in texts:
        for key, anchor in text_anchors(text).items():
            found.setdefault(key, anchor.start.isoformat())
    return found
