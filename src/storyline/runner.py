"""The ingest runner: sources in, stored articles out.

It is the one place where stages meet the store: documents go through
:func:`storyline.pipeline.clean_document`, then the corpus steps (near-duplicate
linking, outlet-wide boilerplate) run against what is stored. Each article is
written in its own transaction, so an interrupted run loses at most the article
in flight, and running it again completes the work without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from .clean.dedup import DuplicateIndex, signature
from .errors import StorylineError
from .ingest.fetch import fetch
from .ingest.sources import Fetcher, iter_documents
from .models import Article, Evidence, Failure, IngestSummary, RawDocument
from .pipeline import clean_document, outlet_line_keys, reclean, signature_bytes, signature_from_bytes
from .settings import Settings
from .store import articles as store
from .store import corpus
from .store.schema import connect

__all__ = ["ingest", "Progress"]

Progress = Callable[[str, str], None]
"""Called as ``progress(outcome, source)`` after each document; outcome is ingested/duplicate/skipped/failed."""


def ingest(
    sources: Iterable[str], settings: Settings, *, progress: Progress | None = None, fetcher: Fetcher = fetch
) -> IngestSummary:
    """Ingest every source into the database at ``settings.db``.

    Args:
        sources: folders, files, URLs or feeds.
        settings: database path, fetch limits, dedup and boilerplate thresholds.
        progress: optional callback after each document.
        fetcher: fetches URLs (tests may point it at a local server).

    Returns:
        What was ingested, linked as a near-duplicate, skipped as already stored, or failed.
    """
    conn = connect(settings.db)
    index = DuplicateIndex(threshold=settings.dedup_threshold, num_perm=settings.num_perm)
    index.add_all((key, signature_from_bytes(blob)) for key, blob in store.canonical_signatures(conn))
    ingested: list[str] = []
    duplicates: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    failed: list[Failure] = []
    outlets: set[str] = set()
    notify = progress or (lambda outcome, source: None)
    try:
        for item in iter_documents(sources, settings, fetcher=fetcher):
            outcome = _one(conn, item, index, settings, ingested, duplicates, skipped, failed, outlets)
            notify(outcome, item.source)
        _outlet_boilerplate(conn, outlets, settings)
    finally:
        conn.close()
    return IngestSummary(tuple(ingested), tuple(duplicates), tuple(skipped), tuple(failed))


def _process(item: RawDocument) -> Article | Failure:
    try:
        return clean_document(item)
    except StorylineError as exc:
        return Failure(item.source, str(exc))
    except Exception as exc:  # one pathological document must not stop the batch
        return Failure(item.source, f"internal error while cleaning ({type(exc).__name__}: {exc}); please report it")


def _one(conn, item, index, settings, ingested, duplicates, skipped, failed, outlets) -> str:  # type: ignore[no-untyped-def]
    result = item if isinstance(item, Failure) else _process(item)
    if isinstance(result, Failure):
        failed.append(result)
        corpus.record_failure(conn, result.source, result.reason, _now())
        return "failed"
    article = result
    if store.has_article(conn, article.id):
        store.add_source(conn, article.source, article.id, article.ingested_at or _now())
        skipped.append((article.source, f"already stored as {article.id}"))
        return "skipped"
    sig = signature(article.text, num_perm=settings.num_perm, shingle_size=settings.shingle_size)
    match = index.find(sig)
    if match:
        note = Evidence("duplicate_of", match[0], "minhash-lsh", f"estimated Jaccard similarity {match[1]:.2f} of {settings.shingle_size}-word shingles")
        article = replace(article, duplicate_of=match[0], evidence=article.evidence + (note,))
    store.save_article(conn, article, signature_bytes(sig), outlet_line_keys(article.text))
    if article.outlet:
        outlets.add(article.outlet)
    if match:
        duplicates.append((article.id, match[0]))
        return "duplicate"
    index.add(article.id, sig)
    ingested.append(article.id)
    return "ingested"


def _outlet_boilerplate(conn, outlets: set[str], settings: Settings) -> None:  # type: ignore[no-untyped-def]
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


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")
