"""Step 3's rule for a page read again with edited text: a new version of the stored article, not a new article.

A cleaned article is a new version of a stored one when

1. its page URL or its source, in :func:`~storyline.clean.urls.page_key` form (case of scheme and host,
   fragment, trailing slash and tracking parameters aside), is a stored article's page URL or source
   (:class:`PageIndex`; the article first stored from that page when there are several), and
2. its text id is neither that article's id nor the text id of any of its versions, and no article is
   stored under it (a text already stored is skipped, as always), and
3. once the lines the outlet repeats (cut from the stored text as outlet-wide boilerplate) are cut from it
   too, its cleaned text or title differs from the stored article's (a page whose navigation or teasers
   alone changed is no edit: :func:`new_version`).

The same text from another URL or from a file is a new article or a near-duplicate, as before. The
version keeps the article's id, source, URL, feed, outlet, publication date, near-duplicate link and
``ingested_at``; :func:`edited_article` says what of the new page replaces what was stored.
"""

from __future__ import annotations

from dataclasses import replace

from ..clean.rules import line_key
from ..clean.urls import page_key
from ..models import USER_METHOD, Article
from ..store import versions
from ..store.db import Connection
from .clean import reanchor, reclean

__all__ = ["PageIndex", "page_keys", "edited_article", "new_version", "repeated_line_reason"]

_TEXT_FIELDS = frozenset({"encoding", "annotation"})
"""Evidence about one version's text or bytes: never carried over to the next version."""


def page_keys(article: Article) -> list[str]:
    """Return the page keys of an article: its page URL's and its source's, when they are http(s) URLs."""
    keys = [page_key(article.url), page_key(article.source)]
    return list(dict.fromkeys(k for k in keys if k))


class PageIndex:
    """Which stored article each page gave (page key -> article id), for one save run.

    Read from the store on first use (one pass over the stored URLs, as the duplicate index reads the
    signatures) and kept up to date with the articles the run stores; a page another process stores
    meanwhile is known to the next run.
    """

    def __init__(self, conn: Connection) -> None:
        """Index the pages of the store behind ``conn`` (read when first asked)."""
        self._conn = conn
        self._pages: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._pages is None:
            self._pages = {}
            for url, article_id in versions.stored_urls(self._conn):
                key = page_key(url)
                if key:
                    self._pages.setdefault(key, article_id)
        return self._pages

    def find(self, article: Article) -> str | None:
        """Return the id of the stored article from the same page as ``article``, or None."""
        keys = page_keys(article)
        if not keys:
            return None
        pages = self._loaded()
        return next((pages[k] for k in keys if k in pages), None)

    def add(self, article: Article) -> None:
        """Record that ``article`` (stored under its own id) came from its page, unless the page is known already."""
        keys = page_keys(article)
        if keys:
            pages = self._loaded()
            for key in keys:
                pages.setdefault(key, article.id)


def edited_article(stored: Article, page: Article) -> Article:
    """Return the stored article with the text of ``page``, a new version of it.

    From the new page: the text, the pre-cleaning text and what was cut, the title (unless the user set
    it), the language (unless the new text says none), the outlet and authors only when unknown before,
    and the evidence for what it replaced (with its decoding notes). The rest of the stored evidence stays,
    its offsets moved into the new text (none when its words are gone). ``source`` becomes the page's (the
    version's source); storing the result keeps the article's first source.
    """
    user_title = any(e.field == "title" and e.method == USER_METHOD for e in stored.evidence)
    title = stored.title if user_title else page.title
    replaced = set(_TEXT_FIELDS) | ({"title"} if not user_title else set())
    if page.language is not None:
        replaced.add("language")
    if stored.outlet is None and page.outlet is not None:
        replaced.add("outlet")
    kept = tuple(reanchor(e, page.text) for e in stored.evidence if e.field not in replaced)
    new = tuple(e for e in page.evidence if e.field in replaced)
    return replace(
        stored, source=page.source, text=page.text, raw_text=page.raw_text, title=title, removed=page.removed,
        language=page.language or stored.language, outlet=stored.outlet or page.outlet,
        authors=stored.authors or page.authors, evidence=kept + new,
    )


def repeated_line_reason(outlet: str, repeat_min: int) -> str:
    """Return the reason recorded for a line cut as outlet-wide boilerplate (setting ``outlet_repeat_min``)."""
    return f"line repeated across {repeat_min} or more articles of {outlet}"


def new_version(stored: Article, page: Article, repeat_min: int) -> tuple[Article, frozenset[str]] | None:
    """Return the stored article with the text of ``page`` and the keys of the outlet-wide lines cut from it,
    or None when the page holds nothing new.

    The lines cut from the stored text as the outlet's boilerplate are cut from the page's text too, so
    that only the words of the article are compared (and kept).

    Args:
        stored: the stored article the page is a version of.
        page: the page's cleaned article.
        repeat_min: the ``outlet_repeat_min`` setting, which the reason of those cuts names.
    """
    cut: frozenset[str] = frozenset()
    if stored.outlet:
        reason = repeated_line_reason(stored.outlet, repeat_min)
        cut = frozenset(line_key(r.text) for r in stored.removed if r.reason == reason)
        page = reclean(page, cut, reason) if cut else page
    edited = edited_article(stored, page)
    if (edited.text, edited.title) == (stored.text, stored.title):
        return None
    return edited, cut
