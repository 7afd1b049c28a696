"""Crashes the properties found, fixed, kept as regression tests with their minimal inputs."""

from __future__ import annotations

import pytest

from storyline.annotate.nlp import parse
from storyline.errors import ExtractError
from storyline.models import RawDocument
from storyline.flow.clean import clean_document


@pytest.mark.parametrize("html", ["<svg>html", "<iframe>html", "<math>HTML", "<embed>HTML", "<SVG><!DOCTYPE html>"])
def test_a_lone_root_element_is_refused_not_a_crash(html: str) -> None:
    # htmldate's clean_html calls lxml's drop_tree on the root, which asserts it has a parent
    with pytest.raises(ExtractError):
        clean_document(RawDocument(source="page.html", html=html))


def test_a_lone_surrogate_is_replaced_by_the_cleaner_and_said_so() -> None:
    article = clean_document(RawDocument(source="note.txt", text="The minister said talks \ud800 would resume in March.",
                                         title="Talks \udfff resume"))
    assert "\ufffd" in article.text and article.title == "Talks \ufffd resume"
    assert [e.value for e in article.evidence if e.field == "encoding"] == ["2 lone surrogate(s) (no character) replaced with U+FFFD"]
    assert next(parse([article.text])).text == article.text  # spaCy cannot encode a surrogate
