"""Claims: the check-worthy statements of one article, with their hedges, negation and conditions.

A claim is (1) the content of every attribution (what a source is reported to have said or
found: "Putin is ready for a ceasefire", attributed to "four sources"), or (2) a sentence
the article asserts itself that names an actor or gives a number or date, is long enough to
assert something, and is not a question. Word lists (hedges, negations, condition openers)
live in ``data/claims.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..models import Attribution, Claim, Mention, Span
from .timelex import alternation

__all__ = ["find_claims", "claim_features", "ClaimFeatures", "SENTENCE"]

SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|$)")
_MIN_WORDS = 6
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


@dataclass(frozen=True, slots=True)
class _Words:
    hedges: re.Pattern[str]
    negations: re.Pattern[str]
    conditions: re.Pattern[str]
    not_conditions: re.Pattern[str]
    numbers: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = tomllib.loads(resources.files("storyline.annotate").joinpath("data/claims.toml").read_text("utf-8"))
    return _Words(
        hedges=re.compile(r"\b" + alternation(raw["hedges"]["words"]) + r"\b", re.I),
        negations=re.compile(r"\b" + alternation(raw["negations"]["words"]) + r"\b|n't\b", re.I),
        conditions=re.compile(r"\b(?:" + alternation(raw["conditions"]["openers"]) + r")\b[^.;!?]*", re.I),
        not_conditions=re.compile(r"\b" + alternation(raw["conditions"]["not_conditions"]) + r"\b", re.I),
        numbers=frozenset(raw["numbers"]["words"]),
    )


@dataclass(frozen=True, slots=True)
class ClaimFeatures:
    """What a claim's meaning turns on besides its words: negation, conditions, numbers, times."""

    negated: bool
    conditions: tuple[Span, ...]
    hedges: tuple[Span, ...]
    numbers: frozenset[str]


def claim_features(text: str, offset: int = 0) -> ClaimFeatures:
    """Return the negation, conditions, hedges and numbers of a claim's words (spans shifted by ``offset``)."""
    w = _words()
    masked = w.not_conditions.sub(lambda m: "_" * len(m.group()), text)  # same length: offsets hold
    conditions = tuple(Span(text[m.start():m.start() + len(m.group().strip())], offset + m.start(), offset + m.start() + len(m.group().strip()))
                       for m in w.conditions.finditer(masked))
    main = text
    for c in conditions:
        main = main.replace(c.text, " ")
    hedges = tuple(Span(m.group(), offset + m.start(), offset + m.end()) for m in w.hedges.finditer(text))
    numbers = frozenset(m.group().replace(",", "") for m in _NUMBER.finditer(text)) | frozenset(
        t for t in re.findall(r"[a-z]+", text.lower()) if t in w.numbers)
    return ClaimFeatures(bool(w.negations.search(main)), conditions, hedges, numbers)


def _sentences(text: str) -> Iterator[Span]:
    for m in SENTENCE.finditer(text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            yield Span(body, m.start() + lead, m.start() + lead + len(body))


def _sentence_of(sentences: Sequence[Span], start: int) -> Span | None:
    return next((s for s in sentences if s.start <= start < s.end), None)


def _actors_in(mentions: Sequence[Mention], start: int, end: int) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.name for m in mentions if start <= m.start < end))


def _trimmed(span: Span) -> Span:
    """Drop a leading complementiser ("that Russia is ready" -> "Russia is ready")."""
    for lead in ("that ", "That "):
        if span.text.startswith(lead):
            return Span(span.text[len(lead):], span.start + len(lead), span.end)
    return span


def _claim(text: str, span: Span, sentence: Span, mentions: Sequence[Mention], attribution: int | None, extra_hedges: tuple[Span, ...] = ()) -> Claim:
    f = claim_features(span.text, span.start)
    sent_hedges = claim_features(sentence.text, sentence.start).hedges
    hedges = tuple({(h.start, h.end): h for h in (*f.hedges, *sent_hedges, *extra_hedges)}.values())
    return Claim(span.text, span.start, span.end, sentence, tuple(sorted(hedges, key=lambda h: h.start)), f.negated,
                 f.conditions, attribution, _actors_in(mentions, sentence.start, sentence.end))


def _attribution_hedges(att: Attribution) -> tuple[Span, ...]:
    """Anonymous sourcing is itself a hedge ("sources said")."""
    return (att.source,) if att.source is not None and att.source_kind == "anonymous" else ()


def find_claims(text: str, mentions: Sequence[Mention], attributions: Sequence[Attribution]) -> tuple[Claim, ...]:
    """Return the article's claims in text order (see the module docstring)."""
    sentences = list(_sentences(text))
    claims: list[Claim] = []
    covered: set[int] = set()
    for i, att in enumerate(attributions):
        sentence = _sentence_of(sentences, att.content.start)
        if sentence is None or len(att.content.text.split()) < 3:
            continue
        claims.append(_claim(text, _trimmed(att.content), sentence, mentions, i, _attribution_hedges(att)))
        covered.add(sentence.start)
    for sentence in sentences:
        if sentence.start in covered or sentence.text.endswith("?") or len(sentence.text.split()) < _MIN_WORDS:
            continue
        if _actors_in(mentions, sentence.start, sentence.end) or _NUMBER.search(sentence.text):
            claims.append(_claim(text, sentence, sentence, mentions, None))
    return tuple(sorted(claims, key=lambda c: (c.start, c.end)))
