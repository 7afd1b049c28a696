"""The annotate-and-link stage over stored articles: one article at a time, each on its own.

For each stored article not yet annotated with the model (nor failed with it):

1. its text, cut to ``max_annotate_chars`` (the article says so in its evidence), is parsed and
   annotated (:func:`storyline.annotate.pipeline.annotate_each`: long texts in chunks);
2. what needs no database is computed: actor ids, framing, claim origins, and the embeddings,
   for :data:`GROUP` articles at once, each distinct sentence embedded once in one call
   (:func:`storyline.linking.prepare_links_batch`);
3. one short write transaction (:func:`storyline.store.retry.write`: the write lock taken at its
   start, a busy database waited for and retried) stores the actors, the annotations and the
   links, unless another process annotated the article meanwhile.

An exception in any step records the article as failed (stage, reason; the traceback goes to the
``storyline`` log) and the batch goes on; a failed article is not tried again until
``--retry-failed`` (:func:`annotate_pending` with ``retry_failed``). Only the store itself
staying locked through every retry stops the run.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from .errors import StoreError
from .linking import Linkers, PreparedLinks, linkers, prepare_links_batch, store_links
from .models import Article, Evidence, TextAnnotations
from .pipeline import utc_now
from .settings import Settings
from .store import annotations as notes
from .store import articles as store
from .store.failures import clear_article_failures, record_article_failure
from .store.retry import write

if TYPE_CHECKING:
    from .annotate.registry import ActorRegistry

__all__ = ["annotate_pending"]

log = logging.getLogger("storyline")

Progress = Callable[[str, str], None]


GROUP = 16
"""Articles whose sentences are embedded in one call (:func:`storyline.linking.prepare_links_batch`)."""


@dataclass
class _Item:
    """One article on its way through this stage."""

    article_id: str
    cut: bool
    result: TextAnnotations | Exception
    article: Article | None = None
    ids: dict[str, str] = field(default_factory=dict)
    prepared: PreparedLinks | None = None
    stage: str = "annotate"
    outcome: str = ""
    reason: str = ""
    """Why it failed, in one line."""


def annotate_pending(conn: sqlite3.Connection, settings: Settings, *, progress: Progress | None = None,
                     retry_failed: bool = False) -> int:
    """Annotate and link every stored article not yet annotated with ``settings.spacy_model``; return how many were.

    Args:
        progress: called as ``progress(outcome, article_id)``, outcome ``annotated``, ``failed`` or ``skipped``
            (another process annotated it first, or it was deleted).
        retry_failed: forget the failures recorded with this model first, so those articles are tried again.
    """
    from .annotate.pipeline import ArticleText, annotate_each, corpus_anchors
    from .annotate.registry import ActorRegistry

    model = settings.spacy_model
    if retry_failed:
        write(conn, lambda: clear_article_failures(conn, model), what="retry failed articles")
    pending = notes.unannotated_articles(conn, model)
    registry = ActorRegistry(notes.load_actors(conn))
    anchors = corpus_anchors(p.text for p in sorted(pending, key=lambda p: p.published or "9999"))
    limit = settings.max_annotate_chars
    texts = (ArticleText(p.text[:limit], p.published, p.published_inferred) for p in pending)
    results = zip(pending, annotate_each(texts, model=model, anchors=anchors))
    done, linked_by = 0, linkers(conn)
    while group := [_Item(p.id, len(p.text) > limit, r) for p, r in islice(results, GROUP)]:
        for item in group:
            _resolve(conn, registry, item)
        _prepare([i for i in group if not i.outcome])
        for item in group:
            if not item.outcome:
                _store(conn, settings, registry, item, linked_by)
            if item.outcome == "failed":
                _record(conn, settings, item)
            done += item.outcome == "annotated"
            if progress:
                progress(item.outcome, item.article_id)
    return done


def _fail(item: _Item, exc: BaseException) -> None:
    if isinstance(exc, StoreError):
        raise exc  # the database stayed locked: no other article would fare better
    log.error("article %s failed at %s", item.article_id, item.stage, exc_info=exc)
    item.reason, item.outcome = f"{type(exc).__name__}: {exc}"[:500], "failed"


def _resolve(conn: sqlite3.Connection, registry: ActorRegistry, item: _Item) -> None:
    """Its actors' ids and the stored article (no writes)."""
    try:
        if isinstance(item.result, Exception):
            raise item.result
        item.stage = "link"
        item.ids = {m.name: registry.resolve(m.name, m.entity_type).id for m in item.result.mentions}
        item.article = store.load_article(conn, item.article_id)
        if item.article is None:  # deleted meanwhile
            item.outcome = "skipped"
    except Exception as exc:  # noqa: BLE001 - one article must not stop the batch
        _fail(item, exc)


def _prepare(items: list[_Item]) -> None:
    """Framing, origins and embeddings of the group in one call; article by article if that fails."""
    def args(i: _Item) -> tuple[Article, TextAnnotations, dict[str, str]]:
        assert i.article is not None and not isinstance(i.result, Exception)
        return i.article, i.result, i.ids

    try:
        for item, prepared in zip(items, prepare_links_batch([args(i) for i in items])):
            item.prepared = prepared
        return
    except Exception:  # noqa: BLE001 - find the article it was
        pass
    for item in items:
        try:
            item.prepared = prepare_links_batch([args(item)])[0]
        except Exception as exc:  # noqa: BLE001
            _fail(item, exc)


def _store(conn: sqlite3.Connection, settings: Settings, registry: ActorRegistry, item: _Item, linked_by: Linkers) -> None:
    """Step 3: one short write transaction."""
    article, result, prepared = item.article, item.result, item.prepared
    assert article is not None and prepared is not None and not isinstance(result, Exception)
    item.stage = "store"
    changed = [a for a in registry.actors if a.id in registry.changed]

    def save() -> bool:
        if notes.is_annotated(conn, item.article_id, settings.spacy_model):
            return False  # another process was first
        notes.save_actors(conn, changed)
        notes.save_annotations(conn, item.article_id, result, item.ids, settings.spacy_model, utc_now())
        if result.published_range is not None:
            earliest, latest = result.published_range
            exact = earliest if earliest == latest else None
            store.set_inferred_published(conn, item.article_id, exact, result.published_range, result.published_evidence)
        if item.cut:
            words = f"annotated up to {settings.max_annotate_chars} characters of {len(article.text)}"
            store.add_evidence(conn, item.article_id, [Evidence("annotation", words, "budget", "setting max_annotate_chars")])
        store_links(conn, article, result, prepared, linked_by)
        return True

    try:
        stored = write(conn, save, what=f"annotating {item.article_id}")
    except Exception as exc:  # noqa: BLE001
        _fail(item, exc)
        return
    registry.changed.clear()
    item.outcome = "annotated" if stored else "skipped"


def _record(conn: sqlite3.Connection, settings: Settings, item: _Item) -> None:
    write(conn, lambda: record_article_failure(conn, item.article_id, settings.spacy_model, item.stage, item.reason, utc_now()),
          what=f"recording the failure of {item.article_id}")
