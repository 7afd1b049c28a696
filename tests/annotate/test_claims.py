"""Claims of one article, and which two claims are the same: hedges kept, negation, conditions, figures and times apart."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.annotate.claims import claim_features, find_claims
from storyline.link.claimlink import ClaimLinker, claim_record, compatible
from storyline.models import Attribution, Mention, Span


@pytest.mark.parametrize(("text", "negated", "conditions", "hedges", "numbers"), [
    ("The mayor is ready for talks.", False, (), (), set()),
    ("The mayor is not ready for talks.", True, (), (), set()),
    ("The mayor is ready for talks only if the strike ends.", False, ("only if the strike ends",), (), set()),
    ("The mayor will decide as soon as possible.", False, (), (), set()),
    ("The mayor reportedly may resign.", False, (), ("reportedly", "may"), set()),
    ("Seven people were hurt and 12 arrested.", False, (), (), {"seven", "12"}),
])
def test_claim_features(text: str, negated: bool, conditions: tuple[str, ...], hedges: tuple[str, ...], numbers: set[str]) -> None:
    f = claim_features(text)
    assert f.negated is negated
    assert tuple(c.text for c in f.conditions) == conditions
    assert tuple(h.text for h in f.hedges) == hedges
    assert f.numbers == numbers
    assert all(text[c.start:c.end] == c.text for c in (*f.conditions, *f.hedges))


def test_claims_are_attribution_contents_and_asserted_sentences() -> None:
    text = "The ferry company said that sailings resume on Friday. Mayor Ines Hald visited the harbour. Why now?"
    content = Span("sailings resume on Friday", 28, 53)
    att = Attribution(content, Span("The ferry company", 0, 17), "organisation", cue=Span("said", 18, 22))
    mention = Mention("Ines Hald", 61, 70, "name", "PERSON", "Ines Hald")
    claims = find_claims(text, [mention], [att])
    assert [(c.text, c.attribution_index) for c in claims] == [("sailings resume on Friday", 0), ("Mayor Ines Hald visited the harbour.", None)]
    assert claims[1].actors == ("Ines Hald",) and text[claims[1].start:claims[1].end] == claims[1].text


def _vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("The mayor is ready for talks.", "The mayor is reportedly ready for talks.", True),   # a hedge is not another claim
    ("The mayor is ready for talks.", "The mayor is not ready for talks.", False),
    ("The mayor is ready for talks.", "The mayor is ready for talks only if the strike ends.", False),
    ("Seven people were hurt.", "Nine people were hurt.", False),
    ("The strike lasts 48 hours.", "The strike lasts two days.", True),                     # digits and words not compared
    ("Talks resume in March.", "Talks resume in June.", False),
    ("Talks resumed last week.", "Talks resumed yesterday.", True),                        # deictic times differ by article
])
def test_compatible(a: str, b: str, same: bool) -> None:
    v = _vector(1)
    assert compatible(claim_record("a", "x", a, v), claim_record("b", "y", b, v)) is same


def test_linker_joins_close_compatible_claims_of_other_articles_only() -> None:
    linker, v = ClaimLinker(), _vector(2)
    first = linker.add(claim_record("x:c0", "x", "The mayor is ready for talks.", v))
    assert linker.add(claim_record("y:c0", "y", "The mayor is reportedly ready for talks.", v)) == first
    assert linker.add(claim_record("z:c0", "z", "The mayor is not ready for talks.", v)) != first
    assert linker.add(claim_record("x:c1", "x", "The mayor is ready for talks.", _vector(3))) != first
