"""How strongly two articles look like the same story: sentences, actors, origins and time.

A document vector alone does not single out two retellings of one report (they open
differently); matching sentence by sentence does, so the score rests on the best-matching
sentence pairs (embeddings), on the rare words and names both use (TF-IDF, see
:mod:`storyline.link.lexical`), on the actors both name, on a shared attribution origin
(both retell the same newspaper's report), on the anchors of the event that outlets keep however
they frame it (the day it happened and the figures, :mod:`storyline.link.anchors`), and on
closeness in time. The weights were fitted (logistic regression, then rounded) on the
development half of ECB+ (odd topics) and are named constants here; the figure weight was
chosen there too, the day bonus and penalty (ECB+ has no publication dates) with our own sets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..models import ACTOR_KEY, LinkedDoc
from .anchors import FIGURE, day_relation
from .lexical import NAME, WORD, tfidf_cosine

__all__ = [
    "LinkedDoc", "PairScore", "pair_score", "key_sentences", "actor_key",
    "W_SENTENCES", "W_WORDS", "W_NAMES", "W_ACTORS", "W_ORIGIN", "W_FIGURES", "W_SAME_DAY", "P_OTHER_DAY",
    "ORIGIN_SHARE", "TIME_GAP_DAYS", "ACTOR",
]

W_SENTENCES = 0.30
"""Weight of the mean of the best sentence-pair similarities (each side's top 3, averaged)."""
W_WORDS = 0.29
"""Weight of the TF-IDF cosine over content words."""
W_NAMES = 0.36
"""Weight of the TF-IDF cosine over names and years."""
W_ACTORS = 0.05
"""Weight of the IDF-weighted share of the actors both articles name."""
W_ORIGIN = 0.25
"""Bonus when both articles' attribution chains end at the same origin (the same report)."""
ORIGIN_SHARE = 0.25
"""An origin counts in full when at least this share of each article's attributions ends there
(a report the article retells), in proportion below it (a passing citation)."""
W_SAME_DAY = 0.20
"""Bonus when both articles lead with an event of the same day (see :mod:`storyline.link.anchors`)."""
W_FIGURES = 0.20
"""Weight of the TF-IDF cosine over the figures both report."""
P_OTHER_DAY = 0.15
"""Penalty when both articles are dated and no day of one's events is a day of the other's (an article that
dates no event stands for its publication day and the day before): the same people on another day are
another event (scaled down by a shared origin, like the time penalty)."""
TIME_GAP_DAYS = 14
"""Articles published further apart than this are penalised, less so the more they share an origin
(a report retold weeks later is still the same story)."""
P_TIME_GAP = 0.35
P_YEARS = 0.15
"""Penalty when both articles date their events and no year is shared."""
P_OTHER_REPORT = 0.15
"""Penalty when one article retells a report (an origin holding at least :data:`RETELLING_SHARE` of its
attributions, and at least :data:`RETELLING_CITES` of them) that the other never draws on."""
RETELLING_SHARE = 0.5
RETELLING_CITES = 3
DRAWS_ON_SHARE = 0.1
"""A passing citation (less than this share of an article's attributions) does not make it a retelling."""
P_OTHER_WORDS = 0.10
"""Penalty when both articles quote the same speaker directly and no quote of one shares
:data:`QUOTE_OVERLAP` of its content words with a quote of the other: different statements."""
QUOTE_OVERLAP = 0.3
_TOP = 3
_MAX_SENTENCES = 16
_MIN_WORDS = 5
_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True, slots=True)
class PairScore:
    """The score of one pair and the parts it is made of (the evidence)."""

    score: float
    """For "same story": everything, closeness in time included."""
    thread_score: float
    """For "same narrative": the same without the time penalty (a narrative runs for months)."""
    sentences: float
    words: float
    names: float
    actors: float
    shared_actors: tuple[str, ...]
    shared_origins: tuple[str, ...]
    best_pair: tuple[int, int] | None
    """(sentence index in a, sentence index in b) of the best-matching pair."""
    origin_strength: float = 0.0
    """1.0 when both retell the shared origin (see :data:`ORIGIN_SHARE`), less for passing citations."""
    figures: float = 0.0
    """TF-IDF cosine over the figures both report."""
    same_day: bool | None = None
    """True: both lead with an event of the same day; False: their events are on other days; None: unknown
    (:func:`storyline.link.anchors.day_relation`)."""

    def describe(self, a: LinkedDoc, b: LinkedDoc) -> str:
        """Say in words why the pair scored as it did."""
        parts = [f"score {self.score:.2f}: sentences {self.sentences:.2f}, words {self.words:.2f}, names {self.names:.2f}, actors {self.actors:.2f}"]
        if self.figures:
            parts.append(f"figures {self.figures:.2f}")
        if self.same_day is not None:
            parts.append("same day" if self.same_day else "other days")
        if self.shared_origins:
            parts.append("same origin: " + ", ".join(self.shared_origins))
        if self.shared_actors:
            parts.append("both name: " + ", ".join(self.shared_actors[:6]))
        if self.best_pair and a.sentences and b.sentences:
            i, j = self.best_pair
            parts.append(f"closest sentences: “{a.sentences[i][:120]}” ~ “{b.sentences[j][:120]}”")
        return "; ".join(parts)


def key_sentences(text: str, title: str | None = None) -> list[str]:
    """Return the sentences an article is matched on: its title and its first sentences of some length."""
    out = [title.strip()] if title and title.strip() else []
    for part in _SENTENCE.split(text):
        part = " ".join(part.split())
        if len(part.split()) >= _MIN_WORDS and part not in out:
            out.append(part)
        if len(out) >= _MAX_SENTENCES:
            break
    return out or [" ".join(text.split())[:500]]


def actor_key(name: str) -> str:
    """Return the comparison key of an actor name or id ("person:vladimir-putin", "Putin" -> "putin")."""
    words = re.findall(r"[^\W\d_]+", name.split(":", 1)[-1].lower())
    return words[-1] if words else name.lower()


def _top_mean(sims: np.ndarray) -> float:
    if sims.size == 0:
        return 0.0
    best = np.sort(sims.max(axis=1))[::-1][:_TOP]
    return float(best.mean())


ACTOR = ACTOR_KEY
"""Prefix of actor keys in the corpus frequencies."""


def _idf(actor: str, df: Mapping[str, int], n: int) -> float:
    return math.log((n + 1) / (df.get(ACTOR + actor, 0) + 1)) + 0.1


def _draws_on(doc: LinkedDoc, origin: str) -> bool:
    """True when ``doc`` is the origin's own outlet or gives it at least :data:`DRAWS_ON_SHARE` of its attributions."""
    return doc.origins.get(origin, 0.0) >= DRAWS_ON_SHARE or (doc.outlet is not None and doc.outlet == actor_key(origin))


def _other_report(a: LinkedDoc, b: LinkedDoc) -> bool:
    """True when either article mostly retells a report the other never draws on."""
    for x, y in ((a, b), (b, a)):
        if any(share >= RETELLING_SHARE and share * x.attributions >= RETELLING_CITES and not _draws_on(y, o)
               for o, share in x.origins.items()):
            return True
    return False


def _other_words(a: LinkedDoc, b: LinkedDoc) -> bool:
    """True when both quote a speaker directly and none of those quotes overlap."""
    for speaker in set(a.quotes) & set(b.quotes):
        pairs = [(x, y) for x in a.quotes[speaker] for y in b.quotes[speaker] if x and y]
        if pairs and not any(len(x & y) / min(len(x), len(y)) >= QUOTE_OVERLAP for x, y in pairs):
            return True
    return False


def pair_score(a: LinkedDoc, b: LinkedDoc, df: Mapping[str, int], n: int) -> PairScore:
    """Score how likely ``a`` and ``b`` report the same story (see the module docstring).

    Args:
        a, b: the two articles.
        df: corpus document frequencies of terms (``w:``, ``n:``) and actors (``a:``).
        n: the number of articles in the corpus.
    """
    sims = a.sentence_vectors @ b.sentence_vectors.T if a.sentence_vectors.size and b.sentence_vectors.size else np.zeros((0, 0))
    sentences = (_top_mean(sims) + _top_mean(sims.T)) / 2 if sims.size else 0.0
    best = tuple(int(x) for x in np.unravel_index(int(sims.argmax()), sims.shape)) if sims.size else None
    words, names = tfidf_cosine(a.terms, b.terms, WORD, df, n), tfidf_cosine(a.terms, b.terms, NAME, df, n)
    shared = a.actors & b.actors
    smaller = min(sum(_idf(x, df, n) for x in a.actors), sum(_idf(x, df, n) for x in b.actors))
    actors = sum(_idf(x, df, n) for x in shared) / smaller if smaller else 0.0
    origins = set(a.origins) & set(b.origins)
    strength = max((min(1.0, a.origins[o] / ORIGIN_SHARE, b.origins[o] / ORIGIN_SHARE) for o in origins), default=0.0)
    figures = tfidf_cosine(a.terms, b.terms, FIGURE, df, n)
    same_day = day_relation(a.terms, a.published, b.terms, b.published)
    score = (W_SENTENCES * sentences + W_WORDS * words + W_NAMES * names + W_ACTORS * actors + W_ORIGIN * strength
             + W_FIGURES * figures + W_SAME_DAY * (same_day is True))
    if a.years and b.years and not a.years & b.years:
        score -= P_YEARS
    thread_score = score
    if _other_report(a, b):
        score -= P_OTHER_REPORT
    if _other_words(a, b):
        score -= P_OTHER_WORDS
    if same_day is False:
        score -= P_OTHER_DAY * (1.0 - strength)
    if a.published and b.published and abs((a.published - b.published).days) > TIME_GAP_DAYS:
        score -= P_TIME_GAP * (1.0 - strength)
    ranked = tuple(sorted(shared, key=lambda x: -_idf(x, df, n)))
    return PairScore(score, thread_score, sentences, words, names, actors, ranked, tuple(sorted(origins)), best,  # type: ignore[arg-type]
                     strength, figures, same_day)
