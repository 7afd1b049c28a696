"""Stories and threads: which articles report the same event, which stories form one narrative.

(Work in progress: the linking rules land here.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["StoryDoc", "StoryAssignment", "cluster_stories"]


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """What story linking needs of one article."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    """ISO date (YYYY-MM-DD), or None when unknown."""
    actor_ids: tuple[str, ...] = ()
    """Corpus actors mentioned (ids or names)."""
    origins: tuple[str, ...] = ()
    """Where its reported information comes from: the ends of its attribution chains, normalised."""
    event_dates: tuple[str, ...] = ()
    """Values of its dated events (day or month granularity)."""


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """The story and thread one article was placed in, and why."""

    article_id: str
    story_id: str
    thread_id: str
    evidence: str = ""


def cluster_stories(docs: Sequence[StoryDoc]) -> list[StoryAssignment]:
    """Place every document in a story and a thread, in input order; return one assignment per document."""
    return [StoryAssignment(d.id, f"story:{d.id}", f"thread:{d.id}") for d in docs]
