"""Claims: the check-worthy statements of one article, with their hedges, polarity, roles and dates.

A claim is (1) the content of every attribution (what a source is reported to have said or
found: "Putin is ready for a ceasefire", attributed to "four sources") unless it only wraps
another attribution ("Multiple reports said the Russian leader told leaders that ...": the
inner telling is the claim, and its chain goes through the outer one), or (2) a sentence the
article asserts itself that names an actor (a pronoun resolved to one counts) or gives a
number or date, is long enough to assert something, and is not a question.

Sentences are the parse's own (:func:`storyline.annotate.nlp.sentence_spans`); the main
clause's roles and polarity come from the parse (``claimroles.py``), and so does the stance it
states, with its holder as a ``holder`` role (``claimstance.py``); the dates a claim names
are the article's resolved time expressions inside it, so "last fall" compares as the season
it resolved to. Word lists live in ``data/claims.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from ..models import Attribution, Claim, Mention, Span, TimeExpression
from .claimroles import main_clause
from .claimstance import find_stance
from .claimwords import claim_words
from .nlp import sentence_spans, text_of

__all__ = ["find_claims", "claim_at", "claim_features", "ClaimFeatures", "claim_dates"]

_MIN_WORDS = 6
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_OPEN_LATEST = frozenset({"since", "after", "at-least"})
_OPEN_EARLIEST = frozenset({"until", "before"})
_UNDATED_GRANULARITIES = frozenset({"duration", "vague", None})
_CALENDAR_WORD = re.compile(r"\b(?:(?:Jan|Febr)uary|March|April|May|June|July|August|(?:Sept|Nov|Dec)ember|October"
                            r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:1[89]|20)\d\d)\b")


@dataclass(frozen=True, slots=True)
class ClaimFeatures:
    """What a claim's words say besides their meaning: conditions, hedges, numbers (polarity comes from the parse)."""

    conditions: tuple[Span, ...]
    hedges: tuple[Span, ...]
    numbers: frozenset[str]


def claim_features(text: str, offset: int = 0, skip: Sequence[tuple[int, int]] = ()) -> ClaimFeatures:
    """Return the conditions, hedges and numbers of a claim's words (spans shifted by ``offset``).

    Args:
        skip: (start, end) ranges, in the same coordinates as the spans, whose numbers are
            not figures (the claim's time expressions: "2022" in "September 2022").
    """
    w = claim_words()
    masked = w.not_conditions.sub(lambda m: "_" * len(m.group()), text)  # same length: offsets hold
    conditions = tuple(Span(text[m.start():m.start() + len(m.group().strip())], offset + m.start(), offset + m.start() + len(m.group().strip()))
                       for m in w.conditions.finditer(masked))
    hedges = tuple(Span(m.group(), offset + m.start(), offset + m.end()) for m in w.hedges.finditer(text))

    def free(m: re.Match[str]) -> bool:
        return not any(s <= offset + m.start() < e for s, e in skip)

    numbers = frozenset(m.group().replace(",", "").rstrip(".") for m in _NUMBER.finditer(text) if free(m)) | frozenset(
        m.group().lower() for m in re.finditer(r"[A-Za-z]+", text) if m.group().lower() in w.numbers and free(m))
    return ClaimFeatures(conditions, hedges, numbers)


def claim_dates(times: Sequence[TimeExpression], start: int, end: int) -> tuple[tuple[str, str], ...]:
    """Return (earliest, latest) of each calendar date named inside ``[start, end)``.

    Durations and vague references ("now", "at the time") name no date. "Since September" runs
    on without end, "until May" without beginning. A time left unresolved (the article's date is
    unknown) that names a month, weekday or year is kept as that word, ``("~march", "~march")``:
    two such words can still be told apart.
    """
    out = []
    for t in times:
        if not (start <= t.start and t.end <= end) or t.type not in {"DATE", "TIME"}:
            continue
        if t.value is None and (word := _CALENDAR_WORD.search(t.text)):
            out.append(("~" + word.group().lower(),) * 2)
            continue
        if t.granularity in _UNDATED_GRANULARITIES or t.earliest is None or t.latest is None:
            continue
        earliest = "0000-01-01" if t.modifier in _OPEN_EARLIEST else t.earliest
        latest = "9999-12-31" if t.modifier in _OPEN_LATEST else t.latest
        out.append((earliest, latest))
    return tuple(dict.fromkeys(out))


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


def _claim(doc: Doc, span: Span, sentence: Span, mentions: Sequence[Mention], times: Sequence[TimeExpression],
           attribution: int | None, extra_hedges: tuple[Span, ...] = (), speaker: str | None = None) -> Claim:
    timed = [(t.start, t.end) for t in times if span.start <= t.start and t.end <= span.end]
    f = claim_features(span.text, span.start, timed)
    sent_hedges = claim_features(sentence.text, sentence.start).hedges
    hedges = tuple({(h.start, h.end): h for h in (*f.hedges, *sent_hedges, *extra_hedges)}.values())
    clause = main_clause(doc, span.start, span.end, mentions, f.conditions, speaker)
    stance, holder = find_stance(doc, span.start, span.end, mentions, speaker)
    roles = clause.roles if holder is None else (*clause.roles, holder)
    return Claim(span.text, span.start, span.end, sentence, tuple(sorted(hedges, key=lambda h: h.start)), clause.negated,
                 f.conditions, attribution, _actors_in(mentions, sentence.start, sentence.end), roles,
                 clause.polarity_cues, tuple(sorted(f.numbers)), claim_dates(times, span.start, span.end), clause.predicate,
                 clause.verb, stance)


def claim_at(doc: Doc, start: int, end: int, mentions: Sequence[Mention], times: Sequence[TimeExpression] = ()) -> Claim:
    """Return the words at ``[start, end)`` of the parsed text read as one asserted claim (for a sentence on its own)."""
    words = text_of(doc)[start:end]
    span = Span(words, start, end)
    return _claim(doc, span, span, mentions, times, None)


def _attribution_hedges(att: Attribution) -> tuple[Span, ...]:
    """Anonymous sourcing is itself a hedge ("sources said")."""
    return (att.source,) if att.source is not None and att.source_kind == "anonymous" else ()


def _wraps_another(att: Attribution, attributions: Sequence[Attribution]) -> bool:
    """True when the content holds another attribution's cue and source: it only reports that telling."""
    return any(o is not att and o.cue is not None and o.source is not None and att.content.start <= o.cue.start
               and o.content.end <= att.content.end and att.content.start <= o.source.start for o in attributions)


def find_claims(doc: Doc, mentions: Sequence[Mention], attributions: Sequence[Attribution],
                times: Sequence[TimeExpression] = ()) -> tuple[Claim, ...]:
    """Return the article's claims in text order (see the module docstring).

    Args:
        doc: the parsed article text.
        mentions: its actor mentions (names, labels, resolved pronouns).
        attributions: its attributions, in the order their ``Claim.attribution_index`` counts.
        times: its resolved time expressions.
    """
    sentences = sentence_spans(doc)
    claims: list[Claim] = []
    covered: set[int] = set()
    for i, att in enumerate(attributions):
        sentence = _sentence_of(sentences, att.content.start)
        if sentence is None or len(att.content.text.split()) < 3:
            continue
        covered.add(sentence.start)
        if not _wraps_another(att, attributions):
            claims.append(_claim(doc, _trimmed(att.content), sentence, mentions, times, i, _attribution_hedges(att), att.source_name))
    for sentence in sentences:
        if sentence.start in covered or sentence.text.endswith("?") or len(sentence.text.split()) < _MIN_WORDS:
            continue
        claim = _claim(doc, sentence, sentence, mentions, times, None)
        if claim.actors or claim.roles or _NUMBER.search(sentence.text):
            claims.append(claim)
    return tuple(sorted(claims, key=lambda c: (c.start, c.end)))
