"""The JSON API: every export section as a paged endpoint, one story, one article, search, the digest, ingest jobs.

Records have the export's shape (docs/schema.md), so what the API returns, ``storyline export``
writes. Sections are read lazily and paged with ``limit``/``offset`` (bounded in ``params``: out of
range is a 422); ``next_offset`` is null on the last page. OpenAPI: ``/openapi.json``, browsable
at ``/docs`` (served from the package).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ..errors import StorylineError
from ..export.records import (
    SECTIONS, article_record, attribution_record, claim_group_record, framing_record, load_timeline, quote_record, timeline_record,
)
from ..follow.digest import build_digest, digest_json, parse_since
from ..follow.versions import version_records
from ..report.pages import article_page, story_page
from ..report.render import Links, render
from ..store import browse
from ..store.times import count_events
from .deps import Conn, JobsDep
from .params import Limit, Offset

__all__ = ["api_router", "SectionPage"]

api_router = APIRouter(prefix="/api")
UNSCOPED_TIMELINE_EVENTS = 50_000
"""Above this many stored events the timeline must be scoped (merging them all takes minutes)."""


class SectionPage(BaseModel):
    """One page of an export section."""

    section: str
    offset: int
    limit: int
    items: list[dict[str, Any]]
    next_offset: int | None


class SearchResult(BaseModel):
    """One page of matching articles; ``snippet`` marks matches with \\u0002 … \\u0003."""

    total: int
    more: bool
    """True when more than ``total`` match (counting stops at 10,000)."""
    offset: int
    items: list[dict[str, Any]]


@api_router.get("", response_class=HTMLResponse, include_in_schema=False)
def index() -> HTMLResponse:
    """A page listing the endpoints."""
    return HTMLResponse(render("api.html", Links(static=False), extra=("storyline.web",), sections=list(SECTIONS)))


def _section_route(name: str) -> None:
    def read(conn: Conn, limit: Limit = 100, offset: Offset = 0) -> SectionPage:
        items = list(SECTIONS[name](conn, (limit + 1, offset)))  # one more than asked: is there a next page?
        return SectionPage(section=name, offset=offset, limit=limit, items=items[:limit],
                           next_offset=offset + limit if len(items) > limit else None)

    api_router.add_api_route(f"/{name}", read, methods=["GET"], response_model=SectionPage, tags=["export sections"],
                             summary=f"The {name.replace('_', ' ')} section of the export, paged", name=f"section_{name}")


@api_router.get("/search", response_model=SearchResult, tags=["search"], summary="Full-text search with filters")
def search(conn: Conn, q: str = "", outlet: str | None = None, since: str | None = None, until: str | None = None,
           actor: str | None = None, story: str | None = None, limit: Limit = 50, offset: Offset = 0) -> SearchResult:
    """Articles matching every word of ``q`` ("quoted phrases" stay phrases), filtered; newest first without ``q``."""
    found = browse.find_actor(conn, actor) if actor else None
    if actor and found is None:
        raise HTTPException(404, f"no actor called {actor!r}")
    page = browse.find_articles(conn, browse.ArticleFilter(q or None, outlet, since, until, found.id if found else None, story),
                                limit=limit, offset=offset)
    return SearchResult(total=page.total, more=page.more, offset=offset, items=[
        {"id": r.id, "title": r.title, "outlet": r.outlet, "published": r.published, "published_inferred": r.published_inferred,
         "story_id": r.story_id, "words": r.words, "snippet": r.snippet} for r in page.rows])


@api_router.get("/stories/{story_id}", tags=["stories"], summary="One story with its articles, claims, timeline and framing")
def story(conn: Conn, story_id: str) -> dict[str, Any]:
    """Everything the story page shows, as data."""
    page = story_page(conn, story_id)
    if page is None:
        raise HTTPException(404, f"No story with id {story_id!r} is stored.")
    s = page.story
    return {"story": {"id": s.id, "title": s.title, "thread_id": s.thread_id, "article_ids": list(s.article_ids),
                      "first_published": s.first_published, "last_published": s.last_published},
            "articles": [{"id": r.id, "title": r.title, "outlet": r.outlet, "published": r.published} for r in page.articles],
            "claims": [claim_group_record(g) for g in page.claims],
            "timeline": [timeline_record(g) for g in page.timeline],
            "framing": [framing_record(f) for f in page.framings]}


@api_router.get("/articles/{article_id}", tags=["articles"], summary="One article with everything found in it")
def article(conn: Conn, article_id: str) -> dict[str, Any]:
    """The article record with its quotes, attributions, claims, time expressions and the versions of its text.

    ``versions`` is empty for an article never edited; otherwise each version (``version``, ``text_id``,
    ``seen_at``, ``source``, ``title``, ``text``) has ``changes`` from the one before (null for the first):
    the title before and after, the word diff (``kind`` equal, added or removed; ``folded``: unchanged words
    left out), and the quotes and claims added and removed (null when a version was not annotated).
    """
    page = article_page(conn, article_id)
    if page is None:
        raise HTTPException(404, f"No article with id {article_id!r} is stored.")
    return {"article": article_record(page.article, versions=max(1, len(page.versions))), "story_id": page.row.story_id if page.row else None,
            "quotes": [quote_record(q) for q in page.quotes], "attributions": [attribution_record(a) for a in page.attributions],
            "claims": [{"id": c.id, "group_id": c.group_id, "text": c.text, "start": c.start, "end": c.end, "negated": c.negated,
                        "group_articles": c.group_articles} for c in page.claims],
            "time_expressions": [{"text": t.text, "start": t.start, "end": t.end, "value": t.value, "granularity": t.granularity}
                                 for t in page.times],
            "versions": version_records(page.versions, page.diffs)}


@api_router.get("/digest", tags=["digest"], summary="What is new in the store since a time (the What's new page as data)")
def digest(conn: Conn, since: str = "24h", match: str | None = None) -> dict[str, Any]:
    """The digest in the shape of ``storyline digest --format json`` (docs/watch.md). ``since``: a day (00:00 UTC),
    an ISO date-time or a time ago (``24h``, ``7d``); ``match``: search words scoping it to the stories that match.
    Reading it records nothing (``storyline digest`` records its runs)."""
    try:
        start = parse_since(since)
    except StorylineError as exc:
        raise HTTPException(422, str(exc)) from exc
    return digest_json(build_digest(conn, start, match=match or None))


@api_router.get("/ingest/{job_id}", tags=["ingest"], summary="An ingest job's progress")
def ingest_job(job_id: str, jobs: JobsDep) -> dict[str, object]:
    """State, counts and failures of a job started from the ingest form."""
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"No ingest job {job_id!r}.")
    return job.snapshot()


@api_router.get("/timeline", response_model=SectionPage, tags=["export sections"],
                summary="The timeline section of the export, paged; scope it to a story, an actor or dates")
def timeline(conn: Conn, story: str | None = None, actor: str | None = None, since: str | None = None, until: str | None = None,
             limit: Limit = 100, offset: Offset = 0) -> SectionPage:
    """Merged dated events. Unscoped, the timeline is built over every stored event (refused with 422 above
    50,000 events); ``story``, ``actor`` (name or id words), ``since`` and ``until`` (YYYY-MM-DD) build it over those only."""
    if not any((story, actor, since, until)):
        if (events := count_events(conn)) > UNSCOPED_TIMELINE_EVENTS:
            raise HTTPException(422, f"the whole timeline would merge {events:,} events; scope it with story=, actor=, since= or until=")
        items = list(SECTIONS["timeline"](conn, (limit + 1, offset)))
    else:
        ids = None
        if story:
            found = browse.load_story(conn, story)
            if found is None:
                raise HTTPException(404, f"No story with id {story!r} is stored.")
            ids = found.article_ids
        groups = load_timeline(conn, article_ids=ids, actor=actor, since=since, until=until)[offset:offset + limit + 1]
        items = [timeline_record(g) for g in groups]
    return SectionPage(section="timeline", offset=offset, limit=limit, items=items[:limit],
                       next_offset=offset + limit if len(items) > limit else None)


for _name in SECTIONS:
    if _name != "timeline":
        _section_route(_name)
