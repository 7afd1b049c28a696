"""What a fetched body is, and the raw document of an article page.

:func:`classify` tells an article page (HTML or text) from a feed, JSON, and everything that is no
article (PDF, images, archives, ...), from the declared type and a sniff of the body;
:func:`document_from_fetched` decodes a page into a :class:`~storyline.models.RawDocument`. Used by
every reader that holds an HTTP body: the fetch of a URL (:mod:`storyline.ingest.sources`) and web
archive records (:mod:`storyline.ingest.warc`). Nothing here fetches.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..models import RawDocument
from ..settings import Settings
from .decode import decode_bytes, sniff_binary
from .feeds import is_feed
from .fetch import Fetched

__all__ = ["classify", "document_from_fetched"]

# Media types that are never article pages: exact names, or prefixes ending in "/" or ".".
_UNSUPPORTED_TYPES: dict[str, str] = {
    "application/pdf": "a PDF document", "image/": "an image", "audio/": "audio", "video/": "video",
    "font/": "a font", "application/zip": "a ZIP archive", "application/gzip": "gzip-compressed data",
    "application/x-gzip": "gzip-compressed data", "application/x-tar": "a tar archive",
    "application/x-7z-compressed": "a 7-Zip archive", "application/vnd.rar": "a RAR archive",
    "application/msword": "a Word document", "application/vnd.ms-": "an office document",
    "application/vnd.openxmlformats-officedocument.": "an office document",
    "application/vnd.oasis.opendocument.": "an office document", "application/epub+zip": "an e-book",
    "application/wasm": "a WebAssembly program", "application/javascript": "a script",
    "text/javascript": "a script", "text/css": "a style sheet",
}
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_XML_TYPES = frozenset({"text/xml", "application/xml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_JSON_TYPES = frozenset({"application/json", "text/json", "application/ld+json"})
_OCTET_STREAM_TYPES = frozenset({"application/octet-stream", "binary/octet-stream"})

_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def classify(fetched: Fetched) -> str:
    """Say what kind of document a response holds.

    Args:
        fetched: a response from :func:`storyline.ingest.fetch.fetch`.

    Returns:
        ``"html"``, ``"text"``, ``"json"`` or ``"feed"`` (RSS, Atom or RDF).

    Raises:
        InputError: the response is a PDF, an image, audio, video, an archive
            or other content that is not an article page.
    """
    ctype, body = fetched.content_type, fetched.body
    # 1. a declared type that is never an article
    described = _unsupported_type(ctype)
    if described:
        raise InputError(_unsupported(ctype, described))
    # 2. a body that is binary whatever its declared type
    binary = sniff_binary(body)
    if binary:
        raise InputError(_unsupported(ctype or "no content type", f"the body is {binary}"))
    # 3. declared types, with a sniff for feeds served under generic types
    if ctype in _FEED_TYPES or is_feed(body):
        return "feed"
    if ctype in _XML_TYPES:
        raise InputError(_unsupported(ctype, "XML that is not an RSS or Atom feed"))
    if ctype in _JSON_TYPES or ctype.endswith("+json"):
        return "json"
    if ctype in _HTML_TYPES:
        return "html"
    if ctype.startswith("text/"):
        return "text"
    # 4. no useful type: sniff the body
    return _sniffed_kind(ctype, body)


def document_from_fetched(fetched: Fetched, source: str, settings: Settings) -> RawDocument:
    """Decode an HTML or text response into a raw document.

    Args:
        fetched: a response from :func:`storyline.ingest.fetch.fetch`.
        source: what to record as the document's source (usually the URL asked for).
        settings: uses ``max_bytes``.

    Returns:
        A document with ``html`` or ``text`` set and ``url`` = the final URL.

    Raises:
        InputError: the response is not HTML or text (feeds and JSON are read
            elsewhere), or its bytes cannot be decoded.
    """
    kind = classify(fetched)
    if kind not in ("html", "text"):
        raise InputError(f"{fetched.url}: expected an article page, got {kind} content ({fetched.content_type})")
    declared = fetched.charset
    if kind == "html" and not declared:
        declared = _meta_charset(fetched.body)
    content = decode_bytes(fetched.body, declared=declared, max_bytes=settings.max_bytes)
    if kind == "html":
        return RawDocument(source=source, html=content, url=fetched.url)
    return RawDocument(source=source, text=content, url=fetched.url)


def _unsupported_type(ctype: str) -> str | None:
    for pattern, described in _UNSUPPORTED_TYPES.items():
        if ctype == pattern or (pattern.endswith((".", "/")) and ctype.startswith(pattern)):
            return described
    return None


def _unsupported(ctype: str, described: str) -> str:
    return f"unsupported content: {ctype} ({described}), not an article page"


def _sniffed_kind(ctype: str, body: bytes) -> str:
    """Guess the kind of a body whose declared type says nothing useful."""
    if _HTML_START.match(body[:4096]):
        return "html"
    if body.lstrip()[:1] in (b"{", b"["):
        return "json"
    if ctype in _OCTET_STREAM_TYPES:
        raise InputError(_unsupported(ctype, "unknown binary data"))
    if ctype and not ctype.startswith("text/"):
        raise InputError(_unsupported(ctype, "not a text format"))
    return "text"


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:2048])
    return match.group(1).decode("ascii").lower() if match else None
