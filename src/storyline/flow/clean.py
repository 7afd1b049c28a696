"""Step 2 of the flow, clean: a raw document becomes an article (no database).

A document stage is a plain function ``Draft -> Draft`` registered with the
Draft fields it requires and provides; :func:`check_stages` verifies the order
at import. The stages themselves live in :mod:`storyline.clean`. :func:`clean_batch`
is the batch unit (plain records in and out) that :func:`cleaned` runs in worker
processes for large inputs. The corpus steps (near-duplicates, outlet-wide
boilerplate) need the store: :mod:`storyline.flow.save`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from collections import deque
from itertools import chain, islice
from datetime import datetime, timezone
from typing import Any

import numpy as np

from ..clean.authors import split_authors
from ..clean.boilerplate import clean_boilerplate, split_paragraphs
from ..clean.dedup import article_id
from ..clean.html import extract_html
from ..clean.language import identify_language
from ..clean.metadata import infer_outlet, infer_published, strip_outlet_suffix, title_from_text
from ..clean.normalize import normalize_text
from ..clean.rules import line_key
from ..errors import ExtractError, StorylineError
from ..ingest.decode import scrub_surrogates
from ..models import Article, Evidence, Extraction, Failure, RawDocument, Removal
from ..settings import Settings
from .pool import ordered_map

__all__ = ["Draft", "Stage", "STAGES", "check_stages", "clean_document", "clean_batch", "cleaned", "reclean", "reanchor",
           "outlet_line_keys", "utc_now"]

CHUNK = 16
"""Documents per batch of :func:`clean_batch` in a worker process."""


@dataclass(frozen=True, slots=True)
class Draft:
    """An article on its way through the document stages."""

    raw: RawDocument
    extraction: Extraction | None = None
    raw_text: str = ""
    title: str | None = None
    text: str = ""
    removed: tuple[Removal, ...] = ()
    outlet: str | None = None
    published: str | None = None
    published_inferred: bool = False
    language: str | None = None
    evidence: tuple[Evidence, ...] = ()
    id: str = ""


@dataclass(frozen=True, slots=True)
class Stage:
    """A registered document stage."""

    name: str
    run: Callable[[Draft], Draft]
    requires: frozenset[str] = field(default_factory=frozenset)
    provides: frozenset[str] = field(default_factory=frozenset)


def _extract(d: Draft) -> Draft:
    if d.raw.html is None:
        return replace(d, raw_text=d.raw.text or "")
    ex = extract_html(d.raw.html, d.raw.url)
    return replace(d, extraction=ex, raw_text=ex.text)


def _normalize(d: Draft) -> Draft:
    text = normalize_text(d.raw_text)
    if not text:
        raise ExtractError("no text left after normalisation")
    return replace(d, raw_text=text, id=article_id(text))


def _title(d: Draft) -> Draft:
    declared = d.raw.title or (d.extraction.title if d.extraction else None)
    if declared and "title" in d.raw.set_by_user:
        chosen = normalize_text(declared)
        return replace(d, title=chosen, evidence=d.evidence + (Evidence.by_user("title", chosen),))
    if declared:
        return replace(d, title=normalize_text(declared))
    if d.extraction is not None:
        return d
    title, ev = title_from_text(d.raw_text)
    return replace(d, title=title, evidence=d.evidence + ((ev,) if ev else ()))


def _boilerplate(d: Draft) -> Draft:
    text, removed = clean_boilerplate(d.raw_text, title=d.title)
    if not text.strip():
        raise ExtractError("nothing but boilerplate: every line was removed")
    return replace(d, text=text, removed=removed)


def _metadata(d: Draft) -> Draft:
    ex, raw = d.extraction, d.raw
    via_feed, user = raw.feed is not None, raw.set_by_user
    outlet, out_ev = infer_outlet(
        declared=raw.outlet, sitename=ex.sitename if ex else None, title=d.title,
        url=raw.url or (ex.url if ex else None), body=d.text, via_feed=via_feed, by_user="outlet" in user,
    )
    published, inferred, pub_ev = infer_published(
        declared=raw.published, page_date=ex.date if ex else None, text=d.text, via_feed=via_feed,
        by_user="published" in user,
    )
    language, lang_ev = identify_language(d.text)
    if language is None and ex is not None and ex.language:  # unsure from the text: what the page declares
        language, lang_ev = ex.language, Evidence("language", ex.language, "html-lang", ex.language)
    title = strip_outlet_suffix(d.title, outlet) if d.title else None
    return replace(
        d, title=title, outlet=outlet, published=published, published_inferred=inferred, language=language,
        evidence=d.evidence + out_ev + pub_ev + ((lang_ev,) if lang_ev else ()),
    )


STAGES: tuple[Stage, ...] = (
    Stage("extract", _extract, frozenset({"raw"}), frozenset({"extraction", "raw_text"})),
    Stage("normalize", _normalize, frozenset({"raw_text"}), frozenset({"raw_text", "id"})),
    Stage("title", _title, frozenset({"raw_text", "extraction"}), frozenset({"title"})),
    Stage("boilerplate", _boilerplate, frozenset({"raw_text", "title"}), frozenset({"text", "removed"})),
    Stage("metadata", _metadata, frozenset({"text", "title", "extraction"}), frozenset({"title", "outlet", "published", "published_inferred", "language", "evidence"})),
)


def check_stages(stages: Sequence[Stage] = STAGES) -> None:
    """Raise ValueError if a stage requires a field no earlier stage provides."""
    known = {f.name for f in fields(Draft)}
    available = {"raw"}
    for stage in stages:
        unknown = (stage.requires | stage.provides) - known
        missing = stage.requires - available
        if unknown or missing:
            raise ValueError(f"stage {stage.name}: unknown fields {sorted(unknown)}, missing {sorted(missing)}")
        available |= stage.provides


check_stages()


def utc_now() -> str:
    """Return the current UTC time as an ISO timestamp (seconds), the form every record uses."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def clean_document(raw: RawDocument, settings: Settings | None = None) -> Article:
    """Run every document stage on one raw document and return the cleaned article.

    Raises:
        ExtractError: no article text could be found.
    """
    draft = Draft(raw=_scrubbed(raw))
    for stage in STAGES:
        draft = stage.run(draft)
    range_ = (draft.published, None) if draft.published_inferred else None
    return Article(
        id=draft.id, source=raw.source, text=draft.text, raw_text=draft.raw_text, title=draft.title,
        url=raw.url or (draft.extraction.url if draft.extraction else None), outlet=draft.outlet,
        authors=split_authors(raw.author or (draft.extraction.author if draft.extraction else None)),
        published=draft.published, published_inferred=draft.published_inferred, published_range=range_,
        language=draft.language, feed=raw.feed, removed=draft.removed,
        evidence=draft.evidence + tuple(Evidence("encoding", note, "decode", note) for note in draft.raw.notes),
        ingested_at=utc_now(),
    )


def _scrubbed(raw: RawDocument) -> RawDocument:
    """The document with lone surrogates replaced in every text field (no encoding, spaCy nor SQLite takes them), said in its notes."""
    changed: dict[str, Any] = {}
    count = 0
    for name in ("text", "html", "url", "title", "published", "outlet", "author", "feed"):
        value = getattr(raw, name)
        if isinstance(value, str):
            clean, n = scrub_surrogates(value)
            if n:
                changed[name], count = clean, count + n
    if not count:
        return raw
    return replace(raw, **changed, notes=(*raw.notes, f"{count} lone surrogate(s) (no character) replaced with U+FFFD"))


def outlet_line_keys(text: str, max_words: int = 20) -> set[str]:
    """Return the comparison keys of the short paragraphs of ``text`` (candidates for outlet-wide boilerplate)."""
    return {line_key(p.text) for p in split_paragraphs(text) if len(p.text.split()) <= max_words}


def reclean(article: Article, repeated: Iterable[str], reason: str) -> Article:
    """Re-run boilerplate removal with lines the corpus shows to be boilerplate; re-anchor text evidence."""
    text, removed = clean_boilerplate(article.raw_text, title=article.title, repeated=set(repeated), repeated_reason=reason)
    if text == article.text or not text.strip():
        return article
    evidence = tuple(reanchor(e, text) for e in article.evidence)
    return replace(article, text=text, removed=removed, evidence=evidence)


def reanchor(ev: Evidence, text: str) -> Evidence:
    """Return text evidence with its offsets moved to where its words are in ``text`` (none when they are gone)."""
    if ev.start is None:
        return ev
    pos = text.find(ev.text)
    return replace(ev, start=pos, end=pos + len(ev.text)) if pos >= 0 else replace(ev, start=None, end=None)


def signature_bytes(sig: np.ndarray) -> bytes:
    """Return a MinHash signature as little-endian bytes for storage."""
    return sig.astype("<u8").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    """Return a stored MinHash signature as an array."""
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)




def clean_one(item: RawDocument) -> Article | Failure:
    """Clean one document; a document that cannot be cleaned becomes a failure naming it and the reason."""
    try:
        return clean_document(item)
    except StorylineError as exc:
        return Failure(item.source, str(exc))
    except Exception as exc:  # one pathological document must not stop the batch
        return Failure(item.source, f"internal error while cleaning ({type(exc).__name__}: {exc}); please report it")


def clean_batch(items: list[RawDocument]) -> list[Article | Failure]:
    """The batch unit of cleaning: each document's article or failure, in order."""
    return [clean_one(item) for item in items]


def cleaned(items: Iterable[RawDocument | Failure], workers: int, scheduler: str = "") -> Iterator[tuple[RawDocument | Failure, Article | Failure]]:
    """Yield (input, cleaned article or failure) in input order; inputs that failed to read pass through.

    From two full batches on, batches are cleaned in ``workers`` processes (:func:`storyline.flow.pool.ordered_map`).
    """
    stream = iter(items)
    first = list(islice(stream, CHUNK * 2))
    chunks: deque[list[RawDocument | Failure]] = deque()

    def documents() -> Iterator[list[RawDocument]]:
        rest = iter(lambda: list(islice(stream, CHUNK)), [])
        for chunk in chain((first[i:i + CHUNK] for i in range(0, len(first), CHUNK)), rest):
            chunks.append(chunk)
            yield [d for d in chunk if isinstance(d, RawDocument)]

    small = len(first) < CHUNK * 2
    for results in ordered_map(clean_batch, documents(), 1 if small else workers, preload=["storyline.flow.clean"], scheduler=scheduler):
        out = iter(results)
        for item in chunks.popleft():
            yield item, item if isinstance(item, Failure) else next(out)
