"""Local files and folders to raw documents.

Supported: ``.txt`` (plain text, or a list of URLs), ``.html``/``.htm`` (whole pages),
``.json``/``.jsonl`` (objects with any of text, html, url, title, published,
outlet, author), RSS/Atom feed files (``.xml``, ``.rss``, ``.atom``, or any
file whose content sniffs as a feed), web archives (``.warc``, ``.warc.gz``,
``.arc``, ``.arc.gz``: :mod:`storyline.ingest.warc`) and CSV tables of articles
such as Media Cloud exports (``.csv``: :mod:`storyline.ingest.mediacloud`). One
bad file, JSON line, CSV row or archive record is reported and the rest go on.
Bulk formats (JSONL, CSV, web archives) are streamed: ``max_bytes`` caps each
record, not the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..models import Failure, RawDocument
from ..settings import Settings
from .decode import decode_text, scrub_surrogates
from .feeds import Fetcher, is_feed, read_feed
from .fetch import fetch
from .warc import is_archive, read_archive

__all__ = ["SUFFIXES", "STDIN", "iter_folder", "read_data", "read_file", "read_stdin", "document_from_json", "field_of"]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
CSV_SUFFIXES = frozenset({".csv"})
ARCHIVE_SUFFIXES = frozenset({".warc", ".arc"})
"""Web archives; gzip-compressed ones end in ``.warc.gz`` or ``.arc.gz`` (:func:`storyline.ingest.warc.is_archive`)."""
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | CSV_SUFFIXES | ARCHIVE_SUFFIXES

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


def iter_folder(folder: Path) -> Iterator[Path]:
    """Yield the supported files under ``folder``, recursively, in a stable order (hidden ones and
    ``.meta.json`` sidecars skipped: see :mod:`storyline.ingest.usermeta`; a CSV only when its header
    names a url, text or html column, so a manifest or another spreadsheet beside the articles is left alone)."""
    for path in sorted(folder.rglob("*")):
        if (path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
                and not path.name.lower().endswith(".meta.json") and _readable(path)):  # a sidecar is metadata
            yield path


def _readable(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        from .mediacloud import is_article_table  # mediacloud imports this module, so import it late

        return is_article_table(path)
    return suffix in SUFFIXES or is_archive(path)


def read_bytes(path: Path, settings: Settings) -> bytes:
    """Read a regular file, never more than ``settings.max_bytes`` (+1 to tell it is over): the size the
    file system reports is not trusted (``/dev/zero``, a file growing while it is read).

    Raises:
        InputError: the file is no regular file, too large or unreadable.
    """
    try:
        if not path.is_file():
            raise InputError("not a regular file (a device, pipe or socket): refused")
        with path.open("rb") as handle:
            data = handle.read(settings.max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > settings.max_bytes:
        raise InputError(f"too large: more than the {settings.max_bytes / 1e6:.1f} MB cap (setting max_bytes)")
    return data


def read_file(path: Path, settings: Settings, *, fetcher: Fetcher | None = None) -> Iterator[RawDocument | Failure]:
    """Yield the documents in one file (several for JSON lists, JSONL, CSV tables and web archives, one
    per entry for feeds).

    ``fetcher`` fetches feed entries' links (defaults to :func:`storyline.ingest.fetch.fetch`).

    Raises:
        InputError: the whole file is unusable (empty, binary, too large, not JSON).
    """
    source, suffix = str(path), path.suffix.lower()
    # bulk formats are streamed: the size cap is per record
    if suffix in JSONL_SUFFIXES:
        yield from _streamed(path, lambda handle: _streamed_jsonl(handle, source, settings.max_bytes))
    elif is_archive(path):
        yield from _streamed(path, lambda handle: read_archive(handle, source, settings))
    elif suffix in CSV_SUFFIXES:
        from .mediacloud import read_csv  # mediacloud imports this module, so import it late

        yield from _streamed(path, lambda handle: read_csv(handle, source, settings))
    else:
        yield from read_data(read_bytes(path, settings), source, suffix, settings, fetcher=fetcher)


def _streamed(path: Path, read: Callable[[BinaryIO], Iterator[RawDocument | Failure]]) -> Iterator[RawDocument | Failure]:
    """Open a regular file and ``read`` it record by record (never the whole file in memory).

    Raises:
        InputError: the file is no regular file or cannot be read.
    """
    try:
        if not path.is_file():
            raise InputError("not a regular file (a device, pipe or socket): refused")
        with path.open("rb") as handle:
            yield from read(handle)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc


def _streamed_jsonl(handle: BinaryIO, source: str, cap: int) -> Iterator[RawDocument | Failure]:
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


STDIN = "-"
"""The SOURCE that reads standard input."""


def read_stdin(stream: BinaryIO, settings: Settings, *, fetcher: Fetcher | None = None) -> Iterator[RawDocument | Failure]:
    """Yield the documents piped in on standard input: a feed, a page, JSON, JSONL or plain text, told
    apart by their first characters (source ``<stdin>``).

    Raises:
        InputError: more than ``settings.max_bytes`` arrived, or the bytes are unusable.
    """
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise InputError(f"too large: more than the {settings.max_bytes / 1e6:.1f} MB cap (setting max_bytes)")
    yield from read_data(data, "<stdin>", _sniffed_suffix(data), settings, fetcher=fetcher)


def _sniffed_suffix(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return ".html"
    if head in (b"{", b"["):
        try:
            json.loads(data)
            return ".json"
        except (ValueError, RecursionError):
            return ".jsonl"
    return ".txt"


def read_data(data: bytes, source: str, suffix: str, settings: Settings, *, fetcher: Fetcher | None = None) -> Iterator[RawDocument | Failure]:
    """Yield the documents in ``data`` read as a file with this ``suffix`` (a feed whatever its suffix).

    Raises:
        InputError: the whole input is unusable (empty, binary, too large, not JSON).
    """
    if suffix in FEED_SUFFIXES or is_feed(data):
        yield from read_feed(data, source, settings, fetcher=fetcher or fetch)
        return
    text, notes = decode_text(data, max_bytes=settings.max_bytes)
    if suffix in HTML_SUFFIXES:
        yield RawDocument(source=source, html=text, notes=notes)
    elif suffix in JSON_SUFFIXES:
        yield from (with_notes(d, notes) for d in _json_documents(text, source))
    elif suffix in JSONL_SUFFIXES:
        yield from (with_notes(d, notes) for d in _jsonl_documents(text, source))
    elif _url_list(text):  # a file of URLs, one a line: each page is fetched
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip() and not line.lstrip().startswith("#")]
        yield from (RawDocument(source=f"{source}:{n}", url=url) for n, url in lines)
    else:
        yield RawDocument(source=source, text=text, notes=notes)


_URL_LINE = re.compile(r"\s*https?://\S+\s*")


def _url_list(text: str) -> bool:
    """Every line that is not blank or a # comment is one http(s) URL."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(lines) and all(_URL_LINE.fullmatch(line) for line in lines)


def _json_documents(text: str, source: str) -> Iterator[RawDocument | Failure]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not valid JSON: {exc}") from exc
    items = data if isinstance(data, list) else data.get("articles", [data]) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError("JSON must be an object or a list of objects")
    for n, item in enumerate(items):
        yield _json_item(item, f"{source}#{n}" if len(items) > 1 else source)


def _jsonl_documents(text: str, source: str) -> Iterator[RawDocument | Failure]:
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
