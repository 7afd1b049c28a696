"""Text normalisation: mojibake repair, Unicode form, whitespace.

The result is the article's ``raw_text``: one paragraph per line, no trailing
spaces, no runs of blank lines. Every later offset points into text derived
from it.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
import ftfy.fixes
from ftfy.badness import is_bad

__all__ = ["normalize_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
# UTF-8 read as Latin-1/cp1252 always leaves a lead byte (Â..ô) next to a continuation
# byte (\x80..\xbf or a cp1252 special). A cheap gate before ftfy's costlier detector.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Curly quotes are evidence for the quote finder: keep them. ftfy is the slow
# step, so it runs only on text its own detector calls bad (ASCII never is).
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=True, uncurl_quotes=False, fix_latin_ligatures=False, normalization="NFC", explain=False
)


def normalize_text(text: str) -> str:
    """Repair mojibake and normalise whitespace, keeping one paragraph per line.

    Args:
        text: decoded article text (any line endings, possibly double-encoded UTF-8).

    Returns:
        The repaired text, NFC-normalised, with single spaces inside lines,
        no blank-only lines at the ends, and at most one blank line between paragraphs.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and _MOJIBAKE_HINT.search(text) and is_bad(text):
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    elif _ENTITY.search(text):
        text = ftfy.fixes.unescape_html(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
