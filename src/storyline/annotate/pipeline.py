"""Run the annotation finders over parsed texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from ..models import TextAnnotations
from .nlp import DEFAULT_MODEL, parse
from .attribution import find_attributions
from .quotes import find_quotes

__all__ = ["annotate_doc", "annotate_texts"]


def annotate_doc(doc: Doc) -> TextAnnotations:
    """Return the mentions, quotes and attributions found in one parsed text."""
    quotes = tuple(find_quotes(doc))
    return TextAnnotations(quotes=quotes, attributions=tuple(find_attributions(doc, quotes)))


def annotate_texts(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> Iterator[TextAnnotations]:
    """Parse ``texts`` in batches and yield the annotations of each, in order."""
    for doc in parse(texts, model=model, batch_size=batch_size):
        yield annotate_doc(doc)
