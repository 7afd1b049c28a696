"""Claim groups as every view reads them: the store's appearances, their independent origins counted.

The store keeps each claim's group and its resolved origin (decided once, when the claim was linked);
how many independent origins a group has depends on all its appearances together, so it is counted
here, by one function (:func:`storyline.link.origins.count_origins`), for the CLI, the report, the web
app and the export alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import ClaimAppearance, ClaimGroup
from ..store.claims import group_appearances, iter_group_appearances, related_groups
from ..store.db import Connection
from ..store.paging import Page
from .origins import count_origins

__all__ = ["claim_group", "iter_claim_groups", "load_claim_group"]


def claim_group(conn: Connection, group_id: str, appearances: list[ClaimAppearance], *, related: bool = False) -> ClaimGroup:
    """The group of these appearances (earliest published first), its origins counted and, when asked,
    the related groups read."""
    counts, (low, high) = count_origins(appearances)
    first = appearances[0]
    near = related_groups(conn, group_id, [a.claim_id for a in appearances]) if related else ()
    return ClaimGroup(group_id, first.text, first.published, low, tuple(c.origin.name for c in counts), tuple(appearances),
                      (low, high), counts, near)


def iter_claim_groups(conn: Connection, *, story_id: str | None = None, min_articles: int = 1,
                      page: Page | None = None, related: bool = False) -> Iterator[ClaimGroup]:
    """Yield claim groups, earliest first seen first, each with every appearance (earliest published first).

    Args:
        story_id: only groups with an appearance in this story (all their appearances are kept).
        min_articles: only groups told by at least this many distinct articles.
        page: only one page of all groups, then in group id order (the story and article filters do not apply).
        related: also read each group's related claims (one more query per group).
    """
    for group_id, appearances in iter_group_appearances(conn, story_id=story_id, min_articles=min_articles, page=page):
        yield claim_group(conn, group_id, appearances, related=related)


def load_claim_group(conn: Connection, group_id: str) -> ClaimGroup | None:
    """Return one claim group with every appearance (earliest published first), its origins and related groups, or None."""
    appearances = group_appearances(conn, group_id)
    return claim_group(conn, group_id, appearances, related=True) if appearances else None
