"""Run the annotation finders over parsed texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from ..models import Mention, Quote, TextAnnotations
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


def annotate_doc(doc: Doc) -> TextAnnotations:
    """Return the mentions, quotes and attributions found in one parsed text."""
    quotes = tuple(find_quotes(doc))
    canonical = canonical_names(doc)
    mentions = [*name_mentions(doc), *find_labels(doc, canonical), *_pronoun_mentions(quotes)]
    return TextAnnotations(
        mentions=tuple(sorted(mentions, key=lambda m: (m.start, m.end))),
        quotes=quotes,
        attributions=tuple(find_attributions(doc, quotes)),
    )


def annotate_texts(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> Iterator[TextAnnotations]:
    """Parse ``texts`` in batches and yield the annotations of each, in order."""
    for doc in parse(texts, model=model, batch_size=batch_size):
        yield annotate_doc(doc)
