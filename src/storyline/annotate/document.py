"""Run the annotation finders over parsed texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import islice

from spacy.tokens import Doc

from ..models import Attribution, Mention, Quote, Span, TextAnnotations, TimeExpression
from .actors import canonical_names, name_mentions
from .labels import find_labels
from .lexicon import load_lexicon
from .nlp import DEFAULT_MODEL, parse, sentence_spans, text_of
from .attribution import find_attributions
from .claims import find_claims
from .events import find_events
from .time.pubdate import infer_published_range
from .quotes import find_quotes
from .time.expressions import find_time_expressions

__all__ = ["ArticleText", "annotate_doc", "annotate_texts", "annotate_articles", "annotate_each"]


@dataclass(frozen=True, slots=True)
class ArticleText:
    """What the annotation pass needs of one article: its text and what is known of its date."""

    text: str
    published: str | None = None
    published_inferred: bool = False


def _pronoun_mentions(quotes: tuple[Quote, ...]) -> Iterator[Mention]:
    """One mention per speaker pronoun, however many quotes it speaks ("He said ... and added ...")."""
    lex = load_lexicon()
    seen: set[int] = set()
    for q in quotes:
        if q.speaker and q.speaker_name and q.speaker.text.lower() in lex.singular_pronouns and q.speaker.start not in seen:
            seen.add(q.speaker.start)
            yield Mention(q.speaker.text, q.speaker.start, q.speaker.end, "pronoun", "PERSON", q.speaker_name,
                          "speaker pronoun resolved to the nearest earlier person")


def _head_label(doc: Doc, words: Span | None, labels: list[Mention]) -> Mention | None:
    """The label that names the phrase itself: it covers the phrase's head word ("the Russian leader"),
    not merely a modifier of it ("one source familiar with the dictator" is a source, not the dictator)."""
    if words is None:
        return None
    phrase = doc.char_span(words.start, words.end, alignment_mode="expand")
    if phrase is None or len(phrase) == 0:
        return None
    head = phrase.root
    return next((m for m in labels if m.start <= head.idx < m.end), None)


def _speaker_name(doc: Doc, words: Span | None, current: str | None, labels: list[Mention], names: list[Mention]) -> str | None:
    """The one resolution of a speaker's or source's words to a name, for quotes and attributions alike:

    1. a label naming the phrase itself ("the president said") is the person it resolved to;
    2. a name the quote finder resolved that is an actor's mention name (pronouns resolved there) stays;
    3. a name mention at the phrase's head ("Donald" in "Donald Trump fuming, who said") is that actor.
    """
    label = _head_label(doc, words, labels)
    if label is not None:
        return label.name
    if current is not None and any(m.name == current for m in (*names, *labels)):
        return current
    named = _head_label(doc, words, names)
    return named.name if named is not None else current


def _named(doc: Doc, quote: Quote, labels: list[Mention], names: list[Mention]) -> Quote:
    if quote.speaker is None:
        return quote
    name = _speaker_name(doc, quote.speaker, quote.speaker_name, labels, names)
    return quote if name == quote.speaker_name else replace(quote, speaker_name=name)


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
    names = list(name_mentions(doc))
    quotes = tuple(_named(doc, q, labels, names) for q in find_quotes(doc))
    mentions = tuple(sorted(dict.fromkeys([*names, *labels, *_pronoun_mentions(quotes)]), key=lambda m: (m.start, m.end)))
    times, dating = _times(text_of(doc), article or ArticleText(text_of(doc)), anchors)
    known = {m.name for m in mentions}
    speakers = {(q.start, q.end): q.speaker_name for q in quotes if q.speaker_name in known}
    attributions = tuple(_resolved_source(doc, a, labels, names, speakers) for a in find_attributions(doc, quotes))
    return replace(
        dating,
        mentions=mentions,
        quotes=quotes,
        attributions=attributions,
        times=times,
        events=find_events(doc, times, mentions, quotes),
        claims=find_claims(doc, mentions, attributions, times),
        sentences=tuple((s.start, s.end) for s in sentence_spans(doc)),
    )


def _resolved_source(doc: Doc, att: Attribution, labels: list[Mention], names: list[Mention],
                     speakers: dict[tuple[int, int], str]) -> Attribution:
    """Give the source the name its quote's speaker has (the attribution of a quote), or the name
    :func:`_speaker_name` resolves its words to, so quotes, sources and claims agree. A label naming the
    source makes it a person; unnamed sources, outlets and documents keep no name."""
    if att.source is None or att.source_kind in {"document", "outlet"}:
        return att
    labelled = _head_label(doc, att.source, labels) is not None
    if att.source_kind == "anonymous" and not labelled:
        return att
    name = speakers.get((att.content.start, att.content.end)) or _speaker_name(doc, att.source, None, labels, names)
    if labelled:
        return replace(att, source_name=name, source_kind="person", count=None)
    return replace(att, source_name=name) if name else att


def annotate_texts(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> Iterator[TextAnnotations]:
    """Parse ``texts`` (of unknown date) in batches and yield the annotations of each, in order."""
    return annotate_articles((ArticleText(t) for t in texts), model=model, batch_size=batch_size)


def annotate_articles(
    articles: Iterable[ArticleText], *, model: str = DEFAULT_MODEL, batch_size: int = 32, anchors: Mapping[str, str] | None = None
) -> Iterator[TextAnnotations]:
    """Parse the articles' texts in batches and yield the annotations of each, in order (the first
    article's failure raises: :func:`annotate_each` yields it in its place instead)."""
    for result in annotate_each(articles, model=model, batch_size=batch_size, anchors=anchors):
        if isinstance(result, Exception):
            raise result
        yield result


def annotate_each(
    articles: Iterable[ArticleText], *, model: str = DEFAULT_MODEL, batch_size: int = 32, anchors: Mapping[str, str] | None = None
) -> Iterator[TextAnnotations | Exception]:
    """Parse the articles' texts in batches and yield the annotations of each, in order; one article's
    failure is yielded in its place (the exception) instead of ending the run: a batch whose parse
    fails is parsed again article by article."""
    stream = iter(articles)
    while group := list(islice(stream, batch_size)):
        try:
            docs: list[Doc | Exception] = list(parse((a.text for a in group), model=model, batch_size=batch_size))
        except Exception:  # noqa: BLE001 - find the article it was, parse the others
            docs = [_parse_one(a.text, model) for a in group]
        for doc, item in zip(docs, group):
            if isinstance(doc, Exception):
                yield doc
                continue
            try:
                yield annotate_doc(doc, item, anchors=anchors)
            except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the others
                yield exc


def _parse_one(text: str, model: str) -> Doc | Exception:
    try:
        return next(parse([text], model=model))
    except Exception as exc:  # noqa: BLE001
        return exc
