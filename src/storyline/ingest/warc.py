"""Web archives (WARC, and the older ARC; plain or gzip-compressed) to raw documents.

Read with warcio record by record, one record's body in memory at a time, so an archive of any size
is fine and ``max_bytes`` caps each record, not the file. Steps for each record: 1. keep only
``response`` records (request, metadata, warcinfo, revisit, resource and conversion records hold no
page) of HTTP status 200 whose Content-Type is HTML or XHTML; the rest are skipped and counted
(:class:`Skipped`), never reported one by one; 2. read the body (Content-Encoding and chunked
transfer undone by warcio), failing the record alone when it is over ``max_bytes``; 3. decode it as a
fetched page is decoded (:func:`storyline.ingest.fetch.document_from_fetched`: the HTTP charset, then
the page's ``<meta charset>``, then detection); 4. check that the record was whole (all the bytes its
Content-Length promises). A record cut short, bytes after the last record that are no record, or
anything warcio cannot parse ends the archive with one :class:`Failure` naming the file and the
reason; the documents before it are kept.

Each document's source is ``FILE#OFFSET``, the byte offset of its record in the file as stored
(compressed or not), the offset ``warcio extract FILE OFFSET`` and CDX indexes use. Its url is the
record's WARC-Target-URI. The WARC-Date is when the page was crawled, not when it was published, and
is not used.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import InputError
from ..models import Failure, RawDocument
from ..settings import Settings
from .fetch import Fetched, parse_content_type
from .pages import document_from_fetched

__all__ = ["ARCHIVE_NAMES", "Skipped", "is_archive", "read_archive"]

ARCHIVE_NAMES = (".warc", ".warc.gz", ".arc", ".arc.gz")
"""How the names of the web archives read end (warcio tells gzip-compressed from plain by the bytes)."""

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 1 << 16

# What warcio raises on bytes that are no archive or a damaged one: its own errors, zlib's, and plain
# Python errors from a record header cut in the middle (AttributeError on a missing WARC-Target-URI).
_DAMAGE: tuple[type[Exception], ...] = (
    ArchiveLoadFailed, StatusAndHeadersParserException, ChunkedDataException, zlib.error, EOFError,
    ValueError, AttributeError, TypeError, IndexError, KeyError,
)


@dataclass(slots=True)
class Skipped:
    """The records of an archive that hold no article page, counted by why."""

    not_response: int = 0
    """request, metadata, warcinfo, revisit, resource and conversion records."""
    not_html: int = 0
    """responses whose Content-Type is not HTML or XHTML (PDFs, images, scripts, DNS records)."""
    not_ok: int = 0
    """HTML responses with an HTTP status other than 200 (redirects, 404s, server errors)."""

    @property
    def total(self) -> int:
        """Return how many records were skipped."""
        return self.not_response + self.not_html + self.not_ok

    def describe(self) -> str:
        """Say what was skipped, e.g. ``3 not responses, 1 not HTML, 1 not HTTP 200``."""
        parts = [(self.not_response, "not responses"), (self.not_html, "not HTML"), (self.not_ok, "not HTTP 200")]
        return ", ".join(f"{n} {what}" for n, what in parts if n) or "no records"


def is_archive(path: Path) -> bool:
    """Tell whether ``path`` is named as a web archive (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``)."""
    return path.name.lower().endswith(ARCHIVE_NAMES)


def read_archive(handle: BinaryIO, source: str, settings: Settings, *, skipped: Skipped | None = None) -> Iterator[RawDocument | Failure]:
    """Yield one document per HTML page of HTTP status 200 in a WARC or ARC archive (see the module).

    Args:
        handle: the archive, open for reading in binary mode (plain or gzip-compressed).
        source: the archive's name, for the documents' sources (``source#OFFSET``) and failures.
        settings: uses ``max_bytes`` (per record).
        skipped: counts the records that hold no page, when given.

    Yields:
        Documents; a :class:`Failure` for a record that is too large or cannot be decoded; one
        :class:`Failure` naming ``source`` when the archive is damaged (reading stops there) or holds
        no page at all.
    """
    counts = skipped if skipped is not None else Skipped()
    records = ArchiveIterator(handle, arc2warc=True)
    read = found = 0
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            body = _body(record, settings.max_bytes) if _is_page(record, counts) else None
            offset = records.get_record_offset()  # reads the rest of the record
        except _DAMAGE as exc:
            yield Failure(source, _damaged(_warcio_reason(exc, read, records.offset), read))
            return
        broken = _broken(record, offset)
        if broken:
            yield Failure(source, _damaged(broken, read))
            return
        read += 1
        if body is not None:
            found += 1
            yield _document(record, body, f"{source}#{offset}", settings)
    trailing = _trailing_bytes(handle, records.offset)
    if trailing:
        yield Failure(source, _damaged(f"{trailing} byte(s) at byte {records.offset} are no complete record", read))
    elif not read:
        yield Failure(source, "empty: no records in the archive")
    elif not found:
        yield Failure(source, f"no HTML page of HTTP status 200 in the archive ({counts.describe()} skipped)")


def _is_page(record: Any, counts: Skipped) -> bool:
    """Tell whether ``record`` may hold an article page (an HTML response of status 200); count it when not."""
    if record.rec_type != "response":
        counts.not_response += 1
        return False
    headers = record.http_headers
    media, _ = parse_content_type(str(headers.get_header("Content-Type") or "")) if headers is not None else ("", None)
    if media not in _HTML_TYPES:
        counts.not_html += 1
        return False
    if headers.get_statuscode() != "200":
        counts.not_ok += 1
        return False
    return True


def _body(record: Any, cap: int) -> bytes | InputError:
    """The record's HTTP body (decompressed, de-chunked), or an error when it is over ``cap`` bytes."""
    stream = record.content_stream()
    chunks: list[bytes] = []
    size = 0
    while size <= cap and (chunk := stream.read(min(_CHUNK, cap + 1 - size))):
        chunks.append(chunk)
        size += len(chunk)
    if size > cap:
        return InputError(f"record too large: more than the {cap / 1e6:.1f} MB cap (setting max_bytes)")
    return b"".join(chunks)


def _document(record: Any, body: bytes | InputError, where: str, settings: Settings) -> RawDocument | Failure:
    if isinstance(body, InputError):
        return Failure(where, str(body))
    url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
    _, charset = parse_content_type(str(record.http_headers.get_header("Content-Type") or ""))
    try:
        doc = document_from_fetched(Fetched(url=url, content_type="text/html", charset=charset, body=body), where, settings)
    except InputError as exc:
        return Failure(where, str(exc))
    cut = record.rec_headers.get_header("WARC-Truncated")
    if cut:  # the crawler stopped reading the page (length, time, disconnect)
        doc = replace(doc, notes=doc.notes + (f"the crawler archived only part of the page (WARC-Truncated: {cut})",))
    return replace(doc, url=url or None)


def _broken(record: Any, offset: int) -> str | None:
    """Say how a record is not whole, or None when every byte its header declares was there (warcio
    hands a record cut short over as it is)."""
    declared = str(record.rec_headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit():
        return f"the record at byte {offset} has no valid Content-Length ({declared or 'none'})"
    stream = record.raw_stream
    if not isinstance(stream, LimitReader) or stream.limit:
        return f"the record at byte {offset} ends before the {int(declared):,} bytes it declares"
    return None


def _trailing_bytes(handle: BinaryIO, end: int) -> int:
    """How many bytes follow the end of the last whole record (0 when the archive ended cleanly; a record
    header cut in the middle is not an error to warcio, it just stops)."""
    try:
        if not handle.seekable():
            return 0
        size = handle.seek(0, io.SEEK_END)
    except (OSError, ValueError):
        return 0
    return max(0, size - end)


def _warcio_reason(exc: Exception, read: int, at: int) -> str:
    text = " ".join(str(exc).split())
    if "non-chunked gzip" in text:
        return ("the whole file is one gzip stream, not one per record as WARC requires "
                "(`warcio recompress FILE NEW` fixes it)")
    if isinstance(exc, ArchiveLoadFailed) and not read:
        return "unknown format"
    return f"the record at byte {at} is cut short or malformed ({type(exc).__name__}: {text[:120]})"


def _damaged(reason: str, read: int) -> str:
    if not read:
        return f"not a WARC or ARC archive, or damaged from its start: {reason}"
    return f"damaged or truncated archive: {reason} (the {read} record(s) before it were read)"
