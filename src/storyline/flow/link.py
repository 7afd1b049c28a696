"""Step 5 of the flow, link and write: annotated articles into the store, placed in stories, threads and claim groups.

For each article of a batch the annotate step returned (:class:`storyline.flow.annotate.AnnotatedBatch`),
in the parent process, in order:

1. its actors get their ids from the run's registry (:class:`storyline.annotate.registry.ActorRegistry`);
2. what needs no database is computed (:func:`prepare_links_batch`: framing, origins, the story and claim
   records, from the vectors the batch brought; a sentence missing from them is embedded here);
3. one short write transaction (:func:`storyline.store.retry.write`: the write lock taken at its start, a
   busy database waited for and retried) stores the actors, the annotations and the links
   (:func:`store_links`), unless another process annotated the article meanwhile.

An interrupted run leaves no half-linked article, and other writers wait for milliseconds, not for the
models. Linking is incremental: the article is compared with its nearest stored neighbours only
(store/links.py keeps an LSH index of document and claim vectors), never with the whole corpus.
An exception records the article as failed (stage, reason; the traceback goes to the ``storyline``
log) and the batch goes on; only the store itself staying locked through every retry stops the run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..link.claimlink import ClaimLinker, claim_records, claim_texts
from ..link.embed import embed_unique
from ..link.framing import article_framing
from ..link.origins import cited_outlets, resolve_origin
from ..link.similarity import key_sentences
from ..link.stories import StoryDoc, StoryLinker, doc_texts, linked_docs
from ..link.storydoc import story_doc
from ..link.unread import unread_story_doc
from ..errors import StoreError, one_line
from ..models import Article, ArticleFraming, Claim, ClaimOrigin, ClaimRecord, Evidence, LinkedDoc, StoryAssignment, TextAnnotations
from ..settings import Settings
from ..store import annotations as notes
from ..store import articles, claims, framing, links, sync
from ..store.db import Connection
from ..store.failures import record_article_failure
from ..store.retry import write
from .clean import utc_now

if TYPE_CHECKING:
    from .annotate import AnnotatedBatch

log = logging.getLogger("storyline")

__all__ = ["LinkRun", "link_article", "link_texts", "prepare_links", "prepare_links_batch", "store_links", "linkers", "Linkers", "PreparedLinks"]


@dataclass(frozen=True, slots=True)
class PreparedLinks:
    """Everything the link stage computes for one article before it touches the database (the embeddings)."""

    framing: ArticleFraming
    origins: list[ClaimOrigin]
    linked: LinkedDoc
    records: list[ClaimRecord]


def _story_doc(article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> StoryDoc:
    actors = tuple(dict.fromkeys(actor_ids[m.name] for m in ann.mentions
                                 if m.kind in {"name", "label"} and m.entity_type in {"PERSON", "ORG", "GPE"} and m.name in actor_ids))
    return story_doc(article.id, article.text, ann, title=article.title, outlet=article.outlet,
                     published=article.published, actor_ids=actors)


def _claim_items(article_id: str, ann: TextAnnotations) -> list[tuple[str, str, Claim]]:
    return [(f"{article_id}:c{i}", article_id, c) for i, c in enumerate(ann.claims)]


def prepare_links(article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> PreparedLinks:
    """Compute the article's framing, claim origins, document vector and claim records (no database)."""
    return prepare_links_batch([(article, ann, actor_ids)])[0]


def link_texts(article_id: str, text: str, title: str | None, ann: TextAnnotations) -> list[str]:
    """Return the sentences the link stage embeds for one article: its key sentences (story linking), its
    claims and their predicates (claim linking). Needs no actor registry (a predicate is embedded for a claim
    whose agent is any mention), so a worker process can embed them before the parent resolves actors."""
    names = {m.name: m.name for m in ann.mentions}
    return list(dict.fromkeys(key_sentences(text, title) + claim_texts(_claim_items(article_id, ann), names)))


def prepare_links_batch(items: Sequence[tuple[Article, TextAnnotations, dict[str, str]]],
                        vectors: Mapping[str, np.ndarray] | None = None) -> list[PreparedLinks]:
    """:func:`prepare_links` for many articles, their sentences embedded in one call, each distinct one once
    (story linking's key sentences and claim linking's claims share the vectors). ``vectors`` gives embeddings
    already made (by a worker: :func:`link_texts`); only texts missing from it are embedded here."""
    docs = [_story_doc(article, ann, ids) for article, ann, ids in items]
    texts = [t for doc in docs for t in doc_texts(doc)]
    texts += [t for (article, ann, ids) in items for t in claim_texts(_claim_items(article.id, ann), ids)]
    known = dict(vectors or {})
    known.update(embed_unique([t for t in texts if t not in known]))
    out = []
    for (article, ann, ids), linked in zip(items, linked_docs(docs, known)):
        cited = cited_outlets(ann, article.outlet)
        origins = [resolve_origin(ann.attributions[c.attribution_index] if c.attribution_index is not None else None,
                                  article_id=article.id, outlet=article.outlet, actor_ids=ids, cited=cited, claim=c)
                   for c in ann.claims]
        records = claim_records(_claim_items(article.id, ann), ids, known)
        out.append(PreparedLinks(article_framing(article.id, article.outlet, article.text, ann), origins, linked, records))
    return out


@dataclass
class Linkers:
    """The story and claim linkers over one connection, kept for a whole run (the claim backend keeps the
    records it loaded: :attr:`storyline.store.claims.SqliteClaimBackend.CACHED`)."""

    stories: StoryLinker
    claims: ClaimLinker


def linkers(conn: Connection) -> Linkers:
    """Return the linkers over ``conn``."""
    return Linkers(StoryLinker(links.SqliteLinkBackend(conn)), ClaimLinker(claims.SqliteClaimBackend(conn)))


def store_links(conn: Connection, article: Article, ann: TextAnnotations, prepared: PreparedLinks,
                linked_by: Linkers | None = None) -> StoryAssignment:
    """Store the prepared framing and claims, place the article in a story and thread and its claims in groups (no commit)."""
    linked_by = linked_by or linkers(conn)
    framing.save_framing(conn, prepared.framing)
    claims.save_claims(conn, article.id, ann.claims, origins=prepared.origins)
    assignment = linked_by.stories.add(prepared.linked)
    links.save_assignment(conn, assignment)
    for record in prepared.records:
        linked_by.claims.add(record)
    return assignment


def link_article(conn: Connection, article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> StoryAssignment:
    """Store the article's framing and claims, place it in a story and thread and its claims in groups (no commit)."""
    return store_links(conn, article, ann, prepare_links(article, ann, actor_ids))


class LinkRun:
    """The parent's side of annotating one run: the actor registry, the linkers, and the write of each article."""

    def __init__(self, conn: Connection, settings: Settings) -> None:
        from ..annotate.registry import ActorRegistry

        self.conn, self.settings = conn, settings
        self._actors_seen = sync.last_actor_rowid(conn)  # first: an actor stored meanwhile is read again, never missed
        self.registry = ActorRegistry(notes.load_actors(conn))
        self._generation = 0
        """How many times the registry was read again from the store (:meth:`_catch_up`)."""
        self._vectors: Mapping[str, np.ndarray] = {}
        self.linked_by = linkers(conn)

    def link(self, batch: AnnotatedBatch) -> list[tuple[str, str]]:
        """Store and link every article of the batch; return (article id, outcome): annotated, failed or skipped
        (another process annotated it first, or it was deleted)."""
        items = [_Item(a.article_id, a.annotations, stage=a.stage or "annotate", reason=a.reason, generation=self._generation)
                 for a in batch.items]
        self._vectors = batch.vectors
        for item, done in zip(items, batch.items):
            if done.annotations is None:
                log.error("article %s failed at %s:\n%s", done.article_id, done.stage, done.trace)
                item.outcome = "failed"
            else:
                self._resolve(item)
        self._prepare([i for i in items if not i.outcome], batch.vectors)
        for item in items:
            if not item.outcome:
                self._store(item)
            if item.outcome == "failed":
                self._record(item)
        return [(i.article_id, i.outcome) for i in items]

    def place_unread(self, article_id: str) -> bool:
        """Place an article not annotated for its language in a story, by the known actors its names refer
        to, its date and its words (:mod:`storyline.link.unread`); one write. False when it is gone."""
        article = articles.load_article(self.conn, article_id)
        if article is None:
            return False
        [linked] = linked_docs([unread_story_doc(article, self.registry)])

        def save() -> None:
            links.save_assignment(self.conn, self.linked_by.stories.add(linked))

        write(self.conn, save, what=f"placing {article_id} in a story")
        return True

    def _resolve(self, item: _Item) -> None:
        """Its actors' ids and the stored article (no writes)."""
        assert item.result is not None
        item.stage = "link"
        try:
            item.ids = self._ids(item.result)
            item.article = articles.load_article(self.conn, item.article_id)
            if item.article is None:  # deleted meanwhile
                item.outcome = "skipped"
        except Exception as exc:  # noqa: BLE001 - one article must not stop the batch
            _fail(item, exc)

    def _ids(self, result: TextAnnotations) -> dict[str, str]:
        """The actor id of each name the article mentions (actors created as needed)."""
        return {m.name: self.registry.resolve(m.name, m.entity_type).id for m in result.mentions}

    def _catch_up(self, item: _Item) -> None:
        """Inside the write transaction: take in the actors other writers stored since this run last looked. When one
        of them is an actor this run created but has not stored yet (two processes met a new name at once), read
        the registry again from the store, then resolve this article's names and prepare its links again, so
        one name never becomes two actors."""
        stored, self._actors_seen = sync.actors_since(self.conn, self._actors_seen)
        if stored and self.registry.learn(stored):
            from ..annotate.registry import ActorRegistry

            self._actors_seen = sync.last_actor_rowid(self.conn)
            self.registry = ActorRegistry(notes.load_actors(self.conn))
            self._generation += 1
        if item.generation != self._generation:
            assert item.result is not None and item.article is not None
            item.ids, item.generation = self._ids(item.result), self._generation
            item.prepared = prepare_links_batch([(item.article, item.result, item.ids)], self._vectors)[0]

    def _prepare(self, items: list[_Item], vectors: Mapping[str, np.ndarray]) -> None:
        """Framing, origins and records of the group in one call; article by article if that fails."""
        def args(i: _Item) -> tuple[Article, TextAnnotations, dict[str, str]]:
            assert i.article is not None and i.result is not None
            return i.article, i.result, i.ids

        try:
            for item, prepared in zip(items, prepare_links_batch([args(i) for i in items], vectors)):
                item.prepared = prepared
            return
        except Exception:  # noqa: BLE001 - find the article it was
            pass
        for item in items:
            try:
                item.prepared = prepare_links_batch([args(item)], vectors)[0]
            except Exception as exc:  # noqa: BLE001
                _fail(item, exc)

    def _store(self, item: _Item) -> None:
        """One short write transaction: actors, annotations, inferred date, links."""
        conn, settings = self.conn, self.settings
        article, result = item.article, item.result
        assert article is not None and item.prepared is not None and result is not None
        item.stage = "store"

        def save() -> bool:
            self._catch_up(item)
            registry = self.registry
            notes.save_actors(conn, [a for a in registry.actors if a.id in registry.changed])  # first: later articles refer to them
            if notes.is_annotated(conn, item.article_id, settings.spacy_model):
                return False  # another process was first
            prepared = item.prepared
            assert prepared is not None
            notes.save_annotations(conn, item.article_id, result, item.ids, settings.spacy_model, utc_now())
            if result.published_range is not None:
                earliest, latest = result.published_range
                exact = earliest if earliest == latest else None
                articles.set_inferred_published(conn, item.article_id, exact, result.published_range, result.published_evidence)
            if len(article.text) > settings.max_annotate_chars:
                words = f"annotated up to {settings.max_annotate_chars} characters of {len(article.text)}"
                articles.add_evidence(conn, item.article_id, [Evidence("annotation", words, "budget", "setting max_annotate_chars")])
            store_links(conn, article, result, prepared, self.linked_by)
            return True

        try:
            stored = write(conn, save, what=f"annotating {item.article_id}")
        except Exception as exc:  # noqa: BLE001
            _fail(item, exc)
            return
        self.registry.saved()
        item.outcome = "annotated" if stored else "skipped"

    def _record(self, item: _Item) -> None:
        conn, model = self.conn, self.settings.spacy_model
        write(conn, lambda: record_article_failure(conn, item.article_id, model, item.stage, item.reason, utc_now()),
              what=f"recording the failure of {item.article_id}")


@dataclass
class _Item:
    """One article on its way through the parent's side."""

    article_id: str
    result: TextAnnotations | None
    article: Article | None = None
    ids: dict[str, str] = field(default_factory=dict)
    prepared: PreparedLinks | None = None
    stage: str = "annotate"
    generation: int = 0
    """The registry generation its actor ids come from (:meth:`LinkRun._catch_up`)."""
    outcome: str = ""
    reason: str = ""
    """Why it failed, in one line."""


def _fail(item: _Item, exc: BaseException) -> None:
    if isinstance(exc, StoreError):
        raise exc  # the database stayed locked: no other article would fare better
    log.error("article %s failed at %s", item.article_id, item.stage, exc_info=exc)
    item.reason, item.outcome = one_line(exc), "failed"
