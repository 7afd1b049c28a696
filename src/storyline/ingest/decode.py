"""Turn untrusted bytes into text, or say clearly why not.

Steps: 1. refuse empty and oversized input; 2. refuse binary content (NUL
bytes, known binary signatures); 3. decode with the declared charset, then
UTF-8, then charset detection (legacy encodings such as cp1252 or KOI8-R).
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from ..errors import InputError

__all__ = ["decode_bytes", "sniff_binary"]

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


def decode_bytes(data: bytes, *, declared: str | None = None, max_bytes: int | None = None) -> str:
    """Decode ``data`` to text.

    Args:
        data: the raw bytes.
        declared: a charset the source declared (HTTP header, meta tag), tried first.
        max_bytes: refuse anything larger.

    Returns:
        The decoded text (a leading BOM removed).

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
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return _detect(data)


# Legacy encodings most often met on news pages, most common first. On short
# texts detection ties many code pages; among near-ties the commoner one wins.
_COMMON_ENCODINGS = (
    "cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1250", "iso8859_2",
    "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr", "cp1253", "cp1254", "cp1256",
)
_ALWAYS_TRY = ("cp1252", "cp1251", "koi8_r", "cp1250")


def _detect(data: bytes) -> str:
    """Decode with the candidate encoding whose text looks least garbled (charset_normalizer's mess ratio)."""
    names = [m.encoding for m in from_bytes(data)] + list(_ALWAYS_TRY)
    scored: list[tuple[float, int, str]] = []
    for name in dict.fromkeys(names):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        rank = _COMMON_ENCODINGS.index(name) if name in _COMMON_ENCODINGS else len(_COMMON_ENCODINGS)
        scored.append((mess_ratio(text), rank, text))
    if not scored:
        raise InputError("not text: no character encoding fits the bytes")
    best = min(score for score, _, _ in scored)
    return min((rank, text) for score, rank, text in scored if score <= best + 0.1)[1]
