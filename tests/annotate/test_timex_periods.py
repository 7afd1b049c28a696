"""Reporting periods of company results: "the year", "the quarter", "the year-ago period" (annotate/time/periods.py)."""

from __future__ import annotations

import pytest

from storyline.annotate.time.expressions import find_time_expressions
from storyline.annotate.time.words import in_words
from storyline.models import TimeExpression

DCT = "1989-10-26"


def _find(text: str, words: str, published: str | None = DCT) -> TimeExpression:
    found = [t for t in find_time_expressions(text, published) if t.text == words]
    assert found, f"{words!r} not found in {[t.text for t in find_time_expressions(text, published)]}"
    return found[0]


PERIODS = [
    # (text, words, type, value)
    ("Sales for the year were $6.6 billion.", "the year", "DATE", "1989"),
    ("It forecast an earnings increase for the full year.", "the full year", "DATE", "1989"),
    ("The drop will mean lower earnings for the fiscal year.", "the fiscal year", "DATE", "1989"),
    ("Revenue was $76 million for the year ended March 31.", "the year", "DURATION", "P1Y"),
    ("It expects a loss for the fiscal year ending June 30, 1990.", "the fiscal year", "DURATION", "P1Y"),
    ("Passenger traffic jumped 14% in the quarter.", "the quarter", "DATE", "1989-Q3"),
    ("Operating revenue surged 54% in the latest period.", "the latest period", "DATE", "1989-Q3"),
    ("In the quarter ended July 31, Jayark had a loss.", "the quarter", "DATE", "1989-Q2"),
    ("For the quarter ended Sept. 30, Delta posted net income of $133.1 million.", "the quarter", "DATE", "1989-Q3"),
    ("In the year-earlier period, the company earned $461 million.", "the year-earlier period", "DATE", "1988-Q3"),
    ("Net was $9 million in the year-ago quarter.", "the year-ago quarter", "DATE", "1988-Q3"),
    ("In the year-ago third quarter it earned $22.5 million.", "the year-ago third quarter", "DATE", "1988-Q3"),
    ("It had a charge in the 1988 second quarter.", "the 1988 second quarter", "DATE", "1988-Q2"),
    ("In the 1989 period, interest expense was lower.", "the 1989 period", "DATE", "1989-Q3"),
    ("U.K. sales for last year's quarter were about $3 million.", "last year's quarter", "DATE", "1988-Q3"),
    ("For the quarter a year ago, Columbia reported earnings of $16.3 million.", "the quarter a year ago", "DATE", "1988-Q3"),
    ("Profit was $1.8 million for the corresponding period last year.", "the corresponding period last year", "DATE", "1988-Q3"),
]


@pytest.mark.parametrize(("text", "words", "type_", "value"), PERIODS)
def test_reporting_periods(text: str, words: str, type_: str, value: str) -> None:
    t = _find(text, words)
    assert (t.type, t.value) == (type_, value)
    assert in_words(t.value)


def test_a_quarter_reported_in_january_is_last_years_fourth() -> None:
    assert _find("Profit fell in the quarter.", "the quarter", "1990-01-20").value == "1989-Q4"


def test_the_year_of_other_rules_is_left_to_them() -> None:
    found = [t.text for t in find_time_expressions("Debt fell to $300 million, down from $450 million the year before.", DCT)]
    assert "the year" not in found
    assert [t.value for t in find_time_expressions("By the year 2000 the plant will close.", DCT)] == ["2000"]


def test_without_a_date_the_periods_stay_unresolved() -> None:
    assert _find("Sales for the year rose.", "the year", None).value is None
    assert _find("Sales in the quarter rose.", "the quarter", None).value is None
    assert _find("In the 1988 period, it earned $20 million.", "the 1988 period", None).value is None


def test_a_quarterly_dividend_is_no_recurring_time() -> None:
    assert not find_time_expressions("Du Pont raised its quarterly dividend to $1.20 a share.", DCT)
    assert _find("The reserve will be adjusted quarterly.", "quarterly").value == "P3M"


@pytest.mark.parametrize(("text", "words", "value"), [
    ("The reduced dividend is payable Jan. 2 to stock of record Dec. 15.", "Jan. 2", "1990-01-02"),
    ("He was named to the office of the chairman, effective Feb. 1.", "Feb. 1", "1990-02-01"),
])
def test_payable_and_effective_dates_lie_ahead(text: str, words: str, value: str) -> None:
    assert _find(text, words, "1989-11-02").value == value
