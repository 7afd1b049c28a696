"""CSV tables of articles to raw documents: Media Cloud story exports, and any CSV with a text column.

Media Cloud's story list export (columns ``id, indexed_date, language, media_name, media_url,
publish_date, title, url``; older exports ``stories_id, publish_date, title, url, language,
ap_syndicated, themes, media_id, media_name, media_url``) carries no text: each row becomes a document
with its ``url``, ``title``, ``published`` (``publish_date`` as given) and ``outlet`` (``media_name``,
else the host of ``media_url``), and its page is fetched as a JSON object with only a url is
(:func:`storyline.ingest.sources.iter_documents`), the row's values winning over what the page says.
They are metadata the file declares, like a JSON record's or a feed entry's (evidence ``declared``),
not values the user set (``--outlet``, a sidecar, a manifest: evidence ``user``).

Columns are mapped by the same table as JSON records (:func:`storyline.ingest.files.field_of`), so a
CSV with a ``text`` column (or ``maintext``, ``content``, ...) gives documents without fetching.

The file is read row by row, one row in memory at a time: ``max_bytes`` caps each row, not the file.
A row that cannot be used is one :class:`Failure` naming ``FILE:LINE`` (the line the row starts on);
a header with no url, text or html column fails the whole file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, NamedTuple
from urllib.parse import urlsplit

from ..errors import InputError
from ..models import Failure, RawDocument
from ..settings import Settings
from .records import document_from_json, field_of, with_notes

__all__ = ["is_article_table", "read_csv"]

_CONTENT_FIELDS = frozenset({"url", "text", "html"})
_SNIFF_BYTES = 65_536
_DAMAGED = "not valid UTF-8: damaged bytes replaced with U+FFFD"


class _Row(NamedTuple):
    line: int
    """The line the row starts on (1 = the header)."""
    values: list[str]
    problem: str | None = None
    damaged: bool = False


def is_article_table(path: Path) -> bool:
    """Tell whether a CSV file's header names a url, text or html column (a table Storyline reads, not
    a manifest or another spreadsheet that happens to lie in a folder). An unreadable file counts as
    one, so that reading it says why."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(_SNIFF_BYTES)
    except OSError:
        return True
    try:
        header = next(csv.reader([first.decode("utf-8-sig", errors="replace")]), [])
    except csv.Error:
        return False
    return bool(_content_columns(header))


def read_csv(handle: BinaryIO, source: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Yield one document per row of a Media Cloud export or other CSV table of articles (see the module).

    Args:
        handle: the CSV file, open for reading in binary mode (UTF-8, a BOM allowed).
        source: the file's name, for the rows' sources (``source:LINE``).
        settings: uses ``max_bytes`` (per row).

    Raises:
        InputError: the file is empty or its header names no url, text or html column.
    """
    rows = _rows(handle, settings.max_bytes)
    first = next(rows, None)
    if first is None or not any(v.strip() for v in first.values):
        raise InputError("empty: no header row")
    if first.problem:
        raise InputError(f"header row: {first.problem}")
    header = [name.strip() for name in first.values]
    if not _content_columns(header):
        hint = ("; a list of inputs with their metadata is a manifest: ingest --manifest FILE"
                if {"path", "file"} & {name.lower() for name in header} else "")
        raise InputError(f"not a Media Cloud export or table of articles: no url, text or html column "
                         f"(columns: {', '.join(header[:12])}{', ...' if len(header) > 12 else ''}){hint}")
    for row in rows:
        where = f"{source}:{row.line}"
        if row.problem:
            yield Failure(where, row.problem)
        elif len(row.values) != len(header):
            if any(v.strip() for v in row.values):
                yield Failure(where, f"{len(row.values)} field(s) where the header has {len(header)}")
        else:
            yield with_notes(_document(dict(zip(header, row.values)), where), (_DAMAGED,) if row.damaged else ())


def _content_columns(header: list[str]) -> list[str]:
    return [name for name in header if field_of(name.strip()) in _CONTENT_FIELDS]


def _document(row: dict[str, str], where: str) -> RawDocument | Failure:
    try:
        doc = document_from_json(row, where)
    except InputError:
        return Failure(where, "no url, text or html in this row")
    if doc.outlet is None and (host := _host(row.get("media_url", ""))):
        doc = replace(doc, outlet=host)
    return doc


def _host(value: str) -> str | None:
    """``https://www.harbour-ledger.example/`` or ``harbour-ledger.example`` → ``harbour-ledger.example``."""
    value = value.strip()
    if not value:
        return None
    try:
        host = urlsplit(value if "://" in value else f"//{value}").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _rows(handle: BinaryIO, cap: int) -> Iterator[_Row]:
    """Read the file row by row with the csv module (a quoted field may span lines), one row in memory."""
    lines = _Lines(handle, cap)
    reader = csv.reader(lines)
    limit = csv.field_size_limit()
    while True:
        lines.start_row()
        start = reader.line_num + 1
        csv.field_size_limit(max(limit, cap))  # a row within max_bytes may be one long field (the default stops at 131,072)
        try:
            values = next(reader, None)
        except csv.Error as exc:
            yield _Row(start, [], f"not valid CSV: {exc}")
            continue
        finally:
            csv.field_size_limit(limit)
        if values is None:
            return
        if lines.size > cap:
            yield _Row(start, [], f"record too large: more than the {cap / 1e6:.1f} MB cap (setting max_bytes)")
        else:
            yield _Row(start, values, damaged=lines.damaged)


_SHAPE = re.compile(rb'[^",\r\n]+')
"""Runs of bytes that do not shape a CSV row (everything but quotes, commas and line ends)."""


class _Lines:
    """The file's lines as text for :func:`csv.reader`, counting the bytes of the current row. Past
    ``cap`` a line comes through as only the bytes that shape the row (each other run becomes one
    ``x``): the reader still finds where the row ends, and memory stays small."""

    def __init__(self, handle: BinaryIO, cap: int) -> None:
        self.handle, self.cap = handle, cap
        self.size, self.damaged, self.first = 0, False, True

    def start_row(self) -> None:
        self.size, self.damaged = 0, False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = b""
        while piece := self.handle.readline(self.cap + 1):
            self.size += len(piece)
            line = _SHAPE.sub(b"x", line + piece) if self.size > self.cap else line + piece
            if piece.endswith(b"\n"):
                break
        if not line:
            raise StopIteration
        text = line.decode("utf-8-sig" if self.first else "utf-8", errors="replace")
        self.first = False
        self.damaged = self.damaged or ("\ufffd" in text and b"\xef\xbf\xbd" not in line)
        return text
