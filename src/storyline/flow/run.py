"""The whole flow in order: :func:`ingest` (read, clean, save, then annotate and link) and :func:`annotate_pending`.

1. read: :func:`storyline.ingest.sources.iter_documents` turns folders, files, URLs and feeds into raw documents;
2. clean: :func:`storyline.flow.clean.cleaned` (batches in worker processes for large inputs);
3. save: :class:`storyline.flow.save.SaveRun` links near-duplicates and writes articles in short transactions,
   then :func:`storyline.flow.save.outlet_boilerplate` cuts lines repeated across an outlet's articles;
4. annotate: :func:`storyline.flow.annotate.annotate_batches` parses, annotates and embeds batches of stored
   articles in worker processes (plain records in and out);
5. link: :class:`storyline.flow.link.LinkRun` resolves actors, places each article in a story, a thread and
   claim groups, and writes it with its annotations in one short transaction, in the parent, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..ingest.fetch import fetch
from ..ingest.sources import Fetcher, iter_documents
from ..ingest.usermeta import Entry, UserMetadata
from ..models import Article, Failure, IngestSummary, RawDocument
from ..settings import Settings
from ..store import annotations as notes
from ..store.db import Connection
from ..store.failures import clear_article_failures
from ..store.retry import write
from ..store.schema import connect
from .annotate import AnnotateBatch, ToAnnotate, annotate_batches, batched, prepare_cluster
from .clean import cleaned, utc_now
from .link import LinkRun
from .save import SaveRun, outlet_boilerplate

__all__ = ["ingest", "ingest_documents", "annotate_pending", "Progress"]

Progress = Callable[[str, str], None]
"""Called as ``progress(outcome, what)`` after each document (ingested, duplicate, updated, skipped, failed;
``what`` is its source) or article annotated (annotated, failed, skipped; ``what`` is its id)."""
Phase = Callable[[str, int], None]
"""Called as ``phase(name, total)`` when a phase of a run begins (``annotate`` and how many are pending)."""

PAGE = 256
"""Pending articles read from the store at a time (memory stays bounded however many wait)."""


def ingest(
    sources: Iterable[str | Entry | Failure], settings: Settings, *, progress: Progress | None = None, fetcher: Fetcher = fetch,
    retry_failed: bool = False, metadata: UserMetadata | None = None, annotated: Progress | None = None,
    phase: Phase | None = None,
) -> IngestSummary:
    """Ingest every source into the database at ``settings.db``, then annotate and link what is new.

    Args:
        sources: folders, files, URLs or feeds (or a manifest's entries and its unusable rows).
        settings: database path, fetch limits, dedup and boilerplate thresholds, workers.
        progress: optional callback after each document.
        fetcher: fetches URLs (tests may point it at a local server).
        retry_failed: annotate again the articles that failed annotation before.
        metadata: outlet, date, title or author the user set for every document of these sources.
        annotated: optional callback after each article annotated and linked (see :func:`annotate_pending`).
        phase: optional callback ``phase(name, total)`` when annotation starts (``annotate``, pending count).

    Returns:
        What was ingested, linked as a near-duplicate, stored as a new version of an article (a page read
        again with edited text), skipped as already stored, or failed.
    """
    documents = iter_documents(sources, settings, fetcher=fetcher, metadata=metadata)
    return ingest_documents(documents, settings, progress=progress, retry_failed=retry_failed, annotated=annotated, phase=phase)


def ingest_documents(
    documents: Iterable[RawDocument | Failure], settings: Settings, *, progress: Progress | None = None,
    retry_failed: bool = False, annotated: Progress | None = None, phase: Phase | None = None,
    keep: Callable[[Article], bool] | None = None, stop: Callable[[], bool] | None = None,
) -> IngestSummary:
    """Clean, save, annotate and link documents already read (:func:`ingest` reads them from sources; a watch
    reads them from the feeds it follows).

    Args:
        keep: when given, an article it refuses is not stored (a watch's scope); it counts as skipped with
            the reason "out of scope".
        stop: asked after each document; True ends the run there, cleanly: what is cleaned is saved, the
            rest is not read, and annotation is left for the next run (a watch stopped by SIGTERM).
    """
    conn = connect(settings.db)
    run = SaveRun(conn, settings)
    notify = progress or (lambda outcome, source: None)
    stopped = False
    if settings.scheduler and settings.annotate and settings.worker_count() > 1:
        prepare_cluster(settings.scheduler, settings.spacy_model, settings.worker_count(), settings.device)
    try:
        for item, result in cleaned(documents, settings.worker_count(), settings.scheduler):
            if keep is not None and isinstance(result, Article) and not keep(result):
                run.skipped.append((item.source, "out of scope"))
                notify("out of scope", item.source)
            else:
                notify(run.handle(result), item.source)
            if stop is not None and stop():
                stopped = True
                break
        run.commit()
        outlet_boilerplate(conn, run.outlets, settings)
        if settings.annotate and not stopped:
            annotate_pending(conn, settings, retry_failed=retry_failed, progress=annotated, phase=phase)
    finally:
        conn.close()
    return run.summary()


def annotate_pending(conn: Connection, settings: Settings, *, progress: Progress | None = None,
                     retry_failed: bool = False, phase: Phase | None = None) -> int:
    """Annotate and link every stored article not yet annotated with ``settings.spacy_model``; return how many were.

    Batches of about ``settings.batch_chars`` characters (:func:`~storyline.flow.annotate.batched`) are
    annotated in ``settings.worker_count()`` processes (in this one when all fit in one batch, or with one
    worker) and linked and written here, in ingest order, so the result does not depend on the number of
    workers.

    Args:
        progress: called as ``progress(outcome, article_id)``, outcome ``annotated``, ``failed`` or ``skipped``
            (another process annotated it first, or it was deleted).
        retry_failed: forget the failures recorded with this model first, so those articles are tried again.
    """
    model = settings.spacy_model
    if retry_failed:
        write(conn, lambda: clear_article_failures(conn, model), what="retry failed articles")
    languages = settings.read_languages()
    write(conn, lambda: notes.skip_unread_languages(conn, model, languages, utc_now()), what="skipping unread languages")
    done, linking = 0, None
    pending = notes.count_unannotated(conn, model)
    if pending and phase is not None:
        phase("annotate", pending)
    if pending:
        workers = settings.worker_count() if notes.unannotated_exceed(conn, model, settings.max_annotate_chars, settings.batch_chars) else 1
        linking = LinkRun(conn, settings)
        for batch in annotate_batches(_batches(conn, settings), model, workers, settings.device, settings.scheduler):
            for article_id, outcome in linking.link(batch):
                done += outcome == "annotated"
                if progress:
                    progress(outcome, article_id)
    unread = notes.skipped_unplaced(conn, model)
    if unread:  # after the annotated ones, whose actors they are matched against
        linking = linking or LinkRun(conn, settings)
        for article_id in unread:
            linking.place_unread(article_id)
    return done


def _batches(conn: Connection, settings: Settings) -> Iterator[AnnotateBatch]:
    """The pending articles in batches, read page by page in ingest order, with the corpus's period anchors
    (found first, from every pending text: while the workers load their models)."""
    from ..annotate.time.expressions import corpus_anchors

    anchors = corpus_anchors(notes.unannotated_texts_by_date(conn, settings.spacy_model))
    yield from batched(_pending(conn, settings.spacy_model), model=settings.spacy_model, max_chars=settings.max_annotate_chars,
                       batch_chars=settings.batch_chars, anchors=anchors)


def _pending(conn: Connection, model: str) -> Iterator[ToAnnotate]:
    """Every pending article, read :data:`PAGE` at a time in ingest order."""
    after = 0
    while page := notes.unannotated_articles(conn, model, after=after, limit=PAGE):
        after = page[-1].rowid
        yield from (ToAnnotate(p.id, p.text, p.title, p.published, p.published_inferred) for p in page)
