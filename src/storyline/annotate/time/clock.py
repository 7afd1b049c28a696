"""Clock times: "at 10 a.m.", "10.30am", "at 14:00", "4 in the morning", "noon", "9 a.m. Tuesday".

A clock time is on the publication day unless a day follows it: a weekday (resolved as
"on Tuesday" is, by the clause's tense) or yesterday/today/tomorrow. The day joins the
span when it follows directly ("9 a.m. EST Tuesday"), not across a parenthesis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from .calc import add_days, weekday_offset
from .grammar import load_grammar
from .lexicon import load_time_lexicon
from .resolve import DATE_RESOLVERS, Context, Resolved, unresolved
from .tense import is_future

__all__ = ["CLOCK_RESOLVERS"]

_NOON = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}
_DEICTIC = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}


def _clock(m: re.Match[str]) -> str:
    noon = (m["noon"] or "").lower()
    if noon:
        return _NOON[noon]
    if m["h24"]:
        return f"{int(m['h24']):02d}:{m['min24']}"
    afternoon = m["ampm"].lower().startswith("p") if m["ampm"] else m["inpart"].lower() != "morning"
    hour = int(m["h"]) % 12 + (12 if afternoon else 0)
    return f"{hour:02d}:{m['min'] or '00'}"


def _date_after(at: int, ctx: Context) -> tuple[date, str, int] | None:
    """A date written at ``at`` ("Nov. 9", "Nov. 9, 1989"), resolved as it is alone: (day, why, its end), or None."""
    for name, pattern in load_grammar().rules:
        if name in {"full_date", "day_month"} and (dm := pattern.match(ctx.text, at)):
            resolved = DATE_RESOLVERS[name](dm, ctx)
            if resolved is not None and resolved.value:
                return date.fromisoformat(resolved.value), f"{resolved.rule} (the date after the time)", dm.end()
    return None


def _day_after(m: re.Match[str], ctx: Context, ref: date) -> tuple[date, str, int] | None:
    """The day named right after the time: (day, why, where the span ends), or None.

    A weekday is resolved as it is alone, by the tense of its own place in the clause."""
    after = load_grammar().day_after_time.match(ctx.text, m.end())
    if after is None:
        return None
    end = m.end() if after["paren"] else after.end()
    if after["date"] is not None:
        dated = _date_after(after.start("date"), ctx)
        return None if dated is None or after["paren"] else dated
    if after["word"]:
        return add_days(ref, _DEICTIC[after["word"].lower()]), f"{after['word'].lower()}, after the time", end
    target = load_time_lexicon().weekdays[after["wd"].lower()]
    delta, why = weekday_offset(ref, target, None, is_future(ctx.text, after.start("wd"), after.end("wd")))
    return add_days(ref, delta), f"{why} (the weekday after the time)", end


def _time(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.in_set_phrase(m):
        return None
    if not ctx.ref.knows("day"):
        return unresolved("time of day", "day")
    ref = ctx.ref.day
    assert ref is not None
    named = _day_after(m, ctx, ref)
    day, why, end = named or (ref, "time of day on the publication day", m.end())
    start = m.start("h24") if m["h24"] else m.start()  # "at 14:00": the preposition is outside
    return Resolved(f"{day.isoformat()}T{_clock(m)}", "time", "relative", why, type="TIME", span=(start, end))


CLOCK_RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {"time": _time}
"""Resolvers of clock times."""
