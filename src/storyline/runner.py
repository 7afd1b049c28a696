"""The ingest runner: sources in, stored articles out.

It is the one place where stages meet the store. Documents go through
:func:`storyline.pipeline.clean_document` (in worker processes for large
batches), then the corpus steps run in order against what is stored:
near-duplicate linking, storing, and outlet-wide boilerplate.

Articles are committed in small groups (``commit_every``) and always at the
end: an interrupted run loses at most the uncommitted group, never leaves a
partial article, and running it again completes the work without duplicates.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice

from .clean.dedup import DuplicateIndex, signature
from .errors import StorylineError
from .ingest.fetch import fetch
from .ingest.sources import Fetcher, iter_documents
from .models import Article, Evidence, Failure, IngestSummary, RawDocument
from .pipeline import clean_document, outlet_line_keys, reclean, signature_bytes, signature_from_bytes, utc_now
from .settings import Settings
from .store import articles as store
from .store import corpus
from .store.schema import connect

__all__ = ["ingest", "annotate_pending", "Progress"]

Progress = Callable[[str, str], None]
"""Called as ``progress(outcome, source)`` after each document; outcome is ingested/duplicate/skipped/failed."""

_CHUNK = 16  # documents per worker task


def ingest(
    sources: Iterable[str], settings: Settings, *, progress: Progress | None = None, fetcher: Fetcher = fetch
) -> IngestSummary:
    """Ingest every source into the database at ``settings.db``.

    Args:
        sources: folders, files, URLs or feeds.
        settings: database path, fetch limits, dedup and boilerplate thresholds, workers.
        progress: optional callback after each document.
        fetcher: fetches URLs (tests may point it at a local server).

    Returns:
        What was ingested, linked as a near-duplicate, skipped as already stored, or failed.
    """
    conn = connect(settings.db)
    run = _Run(conn, settings)
    notify = progress or (lambda outcome, source: None)
    try:
        for item, result in _cleaned(iter_documents(sources, settings, fetcher=fetcher), settings):
            notify(run.handle(result), item.source)
        run.commit()
        _outlet_boilerplate(conn, run.outlets, settings)
        if settings.annotate:
            annotate_pending(conn, settings)
    finally:
        conn.close()
    return run.summary()


def annotate_pending(conn: sqlite3.Connection, settings: Settings, *, progress: Progress | None = None) -> int:
    """Annotate every stored article not yet annotated with ``settings.spacy_model``; return how many.

    Each article's mentions, quotes, attributions, time expressions, events, claims, framing
    and its place among stories, threads and claim groups are written in one transaction with
    the actors they extend, so an interrupted run resumes where it stopped. An undated article
    whose text bounds its publication date gets that range, with evidence.
    """
    from .annotate.pipeline import ArticleText, annotate_articles, corpus_anchors
    from .annotate.registry import ActorRegistry
    from .linking import link_article
    from .store import annotations as notes

    pending = notes.unannotated_articles(conn, settings.spacy_model)
    registry = ActorRegistry(notes.load_actors(conn))
    anchors = corpus_anchors(p.text for p in sorted(pending, key=lambda p: p.published or "9999"))
    items = (ArticleText(p.text, p.published, p.published_inferred) for p in pending)
    for article, ann in zip(pending, annotate_articles(items, model=settings.spacy_model, anchors=anchors)):
        ids = {m.name: registry.resolve(m.name, m.entity_type).id for m in ann.mentions}
        notes.save_actors(conn, (a for a in registry.actors if a.id in registry.changed))
        registry.changed.clear()
        notes.save_annotations(conn, article.id, ann, ids, settings.spacy_model, utc_now())
        if ann.published_range is not None:
            earliest, latest = ann.published_range
            exact = earliest if earliest == latest else None
            store.set_inferred_published(conn, article.id, exact, ann.published_range, ann.published_evidence)
        stored = store.load_article(conn, article.id)
        if stored is not None:
            link_article(conn, stored, ann, ids)
        conn.commit()
        if progress:
            progress("annotated", article.id)
    return len(pending)


def _clean_one(item: RawDocument) -> Article | Failure:
    try:
        return clean_document(item)
    except StorylineError as exc:
        return Failure(item.source, str(exc))
    except Exception as exc:  # one pathological document must not stop the batch
        return Failure(item.source, f"internal error while cleaning ({type(exc).__name__}: {exc}); please report it")


def _clean_chunk(items: list[RawDocument]) -> list[Article | Failure]:
    return [_clean_one(item) for item in items]


def _workers(settings: Settings) -> int:
    return settings.workers if settings.workers > 0 else min(4, os.cpu_count() or 1)


def _cleaned(items: Iterator[RawDocument | Failure], settings: Settings) -> Iterator[tuple[RawDocument | Failure, Article | Failure]]:
    """Yield (input, cleaned article or failure) in input order; large batches use worker processes."""
    first = list(islice(items, _CHUNK * 2))
    workers = _workers(settings)
    if workers <= 1 or len(first) < _CHUNK * 2:
        for item in _chain(first, items):
            yield item, item if isinstance(item, Failure) else _clean_one(item)
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["storyline.pipeline"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_watch_parent, initargs=(os.getpid(),)) as pool:
        pending: deque[tuple[list[RawDocument | Failure], Future[list[Article | Failure]]]] = deque()
        stream = _chain(first, items)
        while True:
            while len(pending) < workers * 2:
                chunk = list(islice(stream, _CHUNK))
                if not chunk:
                    break
                docs = [d for d in chunk if isinstance(d, RawDocument)]
                pending.append((chunk, pool.submit(_clean_chunk, docs)))
            if not pending:
                return
            chunk, future = pending.popleft()
            cleaned = iter(future.result())
            for item in chunk:
                yield item, item if isinstance(item, Failure) else next(cleaned)


def _watch_parent(pid: int) -> None:
    """In a worker: exit as soon as the ingesting process is gone (even after SIGKILL)."""

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(pid, 0)
            except OSError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _chain(first: list[RawDocument | Failure], rest: Iterator[RawDocument | Failure]) -> Iterator[RawDocument | Failure]:
    yield from first
    yield from rest



@dataclass
class _Run:
    """The state of one ingest run: the store, the duplicate index, and what happened."""

    conn: sqlite3.Connection
    settings: Settings
    ingested: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    outlets: set[str] = field(default_factory=set)
    _uncommitted: int = 0
    _last_commit: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.index = DuplicateIndex(threshold=self.settings.dedup_threshold, num_perm=self.settings.num_perm)
        self.index.add_all((key, signature_from_bytes(blob)) for key, blob in store.canonical_signatures(self.conn))

    def handle(self, result: Article | Failure) -> str:
        """Store one cleaned article (or record a failure); return the outcome."""
        if isinstance(result, Failure):
            self.failed.append(result)
            corpus.record_failure(self.conn, result.source, result.reason, utc_now())
            return "failed"
        if store.has_article(self.conn, result.id):
            store.add_source(self.conn, result.source, result.id, result.ingested_at or utc_now(), commit=False)
            self.skipped.append((result.source, f"already stored as {result.id}"))
            return "skipped"
        outcome = self._store(result)
        self._uncommitted += 1
        if self._uncommitted >= self.settings.commit_every or time.monotonic() - self._last_commit > 2.0:
            self.commit()
        return outcome

    def _store(self, article: Article) -> str:
        sig = signature(article.text, num_perm=self.settings.num_perm, shingle_size=self.settings.shingle_size)
        match = self.index.find(sig)
        if match:
            note = Evidence("duplicate_of", match[0], "minhash-lsh",
                            f"estimated Jaccard similarity {match[1]:.2f} of {self.settings.shingle_size}-word shingles")
            article = replace(article, duplicate_of=match[0], evidence=article.evidence + (note,))
        store.save_article(self.conn, article, signature_bytes(sig), outlet_line_keys(article.text), commit=False)
        if article.outlet:
            self.outlets.add(article.outlet)
        if match:
            self.duplicates.append((article.id, match[0]))
            return "duplicate"
        self.index.add(article.id, sig)
        self.ingested.append(article.id)
        return "ingested"

    def commit(self) -> None:
        """Commit the articles stored since the last commit."""
        self.conn.commit()
        self._uncommitted = 0
        self._last_commit = time.monotonic()

    def summary(self) -> IngestSummary:
        """Return what this run did."""
        return IngestSummary(tuple(self.ingested), tuple(self.duplicates), tuple(self.skipped), tuple(self.failed))


def _outlet_boilerplate(conn: sqlite3.Connection, outlets: set[str], settings: Settings) -> None:
    """Cut lines repeated across at least ``outlet_repeat_min`` articles of one outlet."""
    if not outlets:
        return
    for outlet, keys in corpus.repeated_outlet_lines(conn, settings.outlet_repeat_min, outlets).items():
        reason = f"line repeated across {settings.outlet_repeat_min} or more articles of {outlet}"
        for article_id in corpus.articles_with_lines(conn, outlet, keys):
            article = store.load_article(conn, article_id)
            if article is None:
                continue
            updated = reclean(article, keys, reason)
            if updated is not article:
                store.update_cleaning(conn, updated)
            corpus.mark_lines_removed(conn, outlet, article_id, keys)
