"""Frozen records shared by every stage.

A stage takes records and returns new ones (``dataclasses.replace``); nothing
here is ever mutated. Every inferred value carries :class:`Evidence` pointing at
the words it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "RawDocument", "Removal", "Evidence", "Extraction", "Article", "Failure", "IngestSummary",
    "Span", "Mention", "Quote", "Attribution", "Actor", "TextAnnotations",
]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as it arrived, before any cleaning.

    Exactly one of ``text`` or ``html`` is set. Metadata fields are what the
    source itself declared (JSON fields, feed entry fields); ``None`` when the
    source said nothing.
    """

    source: str
    """Where it came from: a file path, a URL, or ``path#line`` for JSONL."""
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    feed: str | None = None
    """The feed URL or path when the document was reached through a feed."""


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of text the cleaner cut, with the reason.

    ``start``/``end`` are character offsets into the article's ``raw_text``
    (the text before boilerplate removal).
    """

    text: str
    reason: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an inferred value has the value it has.

    ``start``/``end`` are offsets into the cleaned ``text`` when the words come
    from the article body, else ``None`` (page metadata, URL, feed).
    """

    field: str
    """The value it supports: ``outlet``, ``published``, ``published_range``, ``title``."""
    value: str
    method: str
    """How it was found, e.g. ``html-meta``, ``url-host``, ``title-suffix``, ``caption``."""
    text: str
    """The words (or the metadata value) it came from."""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Main text and metadata pulled out of a web page."""

    text: str
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    date: str | None = None
    language: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article, ready to store."""

    id: str
    source: str
    text: str
    """Cleaned main text."""
    raw_text: str
    """Text after extraction and normalisation, before boilerplate removal."""
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    """ISO date (YYYY-MM-DD) or ``None`` when unknown."""
    published_inferred: bool = False
    published_range: tuple[str | None, str | None] | None = None
    """(earliest, latest) bounds when inferred from the text; either may be ``None``."""
    language: str | None = None
    feed: str | None = None
    removed: tuple[Removal, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    duplicate_of: str | None = None
    ingested_at: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """One input that could not be ingested, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ``ingest`` run did."""

    ingested: tuple[str, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()
    """(article id, id of the article it duplicates) for near-duplicates stored this run."""
    skipped: tuple[tuple[str, str], ...] = ()
    """(source, reason) for inputs already stored with identical content."""
    failed: tuple[Failure, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Return True when nothing failed."""
        return not self.failed


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of an article's cleaned text: the words and their character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One reference to an actor in one article.

    ``kind`` is ``name`` ("Vladimir Putin", "Putin"), ``label`` (a descriptive phrase:
    "Russian President", "the Kremlin chief") or ``pronoun`` ("he" resolved to a speaker).
    """

    text: str
    start: int
    end: int
    kind: str
    entity_type: str
    """PERSON, ORG, GPE or NORP."""
    name: str
    """The name this mention stands for, in the article's own words ("Vladimir Putin")."""
    evidence: str = ""
    """For labels and pronouns: the rule that tied it to ``name``."""


@dataclass(frozen=True, slots=True)
class Quote:
    """Something an article reports someone as saying, directly (in quote marks) or indirectly."""

    text: str
    start: int
    end: int
    direct: bool
    speaker: Span | None = None
    """The words naming the speaker in the text ("Putin", "he", "another senior Russian source")."""
    speaker_name: str | None = None
    """The speaker resolved to a name, when the text allows (pronouns resolved to an earlier name)."""
    cue: Span | None = None
    """The reporting verb or phrase ("said", "told reporters", "according to")."""


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a piece of reported information came from, through whom.

    ``via`` lists the intermediaries from nearest to farthest (the outlet the article
    cites, then the outlet that one cites); ``source`` is the ultimate source.
    """

    content: Span
    source: Span | None
    source_kind: str
    """person, organisation, outlet, anonymous, document or unknown."""
    count: int | None = None
    """How many sources, when the text says ("four sources" -> 4)."""
    cue: Span | None = None
    via: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Actor:
    """A corpus-level actor: every name variant that refers to one person or organisation."""

    id: str
    name: str
    type: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TextAnnotations:
    """Everything the annotation stage finds in one text."""

    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    attributions: tuple[Attribution, ...] = ()
