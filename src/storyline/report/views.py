"""One function per page: read it from the store and render it to HTML, for the report and the app alike."""

from __future__ import annotations

from collections.abc import Callable

from ..store.db import Connection
from .charts import LabelCount
from .pages import (
    actor_page, article_page, claim_page, label_counts, overview_page, story_page, thread_page, timeline_points,
)
from .render import Links, render

__all__ = ["PAGES", "render_overview", "render_page"]


def render_overview(conn: Connection, links: Links, *, page: int = 1, per_page: int = 30) -> str:
    """Render the threads-and-stories overview (one page of threads)."""
    return render("overview.html", links, page=overview_page(conn, page=page, per_page=per_page))


def _thread(conn: Connection, item_id: str, links: Links) -> str | None:
    page = thread_page(conn, item_id)
    return render("thread.html", links, page=page) if page else None


def _story(conn: Connection, item_id: str, links: Links) -> str | None:
    page = story_page(conn, item_id)
    if page is None:
        return None
    return render("story.html", links, page=page, points=timeline_points(page, lambda a: links.url("article", a)),
                  labels_for=label_counts)


def _article(conn: Connection, item_id: str, links: Links) -> str | None:
    page = article_page(conn, item_id, claim_link=lambda group: links.url("claim", group))
    return render("article.html", links, page=page) if page else None


def _claim(conn: Connection, item_id: str, links: Links) -> str | None:
    page = claim_page(conn, item_id)
    return render("claim.html", links, page=page) if page else None


def _actor(conn: Connection, item_id: str, links: Links) -> str | None:
    page = actor_page(conn, item_id)
    if page is None:
        return None
    counts = [LabelCount(outlet, label, n) for outlet, label, n in page.labels]
    return render("actor.html", links, page=page, label_counts=counts)


PAGES: dict[str, Callable[[Connection, str, Links], str | None]] = {
    "thread": _thread, "story": _story, "article": _article, "claim": _claim, "actor": _actor,
}
"""Kind of page -> renderer; each returns None for an unknown id."""


def render_page(conn: Connection, kind: str, item_id: str, links: Links) -> str | None:
    """Render one page of ``kind`` (thread, story, article, claim, actor), or None when the id is unknown."""
    return PAGES[kind](conn, item_id, links)
