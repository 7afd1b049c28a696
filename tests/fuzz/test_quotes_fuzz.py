"""Quotes, evidence and attributions never crash, and every span they report is ``text[start:end]``,
on prose built from quote marks of every kind, reporting verbs, names and punctuation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from .budget import fuzz
from .properties import check_quotes, target

QUOTES = target("quotes")


@fuzz(QUOTES.examples)
@given(QUOTES.arguments)
def test_quotes_and_attributions_hold(args: tuple[Any, ...]) -> None:
    QUOTES.check(*args)


@pytest.mark.parametrize("text", [
    "", " ", "\n\n", '"', "“", "«»", '""', "“”", "‘’", "'", "''", "said", "according to", '"." he said',
    '“We will not back down,” she said. “Never.”', "„Nein“, sagte er.", "«Non», a-t-il dit.", "「はい」と彼は言った。",
    '"' * 50, "“" * 30 + "”" * 30, "He said: ‘“no”’.", "according to according to according to",
    "Officials said, citing a report that cited Reuters, that \"talks\" resumed.", "\u202e“reversed” he said\u202c",
])
def test_quotes_on_edge_texts(text: str) -> None:
    check_quotes(text)
