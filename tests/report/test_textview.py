"""The article text view: kept paragraphs with marks, cut lines where they stood."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from storyline.clean.boilerplate import clean_boilerplate
from storyline.report.textview import Mark, article_blocks, paragraphs

RAW = "ADVERTISEMENT\nThe port reopened on Monday, officials said.\nRead More: other news\nShips queued outside.\nBACK TO HOMEPAGE"


def test_cut_lines_stand_where_they_were_in_the_raw_text() -> None:
    text, removed = clean_boilerplate(RAW)
    blocks = article_blocks(text, RAW, removed, [])
    shown = [(b.removed is not None, "".join(s.text for s in b.segments)) for b in blocks]
    kept = [t for cut, t in shown if not cut]
    assert kept == ["The port reopened on Monday, officials said.", "Ships queued outside."]
    first_kept = next(i for i, (cut, _) in enumerate(shown) if not cut)
    assert shown[0][0] and "ADVERTISEMENT" in shown[0][1] and first_kept > 0  # the menu line comes first, struck
    assert shown[-1] == (True, "BACK TO HOMEPAGE")
    assert all(b.removed for b in blocks if b.removed is not None)  # every cut line has its reason


def test_overlapping_marks_split_into_pieces_that_know_every_mark() -> None:
    text = "Maresh said the blockade would end in March."
    q, c, t = text.index("the"), text.index("blockade"), text.index("March")
    marks = [Mark("quote", q, len(text) - 1, "quote"), Mark("claim", c, len(text) - 1, "claim", href="claims/x.html", link_text="3 articles"),
             Mark("time", t, t + 5, "time")]
    (block,) = article_blocks(text, text, (), marks)
    pieces = [(s.text, s.kinds) for s in block.segments]
    assert "".join(t for t, _ in pieces) == text
    assert ("the ", ("quote",)) in pieces
    assert ("March", ("quote", "claim", "time")) in pieces
    assert pieces[-1] == (".", ())
    linked = [s for s in block.segments if s.links]
    assert len(linked) == 1 and linked[0].links[0].href == "claims/x.html"  # the claim's link right after its last piece


@pytest.mark.parametrize(("text", "expected"), [
    ("One.\n\nTwo.", [(0, 4), (6, 10)]),
    ("One line\nsame paragraph\n\nNext", [(0, 23), (25, 29)]),
    ("", []),
])
def test_paragraphs(text: str, expected: list[tuple[int, int]]) -> None:
    assert paragraphs(text) == expected


@given(st.lists(st.text(alphabet="ab .\n", min_size=1, max_size=30), min_size=1, max_size=6),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=8))
def test_the_view_keeps_every_character_of_the_cleaned_text(lines: list[str], spans: list[tuple[int, int]]) -> None:
    raw = "\n".join(lines)
    text, removed = clean_boilerplate(raw)
    marks = [Mark("claim", s, s + n, "c") for s, n in spans]
    blocks = article_blocks(text, raw, removed, marks)
    kept = ["".join(s.text for s in b.segments) for b in blocks if b.removed is None]
    assert kept == [text[a:b] for a, b in paragraphs(text)]
