"""Time expressions never crash, over publication dates and corpus anchors across the whole calendar
(0001-01-01 to 9999-12-31): offsets hold, earliest <= latest, every year in 1..9999, time linear in the text."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, strategies as st

from storyline.annotate.time.calc import value_bounds
from storyline.annotate.time.expressions import reference

from .budget import fuzz
from .properties import target
from .strategies import ANY_CHAR, published

TIMES = target("times")
BOUND = target("time-bound")


@fuzz(TIMES.examples)
@given(TIMES.arguments)
def test_time_expressions_hold(args: tuple[Any, ...]) -> None:
    TIMES.check(*args)


@fuzz(BOUND.examples)
@given(BOUND.arguments)
def test_time_per_call_is_linear_in_the_expressions(args: tuple[Any, ...]) -> None:
    BOUND.check(*args)


@fuzz(200)
@given(st.one_of(published, st.text(ANY_CHAR, max_size=30), st.from_regex(r"\A\d{1,5}(-(Q|H|W|SP|WI|\d)\d{0,2}){0,2}\Z")))
@example("2200000000")  # a year past C's int: date() overflowed (found by this test)
def test_value_bounds_and_reference_never_raise(value: str | None) -> None:
    bounds = value_bounds(value)
    if bounds is not None:
        assert bounds[0] <= bounds[1]
    reference(value)
