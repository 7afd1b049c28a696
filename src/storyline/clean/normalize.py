"""Text normalisation: mojibake repair, Unicode form, whitespace.

The result is the article's ``raw_text``: one paragraph per line, no trailing
spaces, no runs of blank lines. Every later offset points into text derived
from it.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

__all__ = ["normalize_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
# Curly quotes are evidence for the quote finder: keep them. ftfy is the slow
# step, and pure ASCII cannot hold mojibake, so it is skipped there.
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
    if not text.isascii():
        text = ftfy.fix_text(text, _FTFY_CONFIG)
        text = unicodedata.normalize("NFC", text)
    elif "&" in text:
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    text = _CONTROL.sub("", text)
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()
