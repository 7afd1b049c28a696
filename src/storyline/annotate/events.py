"""Dated events: each sentence with a resolved time expression, its actors and, for reported speech, when it was said."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from ..models import Event, Mention, Quote, Span, TimeExpression
from .nlp import sentences, text_of

__all__ = ["find_events", "is_datable"]

_UNDATABLE = {None, "vague", "duration"}
_SAID_REACH = 30  # characters between a reporting cue and the time that dates the saying ("said on Wednesday")


def is_datable(t: TimeExpression) -> bool:
    """Return True when ``t`` puts something on a timeline: a resolved date or time, not vague, not a duration."""
    return t.value is not None and t.type in {"DATE", "TIME"} and t.granularity not in _UNDATABLE


def _quote_in(quotes: Sequence[Quote], start: int, end: int) -> int | None:
    for i, q in enumerate(quotes):
        cue = q.cue
        if cue is not None and start <= cue.start < end:
            return i
    for i, q in enumerate(quotes):
        if start <= q.start < end or q.start <= start < q.end:
            return i
    return None


def _said_time(dated: list[TimeExpression], quote: Quote | None, sent_start: int, text: str) -> TimeExpression | None:
    """The time that dates the act of saying: next to the cue, or opening the sentence ("On Wednesday, X said")."""
    if quote is None or quote.cue is None:
        return None
    cue = quote.cue
    near = [t for t in dated if min(abs(t.start - cue.end), abs(cue.start - t.end)) <= _SAID_REACH]
    if near:
        return min(near, key=lambda t: min(abs(t.start - cue.end), abs(cue.start - t.end)))
    first = dated[0]
    lead = text[sent_start:first.start].strip(" “\"'").lower()
    if lead in {"", "on", "in", "at", "by"} and not quote.start <= first.start < quote.end:
        return first
    return None


def find_events(doc: Doc, times: Sequence[TimeExpression], mentions: Sequence[Mention], quotes: Sequence[Quote]) -> tuple[Event, ...]:
    """Return one event per datable time expression in each sentence (the saying's own date kept apart)."""
    text = text_of(doc)
    events: list[Event] = []
    for sent in sentences(doc):
        start, end = sent.start_char, sent.end_char
        dated = [t for t in times if start <= t.start < end and is_datable(t)]
        if not dated:
            continue
        qi = _quote_in(quotes, start, end)
        said = _said_time(dated, quotes[qi] if qi is not None else None, start, text)
        happened = [t for t in dated if t is not said] or ([said] if said else [])
        actors = tuple(dict.fromkeys(m.name for m in mentions if start <= m.start < end))
        sentence = Span(text[start:end], start, end)
        events.extend(Event(sentence, t, actors, said, qi) for t in happened)
    return tuple(events)
