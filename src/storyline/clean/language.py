"""Language identification with py3langid (the maintained langid.py fork trafilatura uses; its model ships in
the wheel, 97 languages).

A page may mix languages (an English report quoting a German statement, a German article under English
navigation), so each paragraph of at least :data:`MIN_WORDS` words is identified on its own and the
language of most of the text wins, when it holds at least :data:`MIN_SHARE` of it. Too little text, or no
language confident enough, stays unknown (None): never a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..models import Evidence

__all__ = ["detect_language", "identify_language", "MIN_WORDS", "MIN_SHARE", "MIN_PROBABILITY"]

MIN_WORDS = 6
"""A paragraph shorter than this is not identified (names and headlines mislead)."""
MIN_PROBABILITY = 0.8
"""A paragraph counts for a language only when py3langid gives it at least this probability."""
MIN_SHARE = 0.6
"""The winning language must hold this share of the identified text."""
MIN_TEXT_WORDS = 12
"""Less text than this in all is not identified."""
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
_LIMIT = 20_000
"""Characters of an article read."""


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str | None, Evidence | None]:
    """Return the ISO 639-1 code of the language of most of ``text`` and the evidence, or (None, None).

    The evidence names the share of the identified text in that language and, for a mixed text, the others.
    """
    shares: dict[str, int] = {}
    words = 0
    for paragraph in _PARAGRAPH.split(text[:_LIMIT]):
        n = len(_WORD.findall(paragraph))
        if n < MIN_WORDS:
            continue
        words += n
        lang, probability = _identifier().classify(paragraph)
        if probability >= MIN_PROBABILITY:
            shares[lang] = shares.get(lang, 0) + len(paragraph)
    total = sum(shares.values())
    if words < MIN_TEXT_WORDS or not total:
        return None, None
    best = max(shares, key=lambda lang: (shares[lang], lang))
    share = shares[best] / total
    if share < MIN_SHARE:
        return None, None
    others = ", ".join(f"{lang} {shares[lang] / total:.0%}" for lang in sorted(shares, key=lambda x: -shares[x]) if lang != best)
    words_ = f"{share:.0%} of the identified text" + (f" (also {others})" if others else "")
    return best, Evidence("language", best, "py3langid", words_)


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the language of most of ``text``, or None when too short or unsure."""
    return identify_language(text)[0]
