"""Lexical similarity: TF-IDF cosine over content words and over names, with corpus frequencies.

Two retellings of one event share its rare words (the place, the people, the numbers) far
more than two similar events do, so lexical overlap weighted by rarity is the strongest
single signal for "same story"; it complements the sentence embeddings. Terms are counted
per article; the inverse document frequencies come from the corpus at the time of the
comparison (the backend keeps the counts) plus a background prior of :data:`PRIOR_DOCS`
documents whose frequencies come from the ``wordfreq`` package's English word lists:
``idf = log((n + N0 + 1) / (df + df0 + 1)) + 1`` with ``df0 = N0 * (1 - exp(-f * DOC_WORDS))``
for a word of frequency ``f``. The prior keeps a young corpus (a handful of articles) from
treating every word as rare, so early links do not depend on what happened to come first.
"""

from __future__ import annotations

import math
import re
from collections import Counter, OrderedDict
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

__all__ = ["terms", "content_words", "tfidf_cosine", "prior_df", "WORD", "NAME", "PRIOR_DOCS", "DOC_WORDS"]

WORD = "w:"
NAME = "n:"
_WORDS = re.compile(r"[^\W\d_][\w'-]{2,}")
_NAMES = re.compile(r"\b[A-Z][a-z]{2,}(?:[-'][A-Za-z]+)?\b|\b(?:1[89]|20)\d\d\b")
_MAX_TERMS = 300
PRIOR_DOCS = 2000
"""Size of the background corpus the word frequencies stand for."""
DOC_WORDS = 400
"""Words in a typical article (turns a word frequency into the chance an article uses it)."""


@lru_cache(maxsize=200_000)
def prior_df(term: str) -> float:
    """Return the background document frequency of a term (out of :data:`PRIOR_DOCS`)."""
    from wordfreq import word_frequency

    word = term.split(":", 1)[-1]
    return PRIOR_DOCS * (1.0 - math.exp(-word_frequency(word, "en") * DOC_WORDS))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    lines = resources.files("storyline.link").joinpath("data/stopwords.txt").read_text("utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def content_words(text: str) -> list[str]:
    """Return the lower-cased content words of ``text`` (no function words), in order."""
    stop = _stopwords()
    return [w for w in (m.lower() for m in _WORDS.findall(text)) if w not in stop]


def terms(text: str) -> dict[str, int]:
    """Return the article's term counts: content words (``w:``) and names and years (``n:``), the most frequent kept."""
    stop = _stopwords()
    counts: Counter[str] = Counter(WORD + w for w in content_words(text))
    counts.update(NAME + n.lower() for n in _NAMES.findall(text) if n.lower() not in stop)
    return dict(counts.most_common(_MAX_TERMS))


def _weights(counts: Mapping[str, int], prefix: str, df: Mapping[str, int], n: int) -> dict[str, float]:
    out = {t: (1 + math.log(c)) * (math.log((n + PRIOR_DOCS + 1) / (df.get(t, 0) + prior_df(t) + 1)) + 1)
           for t, c in counts.items() if t.startswith(prefix)}
    norm = math.sqrt(sum(v * v for v in out.values())) or 1.0
    return {t: v / norm for t, v in out.items()}


_RECENT: OrderedDict[tuple[int, str, int, int], tuple[Mapping[str, int], Mapping[str, int], dict[str, float]]] = OrderedDict()
"""The weights of recently scored term counts: an article is scored against each of its candidates with one df."""


def _recent_weights(counts: Mapping[str, int], prefix: str, df: Mapping[str, int], n: int) -> dict[str, float]:
    key = (id(counts), prefix, id(df), n)
    hit = _RECENT.get(key)
    if hit is not None and hit[0] is counts and hit[1] is df:  # the entry holds both: their ids stay theirs
        _RECENT.move_to_end(key)
        return hit[2]
    weights = _weights(counts, prefix, df, n)
    _RECENT[key] = (counts, df, weights)
    if len(_RECENT) > 64:
        _RECENT.popitem(last=False)
    return weights


def tfidf_cosine(a: Mapping[str, int], b: Mapping[str, int], prefix: str, df: Mapping[str, int], n: int) -> float:
    """Return the TF-IDF cosine of two term counts over the terms with ``prefix`` (counts and df are not
    changed in place while they are being compared)."""
    wa, wb = _recent_weights(a, prefix, df, n), _weights(b, prefix, df, n)
    if len(wb) < len(wa):
        wa, wb = wb, wa
    return sum(v * wb.get(t, 0.0) for t, v in wa.items())
