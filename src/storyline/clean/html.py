"""Whole web pages to main text and metadata, with trafilatura and htmldate.

trafilatura finds the main text and the page metadata (title, author, site
name); htmldate, which trafilatura calls, finds a date in the page's markup
(``extensive_search`` off). :func:`storyline.clean.pubdate.page_date` then
decides the publication day from that, the page's own metadata, the byline
next to the headline and the URL, with htmldate's extensive search as the
tie-breaker and last resort; the date it returns carries its evidence.

Budget: lxml takes time quadratic in the attributes of one element (20,000 take
2.6 s, a million never end), so a tag with more than :data:`MAX_ATTRIBUTES`
attributes keeps its first ones only before the page is parsed; no article
needs more.
"""

from __future__ import annotations

import re

import trafilatura
from htmldate import find_date

from ..errors import ExtractError
from ..models import Extraction, PageDate
from .dates import parse_iso_date
from .pubdate import page_date

__all__ = ["extract_html", "bounded_markup", "MAX_ATTRIBUTES"]

MAX_ATTRIBUTES = 100
"""Attributes kept per tag (:func:`bounded_markup`)."""
_LONG_TAG = re.compile(r"<([A-Za-z][\w:-]*)([^<>]{%d,})>" % (MAX_ATTRIBUTES * 4))
_ATTRIBUTE = re.compile(r"""\s*[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")

_DATE_PARAMS = {"original_date": True, "extensive_search": False}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I)


def extract_html(html: str, url: str | None = None) -> Extraction:
    """Extract the main text and metadata of one web page.

    Args:
        html: the whole page.
        url: where it came from, if known (helps trafilatura and the outlet guess).

    Returns:
        The main text, paragraphs separated by newlines, and whatever metadata the page declares.

    Raises:
        ExtractError: the page has no recognisable article text.
    """
    bounded = bounded_markup(html)
    try:
        doc = trafilatura.bare_extraction(
            bounded,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except (RecursionError, ValueError, TypeError, AssertionError) as exc:  # lxml on pathological markup ("<svg>html": drop_tree asserts)
        raise ExtractError(f"HTML could not be parsed ({type(exc).__name__})") from exc
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ExtractError("no article text found in the page")
    lang = _HTML_LANG.search(html[:4000])
    title = _clean(getattr(doc, "title", None))
    return Extraction(
        text=text,
        title=title,
        author=_clean(getattr(doc, "author", None)),
        sitename=_clean(getattr(doc, "sitename", None)),
        date=_page_date(bounded, url, title, _clean(getattr(doc, "date", None))),
        language=lang.group(1).lower() if lang else None,
        url=_clean(getattr(doc, "url", None)) or url,
    )


def _page_date(html: str, url: str | None, title: str | None, markup: str | None) -> PageDate | None:
    """The publication day with its evidence, or None."""

    def extensive() -> str | None:
        try:
            return find_date(html, url=url, extensive_search=True, original_date=True)
        except (RecursionError, ValueError, TypeError, AssertionError):
            return None

    try:
        return page_date(html, url, title=title, markup=markup, extensive=extensive)
    except (RecursionError, ValueError, TypeError, AssertionError):  # lxml on pathological markup: the markup date alone
        day = parse_iso_date(markup)
        return PageDate(day, "htmldate", markup or day) if day else None


def bounded_markup(html: str) -> str:
    """Return the page with every tag cut to its first :data:`MAX_ATTRIBUTES` attributes (the rest unchanged)."""

    def cut(m: re.Match[str]) -> str:
        attributes = _ATTRIBUTE.findall(m.group(2))
        if len(attributes) <= MAX_ATTRIBUTES:
            return m.group()
        return f"<{m.group(1)}{''.join(attributes[:MAX_ATTRIBUTES])}>"

    return _LONG_TAG.sub(cut, html)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
