"""Bylines into names: conservative splitting (a wrong split invents a person)."""

from __future__ import annotations

import pytest

from storyline.clean.authors import split_authors


@pytest.mark.parametrize(("byline", "names"), [
    (None, ()),
    ("  ", ()),
    ("Ana Brel", ("Ana Brel",)),
    ("Ana Brel; Ivo Bratt", ("Ana Brel", "Ivo Bratt")),  # how ingest joins a list, and trafilatura several authors
    (" Ana  Brel ;; Ivo Bratt; ", ("Ana Brel", "Ivo Bratt")),
    ("Ana Brel and Ivo Bratt", ("Ana Brel", "Ivo Bratt")),
    ("Ursula von der Leyen and Ana Brel", ("Ursula von der Leyen", "Ana Brel")),
    ("Brel, Ana", ("Brel, Ana",)),  # surname first: a comma never splits
    ("Ana Brel, Ivo Bratt", ("Ana Brel, Ivo Bratt",)),
    ("Research and Development Team", ("Research and Development Team",)),  # one side is no person's name
    ("Tom and Jerry", ("Tom and Jerry",)),  # one word each: may be one act
    ("ana brel and ivo bratt", ("ana brel and ivo bratt",)),  # not capitalised
    ("Ana Brel; ana brel", ("Ana Brel",)),  # once, in its first place
])
def test_split_authors(byline: str | None, names: tuple[str, ...]) -> None:
    assert split_authors(byline) == names
