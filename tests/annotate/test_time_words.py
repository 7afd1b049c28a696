"""Resolved time values in words, as every page and listing shows them (the codes stay in the store and export)."""

from __future__ import annotations

import pytest

from storyline.annotate.time.expressions import find_time_expressions
from storyline.annotate.time.words import in_words, time_in_words


@pytest.mark.parametrize(("value", "words"), [
    ("2024-FA", "autumn 2024"),
    ("2025-W09", "week of 24 February 2025"),
    ("2025-03-03TEV", "evening of 3 March 2025"),
    ("2025-03-03TMO", "morning of 3 March 2025"),
    ("2025-03-03T15:00", "3 March 2025, 15:00"),
    ("2025-03-03", "3 March 2025"),
    ("2025-03", "March 2025"),
    ("2025", "2025"),
    ("2025-Q1", "first quarter of 2025"),
    ("2025-H2", "second half of 2025"),
    ("2025-W09-WE", "weekend of 1 March 2025"),
    ("201", "the 2010s"),
    ("2024-03/2024-05", "March 2024 to May 2024"),
    ("2021-02-30", "2021-02-30"),  # impossible: as written, never a wrong day
    ("PRESENT_REF", "now"),
    ("PAST_REF", "the past"),
    ("P2Y", "2 years"),
    ("PXW", "some weeks"),
    ("P2Y6M", "2 years 6 months"),
    ("PT5H30M", "5 hours 30 minutes"),
    ("XXXX-WXX-4", "every Thursday"),
    ("XXXX-07", "every July"),
    (None, ""),
])
def test_values_in_words(value: str | None, words: str) -> None:
    assert in_words(value) == words


@pytest.mark.parametrize(("text", "expression", "words"), [
    ("Sales doubled over the past two years.", "the past two years", "2 years (23 May 2022 to 23 May 2024)"),
    ("Fighting flared in recent weeks.", "recent weeks", "some weeks (25 April 2024 to 23 May 2024)"),
    ("The ferry crosses daily.", "daily", "every day"),
    ("Elections take place every two years.", "every two years", "every 2 years"),
    ("The board meets each Thursday.", "each Thursday", "every Thursday"),
    ("The talks lasted three weeks.", "three weeks", "3 weeks"),
])
def test_expressions_in_words_never_show_codes(text: str, expression: str, words: str) -> None:
    found = {t.text: time_in_words(t) for t in find_time_expressions(text, "2024-05-23")}
    assert found[expression] == words, found
