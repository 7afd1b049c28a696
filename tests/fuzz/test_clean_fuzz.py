"""The cleaner never crashes: arbitrary text and HTML-ish markup give an article or a StorylineError,
and every removal and evidence offset lies inside the text (see tests/fuzz/properties.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from .budget import fuzz
from .properties import target

TEXT = target("clean-text")
HTML = target("clean-html")


@fuzz(TEXT.examples)
@given(TEXT.arguments)
def test_cleaner_on_any_text(args: tuple[Any, ...]) -> None:
    TEXT.check(*args)


@fuzz(HTML.examples)
@given(HTML.arguments)
def test_cleaner_on_html_ish_markup(args: tuple[Any, ...]) -> None:
    HTML.check(*args)
