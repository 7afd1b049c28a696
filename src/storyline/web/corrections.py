"""Correcting an article's metadata in the web app: the form on the article page and ``PATCH /api/articles/{id}``.

Both check the values as ``storyline set`` does (:func:`storyline.flow.correct.check_correction`: a bad
value is a 422 with one message naming the field, and nothing is stored), store them in one write
transaction (:func:`storyline.flow.correct.correct_article`: the values, their evidence "set by the user
(was: ...)", the article taken out of its annotations and its story), and queue its annotation and linking
as a background job (:class:`storyline.web.jobs.JobQueue`), so the answer comes at once. The article page
says "re-annotating…" until that job is done. In the form an empty field means "leave it as it is"; in the
API a field left out (or null) does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..errors import InputError
from ..flow.correct import MAX_OUTLET, MAX_TITLE, Correction, check_correction, correct_article
from ..report.pages import article_page
from ..report.render import Links, render
from ..settings import Settings
from ..store.articles import load_article
from ..store.corrections import CORRECTABLE, MetadataChange
from ..store.db import Connection
from ..store.schema import connect
from .deps import Conn, JobsDep, settings_of
from .jobs import Job, JobQueue

__all__ = ["ArticleCorrection", "CorrectionResult", "FieldChange", "CorrectionForm", "correction_routes", "corrections_api"]

_LINKS = Links(static=False)
_WEB = ("storyline.web",)
_NAMES = {"outlet": "the outlet", "published": "the publication date", "title": "the title"}

corrections_api = APIRouter(prefix="/api")
SettingsDep = Annotated[Settings, Depends(settings_of)]


class ArticleCorrection(BaseModel):
    """The values to set; a field left out or null keeps the stored value (none can be erased)."""

    model_config = ConfigDict(extra="forbid")

    outlet: str | None = Field(None, description=f"The outlet, 1 to {MAX_OUTLET} characters, one line.", examples=["Harbour Ledger"])
    published: str | None = Field(None, description="The publication date, YYYY-MM-DD.", examples=["2025-03-12"])
    title: str | None = Field(None, description=f"The title, 1 to {MAX_TITLE} characters, one line.")


class FieldChange(BaseModel):
    """One corrected field."""

    field: str
    before: str | None
    after: str
    changed: bool
    """False when the value was already stored (only its evidence changed)."""


class CorrectionResult(BaseModel):
    """What a correction changed, and the job that annotates and links the article again (null when nothing changed)."""

    article_id: str
    changes: list[FieldChange]
    reannotating: bool
    job_id: str | None
    """Poll ``/api/ingest/{job_id}`` until its ``state`` is ``done``."""


@dataclass(frozen=True, slots=True)
class CorrectionForm:
    """What the article page's correction form shows."""

    action: str
    values: Mapping[str, str]
    """The values in its fields: the stored ones, or what was typed when it was refused."""
    notice: str | None = None
    error: str | None = None
    job: Job | None = None
    """The article's latest re-annotation job."""


def _apply(settings: Settings, jobs: JobQueue, article_id: str, correction: Correction) -> tuple[str, list[MetadataChange], Job | None]:
    """Store the correction and queue the article's re-annotation when a value changed.

    Raises:
        HTTPException: 404, no article has this id (or unique prefix).
    """
    conn = connect(settings.db)
    try:
        article = load_article(conn, article_id)
        changes = correct_article(conn, article.id, correction) if article is not None else None
    finally:
        conn.close()
    if article is None or changes is None:
        raise HTTPException(404, f"No article with id {article_id!r} is stored.")
    job = None
    if any(c.changed for c in changes):
        job = jobs.submit_reannotation([article.id], article.title or article.id)
    return article.id, changes, job


def _article_html(conn: Connection, item_id: str, jobs: JobQueue, *, status: int = 200, notice: str | None = None,
                  error: str | None = None, typed: Mapping[str, str] | None = None) -> HTMLResponse:
    page = article_page(conn, item_id, claim_link=lambda group: _LINKS.url("claim", group))
    if page is None:
        raise HTTPException(404, f"No article with id {item_id!r} is stored.")
    a = page.article
    stored = {"outlet": a.outlet or "", "published": a.published or "", "title": a.title or ""}
    form = CorrectionForm(_LINKS.url("article", a.id) + "/metadata", typed if typed is not None else stored, notice, error,
                          jobs.reannotation(a.id))
    return HTMLResponse(render("article.html", _LINKS, extra=_WEB, page=page, correction=form), status_code=status)


def _refused(settings: Settings, jobs: JobQueue, article_id: str, why: str, typed: Mapping[str, str]) -> HTMLResponse:
    """The article page again, status 422, saying why the correction was refused, with what was typed."""
    conn = connect(settings.db, readonly=True)
    try:
        return _article_html(conn, article_id, jobs, status=422, error=f"Nothing was changed: {why}", typed=typed)
    finally:
        conn.close()


def _notice(corrected: str) -> str | None:
    """The notice after a correction, from the field names in the redirect (unknown names are ignored)."""
    names = [_NAMES[n] for n in CORRECTABLE if n in corrected.split(",")]
    if not names:
        return None
    return "Corrected " + (" and ".join(names) if len(names) < 3 else f"{names[0]}, {names[1]} and {names[2]}") + "."


def correction_routes(app: FastAPI, settings: Settings, jobs: JobQueue) -> None:
    """Register the article page (with its correction form) and the form's POST route."""

    @app.get("/articles/{item_id:path}", response_class=HTMLResponse, include_in_schema=False, name="article_page")
    def show(item_id: str, conn: Conn, corrected: str = "") -> HTMLResponse:
        return _article_html(conn, item_id, jobs, notice=_notice(corrected))

    @app.post("/articles/{article_id}/metadata", include_in_schema=False)
    async def correct(article_id: str, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=8)
        typed = {name: str(form.get(name) or "") for name in CORRECTABLE}
        try:  # an empty field leaves the stored value as it is
            correction = check_correction(**{name: value for name, value in typed.items() if value.strip()})
        except InputError as exc:
            return await run_in_threadpool(_refused, settings, jobs, article_id, str(exc), typed)
        full_id, changes, _ = await run_in_threadpool(_apply, settings, jobs, article_id, correction)
        done = ",".join(c.field for c in changes if c.changed) or "none"
        return RedirectResponse(_LINKS.url("article", full_id) + f"?corrected={done}", status_code=303)


@corrections_api.patch("/articles/{article_id}", response_model=CorrectionResult, tags=["articles"],
                       summary="Correct an article's outlet, publication date or title",
                       responses={404: {"description": "No such article"}, 422: {"description": "A bad value; nothing was stored"}})
def correct_article_api(article_id: str, body: ArticleCorrection, settings: SettingsDep, jobs: JobsDep) -> CorrectionResult:
    """Set the values as the user's (evidence method ``user``, "set by the user (was: ...)") and annotate and link
    the article again in the background: its time expressions are resolved against the new date, and it is placed
    in a story again. A bad value is a 422 naming the field, and nothing is stored."""
    try:
        correction = check_correction(outlet=body.outlet, published=body.published, title=body.title)
    except InputError as exc:
        raise HTTPException(422, str(exc)) from exc
    full_id, changes, job = _apply(settings, jobs, article_id, correction)
    return CorrectionResult(article_id=full_id, reannotating=job is not None, job_id=job.id if job else None,
                            changes=[FieldChange(field=c.field, before=c.before, after=c.after, changed=c.changed) for c in changes])
