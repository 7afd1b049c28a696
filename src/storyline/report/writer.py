"""Write the static report: a folder of HTML pages that opens from disk, with no network.

Layout: ``index.html`` (threads and stories), ``threads/``, ``stories/``, ``articles/``,
``claims/`` and ``actors/`` (one page each, file names from :func:`storyline.report.render.slug`),
and ``assets/storyline.css``. Pages link to each other relatively, so the folder can be
zipped, moved or served by any static server. Each page carries a Content-Security-Policy
that forbids every script.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..store.browse import page_ids
from ..store.db import Connection
from .render import PAGE_DIRS, Links, slug
from .views import render_overview, render_page

__all__ = ["ReportSummary", "write_report"]


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a report run wrote."""

    out: Path
    pages: dict[str, int]

    @property
    def index(self) -> Path:
        """The page to open first."""
        return self.out / "index.html"


def _copy_assets(out: Path) -> None:
    target = out / "assets"
    target.mkdir(parents=True, exist_ok=True)
    for item in resources.files("storyline.report").joinpath("assets").iterdir():
        if item.name.endswith(".css"):
            with resources.as_file(item) as path:
                shutil.copyfile(path, target / item.name)


def write_report(conn: Connection, out: Path, *, progress: Callable[[str, int], None] | None = None) -> ReportSummary:
    """Write the whole report for the store into ``out`` (created if needed; pages there are overwritten).

    Args:
        conn: the store.
        out: the report's folder.
        progress: called as ``progress(kind, pages written of that kind)`` after each kind.

    Returns:
        The folder and how many pages of each kind were written.
    """
    out.mkdir(parents=True, exist_ok=True)
    _copy_assets(out)
    links = Links(static=True, depth=1)
    (out / "index.html").write_text(render_overview(conn, Links(static=True), per_page=1_000_000), encoding="utf-8")
    counts = {"index": 1}
    for kind, folder in PAGE_DIRS.items():
        (out / folder).mkdir(exist_ok=True)
        counts[kind] = 0
        for item_id in page_ids(conn, kind):
            html = render_page(conn, kind, item_id, links)
            if html is not None:
                (out / folder / f"{slug(item_id)}.html").write_text(html, encoding="utf-8")
                counts[kind] += 1
        if progress:
            progress(kind, counts[kind])
    return ReportSummary(out, counts)
