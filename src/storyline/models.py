"""Frozen records shared by every stage.

A stage takes records and returns new ones (``dataclasses.replace``); nothing
here is ever mutated. Every inferred value carries :class:`Evidence` pointing at
the words it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np

__all__ = [
    "RawDocument", "Removal", "Evidence", "USER_METHOD", "USER_WORDS", "Extraction", "Article", "Failure", "IngestSummary",
    "Span", "Mention", "Quote", "Attribution", "Actor", "TimeExpression", "Event", "Claim", "TextAnnotations",
    "Story", "Thread", "ClaimRole", "ClaimStance", "ClaimAppearance", "ClaimOrigin", "OriginCount", "RelatedClaim", "ClaimGroup", "LoadedTerm", "ArticleFraming",
    "VECTOR_DIMENSIONS", "ACTOR_KEY", "LinkedDoc", "StoryAssignment", "ClaimRecord", "Verdict", "ClaimLink",
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
    """The byline as the source declared it; names the source listed one by one are joined by "; " (the
    cleaner splits it into :attr:`Article.authors`: :func:`storyline.clean.authors.split_authors`)."""
    feed: str | None = None
    """The feed URL or path when the document was reached through a feed."""
    notes: tuple[str, ...] = ()
    """What a reader should know about how its bytes were read ("not valid UTF-8: decoded as cp1251 ...")."""
    set_by_user: tuple[str, ...] = ()
    """The metadata fields (outlet, published, title, author) the user set (``ingest --outlet``, a sidecar
    ``.meta.json``): they win over what the source declared and over inference, and say so in the evidence."""


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

    @staticmethod
    def by_user(field: str, value: str, *, was: str | None = None) -> Evidence:
        """Return the evidence for a value the user set (method ``user``, the words "set by the user").

        Args:
            was: for a correction of a stored article, the value it replaced ("unknown" when there was
                none): the words then read "set by the user (was: Harbour Ledger)".
        """
        return Evidence(field, value, USER_METHOD, USER_WORDS + (f" (was: {was})" if was is not None else ""))


USER_METHOD = "user"
"""The evidence method of a value the user set (ingest flags, sidecars, manifests, corrections)."""
USER_WORDS = "set by the user"
"""The evidence words of a value the user set."""


@dataclass(frozen=True, slots=True)
class PageDate:
    """A web page's publication day (``YYYY-MM-DD``) and how it was found."""

    day: str
    method: str = "html-meta"
    """byline, html-meta, json-ld, url, htmldate or htmldate-extensive."""
    evidence: str = ""
    """The words or the metadata value it was read from (the day itself when nothing more)."""
    inferred: bool = False
    """True for a date searched for anywhere in the page (htmldate's extensive search): a guess."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """Main text and metadata pulled out of a web page."""

    text: str
    title: str | None = None
    author: str | None = None
    """The byline trafilatura found; several names are joined by "; " (several ``<meta name="author">``,
    a JSON-LD author list)."""
    sitename: str | None = None
    date: PageDate | None = None
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
    authors: tuple[str, ...] = ()
    """The names in the byline, in order; empty when none is declared."""
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
    warnings: tuple[tuple[str, str], ...] = ()
    """(source, note) for inputs stored with a caveat (damaged bytes, a guessed encoding, text cut to a budget)."""
    updated: tuple[tuple[str, str], ...] = ()
    """(source, article id) for pages read again with edited text: stored as a new version of that article
    (docs/versions.md), neither ingested nor a duplicate."""

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

    @property
    def quoted_words(self) -> bool:
        """An indirect quote holding words in quote marks ("said the plan was “dead on arrival”"): a mixed quote.

        Read from the text (opening or double marks; ’ and ' alone are apostrophes), so every view agrees."""
        return not self.direct and (any(mark in self.text for mark in "\"“”„«»‘") or "''" in self.text)


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
    source_name: str | None = None
    """The source resolved to a name (as in :attr:`Mention.name`) when its words are a name, a label
    or a pronoun of one ("the dictator" -> "Vladimir Putin"); the same resolution quotes use."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A corpus-level actor: every name variant that refers to one person or organisation."""

    id: str
    name: str
    type: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression in an article, normalised against the article's own date.

    ``value`` follows TimeML's TIMEX3 conventions where they exist: ``2022-02-24`` (day),
    ``2024-W21`` (ISO week), ``2022-09`` (month), ``2023-FA`` (season: SP, SU, FA, WI; a
    winter belongs to the year of its December), ``2024-Q1`` (quarter), ``2022`` (year),
    ``202`` (decade: the 2020s), durations as ``P22M``, vague references as ``PAST_REF``,
    ``PRESENT_REF`` or ``FUTURE_REF``; an interval with no TimeML form ("in recent weeks")
    is ``START/END`` in ISO dates with granularity ``range``. ``earliest``/``latest`` are
    the first and last day the value covers. A relative expression in an article with no
    known date keeps ``value = None`` (``kind = "unresolved"``): never guessed.
    """

    text: str
    start: int
    end: int
    type: str
    """TimeML type: DATE, TIME, DURATION or SET."""
    value: str | None
    granularity: str | None
    """day, week, month, season, quarter, year, decade, century, range, time or duration; None when unresolved."""
    kind: str
    """absolute ("May 23, 2024"), partial ("in September"), relative ("last week"), anchored
    ("22 months" into a dated war), duration ("for three months"), unresolved."""
    earliest: str | None = None
    latest: str | None = None
    modifier: str | None = None
    """early, mid, late, start, end, since, until, before, after, approx, at-least."""
    certain: bool = True
    """False for approximate expressions ("about two years ago", "in recent weeks", "since at least")."""
    anchor: str | None = None
    """What a relative or anchored value was resolved against ("published 2024-05-23")."""
    rule: str = ""
    """The rule that matched and resolved it: the evidence for the value."""


@dataclass(frozen=True, slots=True)
class Event:
    """A sentence with a resolved time expression: something dated that the article reports.

    Three dates are kept apart: ``happened`` (when it took place, from ``time``), ``said``
    (for reported speech: when the speaker said it, if the text dates the saying) and the
    article's publication date (stored with the article).
    """

    sentence: Span
    time: TimeExpression
    actors: tuple[str, ...] = ()
    """Names (in the article's words, as in :attr:`Mention.name`) of the actors in the sentence."""
    said: TimeExpression | None = None
    quote_index: int | None = None
    """Index into :attr:`TextAnnotations.quotes` of the quote this sentence reports, if any."""


@dataclass(frozen=True, slots=True)
class Claim:
    """A check-worthy statement in one article: a factual assertion about actors or events.

    ``text``/``start``/``end`` are the asserted words (the reported content for attributed
    claims, else the sentence). Hedges, negation and conditions are kept with the claim, so
    "ready for talks" and "ready for talks only if ..." stay apart.
    """

    text: str
    start: int
    end: int
    sentence: Span
    hedges: tuple[Span, ...] = ()
    """Words that weaken it: "reportedly", "may", "sources said", "signalled"."""
    negated: bool = False
    conditions: tuple[Span, ...] = ()
    """Conditions attached to it: "only if Kyiv cedes land", "unless ...", "provided that ..."."""
    attribution_index: int | None = None
    """Index into :attr:`TextAnnotations.attributions` of the attribution it is reported through."""
    actors: tuple[str, ...] = ()
    """Names of the actors it is about (as in :attr:`Mention.name`)."""
    roles: tuple[ClaimRole, ...] = ()
    """Who does what to whom: the actors filling the agent and patient roles of its main clause."""
    polarity_cues: tuple[Span, ...] = ()
    """The words that set its polarity ("not", "rejected", "remote"); ``negated`` is their parity."""
    figures: tuple[str, ...] = ()
    """The numbers it states, outside its time expressions ("28", "seven")."""
    dates: tuple[tuple[str, str], ...] = ()
    """(earliest, latest) of each calendar date it names, from the article's resolved time expressions."""
    predicate: str = ""
    """Its words without the subject phrase ("is ready to start negotiations"): what is said of the agent."""
    verb: str = ""
    """The lemma of its main clause's root ("decide", "call", "be")."""
    stance: ClaimStance | None = None
    """The stance it says an actor holds ("ready for a ceasefire"), whose holders are its ``holder`` roles."""


@dataclass(frozen=True, slots=True)
class ClaimStance:
    """A stance a claim says an actor holds towards something: "Putin is ready for a ceasefire"."""

    kind: str
    """The kind of stance (``ready``: ready, willing, open, prepared), from ``annotate/data/claims.toml``."""
    topic: str
    """What it is towards, by topic (``peace``: a ceasefire, talks, negotiations), or "" when no topic's word names it."""
    word: Span
    """The stance word ("willingness")."""
    object: Span
    """The head words of what it is towards ("to hold one-on-one talks")."""


@dataclass(frozen=True, slots=True)
class ClaimRole:
    """One actor in one role of a claim's main clause: ``agent`` (who acts), ``patient`` (acted on) or
    ``holder`` (whose stance it states: "Putin's openness to a ceasefire")."""

    role: str
    name: str
    """The actor's name (as in :attr:`Mention.name`)."""
    text: str
    """The words in the claim that name it ("he", "the dictator", "Putin")."""
    start: int
    end: int
    evidence: str = ""
    """How the words were tied to the name (a mention, or a pronoun resolved to the nearest earlier person)."""


@dataclass(frozen=True, slots=True)
class TextAnnotations:
    """Everything the annotation stage finds in one text."""

    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    published_range: tuple[str | None, str | None] | None = None
    """For an undated article: the publication-date bounds its text supports (see annotate/time/pubdate.py)."""
    published_evidence: tuple[Evidence, ...] = ()
    claims: tuple[Claim, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    """(start, end) of every sentence of the parse, in text order: the one sentence split every later step reads."""


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that report the same event or the same report."""

    id: str
    title: str | None
    article_ids: tuple[str, ...]
    thread_id: str
    first_published: str | None = None
    last_published: str | None = None


@dataclass(frozen=True, slots=True)
class Thread:
    """Stories that form one ongoing narrative over months or years."""

    id: str
    title: str | None
    story_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimAppearance:
    """One telling of a claim: where, by whom, when, through which sources, with which hedges."""

    claim_id: str
    """Article id + ":c" + number."""
    article_id: str
    outlet: str | None
    published: str | None
    text: str
    sentence: str
    start: int
    end: int
    hedges: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    negated: bool = False
    attribution_id: str | None = None
    origin: str = ""
    """The ultimate origin in words (:attr:`ClaimOrigin.name`)."""
    chain: tuple[str, ...] = ()
    """The chain in words, outlet first: ("Kyiv Post", "The New York Times", "two former officials")."""
    resolved: ClaimOrigin | None = None
    """The ultimate origin as decided when the claim was linked (None in databases linked before it was kept)."""
    join: str = ""
    """Why it is in its group: the rule, the similarity and the matched actors of its join ("" for the first)."""


@dataclass(frozen=True, slots=True)
class ClaimOrigin:
    """Where one appearance of a claim ultimately comes from, after following its chain.

    ``kind`` is ``person`` or ``organisation`` (an actor's own statement: ``actor`` holds its
    name), ``outlet`` (an outlet's own reporting or a report it published), ``anonymous``
    (unnamed sources, one origin per outlet that obtained them and description), ``document``
    (a document with no publisher named) or ``unknown`` (an unattributed assertion of an article
    whose outlet is unknown, or a source the text does not let us name). ``flagged`` origins
    are shown but never counted as certain.
    """

    key: str
    """What two appearances must share to have the same origin ("actor:vladimir putin", "outlet:reuters",
    "anonymous:reuters:source")."""
    kind: str
    name: str
    """How it reads: "Vladimir Putin", "Reuters", "sources of Reuters (4)", "unknown outlet of article 31cd…"."""
    actor: str | None = None
    outlet: str | None = None
    """The outlet that published or obtained it."""
    count: int | None = None
    """How many unnamed sources, when the text says."""
    flagged: bool = False
    evidence: str = ""
    """The rule that resolved it and the words it came from."""


@dataclass(frozen=True, slots=True)
class OriginCount:
    """One origin of a claim group, the appearances behind it, and why it counts apart from the others."""

    origin: ClaimOrigin
    claim_ids: tuple[str, ...]
    dates: tuple[str, ...]
    why: str
    """Why it is independent of the others ("its own public statement", "its own sources", ...)."""
    maybe_same_as: tuple[str, ...] = ()
    """Keys of other origins it may be the same as (then the group's count is a range)."""


@dataclass(frozen=True, slots=True)
class RelatedClaim:
    """A claim group kept apart from another although its wording is close, and why."""

    group_id: str
    text: str
    similarity: float
    reason: str
    """"opposite polarity (rejected)", "different actors (agent: Ostrel / Tarvosia)", "different figures (28 / 31)"."""
    kind: str = "related"
    """``related``, or ``variant`` when only a figure or date differs."""


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """The same claim told by different outlets or at different times."""

    id: str
    text: str
    """Canonical wording: the earliest published appearance's."""
    first_seen: str | None
    independent_origins: int
    """Distinct origins we are sure of among the appearances: retellings of one report count once."""
    origins: tuple[str, ...]
    appearances: tuple[ClaimAppearance, ...]
    origin_range: tuple[int, int] = (0, 0)
    """(fewest, most) independent origins: they differ where origins may be the same or are unknown."""
    origin_counts: tuple[OriginCount, ...] = ()
    related: tuple[RelatedClaim, ...] = ()


@dataclass(frozen=True, slots=True)
class LoadedTerm:
    """An evaluative word or phrase from the framing lexicon, where it stands."""

    text: str
    category: str
    """pejorative-label, intensifier, scare-quote, loaded-attribution-verb, ..."""
    start: int
    end: int
    sentence: str
    actor: str | None = None
    """The actor it is said of, when the sentence ties it to one."""


@dataclass(frozen=True, slots=True)
class ArticleFraming:
    """How one article tells it: labels per actor, loaded terms, attribution verbs, sourcing, hedges."""

    article_id: str
    outlet: str | None
    labels: tuple[tuple[str, Span], ...] = ()
    """(actor name, label words with offsets)."""
    loaded_terms: tuple[LoadedTerm, ...] = ()
    attribution_verbs: tuple[LoadedTerm, ...] = ()
    """Every reporting verb, category neutral-attribution-verb or loaded-attribution-verb."""
    named_sources: int = 0
    anonymous_sources: int = 0
    hedges: tuple[Span, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    """(start, end) of the article's sentences, as the annotation pass's parse split them."""

    @property
    def anonymous_share(self) -> float | None:
        """Share of the article's sourced attributions that are anonymous (None when it has none)."""
        total = self.named_sources + self.anonymous_sources
        return self.anonymous_sources / total if total else None


# Records the link stage makes and the store keeps (the store depends on no stage).

VECTOR_DIMENSIONS = 384
"""Size of a sentence vector (the encoder of storyline.link.embed)."""
ACTOR_KEY = "a:"
"""Prefix of actor keys in the corpus frequencies (terms are ``w:`` words and ``n:`` names)."""


@dataclass(frozen=True, slots=True)
class LinkedDoc:
    """An article as the linker keeps it: its features and its vectors."""

    id: str
    published: date | None
    actors: frozenset[str]
    origins: Mapping[str, float]
    """Origin -> the share of the article's attributions that end there."""
    years: frozenset[int]
    doc_vector: np.ndarray
    sentence_vectors: np.ndarray
    sentences: tuple[str, ...] = ()
    terms: Mapping[str, int] = field(default_factory=dict)
    """Term counts (content words ``w:``, names ``n:``) for the lexical similarity."""
    attributions: int = 0
    """How many attributions the article has."""
    outlet: str | None = None
    """The article's own outlet, in origin form (an outlet draws on its own reports)."""
    quotes: Mapping[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    """Speaker key -> the content words of each of their direct quotes."""

    def frequency_keys(self) -> list[str]:
        """The keys it adds to the corpus frequencies: its terms and its actors (prefixed :data:`ACTOR_KEY`)."""
        return [*self.terms, *(ACTOR_KEY + a for a in self.actors)]


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """The story and thread one article was placed in, and why."""

    article_id: str
    story_id: str
    thread_id: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One claim of one article, as the claim linker keeps it."""

    id: str
    article_id: str
    vector: np.ndarray
    text: str
    negated: bool
    conditions: frozenset[str] = frozenset()
    """Content words of its conditions."""
    numbers: frozenset[str] = frozenset()
    dates: tuple[tuple[str, str], ...] = ()
    """(earliest, latest) of each date it names."""
    agents: frozenset[str] = frozenset()
    """Actor ids in its agent role."""
    patients: frozenset[str] = frozenset()
    polarity: tuple[str, ...] = ()
    """The words that set its polarity."""
    predicate: np.ndarray | None = None
    """Embedding of its words without the subject phrase (None: the same as ``vector``)."""
    stance: str = ""
    """The stance it states, as kind and topic ("ready:peace"); "" when it states none with a topic."""
    holders: frozenset[str] = frozenset()
    """Actor ids holding that stance."""



@dataclass(frozen=True, slots=True)
class Verdict:
    """What the linker decided about two claims, and why."""

    kind: str
    """``same`` (one proposition), ``variant`` (only a figure differs) or ``related`` (close, kept apart)."""
    similarity: float
    rule: str
    reason: str
    actors: tuple[str, ...] = ()
    """Actor ids both claims name in the same role."""


@dataclass(frozen=True, slots=True)
class ClaimLink:
    """A verdict between a new claim and a stored one, as the backend keeps it."""

    claim_id: str
    other_id: str
    verdict: Verdict
