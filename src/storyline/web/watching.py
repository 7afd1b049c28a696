"""The watched sources and their health in the web app: ``/watching`` and ``GET /api/watching`` (read-only;
a watch itself runs from the command line: ``storyline watch``, docs/watch.md)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse

from ..report.render import Links, render
from ..follow.watch import source_rows
from .deps import Conn

__all__ = ["watching_routes"]

_LINKS = Links(static=False)


def watching_routes(app: FastAPI) -> None:
    """Add the page and the API route."""
    api = APIRouter(prefix="/api")

    @app.get("/watching", response_class=HTMLResponse, include_in_schema=False)
    def page(conn: Conn) -> HTMLResponse:
        return HTMLResponse(render("watching.html", _LINKS, extra=("storyline.web",), sources=source_rows(conn)))

    @api.get("/watching", tags=["watch"], summary="Watched sources and their health (storyline watch)")
    def sources(conn: Conn) -> list[dict[str, object]]:
        return source_rows(conn)

    app.include_router(api)
