"""The web app: the report's pages served from the database, search with filters, what's new, an ingest form, a JSON API.

``create_app(settings)`` builds it; ``storyline serve`` runs it on uvicorn. Pages are rendered
on the server from the same templates as the static report and need no JavaScript. Each
request reads through its own read-only connection, so pages stay available while an
ingest job writes.
"""

from __future__ import annotations

import gc
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ..errors import StorylineError
from ..follow.digest import build_digest, digest_html, parse_since
from ..ingest.sources import is_url
from ..report.render import PAGE_DIRS, Links, render
from ..report.views import render_overview, render_page
from ..settings import Settings
from ..store import browse
from ..store.db import is_url as is_store_url, side_folder
from ..store.schema import connect
from .api import api_router
from .watching import watching_routes
from .corrections import correction_routes, corrections_api
from .deps import Conn, ReaderPool
from .guard import Guard
from .jobs import JobQueue, save_upload
from .methods import Methods
from .params import PageNumber

__all__ = ["create_app"]

LINKS = Links(static=False)
_WEB = ("storyline.web",)
_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PER_PAGE = 50
_REASONS = {400: "bad request", 404: "not found", 405: "method not allowed", 413: "too large", 422: "bad parameters"}


def _page(template: str, status: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(render(template, LINKS, extra=_WEB, **context), status_code=status)


def _missing(kind: str, item_id: str) -> HTTPException:
    return HTTPException(404, f"No {kind} with id {item_id!r} is stored.")


def _pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(conn: Conn, page: PageNumber = 1) -> HTMLResponse:
        return HTMLResponse(render_overview(conn, LINKS, page=page))

    for kind in PAGE_DIRS:
        if kind != "article":  # its page carries the correction form (corrections.py)
            _item_route(app, kind)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(conn: Conn, q: str = "", outlet: str = "", since: str = "", until: str = "", actor: str = "", story: str = "",
               page: PageNumber = 1) -> HTMLResponse:
        problems = [f"{name} {value!r} is not a date like 2025-03-04; ignored" for name, value in (("since", since), ("until", until))
                    if value and not _DAY.match(value)]
        found_actor = browse.find_actor(conn, actor) if actor else None
        if actor and found_actor is None:
            problems.append(f"no actor called {actor!r}; ignored")
        story_row = browse.story_summaries(conn, [story]) if story else []
        f = browse.ArticleFilter(q or None, outlet or None, since if _DAY.match(since) else None, until if _DAY.match(until) else None,
                                 found_actor.id if found_actor else None, story or None)
        result = browse.find_articles(conn, f, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        params = {"q": q, "outlet": outlet, "since": since, "until": until, "actor": actor, "story": story}
        base = LINKS.url("search", **params)
        return _page("search.html", filters=f, pager_base=base + ("&" if "?" in base else "?") + "page=", raw=params,
                     result=result, page=page, pages=max(1, -(-result.total // PER_PAGE)), outlets=browse.outlet_counts(conn),
                     actor=found_actor, story=story_row[0] if story_row else None, problems=problems)


def _whats_new(app: FastAPI) -> None:
    @app.get("/whats-new", response_class=HTMLResponse, include_in_schema=False)
    def whats_new(conn: Conn, since: str = "", match: str = "") -> HTMLResponse:
        """The digest of the last 24 hours (or since ``since``), scoped by ``match``; reading it records no digest run."""
        try:
            start = parse_since(since or "24h")
        except StorylineError as exc:
            raise HTTPException(422, str(exc)) from exc
        found = build_digest(conn, start, match=match.strip() or None)
        return HTMLResponse(digest_html(found, LINKS, extra=_WEB, raw={"since": since, "match": match}))


def _item_route(app: FastAPI, kind: str) -> None:
    def show(item_id: str, conn: Conn) -> HTMLResponse:
        html = render_page(conn, kind, item_id, LINKS)
        if html is None:
            raise _missing(kind, item_id)
        return HTMLResponse(html)

    app.add_api_route(f"/{PAGE_DIRS[kind]}/{{item_id:path}}", show, methods=["GET"], response_class=HTMLResponse, include_in_schema=False,
                      name=f"{kind}_page")


def _ingest(app: FastAPI, settings: Settings, jobs: JobQueue) -> None:
    uploads = side_folder(settings.db, "uploads")

    def form_page(status: int = 200, error: str | None = None) -> HTMLResponse:
        """The form, with why the last submission was refused (and no job list) when it was."""
        return _page("ingest.html", status, error=error, max_bytes=settings.max_bytes, allow_private=settings.allow_private,
                     recent=[] if error else jobs.recent(10))

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def form() -> HTMLResponse:
        return form_page()

    @app.post("/ingest", include_in_schema=False)
    async def submit(request: Request) -> Response:
        form_data = await request.form(max_files=1, max_fields=8)
        url = str(form_data.get("url") or "").strip()
        upload = form_data.get("file")
        sources, label = [], ""
        try:
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read(settings.max_bytes + 1)
                if len(data) > settings.max_bytes:
                    return form_page(413, f"{upload.filename}: over the limit of {settings.max_bytes:,} bytes (the max_bytes setting);"
                                          " nothing was stored")
                sources.append(str(save_upload(uploads, upload.filename, data)))
                label = upload.filename
            if url:
                if not is_url(url):
                    raise StorylineError(f"{url!r} is not an http(s) URL")
                sources.append(url)
                label = f"{label} and {url}" if label else url
            if not sources:
                raise StorylineError("give a URL or feed, or choose a file to upload")
        except StorylineError as exc:
            return form_page(400, str(exc))
        job = jobs.submit(sources, label)
        return RedirectResponse(f"/ingest/{job.id}", status_code=303)

    @app.get("/ingest/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def status(job_id: str) -> HTMLResponse:
        job = jobs.get(job_id)
        if job is None:
            raise _missing("ingest job", job_id)
        return _page("job.html", job=job)


def _errors(app: FastAPI) -> None:
    """Answer errors as JSON under /api/ and as the error page elsewhere; bad query parameters are a 422 either way."""

    def error_page(status: int, message: str) -> HTMLResponse:
        return _page("error.html", status, heading=f"{status}: {_REASONS.get(status, 'error')}", message=message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        page = error_page(exc.status_code, str(exc.detail))
        page.headers.update(exc.headers or {})  # a 405's Allow
        return page

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        return error_page(422, "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'request'}: {e['msg']}" for e in exc.errors()))


def create_app(settings: Settings) -> FastAPI:
    """Build the app over the database at ``settings.db`` (created and migrated if needed).

    Args:
        settings: the database, fetch limits (``max_bytes`` also caps uploads) and ``allow_private``
            (off: the ingest form refuses URLs on private, loopback and link-local addresses).
    """
    connect(settings.db).close()  # create or migrate once, so requests can read through read-only connections
    app = FastAPIOffline(title="Storyline", version="0.1.0",
                         description="Stories, articles, claims, quotes and framing from a Storyline database. "
                                     "Every export section is a paged endpoint under /api.")
    jobs = JobQueue(settings)
    app.state.settings, app.state.jobs = settings, jobs
    app.state.readers = ReaderPool(settings.db) if is_store_url(settings.db) else None  # PostgreSQL: reuse readers' connections
    if app.state.readers is not None:
        app.router.on_shutdown.append(app.state.readers.close)
    app.mount("/assets", StaticFiles(packages=[("storyline.report", "assets")]), name="assets")
    _pages(app)
    _whats_new(app)
    correction_routes(app, settings, jobs)
    watching_routes(app)
    _ingest(app, settings, jobs)
    app.include_router(api_router)
    app.include_router(corrections_api)

    _errors(app)
    app.add_middleware(Methods, routes=app.router.routes)
    app.add_middleware(Guard, max_body=settings.max_bytes + 64 * 1024)  # room for the form's own fields (outermost: it heads every answer)
    gc.freeze()  # what start-up loaded (modules, templates) is never walked again by a full collection mid-request
    return app
