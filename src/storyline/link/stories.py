"""Stories and threads: which articles report the same event, which stories form one narrative.

Linking is incremental: each new article is compared with its nearest stored neighbours
(candidates from the backend's index). It joins the story of its best neighbour scoring at least
:data:`STORY_THRESHOLD` (:mod:`storyline.link.similarity`), and merges into it the story of another
such neighbour only when it matches at least :data:`MERGE_SUPPORT` of that story's candidates;
every pair at least :data:`THREAD_THRESHOLD` joins their threads. Threads are therefore the
connected components of the looser "same narrative" graph and a story never straddles two
threads; the grouping does not depend on ingest order except through (1) the corpus frequencies
that weight shared actors at the time each article is added, (2) the cap of :data:`CANDIDATES`
neighbours per article and (3) the stories that exist when an article matching several arrives.

The backend keeps the documents and the assignments: :class:`MemoryBackend` for a batch,
a SQLite one (store/stories.py) for the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np

from ..models import LinkedDoc, StoryAssignment
from .anchors import anchor_terms
from .embed import embed
from .exact import ExactIndex
from .lexical import content_words, terms
from .similarity import PairScore, actor_key, key_sentences, pair_score

__all__ = [
    "StoryDoc", "StoryAssignment", "LinkBackend", "MemoryBackend", "StoryLinker", "cluster_stories",
    "linked_docs", "doc_texts", "STORY_SPAN_DAYS", "STORY_THRESHOLD", "THREAD_THRESHOLD", "CANDIDATES", "MERGE_SUPPORT",
]

STORY_THRESHOLD = 0.49
"""Pairs scoring at least this report the same story."""
THREAD_THRESHOLD = 0.40
"""Pairs scoring at least this belong to the same ongoing narrative."""
CANDIDATES = 100
STORY_SPAN_DAYS = 21
"""An article joins a story only if published within this many days of the story's first and last articles,
unless both retell the same origin (a report retold later, see ``ORIGIN_SHARE``): this keeps a
developing narrative from chaining day by day into one endless story."""
"""How many nearest stored articles (by document vector) each new article is scored against."""
MERGE_SUPPORT = 0.67
"""An article that matches several stories joins the best one, and merges another into it only when it matches
at least this share of that story's articles among its candidates: one chance match (the same people, a
similar event) does not fuse two events into one story."""


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """What story linking needs of one article."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    """ISO date (YYYY-MM-DD), or None when unknown."""
    actor_ids: tuple[str, ...] = ()
    """Corpus actors mentioned (ids or names)."""
    origins: tuple[str, ...] = ()
    """Where its reported information comes from: one normalised origin per attribution that has one
    (the outlet whose report it retells), repeated as often as the article cites it."""
    attributions: int = 0
    """How many attributions the article has in all (origins are weighed by their share of them)."""
    event_dates: tuple[str, ...] = ()
    """Values of its dated events (day or month granularity)."""
    quotes: tuple[tuple[str, str], ...] = ()
    """(speaker name, words) of its direct quotes with a resolved speaker."""


class LinkBackend(Protocol):
    """Where the linker keeps documents, their nearest-neighbour index and the assignments."""

    def size(self) -> int: ...
    def df(self, keys: Iterable[str]) -> Mapping[str, int]: ...
    def candidates(self, vector: np.ndarray, limit: int) -> list[str]: ...
    def load(self, ids: Sequence[str]) -> list[LinkedDoc]: ...
    def add(self, doc: LinkedDoc, story: str, thread: str) -> None: ...
    def story_of(self, doc_id: str) -> tuple[str, str]: ...
    def merge(self, stories: set[str], threads: set[str], story: str, thread: str) -> None: ...
    def story_span(self, story: str) -> tuple[date, date] | None: ...


@dataclass
class MemoryBackend:
    """An in-memory backend: exact nearest neighbours, for batches and tests."""

    docs: dict[str, LinkedDoc] = field(default_factory=dict)
    assigned: dict[str, tuple[str, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    index: ExactIndex = field(default_factory=ExactIndex)

    def size(self) -> int:
        return len(self.docs)

    def df(self, keys: Iterable[str]) -> Mapping[str, int]:
        return {k: self.counts.get(k, 0) for k in keys}

    def candidates(self, vector: np.ndarray, limit: int) -> list[str]:
        return self.index.nearest(vector, limit)

    def load(self, ids: Sequence[str]) -> list[LinkedDoc]:
        return [self.docs[i] for i in ids]

    def add(self, doc: LinkedDoc, story: str, thread: str) -> None:
        self.docs[doc.id] = doc
        self.assigned[doc.id] = (story, thread)
        self.index.add(doc.id, doc.doc_vector)
        for key in doc.frequency_keys():
            self.counts[key] = self.counts.get(key, 0) + 1

    def story_of(self, doc_id: str) -> tuple[str, str]:
        return self.assigned[doc_id]

    def merge(self, stories: set[str], threads: set[str], story: str, thread: str) -> None:
        for doc_id, (s, t) in self.assigned.items():
            if s in stories or t in threads:
                self.assigned[doc_id] = (story if s in stories else s, thread)

    def story_span(self, story: str) -> tuple[date, date] | None:
        days = [p for d, (s, _) in self.assigned.items() if s == story and (p := self.docs[d].published) is not None]
        return (min(days), max(days)) if days else None


def _published(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _shares(doc: StoryDoc) -> dict[str, float]:
    total = max(doc.attributions, len(doc.origins), 1)
    counts: dict[str, int] = {}
    for origin in doc.origins:
        if origin:
            counts[origin.lower()] = counts.get(origin.lower(), 0) + 1
    return {o: n / total for o, n in counts.items()}


def _quotes(doc: StoryDoc) -> dict[str, tuple[frozenset[str], ...]]:
    """Speaker key -> the content words of each of their direct quotes."""
    out: dict[str, list[frozenset[str]]] = {}
    for speaker, words in doc.quotes:
        out.setdefault(actor_key(speaker), []).append(frozenset(content_words(words)))
    return {k: tuple(v) for k, v in out.items()}


def _terms(doc: StoryDoc) -> dict[str, int]:
    """The article's words and names, and the anchors of its event: days and figures (:mod:`.anchors`)."""
    text = f"{doc.title or ''}\n{doc.text}"
    return {**terms(text), **anchor_terms(text, doc.event_dates, _published(doc.published))}


def doc_texts(doc: StoryDoc) -> list[str]:
    """Return the sentences :func:`linked_docs` embeds for ``doc`` (its key sentences)."""
    return key_sentences(doc.text, doc.title)


def linked_docs(docs: Sequence[StoryDoc], vectors: Mapping[str, np.ndarray] | None = None) -> list[LinkedDoc]:
    """Embed the key sentences of every document (one batch; ``vectors`` gives embeddings already made, by
    text) and return the linker's records."""
    sentences = [doc_texts(d) for d in docs]
    flat = [s for group in sentences for s in group]
    matrix = np.stack([vectors[s] for s in flat]) if vectors is not None and flat else embed(flat)
    out, at = [], 0
    for doc, group in zip(docs, sentences):
        sv = matrix[at:at + len(group)]
        at += len(group)
        mean = sv.mean(axis=0)
        mean = mean / (np.linalg.norm(mean) or 1.0)
        years = frozenset(int(v[:4]) for v in doc.event_dates if v[:4].isdigit())
        out.append(LinkedDoc(
            doc.id, _published(doc.published), frozenset(actor_key(a) for a in doc.actor_ids),
            _shares(doc), years, mean.astype(np.float32), sv, tuple(group), _terms(doc),
            max(doc.attributions, len(doc.origins)), actor_key(doc.outlet) if doc.outlet else None, _quotes(doc),
        ))
    return out


@dataclass
class StoryLinker:
    """Place articles one at a time into stories and threads (see the module docstring)."""

    backend: LinkBackend = field(default_factory=MemoryBackend)
    story_threshold: float = STORY_THRESHOLD
    thread_threshold: float = THREAD_THRESHOLD

    def _scores(self, doc: LinkedDoc) -> list[tuple[LinkedDoc, PairScore]]:
        ids = [i for i in self.backend.candidates(doc.doc_vector, CANDIDATES) if i != doc.id]
        others = self.backend.load(ids)
        df = self.backend.df(set(doc.frequency_keys()).union(*(o.frequency_keys() for o in others)))
        n = self.backend.size() + 1
        return [(o, pair_score(doc, o, df, n)) for o in others]

    def _joinable(self, ranked: list[str], doc: LinkedDoc, support: Mapping[str, float]) -> set[str]:
        """The stories the article may join, best first, as long as together they stay within
        :data:`STORY_SPAN_DAYS` (an article, dated or not, never bridges two distant stories) and each one
        after the first has the :data:`MERGE_SUPPORT` of the article (``support``: story -> share matched)."""
        chosen: set[str] = set()
        lo = hi = doc.published
        for story in ranked:
            if story in chosen or (chosen and support.get(story, 0.0) < MERGE_SUPPORT):
                continue
            span = self.backend.story_span(story)
            if span is not None:
                new_lo, new_hi = min(filter(None, (lo, span[0]))), max(filter(None, (hi, span[1])))
                if chosen and (new_hi - new_lo).days > STORY_SPAN_DAYS:
                    continue
                lo, hi = new_lo, new_hi
            chosen.add(story)
        return chosen

    def _support(self, matched: list[str], scored: list[tuple[LinkedDoc, PairScore]]) -> dict[str, float]:
        """Story -> the share of its articles among the candidates that the article matched (only looked up
        when it matched more than one story)."""
        if len(set(matched)) < 2:
            return {}
        seen = Counter(self.backend.story_of(o.id)[0] for o, _ in scored)
        return {story: n / seen[story] for story, n in Counter(matched).items()}

    def _in_span(self, doc: LinkedDoc, other: LinkedDoc, score: PairScore) -> bool:
        if doc.published is None or score.origin_strength >= 1.0:
            return True
        span = self.backend.story_span(self.backend.story_of(other.id)[0])
        return span is None or max(abs((doc.published - span[0]).days), abs((doc.published - span[1]).days)) <= STORY_SPAN_DAYS

    def add(self, doc: LinkedDoc) -> StoryAssignment:
        """Place ``doc``: join (and merge) the stories and threads its strong neighbours belong to."""
        scored = self._scores(doc)
        story_hits = [(o, s) for o, s in scored if s.score >= self.story_threshold and self._in_span(doc, o, s)]
        thread_hits = [(o, s) for o, s in scored if s.thread_score >= self.thread_threshold or s.score >= self.story_threshold]
        ranked = [self.backend.story_of(o.id)[0] for o, _ in sorted(story_hits, key=lambda p: -p[1].score)]
        stories = self._joinable(ranked, doc, self._support(ranked, scored))
        threads = {self.backend.story_of(o.id)[1] for o, _ in thread_hits}
        story = min(stories) if stories else f"story:{doc.id}"
        thread = min(threads) if threads else f"thread:{doc.id}"
        if len(stories) > 1 or len(threads) > 1:
            self.backend.merge(stories, threads, story, thread)
        self.backend.add(doc, story, thread)
        best = max(story_hits or thread_hits, key=lambda pair: pair[1].score, default=None)
        evidence = f"with {best[0].id}: {best[1].describe(doc, best[0])}" if best else "no article close enough: a new story"
        return StoryAssignment(doc.id, story, thread, evidence)


def cluster_stories(docs: Sequence[StoryDoc], *, story_threshold: float = STORY_THRESHOLD,
                    thread_threshold: float = THREAD_THRESHOLD) -> list[StoryAssignment]:
    """Place every document in a story and a thread, in input order; return the final assignment of each."""
    linker = StoryLinker(MemoryBackend(), story_threshold, thread_threshold)
    evidence = {a.article_id: a.evidence for a in (linker.add(d) for d in linked_docs(docs))}
    backend = linker.backend
    return [StoryAssignment(d.id, *backend.story_of(d.id), evidence[d.id]) for d in docs]
