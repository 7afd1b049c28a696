"""Step 4 of the flow, annotate: parse, annotate and embed a batch of articles (no database).

:func:`annotate_batch` is the unit of work: plain records in (:class:`AnnotateBatch`), plain records out
(:class:`AnnotatedBatch`), no database and no state beyond the models each process loads once. The
runner hands it to worker processes (:func:`annotate_batches`, over :func:`storyline.flow.pool.ordered_map`),
or runs it in its own process with one worker; a Dask worker can run it the same way. For each article:

1. its text, cut to ``max_chars`` (the parent records that in the article's evidence), is parsed and
   annotated (:func:`storyline.annotate.document.annotate_each`: long texts in chunks);
2. the sentences the link stage compares (:func:`storyline.flow.link.link_texts`) are embedded for the
   whole batch in one call, each distinct sentence once.

One article's failure is returned in its place (stage and reason, the traceback as text) and the others
go on; a batch whose embedding fails is embedded again article by article.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from ..errors import one_line
from ..link.embed import configure_encoder, embed_unique, load_encoder
from ..models import TextAnnotations
from .link import link_texts
from ..settings import available_cores
from .pool import ordered_map

__all__ = ["ToAnnotate", "AnnotateBatch", "Annotated", "AnnotatedBatch", "annotate_batch", "annotate_batches", "batched", "MAX_GROUP"]

MAX_GROUP = 64
"""Most articles in one batch (short leads); a batch of full articles closes on its size first (``batch_chars``)."""


@dataclass(frozen=True, slots=True)
class ToAnnotate:
    """One stored article to annotate: its whole text and what is known of its date."""

    article_id: str
    text: str
    title: str | None = None
    published: str | None = None
    published_inferred: bool = False


@dataclass(frozen=True, slots=True)
class AnnotateBatch:
    """A batch for :func:`annotate_batch`: the articles and the settings the work depends on."""

    articles: tuple[ToAnnotate, ...]
    model: str
    max_chars: int
    anchors: dict[str, str] = field(default_factory=dict)
    """Start dates the corpus knows for named periods (:func:`storyline.annotate.document.corpus_anchors`)."""


@dataclass(frozen=True, slots=True)
class Annotated:
    """One article's annotations, or why it failed (``stage`` annotate or link, ``reason`` in one line)."""

    article_id: str
    annotations: TextAnnotations | None
    stage: str = ""
    reason: str = ""
    trace: str = ""
    """The traceback, for the log."""


@dataclass(frozen=True, slots=True)
class AnnotatedBatch:
    """What :func:`annotate_batch` returns: each article's result, in order, and the vector of each sentence."""

    items: tuple[Annotated, ...]
    vectors: dict[str, np.ndarray]


def batched(articles: Iterable[ToAnnotate], *, model: str, max_chars: int, batch_chars: int,
            anchors: dict[str, str]) -> Iterator[AnnotateBatch]:
    """Group articles into batches of about ``batch_chars`` characters of text (at most :data:`MAX_GROUP`
    articles), in order: full articles go about eight to a batch, short leads up to 64."""
    group: list[ToAnnotate] = []
    size = 0
    for article in articles:
        group.append(article)
        size += min(len(article.text), max_chars)
        if size >= batch_chars or len(group) >= MAX_GROUP:
            yield AnnotateBatch(tuple(group), model, max_chars, anchors)
            group, size = [], 0
    if group:
        yield AnnotateBatch(tuple(group), model, max_chars, anchors)


def _failed(article_id: str, stage: str, exc: BaseException) -> Annotated:
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Annotated(article_id, None, stage, one_line(exc), trace)


def annotate_batch(batch: AnnotateBatch) -> AnnotatedBatch:
    """Parse, annotate and embed one batch (the unit of work; no database)."""
    from ..annotate.document import ArticleText, annotate_each

    texts = (ArticleText(a.text[:batch.max_chars], a.published, a.published_inferred) for a in batch.articles)
    results = annotate_each(texts, model=batch.model, batch_size=len(batch.articles) or 1, anchors=batch.anchors)
    items = [_failed(a.article_id, "annotate", r) if isinstance(r, Exception) else Annotated(a.article_id, r)
             for a, r in zip(batch.articles, results)]
    wanted = {a.article_id: link_texts(a.article_id, a.text, a.title, i.annotations)
              for a, i in zip(batch.articles, items) if i.annotations is not None}
    try:
        return AnnotatedBatch(tuple(items), embed_unique([t for texts_ in wanted.values() for t in texts_]))
    except Exception:  # noqa: BLE001 - find the article it was
        pass
    vectors: dict[str, np.ndarray] = {}
    for n, item in enumerate(items):
        if item.article_id not in wanted:
            continue
        try:
            vectors.update(embed_unique(wanted[item.article_id]))
        except Exception as exc:  # noqa: BLE001 - one article's sentences must not stop the others
            items[n] = _failed(item.article_id, "link", exc)
    return AnnotatedBatch(tuple(items), vectors)


def _start(threads: int, device: str, model: str) -> None:
    """In a worker: the share of the cores its torch may use, the device, and both models loaded."""
    from ..annotate.nlp import load_nlp

    configure_encoder(threads=threads, device=device)
    load_nlp(model)
    load_encoder()


def prepare_cluster(scheduler: str, model: str, workers: int, device: str = "cpu") -> None:
    """Start the Dask cluster of ``scheduler`` and load the annotation models on its workers in the background
    (:func:`storyline.flow.cluster.prepare`), so they are ready when :func:`annotate_batches` needs them."""
    from .cluster import prepare

    prepare(scheduler, workers, _start, (max(1, available_cores() // max(1, workers)), device, model))


def annotate_batches(batches: Iterator[AnnotateBatch], model: str, workers: int, device: str = "cpu",
                     scheduler: str = "") -> Iterator[AnnotatedBatch]:
    """Yield :func:`annotate_batch` of every batch (annotated with ``model``), in order, from ``workers``
    processes (1: in this process). Workers load their models as they start, while the parent reads the
    first batch. With ``scheduler`` the batches run on that Dask cluster (:mod:`storyline.flow.cluster`)."""
    threads = max(1, available_cores() // max(1, workers))
    if workers <= 1:  # in this process: no initializer runs
        configure_encoder(threads=threads, device=device)
    return ordered_map(annotate_batch, batches, workers, preload=["storyline.flow.annotate"],
                       initializer=_start, initargs=(threads, device, model), scheduler=scheduler)
