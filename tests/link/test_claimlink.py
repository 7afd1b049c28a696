"""link/claimlink.py and link/claimtext.py: one proposition per group, with the evidence of every join and split."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from storyline.link.claimlink import SAME_THRESHOLD, ClaimLinker, judge, similarity
from storyline.models import ClaimRecord
from storyline.link.claimtext import same_claim


def _vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return v / np.linalg.norm(v)


def _record(cid: str, text: str = "The mayor is ready for talks", vector: np.ndarray | None = None, **kw: object) -> ClaimRecord:
    return ClaimRecord(cid, cid.split(":")[0], _vector(1) if vector is None else vector, text, bool(kw.pop("negated", False)), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("a", "b", "kind", "rule"), [
    (_record("x:c0"), _record("y:c0"), "same", "close wording"),
    (_record("x:c0"), _record("y:c0", negated=True, polarity=("rejected",)), "related", "polarity"),
    (_record("x:c0", agents=frozenset({"gpe:norway"})), _record("y:c0", agents=frozenset({"gpe:sweden"})), "related", "actors"),
    (_record("x:c0", agents=frozenset({"person:ines-hald"})), _record("y:c0", agents=frozenset({"gpe:lisk"})), "same", "close wording"),
    (_record("x:c0", patients=frozenset({"gpe:norway"})), _record("y:c0", patients=frozenset({"gpe:sweden"})), "related", "actors"),
    (_record("x:c0", dates=(("2024-03-01", "2024-03-31"),)), _record("y:c0", dates=(("2024-06-01", "2024-06-30"),)), "related", "dates"),
    (_record("x:c0", dates=(("2023-09-01", "9999-12-31"),)), _record("y:c0", dates=(("2025-06-19", "2025-06-19"),)), "same", "close wording"),
    (_record("x:c0", dates=(("~march", "~march"),)), _record("y:c0", dates=(("2024-06-01", "2024-06-30"),)), "same", "close wording"),
    (_record("x:c0", numbers=frozenset({"28"})), _record("y:c0", numbers=frozenset({"31"})), "variant", "figures"),
    (_record("x:c0", numbers=frozenset({"48"})), _record("y:c0", numbers=frozenset({"two"})), "same", "close wording"),
    (_record("x:c0", agents=frozenset({"person:ines-hald"})), _record("y:c0", agents=frozenset({"person:ines-hald"})), "same", "same agent"),
])
def test_judge_names_the_rule(a: ClaimRecord, b: ClaimRecord, kind: str, rule: str) -> None:
    verdict = judge(a, b)
    assert verdict is not None and (verdict.kind, verdict.rule) == (kind, rule), verdict
    assert verdict.reason


def test_distant_claims_are_not_even_related() -> None:
    assert judge(_record("x:c0", vector=_vector(1)), _record("y:c0", vector=_vector(2))) is None


def test_similarity_weighs_shared_words_and_what_is_said_of_a_shared_agent() -> None:
    v = _vector(3)
    same_words = similarity(_record("x:c0", "ceasefire talks resume", v), _record("y:c0", "ceasefire talks resume", v))
    other_words = similarity(_record("x:c0", "ceasefire talks resume", v), _record("y:c0", "harvest prices climb", v))
    assert same_words == pytest.approx(1.0) and other_words == pytest.approx(0.7)
    agent = frozenset({"person:ines-hald"})
    a = _record("x:c0", "mayor ready talks", v, agents=agent, predicate=_vector(4))
    b = _record("y:c0", "union strike vote", v, agents=agent, predicate=_vector(5))
    c = _record("z:c0", "union strike vote", v, agents=agent, predicate=_vector(4))
    assert similarity(a, b) < SAME_THRESHOLD < similarity(a, c)  # one agent: what they say of it decides


def test_linker_keeps_the_evidence_of_joins_and_of_what_it_kept_apart() -> None:
    linker = ClaimLinker()
    first = linker.add(_record("x:c0"))
    assert linker.add(_record("y:c0")) == first
    assert linker.add(_record("z:c0", negated=True, polarity=("not",))) != first
    assert linker.add(_record("x:c1")) == first
    links = {(link.claim_id, link.other_id): link.verdict for link in linker.backend.links}  # type: ignore[attr-defined]
    assert ("x:c1", "y:c0") in links and ("x:c1", "x:c0") not in links  # claims of one article never join each other directly
    assert links[("y:c0", "x:c0")].kind == "same" and links[("y:c0", "x:c0")].rule == "close wording"
    assert links[("z:c0", "x:c0")].kind == "related" and "opposite polarity (not)" == links[("z:c0", "x:c0")].reason


def test_a_group_does_not_take_a_claim_that_contradicts_one_of_its_members() -> None:
    linker = ClaimLinker()
    first = linker.add(_record("x:c0", numbers=frozenset({"28"})))
    assert linker.add(_record("y:c0")) == first
    assert linker.add(_record("z:c0", numbers=frozenset({"31"}))) != first  # a variant of x: kept apart, though y has no figure


@pytest.mark.parametrize(("a", "b", "same"), [
    ("The mayor of Lisk is ready for talks with the union.", "The mayor of Lisk is reportedly ready for talks with the union.", True),
    ("The mayor of Lisk is ready for talks with the union.", "The mayor of Lisk is not ready for talks with the union.", False),
    ("Norway will pay damages to Sweden, the court said.", "Sweden will pay damages to Norway, the court said.", False),
    ("Seven people were hurt in the blast in Oslo.", "Nine people were hurt in the blast in Oslo.", False),
    ("Talks between the two unions resume in March.", "Talks between the two unions resume in June.", False),
])
def test_same_claim_on_bare_sentences(a: str, b: str, same: bool) -> None:
    assert same_claim(a, b) is same


def test_one_actors_one_stance_towards_one_topic_is_one_proposition_however_worded() -> None:
    hald = frozenset({"person:ines-hald"})
    ready = _record("x:c0", "Ines Hald is ready for a truce", _vector(1), stance="ready:peace", holders=hald)
    willing = _record("y:c0", "Her willingness to hold talks", _vector(2), stance="ready:peace", holders=hald)
    assert similarity(ready, willing) < 0.2
    verdict = judge(ready, willing)
    assert verdict is not None and (verdict.kind, verdict.rule, verdict.actors) == ("same", "same stance", ("person:ines-hald",))
    assert verdict.reason.startswith("same stance: ines hald ready (peace)")
    # another holder, another topic, or the opposite polarity: no join on the stance
    assert judge(ready, replace(willing, holders=frozenset({"person:ola-berg"}))) is None
    assert judge(ready, replace(willing, stance="ready:")) is None
    refused = judge(ready, replace(willing, negated=True, polarity=("not",)))
    assert refused is not None and (refused.kind, refused.rule) == ("related", "polarity")
