"""The records of a digest: what is new in each story, grouped per thread (built by :mod:`storyline.follow.digest`).

Every item carries the ids a reader needs to click through (article, claim, claim group, quote,
actor). Dates are as stored: ``published`` is the article's publication date (None: unknown), and
``ingested_at``/``seen_at`` are the UTC times the store took an article or an edit in.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "WordChange", "ClaimTelling", "NewArticle", "FirstSeenClaim", "RecurringClaim", "ChangedClaim", "NewOrigin", "OriginsUp",
    "NewLabel", "NewQuote", "ArticleEdit", "StoryNews", "ThreadNews", "Digest", "SECTIONS",
]


@dataclass(frozen=True, slots=True)
class WordChange:
    """One run of a word-level diff: ``op`` is ``same`` (unchanged words, long runs shortened with "…"), ``added`` or ``removed``."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class ClaimTelling:
    """One appearance of a claim: which claim of which article, in which group, told by whom, when, in which words."""

    claim_id: str
    article_id: str
    group_id: str | None
    text: str
    outlet: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ingested in the window."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    ingested_at: str
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class FirstSeenClaim:
    """A claim group whose first appearance the store took in during the window."""

    telling: ClaimTelling
    origins: tuple[str, ...]
    """The names of its distinct origins now (all its appearances, in or after the window)."""
    independent_origins: tuple[int, int]
    """(fewest, most) independent origins now, as every view counts them."""
    tellings: int
    """How many distinct articles tell it now."""


@dataclass(frozen=True, slots=True)
class RecurringClaim:
    """A claim told again in the window: the ``nth`` telling (distinct articles, in the order the store took them in)."""

    telling: ClaimTelling
    nth: int
    first: ClaimTelling
    """The earliest-published telling among those the store had before this one: "first seen" on ``first.published`` by ``first.outlet``."""


@dataclass(frozen=True, slots=True)
class ChangedClaim:
    """A known claim told in the window with other figures, hedges or conditions.

    Claims that differ only in a figure are kept apart as variants of one claim (``claim_links`` kind
    ``variant``); hedges and conditions are attributes of a telling in the same group.
    """

    telling: ClaimTelling
    known: ClaimTelling
    """The telling from before the window it is compared with."""
    changes: tuple[str, ...]
    """Which of ``figures``, ``hedges``, ``conditions`` differ."""
    figures_before: tuple[str, ...]
    figures_after: tuple[str, ...]
    hedges_added: tuple[str, ...]
    hedges_removed: tuple[str, ...]
    conditions_added: tuple[str, ...]
    conditions_removed: tuple[str, ...]
    words: tuple[WordChange, ...]
    """The known wording turned into the new one, word by word."""
    reason: str = ""
    """Why the claim linker kept a variant apart ("different figures (31 / 28)"); "" for a qualifier change."""


@dataclass(frozen=True, slots=True)
class NewOrigin:
    """An independent origin of a claim group that only tellings from the window stand behind."""

    key: str
    name: str
    kind: str
    flagged: bool
    """True: unknown outlet or speaker, never counted as certain (it widens the range only)."""
    claim_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OriginsUp:
    """A known claim group that gained independent origins in the window."""

    group_id: str
    text: str
    before: tuple[int, int]
    """(fewest, most) independent origins of the tellings the store had before the window."""
    after: tuple[int, int]
    new_origins: tuple[NewOrigin, ...]


@dataclass(frozen=True, slots=True)
class NewLabel:
    """A label an outlet gives an actor for the first time (compared in lower case)."""

    outlet: str | None
    actor_id: str
    actor: str
    label: str
    article_id: str


@dataclass(frozen=True, slots=True)
class NewQuote:
    """A quote of a main actor in an article of the window."""

    quote_id: str
    article_id: str
    actor_id: str
    speaker: str
    text: str
    direct: bool
    outlet: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class ArticleEdit:
    """A new version of a stored article seen in the window, compared with the version before it."""

    article_id: str
    version: int
    seen_at: str
    source: str
    title: str | None
    previous_title: str | None
    outlet: str | None
    published: str | None
    words: tuple[WordChange, ...]
    quotes_added: tuple[str, ...] | None
    """Quote texts the new version has and the old one had not; None when either was not annotated (unknown)."""
    quotes_removed: tuple[str, ...] | None
    claims_added: tuple[str, ...] | None
    claims_removed: tuple[str, ...] | None


SECTIONS = ("articles", "first_seen", "recurring", "changed", "origins_up", "labels", "quotes", "edits")
"""The item lists of a :class:`StoryNews`, in the order every format shows them."""


@dataclass(frozen=True, slots=True)
class StoryNews:
    """What is new in one story; ``id`` None for the articles not linked to a story."""

    id: str | None
    title: str | None
    new: bool
    """True when every article of the story was ingested in the window."""
    first_published: str | None
    last_published: str | None
    articles: tuple[NewArticle, ...] = ()
    first_seen: tuple[FirstSeenClaim, ...] = ()
    recurring: tuple[RecurringClaim, ...] = ()
    changed: tuple[ChangedClaim, ...] = ()
    origins_up: tuple[OriginsUp, ...] = ()
    labels: tuple[NewLabel, ...] = ()
    quotes: tuple[NewQuote, ...] = ()
    edits: tuple[ArticleEdit, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing is new in it."""
        return not any(getattr(self, name) for name in SECTIONS)


@dataclass(frozen=True, slots=True)
class ThreadNews:
    """What is new in one thread, story by story (the stories with news, in the order their news came)."""

    id: str
    title: str | None
    new: bool
    stories: tuple[StoryNews, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything the store learned since ``since``, per thread and story."""

    since: str
    """UTC time (ISO 8601, seconds): things ingested or seen at or after it are new."""
    at: str
    """UTC time the digest was made."""
    match: str | None
    """The search query that scoped it (None: everything)."""
    main_actors: tuple[tuple[str, str], ...]
    """(actor id, name) of the actors whose quotes are reported."""
    threads: tuple[ThreadNews, ...]
    unlinked: StoryNews | None
    """News of the articles in no story (not annotated or not linked), or None."""

    @property
    def stories(self) -> tuple[StoryNews, ...]:
        """Every story with news, thread by thread, the unlinked group last."""
        return tuple(s for t in self.threads for s in t.stories) + ((self.unlinked,) if self.unlinked else ())

    @property
    def empty(self) -> bool:
        """True when nothing is new."""
        return all(s.empty for s in self.stories)

    def counts(self) -> dict[str, int]:
        """Return how many items of each section there are, and how many new stories and threads."""
        out = {name: sum(len(getattr(s, name)) for s in self.stories) for name in SECTIONS}
        out["new_stories"] = sum(1 for s in self.stories if s.new and s.id is not None)
        out["new_threads"] = sum(1 for t in self.threads if t.new)
        return out
