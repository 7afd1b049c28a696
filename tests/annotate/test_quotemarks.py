"""Quote-mark scanning: balanced, unbalanced, nested, multi-paragraph, apostrophes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from storyline.annotate.quotemarks import find_quoted_spans


def _inner(text: str) -> list[str]:
    return [text[s.inner_start:s.inner_end] for s in find_quoted_spans(text)]


@pytest.mark.parametrize(("text", "quotes"), [
    ("“We are ready,” Varga said.", ["We are ready,"]),
    ('"We are ready," Varga said. "But not at any price."', ["We are ready,", "But not at any price."]),
    ("‘It’s over,’ he said. The soldiers’ morale is low.", ["It’s over,"]),
    ("He said 'we will win' and left.", ["we will win"]),
    ("No quotes here, don't worry, it's Russia's call.", []),
    ("said Russia is “open to dialogue” and wants no “eternal war.”", ["open to dialogue", "eternal war."]),
    ("“Stray opener. Then he said: “Real quote.”", ["Real quote."]),
    ("“Outer ‘inner’ quote,” she said.", ["Outer ‘inner’ quote,"]),
    ("«Nous sommes prêts», a-t-il dit.", ["Nous sommes prêts"]),
])
def test_quoted_spans(text: str, quotes: list[str]) -> None:
    assert _inner(text) == quotes


def test_multi_paragraph_quote_runs_to_its_closing_mark() -> None:
    text = "She told state radio: “We will open the port.\n\n“Who inspects the ships is for the Council.”\n\nNext paragraph."
    (span,) = find_quoted_spans(text)
    assert text[span.inner_start:span.inner_end] == "We will open the port.\n\n“Who inspects the ships is for the Council."
    assert span.balanced


def test_unclosed_quote_ends_with_its_paragraph_and_is_flagged() -> None:
    text = "She said: “We will not stop\n\nAnother paragraph without marks."
    (span,) = find_quoted_spans(text)
    assert text[span.inner_start:span.inner_end] == "We will not stop" and not span.balanced


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,\n“”‘’'\"«»:")), max_size=200))
def test_never_crashes_and_spans_are_ordered_inside_text(text: str) -> None:
    spans = find_quoted_spans(text)
    for s in spans:
        assert 0 <= s.start <= s.inner_start <= s.inner_end <= s.end <= len(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
