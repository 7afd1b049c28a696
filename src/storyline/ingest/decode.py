"""Turn untrusted bytes into text, or say clearly why not.

Steps: 1. refuse empty and oversized input; 2. refuse binary content (NUL
bytes, known binary signatures); 3. decode with the declared charset, then
UTF-8; 4. UTF-8 with a few damaged bytes (valid multi-byte sequences beside at
most 1% invalid bytes) is UTF-8, the bad bytes replaced with U+FFFD and said
so; 5. otherwise charset detection (legacy encodings such as cp1252 or KOI8-R),
said so too; bytes that read as garbled characters in every encoding (random
data) are refused.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from ..errors import InputError

__all__ = ["decode_bytes", "decode_text", "Decoded", "sniff_binary", "scrub_surrogates", "MAX_MESS"]

MAX_MESS = 0.5
"""Mess ratio (charset_normalizer) above which the best decoding is garbled characters, not text (random bytes read ~3.5, text 0)."""
_MAX_DAMAGED = 0.01
"""Share of invalid bytes up to which text with valid multi-byte UTF-8 is read as damaged UTF-8."""

# Leading bytes of formats that are never articles.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF media file"),
    (b"PK\x03\x04", "a ZIP archive (or office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
)


def sniff_binary(data: bytes) -> str | None:
    """Return a description of the binary format of ``data``, or None if it may be text."""
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return what
    head = data[:8192]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "binary data (NUL bytes)"
    return None


class Decoded(NamedTuple):
    """Decoded text, and what a reader should know about how it was decoded (empty when plain)."""

    text: str
    notes: tuple[str, ...] = ()


def decode_bytes(data: bytes, *, declared: str | None = None, max_bytes: int | None = None) -> str:
    """Decode ``data`` to text (:func:`decode_text` without its notes)."""
    return decode_text(data, declared=declared, max_bytes=max_bytes).text


def decode_text(data: bytes, *, declared: str | None = None, max_bytes: int | None = None) -> Decoded:
    """Decode ``data`` to text, with notes on damaged bytes or a guessed encoding.

    Args:
        data: the raw bytes.
        declared: a charset the source declared (HTTP header, meta tag), tried first.
        max_bytes: refuse anything larger.

    Returns:
        The decoded text (a leading BOM removed) and its notes.

    Raises:
        InputError: the input is empty, too large, binary, or not text in any encoding.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"too large: {len(data) / 1e6:.1f} MB exceeds the {max_bytes / 1e6:.1f} MB cap (setting max_bytes)")
    if not data.strip():
        raise InputError("empty: no content")
    binary = sniff_binary(data)
    if binary:
        raise InputError(f"not an article: looks like {binary}")
    for encoding in (declared, "utf-8-sig"):
        if not encoding:
            continue
        try:
            return Decoded(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    return _detect(data)


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> tuple[str, int]:
    """Replace lone surrogates (a JSON "\\ud800" decodes to one; no encoding can write it) with U+FFFD; return the text and how many."""
    return _SURROGATE.subn("\ufffd", text)


def _damaged_utf8(data: bytes) -> Decoded | None:
    """Step 4: UTF-8 text with a few bad bytes (a truncated copy, one stray byte), or None."""
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8-sig", errors="ignore").count("\ufffd")
    multibyte = any(ord(c) > 127 and c != "\ufffd" for c in text)
    if not multibyte or bad > max(1, int(len(data) * _MAX_DAMAGED)):
        return None
    return Decoded(text, (f"not valid UTF-8: {bad} damaged byte sequence(s) replaced with U+FFFD",))


# Legacy encodings most often met on news pages, most common first. On short
# texts detection ties many code pages; among near-ties the commoner one wins.
_COMMON_ENCODINGS = (
    "cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1250", "iso8859_2",
    "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr", "cp1253", "cp1254", "cp1256",
)
_ALWAYS_TRY = ("cp1252", "cp1251", "koi8_r", "cp1250")


def _detect(data: bytes) -> Decoded:
    """Step 5: decode with the candidate encoding whose text looks least garbled (charset_normalizer's mess ratio)."""
    names = [m.encoding for m in from_bytes(data)] + list(_ALWAYS_TRY)
    scored: list[tuple[float, int, str, str]] = []
    for name in dict.fromkeys(names):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        rank = _COMMON_ENCODINGS.index(name) if name in _COMMON_ENCODINGS else len(_COMMON_ENCODINGS)
        scored.append((mess_ratio(text), rank, name, text))
    if not scored:
        raise InputError("not text: no character encoding fits the bytes")
    best = min(score for score, _, _, _ in scored)
    if best > MAX_MESS:
        raise InputError(f"not text: the bytes read as garbled characters in every encoding (mess ratio {best:.2f} > {MAX_MESS})")
    _, name, text = min((rank, name, text) for score, rank, name, text in scored if score <= best + 0.1)
    return Decoded(text, (f"not valid UTF-8: decoded as {name} by charset detection",))
