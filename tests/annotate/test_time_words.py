"""Resolved time values in words, as every page and listing shows them (the codes stay in the store and export)."""

from __future__ import annotations

import pytest

from storyline.annotate.time.words import in_words


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
    ("PRESENT_REF", "PRESENT_REF"),
    (None, ""),
])
def test_values_in_words(value: str | None, words: str) -> None:
    assert in_words(value) == words
