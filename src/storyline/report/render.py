"""Render pages with Jinja2: one template set for the static report and the web app.

Autoescaping is on for every template: article titles, text, outlet names and quotes come
from the internet and are always escaped. Links differ between the two: the report writes
files (``stories/story_3Aab12.html``, relative to the page), the app serves paths
(``/stories/story:ab12``); a :class:`Links` object builds them and the templates only ask
``url("story", id)``. An article's own URL is linked only when it is http(s).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from markupsafe import Markup, escape

from ..annotate.time.words import in_words
from ..store.fulltext import HIGHLIGHT_END, HIGHLIGHT_START
from . import charts

__all__ = ["Links", "environment", "render", "slug", "safe_url", "PAGE_DIRS"]

PAGE_DIRS = {"thread": "threads", "story": "stories", "article": "articles", "claim": "claims", "actor": "actors"}
"""Kind of page -> its folder in the report and its path in the app."""


def slug(item_id: str) -> str:
    """Return a file-name-safe, reversible form of an id (``story:ab12`` -> ``story_3Aab12``)."""
    return quote(item_id, safe="-.").replace("%", "_")


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it is an http(s) link with a host, else None (never a ``javascript:`` link)."""
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in {"http", "https"} and parts.netloc else None


@dataclass(frozen=True, slots=True)
class Links:
    """How pages link to each other.

    Args:
        static: True for the report's files, False for the app's paths.
        depth: for the report, how many folders below the report's root the page is (0 or 1).
    """

    static: bool
    depth: int = 0

    @property
    def root(self) -> str:
        """The report's root relative to the page, or the app's root."""
        return "../" * self.depth if self.static else "/"

    def url(self, kind: str, item_id: str | None = None, **query: Any) -> str:
        """Return the link to a page: ``index``, ``search``, ``ingest``, ``api`` or one of :data:`PAGE_DIRS` with its id."""
        if kind == "index":
            return self.root + ("index.html" if self.static else "")
        if kind in PAGE_DIRS:
            if self.static:
                return f"{self.root}{PAGE_DIRS[kind]}/{slug(item_id or '')}.html"
            return f"/{PAGE_DIRS[kind]}/{quote(item_id or '', safe=':')}"
        params = {k: v for k, v in query.items() if v not in (None, "")}
        return f"/{kind}" + (f"?{urlencode(params)}" if params else "")

    def asset(self, name: str) -> str:
        """Return the link to a vendored asset (CSS)."""
        return f"{self.root}assets/{name}" if self.static else f"/assets/{name}"


def _snippet(text: str | None) -> Markup:
    """Escape a search snippet, then turn its highlight markers into ``<mark>``."""
    safe = str(escape(text or ""))
    return Markup(safe.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def _day(value: str | None) -> str:
    return value[:10] if value else "date unknown"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@functools.cache
def environment(extra: tuple[str, ...] = ()) -> jinja2.Environment:
    """Return the template environment (compiled once per process): autoescape on, undefined names an error, our filters and charts.

    Args:
        extra: packages whose ``templates/`` folder is searched before the report's (the web app's own pages).
    """
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader(p, "templates") for p in (*extra, "storyline.report")]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(snippet=_snippet, day=_day, when=in_words, safe_url=safe_url, plural=_plural)
    env.globals.update(timeline_chart=charts.timeline_chart, outlet_activity_chart=charts.outlet_activity_chart,
                       label_chart=charts.label_chart, TimelinePoint=charts.TimelinePoint, LabelCount=charts.LabelCount)
    return env


def render(template: str, links: Links, *, extra: tuple[str, ...] = (), **context: Any) -> str:
    """Render one page template with ``url``/``asset`` from ``links`` and ``web`` telling the app from the report.

    Args:
        extra: packages with more templates (see :func:`environment`).
    """
    return environment(extra).get_template(template).render(url=links.url, asset=links.asset, web=not links.static, **context)
