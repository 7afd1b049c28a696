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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..models import Failure, RawDocument
from ..settings import Settings
from .decode import decode_text
from .feeds import is_feed, read_feed
from .mediacloud import read_csv
from .records import json_documents, jsonl_documents, streamed_jsonl, with_notes
from .warc import is_archive, read_archive

__all__ = ["SUFFIXES", "STDIN", "iter_folder", "read_data", "read_file", "read_stdin"]

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
CSV_SUFFIXES = frozenset({".csv"})
ARCHIVE_SUFFIXES = frozenset({".warc", ".arc"})
"""Web archives; gzip-compressed ones end in ``.warc.gz`` or ``.arc.gz`` (:func:`storyline.ingest.warc.is_archive`)."""
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | CSV_SUFFIXES | ARCHIVE_SUFFIXES

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


def read_file(path: Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Yield the documents in one file (several for JSON lists, JSONL, CSV tables and web archives, one
    per entry for feeds).

    Documents that only name a URL (a file of URLs, a feed entry, a JSON record or CSV row with only a
    url) come without text: :func:`storyline.ingest.sources.complete` fetches them.

    Raises:
        InputError: the whole file is unusable (empty, binary, too large, not JSON).
    """
    source, suffix = str(path), path.suffix.lower()
    # bulk formats are streamed: the size cap is per record
    if suffix in JSONL_SUFFIXES:
        yield from _streamed(path, lambda handle: streamed_jsonl(handle, source, settings.max_bytes))
    elif is_archive(path):
        yield from _streamed(path, lambda handle: read_archive(handle, source, settings))
    elif suffix in CSV_SUFFIXES:
        yield from _streamed(path, lambda handle: read_csv(handle, source, settings))
    else:
        yield from read_data(read_bytes(path, settings), source, suffix, settings)


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


STDIN = "-"
"""The SOURCE that reads standard input."""


def read_stdin(stream: BinaryIO, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Yield the documents piped in on standard input: a feed, a page, JSON, JSONL or plain text, told
    apart by their first characters (source ``<stdin>``).

    Raises:
        InputError: more than ``settings.max_bytes`` arrived, or the bytes are unusable.
    """
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise InputError(f"too large: more than the {settings.max_bytes / 1e6:.1f} MB cap (setting max_bytes)")
    yield from read_data(data, "<stdin>", _sniffed_suffix(data), settings)


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


def read_data(data: bytes, source: str, suffix: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Yield the documents in ``data`` read as a file with this ``suffix`` (a feed whatever its suffix).

    Raises:
        InputError: the whole input is unusable (empty, binary, too large, not JSON).
    """
    if suffix in FEED_SUFFIXES or is_feed(data):
        yield from read_feed(data, source, settings)
        return
    text, notes = decode_text(data, max_bytes=settings.max_bytes)
    if suffix in HTML_SUFFIXES:
        yield RawDocument(source=source, html=text, notes=notes)
    elif suffix in JSON_SUFFIXES:
        yield from (with_notes(d, notes) for d in json_documents(text, source))
    elif suffix in JSONL_SUFFIXES:
        yield from (with_notes(d, notes) for d in jsonl_documents(text, source))
    elif _url_list(text):  # a file of URLs, one a line: each is a document to complete (fetch)
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip() and not line.lstrip().startswith("#")]
        yield from (RawDocument(source=f"{source}:{n}", url=url) for n, url in lines)
    else:
        yield RawDocument(source=source, text=text, notes=notes)


_URL_LINE = re.compile(r"\s*https?://\S+\s*")


def _url_list(text: str) -> bool:
    """Every line that is not blank or a # comment is one http(s) URL."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(lines) and all(_URL_LINE.fullmatch(line) for line in lines)


