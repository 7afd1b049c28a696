"""The time grammar at its limits: dates outside years 1..9999 and texts of thousands of expressions."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from datetime import date

import pytest

from storyline.annotate.time.calc import OutOfCalendar, add_days, holiday_date, shift_months, value_bounds
from storyline.annotate.time.expressions import find_time_expressions, text_anchors

WAR_8000 = "The war began on February 24, 2022, officials said. Some 8000 years into the war, the talks resumed"


@pytest.mark.parametrize("published", [None, "2024-05-23"])
def test_a_duration_counted_past_the_calendar_stays_a_duration(published: str | None) -> None:
    found = {t.text: t for t in find_time_expressions(WAR_8000, published)}
    assert found["February 24, 2022"].value == "2022-02-24"
    assert (found["Some 8000 years"].type, found["Some 8000 years"].value) == ("DURATION", "P8000Y")
    assert found["Some 8000 years"].anchor is None


# (text, publication date, expression): its date would fall outside years 1..9999, so it stays unresolved.
@pytest.mark.parametrize(("text", "published", "expression"), [
    ("It happened 8000 years ago.", "2024-05-23", "8000 years ago"),
    ("It happened 99999999999 weeks ago.", "2024-05-23", "99999999999 weeks ago"),
    ("In May 2022 it began, and 8000 years later it ended.", "2024-03-01", "8000 years later"),
    ("We meet next year.", "9999-06-01", "next year"),
    ("We met last year.", "0001-06-01", "last year"),
    ("We met yesterday.", "0001-01-01", "yesterday"),
    ("We meet tomorrow.", "9999-12-31", "tomorrow"),
    ("We will meet in January.", "9999-12-31", "January"),
    ("They met last winter.", "0001-01-15", "last winter"),
    ("They will meet next winter.", "9999-12-31", "next winter"),
    ("They will meet at Christmas.", "9999-12-31", "Christmas"),
    ("They met last Easter.", "0001-03-01", "last Easter"),
    ("They meet next weekend.", "9999-12-31", "next weekend"),
    ("They met last weekend.", "0001-01-02", "last weekend"),
    ("They will meet in the next century.", "9950-01-01", "the next century"),
    ("They will meet in the first quarter of next year.", "9999-05-01", "the first quarter of next year"),
    ("They met in October last year.", "0001-05-01", "October last year"),
    ("It ended a year earlier.", "0001-03-01", "a year earlier"),
    ("the past 5 years", "0003-01-01", "the past 5 years"),
    ("in recent years", "0001-01-01", "recent years"),
])
def test_a_date_outside_the_calendar_stays_unresolved(text: str, published: str, expression: str) -> None:
    found = {t.text: t for t in find_time_expressions(text, published)}
    assert (found[expression].value, found[expression].kind) == (None, "unresolved"), found[expression]


@pytest.mark.parametrize("value", ["0000-01-01", "2021-W53", "2021-02-30", "9999-12-31", "99999", "x"])
def test_corpus_anchors_of_any_value_never_raise(value: str) -> None:
    found = find_time_expressions("Two years into the war.", None, anchors={"war": value})
    assert [(t.text, t.type) for t in found] == [("Two years", "DURATION")]


@pytest.mark.parametrize("value", ["0000", "0000-05", "2021-W53", "2021-02-30", "9999-WI", "9999-W52-WE", "0000-Q1", "000", "00"])
def test_value_bounds_of_impossible_values_is_none(value: str) -> None:
    bounds = value_bounds(value)
    assert bounds is None or (date.min <= bounds[0] <= bounds[1] <= date.max)


@pytest.mark.parametrize("shift", [
    lambda: add_days(date.max, 1), lambda: add_days(date.min, -1), lambda: add_days(date(2024, 1, 1), float("inf")),
    lambda: add_days(date(2024, 1, 1), 1e300), lambda: shift_months(date(9999, 12, 1), 1),
    lambda: shift_months(date(1, 1, 31), -1), lambda: holiday_date("easter+0", 10000), lambda: holiday_date("12-25", 0),
])
def test_calendar_arithmetic_past_its_ends_raises_out_of_calendar(shift: Callable[[], date]) -> None:
    with pytest.raises(OutOfCalendar):
        shift()


def test_calendar_arithmetic_reaches_its_ends() -> None:
    assert add_days(date(9999, 12, 30), 1) == date.max
    assert shift_months(date(1, 2, 28), -1) == date.min.replace(day=28)
    assert holiday_date("11 thu 4", 9999) == date(9999, 11, 25)


# --- speed: linear in the number of expressions ------------------------------------------------

def _dates(n_chars: int) -> str:
    """The text of the speed report: "On March 3, 2021, and on May 4, 2022, ..." run on, no full stop."""
    return ("On March 3, 2021, and on May 4, 2022, " * (n_chars // 38 + 1))[:n_chars]


def _date_list(n_chars: int) -> str:
    """A list of dates, "Jan 1, 2000, Feb 2, 2001, ...": one expression every 15 characters or so."""
    parts = (f"{calendar.month_abbr[i % 12 + 1]} {i % 28 + 1}, {2000 + i % 25}, " for i in range(n_chars))
    return "".join(parts)[:n_chars]


def _anaphora(n_chars: int) -> str:
    """Sentences of phrases that count from the latest date before them ("later that year")."""
    unit = "On March 3, 2021, a year earlier, later that year, the following Monday, that same day, last week. "
    return (unit * (n_chars // len(unit) + 1))[:n_chars]


def _seconds(text: str, published: str | None = "2023-01-01") -> float:
    return _seconds_of(lambda t: find_time_expressions(t, published), text)


def _seconds_of(run: Callable[[str], object], text: str) -> float:
    """The best of two runs of ``run(text)``, in seconds of this process's CPU time (other processes' load aside)."""
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        run(text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("make", [_dates, _date_list, _anaphora])
def test_four_times_the_text_takes_about_four_times_as_long(make: Callable[[int], str]) -> None:
    find_time_expressions("warm-up: May 2020", "2023-01-01")
    once, four = _seconds(make(9930)), _seconds(make(4 * 9930))
    assert len(find_time_expressions(make(9930), "2023-01-01")) > 300
    assert four < 8 * once + 0.2, (once, four)  # linear: about 4; quadratic: about 16


def test_a_run_on_list_of_dates_with_an_anchored_duration_is_linear() -> None:
    """The starts of named periods are looked for (annotate/anchors.py) in a sentence of bounded reach."""
    find_time_expressions("warm-up: May 2020", "2023-01-01")
    once, four = (_seconds("Two years into the war, " + _dates(n), None) for n in (3000, 4 * 3000))
    assert four < 8 * once + 0.2, (once, four)
    once, four = (_seconds_of(text_anchors, "Two years into the war, " + _dates(n)) for n in (3000, 4 * 3000))
    assert four < 8 * once + 0.2, (once, four)
