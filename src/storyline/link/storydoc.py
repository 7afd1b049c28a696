"""Build what story linking needs of an article from its annotations."""

from __future__ import annotations

from ..models import TextAnnotations
from .stories import StoryDoc

__all__ = ["story_doc", "origin_key", "report_origins"]

_ORIGIN_KINDS = {"outlet"}
_DATED = {"day", "month"}


def origin_key(text: str) -> str:
    """Return the comparison form of an origin's words ("The New York Times" -> "new york times")."""
    words = " ".join(text.lower().replace("’", "'").split())
    for article in ("the ", "a ", "an "):
        if words.startswith(article):
            words = words[len(article):]
    return words.removesuffix("'s").strip(" .,;:")


def report_origins(ann: TextAnnotations) -> tuple[str, ...]:
    """Return the outlet each attribution ends at (the farthest outlet of its chain), once per attribution."""
    found: list[str] = []
    for att in ann.attributions:
        if att.via:
            found.append(origin_key(att.via[-1].text))
        elif att.source is not None and att.source_kind in _ORIGIN_KINDS:
            found.append(origin_key(att.source.text))
    return tuple(o for o in found if o)


def story_doc(article_id: str, text: str, ann: TextAnnotations, *, title: str | None = None,
              outlet: str | None = None, published: str | None = None, actor_ids: tuple[str, ...] | None = None) -> StoryDoc:
    """Return the :class:`StoryDoc` of an annotated article (actor ids default to the mentions' names)."""
    actors = actor_ids if actor_ids is not None else tuple(dict.fromkeys(
        m.name for m in ann.mentions if m.kind in {"name", "label"} and m.entity_type in {"PERSON", "ORG", "GPE"}))
    own = origin_key(outlet) if outlet else None
    origins = tuple(o for o in report_origins(ann) if o != own)
    dates = tuple(dict.fromkeys(e.time.value for e in ann.events if e.time.value and e.time.granularity in _DATED))
    quotes = tuple((q.speaker_name, q.text) for q in ann.quotes if q.direct and q.speaker_name)
    return StoryDoc(article_id, text, title=title, outlet=outlet, published=published, actor_ids=actors,
                    origins=origins, attributions=len(ann.attributions), event_dates=dates, quotes=quotes)
