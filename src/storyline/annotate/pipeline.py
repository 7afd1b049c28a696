"""Run the annotation finders over parsed texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc

from ..models import Attribution, Mention, Quote, TextAnnotations
from .actors import canonical_names, name_mentions
from .labels import find_labels
from .lexicon import load_lexicon
from .nlp import DEFAULT_MODEL, parse
from .attribution import find_attributions
from .quotes import find_quotes

__all__ = ["annotate_doc", "annotate_texts"]


def _pronoun_mentions(quotes: tuple[Quote, ...]) -> Iterator[Mention]:
    lex = load_lexicon()
    for q in quotes:
        if q.speaker and q.speaker_name and q.speaker.text.lower() in lex.singular_pronouns:
            yield Mention(q.speaker.text, q.speaker.start, q.speaker.end, "pronoun", "PERSON", q.speaker_name,
                          "speaker pronoun resolved to the nearest earlier person")


def _named_by_label(quote: Quote, labels: list[Mention]) -> Quote:
    """A speaker given as an epithet ("the president said") takes the name the label resolved to."""
    if quote.speaker is None:
        return quote
    for label in labels:
        if label.start <= quote.speaker.start < label.end or quote.speaker.start <= label.start < quote.speaker.end:
            if quote.speaker_name in (None, quote.speaker.text):
                return replace(quote, speaker_name=label.name)
    return quote


def annotate_doc(doc: Doc) -> TextAnnotations:
    """Return the mentions, quotes and attributions found in one parsed text."""
    canonical = canonical_names(doc)
    labels = list(find_labels(doc, canonical))
    quotes = tuple(_named_by_label(q, labels) for q in find_quotes(doc))
    mentions = [*name_mentions(doc), *labels, *_pronoun_mentions(quotes)]
    return TextAnnotations(
        mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end))),
        quotes=quotes,
        attributions=tuple(_person_by_label(a, labels) for a in find_attributions(doc, quotes)),
    )


def _person_by_label(att: Attribution, labels: list[Mention]) -> Attribution:
    """A source given as an epithet the labels resolved ("the president") is a named person."""
    if att.source is None or att.source_kind not in {"unknown", "anonymous"}:
        return att
    hit = any(label.start <= att.source.start < label.end or att.source.start <= label.start < att.source.end for label in labels)
    return replace(att, source_kind="person", count=None) if hit else att


def annotate_texts(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> Iterator[TextAnnotations]:
    """Parse ``texts`` in batches and yield the annotations of each, in order."""
    for doc in parse(texts, model=model, batch_size=batch_size):
        yield annotate_doc(doc)
