"""On the five real seed articles, every junk line goes and no story sentence is lost.

The seeds are read from ../shared/seeds; expectations name their lines by number (1-based
line numbers of the file), so no seed text is copied into the repository.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from storyline.clean.normalize import normalize_text
from storyline.models import Article, RawDocument
from storyline.flow.clean import clean_document
from tests.conftest import seed_path

# (seed, junk lines that must be removed whole, story lines that must stay whole)
CASES = [
    ("000", [20], [1, 2, 4, 6, 12, 13, 17, 18, 19]),
    ("001", [11, 44, 46, 48, 50], [3, 5, 7, 9, 15, 19, 31, 39, 41]),
    ("002", [], [1, 2, 3, 6, 7, 9, 13, 15]),
    ("003", [1, 19], [5, 7, 9, 11, 13, 15, 17]),
    ("004", [3, 11, 19, 21, 23, 25], [5, 6, 7, 8, 9, 13, 14, 15, 16]),
]
_GLUED = re.compile(r"(?<=[a-z])\.(?=[A-Z])")


def _lines(seed: str) -> list[str]:
    """The seed's lines as the cleaner sees them (normalised: no-break spaces, mojibake)."""
    return [normalize_text(line) for line in seed_path(seed).read_text(encoding="utf-8").split("\n")]


@lru_cache(maxsize=8)
def _clean(seed: str) -> Article:
    path = seed_path(seed)
    return clean_document(RawDocument(source=str(path), text=path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("seed", "junk", "story"), CASES, ids=[c[0] for c in CASES])
def test_seed_junk_removed_and_story_kept(seed: str, junk: list[int], story: list[int]) -> None:
    lines, article = _lines(seed), _clean(seed)
    removed = [r.text for r in article.removed]
    for n in junk:
        line = lines[n - 1].strip()
        assert line and line not in article.text, f"junk line {n} left in {seed}"
        assert line in removed, f"junk line {n} of {seed} not recorded among the removals"
    for n in story:
        line = lines[n - 1].strip()
        assert line and line in article.text, f"story line {n} lost from {seed}"


def test_glued_teaser_cut_and_its_paragraph_kept() -> None:
    line = _lines("004")[16].strip()
    match = _GLUED.search(line)
    assert match, "seed 004 line 17 carries a teaser glued to its last sentence"
    head, tail = line[: match.end()], line[match.end():]
    article = _clean("004")
    assert head in article.text and tail not in article.text
    assert any(r.text == tail and "glued" in r.reason for r in article.removed)


def test_every_story_paragraph_survives() -> None:
    """No word of a seed is dropped unless it is recorded as removed with a reason."""
    words = re.compile(r"\w+")
    for seed in ("000", "001", "002", "003", "004"):
        article = _clean(seed)
        for removal in article.removed:
            assert article.raw_text[removal.start:removal.end] == removal.text
            assert removal.reason
        kept = len(words.findall(article.text))
        cut = sum(len(words.findall(r.text)) for r in article.removed)
        assert kept + cut == len(words.findall(article.raw_text))


@pytest.mark.parametrize(("seed", "title_line"), [("000", None), ("002", None), ("001", 1), ("003", 3), ("004", 1)])
def test_seed_titles(seed: str, title_line: int | None) -> None:
    article = _clean(seed)
    if title_line is None:
        assert article.title is None
        # The opening story paragraph stays in the text.
        assert article.text.split("\n\n")[0] == _lines(seed)[0].strip()
        return
    line = _lines(seed)[title_line - 1].strip()
    expected = line.rsplit(" – ", 1)[0] if article.outlet and line.endswith(article.outlet) else line
    assert article.title == expected


@pytest.mark.parametrize(("seed", "outlet", "published", "inferred"), [
    ("000", None, None, False),
    ("001", None, "2024-05-23", True),     # the title's source suffix is the cited agency, not the publisher
    ("002", None, None, False),
    ("003", None, None, False),
    ("004", "Times of India", None, False),
])
def test_seed_metadata(seed: str, outlet: str | None, published: str | None, inferred: bool) -> None:
    article = _clean(seed)
    assert (article.outlet, article.published, article.published_inferred) == (outlet, published, inferred)
    if published:
        ev = next(e for e in article.evidence if e.field == "published")
        assert ev.method == "caption"
        assert article.text[ev.start:ev.end] == ev.text == _lines(seed)[2].strip()
