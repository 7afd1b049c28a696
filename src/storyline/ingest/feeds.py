"""Read RSS and Atom feeds into raw documents, one per entry. Nothing here fetches.

A feed entry usually only links to the article: it becomes a document with that ``url`` and the
entry's own metadata (title, date, authors, the feed's title as the outlet) but no text yet; the one
step that completes documents (:func:`storyline.ingest.sources.complete`) fetches its page, and the
entry's fields win over the page's. An entry with no link but with content becomes a document from
that content. One bad entry becomes a :class:`~storyline.models.Failure`; the others carry on.
"""

from __future__ import annotations

import codecs
import io
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser  # type: ignore[import-untyped]

from ..errors import InputError
from ..models import Failure, RawDocument
from ..settings import Settings
from .decode import sniff_binary

__all__ = ["is_feed", "read_feed"]

_SNIFF_BYTES = 2048
# Things allowed before the root element: XML declaration, processing
# instructions (stylesheets), comments and a doctype.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_FEED_ROOT = re.compile(r"\s*<(?:rss|feed|rdf:RDF)[\s>/]")
_SAX_LOCATION = re.compile(r"^<unknown>:(\d+):(\d+):")


def is_feed(data: bytes) -> bool:
    """Say whether ``data`` starts like an RSS, Atom or RDF feed.

    Looks only at the root element, after an optional BOM, XML declaration,
    processing instructions, comments and doctype.

    Args:
        data: the raw bytes (any length; only the first 2 KB are read).

    Returns:
        True when the first element is ``<rss``, ``<feed`` or ``<rdf:RDF``.
    """
    head = _sniff_text(data[:_SNIFF_BYTES])
    position = 0
    while match := _PROLOG.match(head, position):
        position = match.end()
    return _FEED_ROOT.match(head, position) is not None


def read_feed(data: bytes, source: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Read a feed and return its entries as documents or failures.

    The feed itself is parsed before this returns.

    Args:
        data: the feed's bytes (never a URL or path: nothing is fetched to read the feed).
        source: where the feed came from (URL or path); relative entry links are
            resolved against it when it is a URL, and it is each document's ``feed``.
        settings: ``max_bytes`` caps the feed size.

    Returns:
        An iterator of one :class:`RawDocument` or :class:`Failure` per entry, in feed order: a linked
        entry's document has its ``url`` (and ``source``) but no text until it is completed.

    Raises:
        InputError: the data is too large, binary, or not a readable RSS/Atom feed.
    """
    parsed = _parse(data, settings)
    outlet = _text(parsed.feed.get("title"))
    return (_entry_result(entry, f"{source}#entry-{n}", source, outlet) for n, entry in enumerate(parsed.entries, start=1))


def _parse(data: bytes, settings: Settings) -> Any:
    if len(data) > settings.max_bytes:
        raise InputError(f"too large: feed exceeds the {settings.max_bytes:,}-byte cap (setting max_bytes)")
    binary = sniff_binary(data)
    if binary:
        raise InputError(f"not a readable RSS/Atom feed: looks like {binary}")
    # A BytesIO, because feedparser treats bare bytes as a possible file name.
    # No Content-Location: feedparser would then rewrite ids ("story-17") into
    # URLs, and _entry_link could no longer tell real permalinks from names.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise InputError(f"not a readable RSS/Atom feed: {_failure_reason(data, parsed)}")
    return parsed


def _failure_reason(data: bytes, parsed: Any) -> str:
    """Say why feedparser found no feed, e.g. 'no <rss>, <feed> or <rdf:RDF> root element'."""
    problems = [] if is_feed(data) else ["no <rss>, <feed> or <rdf:RDF> root element"]
    error = parsed.get("bozo_exception")
    if error:
        problems.append("XML error " + _SAX_LOCATION.sub(r"at line \1, column \2:", str(error)))
    return "; ".join(problems) or "no feed found"


def _entry_result(entry: Mapping[str, Any], anchor: str, source: str, outlet: str | None) -> RawDocument | Failure:
    """Turn one entry into a document, or a failure that says why not."""
    # The entry's own metadata, on a document that still lacks its content.
    described = RawDocument(
        source=anchor,
        title=_text(entry.get("title")),
        published=_entry_date(entry),
        outlet=outlet,
        author=_text("; ".join(n for a in entry.get("authors") or () if isinstance(a, Mapping) and (n := _text(a.get("name"))))
                     or entry.get("author")),  # every author of the entry (feedparser's "author" is one of them)
        feed=source,
    )
    link = _entry_link(entry, source)
    if link:
        return replace(described, source=link, url=link)
    kind, content = _entry_content(entry)
    if kind == "html":
        return replace(described, html=content)
    if kind == "text":
        return replace(described, text=content)
    return Failure(source=anchor, reason="feed entry has no link and no content")


def _entry_link(entry: Mapping[str, Any], source: str) -> str | None:
    """Return the entry's web page link, resolved against the feed URL."""
    for link in entry.get("links") or []:
        href = _text(link.get("href"))
        if href and link.get("rel", "alternate") == "alternate":
            return urljoin(source, href) if _is_web_url(source) else href
    # feedparser also copies a <guid> or <id> into "link"; it is a page link
    # only when the id itself is a web URL (not "tag:...", "urn:..." or "n1").
    guid = _text(entry.get("id"))
    if guid and entry.get("link") and _is_web_url(guid):
        return guid
    return None


def _is_web_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https")


def _entry_content(entry: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """Return ``("html" | "text", content)`` from the entry's content or summary."""
    details = [*entry.get("content", []), entry.get("summary_detail") or {}]
    for detail in details:
        value = _text(detail.get("value"))
        if value:
            return ("text" if detail.get("type") == "text/plain" else "html"), value
    return None, None


def _entry_date(entry: Mapping[str, Any]) -> str | None:
    """Return the entry's publication (else update) date as YYYY-MM-DD, in UTC."""
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _sniff_text(head: bytes) -> str:
    """Decode the start of a document just well enough to read its tags."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="ignore")
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="ignore")
