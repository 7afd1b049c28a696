"""Run the annotation finders over parsed texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from ..models import Attribution, Mention, Quote, TextAnnotations, TimeExpression
from .actors import canonical_names, name_mentions
from .labels import find_labels
from .lexicon import load_lexicon
from .nlp import DEFAULT_MODEL, parse, text_of
from .attribution import find_attributions
from .claims import find_claims
from .events import find_events
from .pubdate import infer_published_range
from .quotes import find_quotes
from .timex import find_time_expressions, text_anchors

__all__ = ["ArticleText", "annotate_doc", "annotate_texts", "annotate_articles", "corpus_anchors"]


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What the annotation pass needs of one article: its text and what is known of its date."""

    text: str
    published: str | None = None
    published_inferred: bool = False


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


def _times(text: str, article: ArticleText, anchors: Mapping[str, str] | None) -> tuple[tuple[TimeExpression, ...], TextAnnotations]:
    """Resolve the text's time expressions; for an undated article infer a range and resolve again against it."""
    times = find_time_expressions(text, article.published, anchors=anchors, inferred=article.published_inferred)
    if article.published:
        return times, TextAnnotations()
    inferred = infer_published_range(text, times)
    if inferred is None:
        return times, TextAnnotations()
    if inferred.reference:
        times = find_time_expressions(text, inferred.reference, anchors=anchors, inferred=True)
    return times, TextAnnotations(published_range=(inferred.earliest, inferred.latest), published_evidence=inferred.evidence)


def annotate_doc(doc: Doc, article: ArticleText | None = None, *, anchors: Mapping[str, str] | None = None) -> TextAnnotations:
    """Return the mentions, quotes, attributions, time expressions, dated events and claims found in one parsed text.

    Args:
        doc: the parsed text.
        article: its publication date, if known (relative times stay unresolved without one).
        anchors: start dates the corpus knows for named periods, for anchored durations.
    """
    canonical = canonical_names(doc)
    labels = list(find_labels(doc, canonical))
    quotes = tuple(_named_by_label(q, labels) for q in find_quotes(doc))
    mentions = tuple(sorted([*name_mentions(doc), *labels, *_pronoun_mentions(quotes)], key=lambda m: (m.start, m.end)))
    times, dating = _times(text_of(doc), article or ArticleText(text_of(doc)), anchors)
    attributions = tuple(_person_by_label(a, labels) for a in find_attributions(doc, quotes))
    return replace(
        dating,
        mentions=mentions,
        quotes=quotes,
        attributions=attributions,
        times=times,
        events=find_events(doc, times, mentions, quotes),
        claims=find_claims(text_of(doc), mentions, attributions),
    )


def _person_by_label(att: Attribution, labels: list[Mention]) -> Attribution:
    """A source given as an epithet the labels resolved ("the president") is a named person."""
    if att.source is None or att.source_kind not in {"unknown", "anonymous"}:
        return att
    hit = any(label.start <= att.source.start < label.end or att.source.start <= label.start < att.source.end for label in labels)
    return replace(att, source_kind="person", count=None) if hit else att


def annotate_texts(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> Iterator[TextAnnotations]:
    """Parse ``texts`` (of unknown date) in batches and yield the annotations of each, in order."""
    return annotate_articles((ArticleText(t) for t in texts), model=model, batch_size=batch_size)


def annotate_articles(
    articles: Iterable[ArticleText], *, model: str = DEFAULT_MODEL, batch_size: int = 32, anchors: Mapping[str, str] | None = None
) -> Iterator[TextAnnotations]:
    """Parse the articles' texts in batches and yield the annotations of each, in order."""
    pending: list[ArticleText] = []

    def texts() -> Iterator[str]:
        for article in articles:
            pending.append(article)
            yield article.text

    for doc in parse(texts(), model=model, batch_size=batch_size):
        yield annotate_doc(doc, pending.pop(0), anchors=anchors)


def corpus_anchors(texts: Iterable[str]) -> dict[str, str]:
    """Return the start dates that any of ``texts`` gives for named periods ("war" -> "2022-02-24"), first found wins."""
    found: dict[str, str] = {}
    for text in texts:
        for key, anchor in text_anchors(text).items():
            found.setdefault(key, anchor.start.isoformat())
    return found
