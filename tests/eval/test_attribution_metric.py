"""The helpers in eval/attribution_eval.py: locating gold strings, via and name rules, chain checks."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
import attribution_eval  # noqa: E402
import quotes_data  # noqa: E402

ev: ModuleType = attribution_eval
region = quotes_data.region

TEXT = "He said the theme was here. Maresh’s aide said it, and he agreed."
#       0         1         2         3         4         5         6
#       01234567890123456789012345678901234567890123456789012345678901234


@pytest.mark.parametrize(("needle", "expected"), [
    ("he", [55]),              # not inside "the", "theme" or "here"; case-sensitive, so not "He"
    ("He", [0]),
    ("said", [3, 42]),
    ("Maresh", [28]),          # a possessive ending after the name is fine
    ("’s aide", [34]),         # a string starting with punctuation is not checked before
    ("", []),
])
def test_occurrences_skip_matches_glued_to_letters(needle: str, expected: list[int]) -> None:
    assert ev.occurrences(TEXT, needle) == expected


@pytest.mark.parametrize(("needle", "occurrence", "expected"), [
    ("said", None, (3, 7)),
    ("said", 1, (3, 7)),
    ("said", 2, (42, 46)),
    ("said", 3, None),         # no third "said"
    ("missing", None, None),
    (None, None, None),        # a null gold field locates nowhere
])
def test_locate_takes_the_numbered_occurrence(needle: str | None, occurrence: int | None,
                                              expected: tuple[int, int] | None) -> None:
    found = ev.locate(TEXT, needle, occurrence)
    assert (None if found is None else (found.start, found.end)) == expected


@pytest.mark.parametrize(("gold", "ours", "same"), [
    (["Harbour Ledger"], ["the Harbour Ledger"], True),
    (["Harbour Ledger", "Orbis24"], ["The Harbour Ledger", "orbis24"], True),
    (["Harbour Ledger", "Orbis24"], ["Orbis24", "Harbour Ledger"], False),   # order matters: nearest first
    (["state radio"], ["state radio"], True),
    (["Northgate Wire"], [], False),
    ([], [], True),
    (["Theatre Weekly"], ["atre Weekly"], False),  # only a whole leading "the " word is dropped
])
def test_via_lists_compare_case_blind_without_leading_the(gold: list[str], ours: list[str], same: bool) -> None:
    assert (ev.via_key(gold) == ev.via_key(ours)) is same


@pytest.mark.parametrize(("name", "actor", "ok"), [
    ("Ilona Maresh", "Ilona Maresh", True),
    ("Maresh", "Ilona Maresh", True),
    ("Oleksii Brann", "Oleksiy Brann", True),    # another spelling of the first name, same surname
    ("Teodor Kost", "Ilona Maresh", False),
    ("Mareshenko", "Ilona Maresh", False),       # a whole word, not a substring
    ("", "Ilona Maresh", False),
])
def test_surname_rule_for_labels(name: str, actor: str, ok: bool) -> None:
    assert ev.surname_ok(name, actor) is ok


@pytest.mark.parametrize(("text", "expected"), [
    ("the Harbour Ledger", "Harbour Ledger"),
    ("The Vellan Observer", "Vellan Observer"),
    ("Maresh’s", "Maresh"),
    ("Ostrel's", "Ostrel"),
    ("Theodor Kost", "Theodor Kost"),
])
def test_bare_name_drops_article_and_possessive(text: str, expected: str) -> None:
    assert ev.bare_name(text) == expected


def _chain(source: tuple[int, int] | None = (0, 2), kind: str = "anonymous", count: int | None = 4,
           via: tuple[str, ...] = ("Harbour Ledger",)) -> object:
    return ev.Chain(region(10, 20), region(*source) if source else None, kind, count, via, "", "")


@pytest.mark.parametrize(("ours", "wrong"), [
    (_chain(), set()),
    (_chain(source=(1, 5)), set()),                  # overlapping source spans agree
    (_chain(source=(2, 5)), {"source"}),             # touching is not overlapping
    (_chain(source=None), {"source"}),
    (_chain(kind="person"), {"source_kind"}),
    (_chain(count=None), {"count"}),
    (_chain(via=("the Harbour Ledger",)), set()),
    (_chain(via=()), {"via"}),
])
def test_chain_checks_and_full_chain(ours: object, wrong: set[str]) -> None:
    gold = _chain()
    assert {name for name, check in ev.CHAIN_CHECKS.items() if not check(gold, ours)} == wrong
    assert ev.chain_ok(gold, ours) is (not wrong)


def test_sources_missing_on_both_sides_agree() -> None:
    assert ev.CHAIN_CHECKS["source"](_chain(source=None), _chain(source=None))
