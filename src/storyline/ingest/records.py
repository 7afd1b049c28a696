"""JSON records (objects, lists, JSON lines) to raw documents, field by field.

One alias table (:data:`_ALIASES`) maps the field names other tools use (news-please, newspaper4k,
trafilatura, Media Cloud) to ours; it also maps CSV columns (:mod:`storyline.ingest.mediacloud`). A
record with only a URL becomes a document to complete (its page is fetched by
:func:`storyline.ingest.sources.complete`). A record that cannot be mapped becomes one failure naming
it (``FILE:LINE`` or ``FILE#N``); the others go on. Nothing here reads files or fetches.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, BinaryIO

from ..errors import InputError
from ..models import Failure, RawDocument
from .decode import scrub_surrogates

__all__ = ["document_from_json", "field_of", "json_documents", "jsonl_documents", "streamed_jsonl", "with_notes"]

# Field names other tools use for the same thing, first match wins.
# news-please: maintext, date_publish, source_domain, authors; newspaper4k: text, publish_date, authors,
# canonical_link; trafilatura (JSON output): text, date, sitename, hostname, author; Media Cloud (JSON
# or CSV columns): publish_date, media_name. A JSON object or CSV row with only a url has its page fetched.
# CSV columns are mapped by this table too (:mod:`storyline.ingest.mediacloud`).
_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "maintext", "content", "body", "articleBody", "article"),
    "html": ("html", "raw_html", "page"),
    "url": ("url", "link", "href", "canonical_link"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publication_date", "datePublished", "pubDate",
                  "date_publish", "publish_date"),
    "outlet": ("outlet", "site", "sitename", "site_name", "publisher", "source_name", "media_name", "source_domain", "hostname"),
    "author": ("author", "byline", "authors"),
}


def streamed_jsonl(handle: BinaryIO, source: str, cap: int) -> Iterator[RawDocument | Failure]:
    """Read a JSONL file line by line, holding one record at a time: a 35 MB news-please or Media Cloud
    dump is read whole, and a record over ``cap`` bytes fails alone (``FILE:LINE``)."""
    n = 0
    while line := handle.readline(cap + 1):
        n += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the oversized record
            yield Failure(f"{source}:{n}", f"record too large: more than the {cap / 1e6:.1f} MB cap (setting max_bytes)")
            continue
        text = line.decode("utf-8", errors="replace")
        if text.strip():
            damaged = "\ufffd" in text and b"\xef\xbf\xbd" not in line
            notes = ("not valid UTF-8: damaged bytes replaced with U+FFFD",) if damaged else ()
            yield with_notes(_jsonl_record(text, f"{source}:{n}"), notes)


def json_documents(text: str, source: str) -> Iterator[RawDocument | Failure]:
    """Yield the documents of a JSON text: one object, a list of objects, or ``{"articles": [...]}``.

    Raises:
        InputError: not valid JSON, or not an object or a list of objects.
    """
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not valid JSON: {exc}") from exc
    items = data if isinstance(data, list) else data.get("articles", [data]) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError("JSON must be an object or a list of objects")
    for n, item in enumerate(items):
        yield _json_item(item, f"{source}#{n}" if len(items) > 1 else source)


def jsonl_documents(text: str, source: str) -> Iterator[RawDocument | Failure]:
    """Yield one document or failure per non-blank line of a JSON-lines text (``SOURCE:LINE``)."""
    for n, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may stand inside a JSON string
        if line.strip():
            yield _jsonl_record(line, f"{source}:{n}")


def _jsonl_record(line: str, source: str) -> RawDocument | Failure:
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return Failure(source, f"not valid JSON: {exc.msg if hasattr(exc, 'msg') else exc}")
    return _json_item(item, source)


def _json_item(item: Any, source: str) -> RawDocument | Failure:
    try:
        return document_from_json(item, source)
    except InputError as exc:
        return Failure(source, str(exc))


def field_of(key: str) -> str | None:
    """Return the document field another tool's key maps to (``maintext`` → ``text``, ``media_name`` →
    ``outlet``; the one alias table for JSON records and CSV columns), or None for a key not read."""
    return next((name for name, keys in _ALIASES.items() if key in keys), None)


def _field(item: Mapping[str, Any], name: str) -> str | None:
    for key in _ALIASES[name]:
        value = item.get(key)
        if isinstance(value, list):
            value = ("; " if name == "author" else ", ").join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
        elif isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return None


def document_from_json(item: Any, source: str) -> RawDocument:
    """Return the raw document described by one JSON object.

    Raises:
        InputError: not an object, or it has none of text, html and url.
    """
    if not isinstance(item, dict):
        raise InputError(f"expected a JSON object, got {type(item).__name__}")
    fields: dict[str, Any] = {}
    scrubbed = 0
    for name in _ALIASES:
        value = _field(item, name)
        if value is not None:
            value, n = scrub_surrogates(value)
            scrubbed += n
        fields[name] = value
    if not (fields["text"] or fields["html"] or fields["url"]):
        raise InputError("JSON object has none of text, html or url")
    notes = (f"{scrubbed} lone surrogate(s) (\\ud800-\\udfff, no character) replaced with U+FFFD",) if scrubbed else ()
    return RawDocument(source=source, notes=notes, **fields)


def with_notes(item: RawDocument | Failure, notes: tuple[str, ...]) -> RawDocument | Failure:
    """The document with the notes on how its file was read added (failures unchanged)."""
    return replace(item, notes=notes + item.notes) if notes and isinstance(item, RawDocument) else item
