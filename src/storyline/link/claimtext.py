"""Two sentences on their own: do they make the same claim? The claim linker's rules, applied to bare text.

Each sentence is parsed and annotated like an article of its own (names, labels, quotes,
attributions, time expressions), its main claim taken (the reported content when it reports
one, else the whole sentence), its actors resolved with one registry shared by both, and the
two records judged by :func:`storyline.link.claimlink.judge`. The evaluation of claim pairs
(eval/claims_eval.py) and the tests use it; the ingest path never does.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..annotate.claims import claim_at
from ..annotate.nlp import parse, text_of
from ..annotate.document import annotate_doc
from ..annotate.registry import ActorRegistry
from ..models import Claim, ClaimRecord
from .claimlink import claim_records, judge, similarity

__all__ = ["text_records", "same_claim", "claim_similarity"]


def _main_claim(claims: Sequence[Claim], fallback: Claim) -> Claim:
    reported = [c for c in claims if c.attribution_index is not None]
    return max(reported, key=lambda c: len(c.text)) if reported else fallback


def text_records(texts: Sequence[str]) -> list[ClaimRecord]:
    """Return the linker's record of the main claim of each text (one actor registry for all of them)."""
    registry = ActorRegistry()
    claims, ids = [], {}
    for doc in parse(texts):
        ann = annotate_doc(doc)
        text = text_of(doc)
        lead = len(text) - len(text.lstrip())
        claim = _main_claim(ann.claims, claim_at(doc, lead, len(text.rstrip()), ann.mentions, ann.times))
        ids.update({m.name: registry.resolve(m.name, m.entity_type).id for m in ann.mentions})
        claims.append(claim)
    return claim_records([(f"t{i}:c0", f"t{i}", c) for i, c in enumerate(claims)], ids)


def same_claim(a: str, b: str) -> bool:
    """Return True when sentences ``a`` and ``b`` make the same claim (the linker's :func:`judge`)."""
    ra, rb = text_records([a, b])
    verdict = judge(ra, rb)
    return verdict is not None and verdict.kind == "same"


def claim_similarity(a: str, b: str) -> float:
    """Return the similarity the linker weighs two claims by (:func:`storyline.link.claimlink.similarity`)."""
    ra, rb = text_records([a, b])
    return similarity(ra, rb)
