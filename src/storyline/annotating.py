"""The annotate-and-link stage over stored articles: one article at a time, each on its own.

For each stored article not yet annotated with the model (nor failed with it):

1. its text, cut to ``max_annotate_chars`` (the article says so in its evidence), is parsed and
   annotated (:func:`storyline.annotate.pipeline.annotate_each`: long texts in chunks);
2. what needs no database is computed: actor ids, framing, claim origins, and the embeddings
   (:func:`storyline.linking.prepare_links`);
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
from typing import TYPE_CHECKING

from .errors import StoreError
from .models import Evidence, TextAnnotations
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


def annotate_pending(conn: sqlite3.Connection, settings: Settings, *, progress: Progress | None = None,
                     retry_failed: bool = False) -> int:
    """Annotate and link every stored article not yet annotated with ``settings.spacy_model``; return how many were.

    Args:
        progress: called as ``progress(outcome, article_id)``, outcome ``annotated``, ``failed`` or ``skipped``
            (another process annotated it first).
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
    items = (ArticleText(p.text[:limit], p.published, p.published_inferred) for p in pending)
    done = 0
    for article, result in zip(pending, annotate_each(items, model=model, anchors=anchors)):
        cut = len(article.text) > limit
        outcome = _one(conn, settings, registry, article.id, result, cut)
        done += outcome == "annotated"
        if progress:
            progress(outcome, article.id)
    return done


def _one(conn: sqlite3.Connection, settings: Settings, registry: ActorRegistry, article_id: str,
         result: TextAnnotations | Exception, cut: bool) -> str:
    """Steps 2 and 3 for one article; return its outcome."""
    from .linking import prepare_links, store_links

    stage = "annotate"
    try:
        if isinstance(result, Exception):
            raise result
        stage = "link"
        ids = {m.name: registry.resolve(m.name, m.entity_type).id for m in result.mentions}
        article = store.load_article(conn, article_id)
        if article is None:  # deleted meanwhile
            return "skipped"
        prepared = prepare_links(article, result, ids)
        changed = [a for a in registry.actors if a.id in registry.changed]
        stage = "store"

        def save() -> bool:
            if notes.is_annotated(conn, article_id, settings.spacy_model):
                return False  # another process was first
            notes.save_actors(conn, changed)
            notes.save_annotations(conn, article_id, result, ids, settings.spacy_model, utc_now())
            if result.published_range is not None:
                earliest, latest = result.published_range
                exact = earliest if earliest == latest else None
                store.set_inferred_published(conn, article_id, exact, result.published_range, result.published_evidence)
            if cut:
                words = f"annotated up to {settings.max_annotate_chars} characters of {len(article.text)}"
                store.add_evidence(conn, article_id, [Evidence("annotation", words, "budget", "setting max_annotate_chars")])
            store_links(conn, article, result, prepared)
            return True

        stored = write(conn, save, what=f"annotating {article_id}")
        registry.changed.clear()
        return "annotated" if stored else "skipped"
    except StoreError:
        raise  # the database stayed locked: no other article would fare better
    except Exception as exc:  # noqa: BLE001 - one article must not stop the batch
        log.error("article %s failed at %s", article_id, stage, exc_info=exc)
        reason = f"{type(exc).__name__}: {exc}"[:500]
        write(conn, lambda: record_article_failure(conn, article_id, settings.spacy_model, stage, reason, utc_now()),
              what=f"recording the failure of {article_id}")
        return "failed"
