"""The link stage for one freshly annotated article: framing, claims, story and thread, claim groups.

The runner computes what needs no database first (:func:`prepare_links`: framing, origins,
and the embeddings, the slow part) and then stores it (:func:`store_links`) right after the
article's annotations, inside the same short write transaction, so an interrupted run leaves no
half-linked article and other writers wait for milliseconds, not for the embeddings. Linking is incremental:
the article is compared with its nearest stored neighbours only (store/links.py keeps an
LSH index of document and claim vectors), never with the whole corpus.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from .link.claimlink import ClaimLinker, ClaimRecord, claim_records, claim_texts
from .link.embed import embed_unique
from .link.framing import article_framing
from .link.origins import cited_outlets, resolve_origin
from .link.similarity import LinkedDoc
from .link.stories import StoryAssignment, StoryDoc, StoryLinker, doc_texts, linked_docs
from .link.storydoc import story_doc
from .models import Article, ArticleFraming, Claim, ClaimOrigin, TextAnnotations
from .store import claims, framing, links

__all__ = ["link_article", "prepare_links", "prepare_links_batch", "store_links", "linkers", "Linkers", "PreparedLinks"]


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


def _claim_items(article: Article, ann: TextAnnotations) -> list[tuple[str, str, Claim]]:
    return [(f"{article.id}:c{i}", article.id, c) for i, c in enumerate(ann.claims)]


def prepare_links(article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> PreparedLinks:
    """Compute the article's framing, claim origins, document vector and claim records (no database)."""
    return prepare_links_batch([(article, ann, actor_ids)])[0]


def prepare_links_batch(items: Sequence[tuple[Article, TextAnnotations, dict[str, str]]]) -> list[PreparedLinks]:
    """:func:`prepare_links` for many articles, their sentences embedded in one call, each distinct one once
    (story linking's key sentences and claim linking's claims share the vectors)."""
    docs = [_story_doc(article, ann, ids) for article, ann, ids in items]
    texts = [t for doc in docs for t in doc_texts(doc)]
    texts += [t for (article, ann, ids) in items for t in claim_texts(_claim_items(article, ann), ids)]
    vectors = embed_unique(texts)
    out = []
    for (article, ann, ids), linked in zip(items, linked_docs(docs, vectors)):
        cited = cited_outlets(ann, article.outlet)
        origins = [resolve_origin(ann.attributions[c.attribution_index] if c.attribution_index is not None else None,
                                  article_id=article.id, outlet=article.outlet, actor_ids=ids, cited=cited, claim=c)
                   for c in ann.claims]
        records = claim_records(_claim_items(article, ann), ids, vectors)
        out.append(PreparedLinks(article_framing(article.id, article.outlet, article.text, ann), origins, linked, records))
    return out


@dataclass
class Linkers:
    """The story and claim linkers over one connection, kept for a whole run (the claim backend keeps the
    records it loaded: :attr:`storyline.store.claims.SqliteClaimBackend.CACHED`)."""

    stories: StoryLinker
    claims: ClaimLinker


def linkers(conn: sqlite3.Connection) -> Linkers:
    """Return the linkers over ``conn``."""
    return Linkers(StoryLinker(links.SqliteLinkBackend(conn)), ClaimLinker(claims.SqliteClaimBackend(conn)))


def store_links(conn: sqlite3.Connection, article: Article, ann: TextAnnotations, prepared: PreparedLinks,
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


def link_article(conn: sqlite3.Connection, article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> StoryAssignment:
    """Store the article's framing and claims, place it in a story and thread and its claims in groups (no commit)."""
    return store_links(conn, article, ann, prepare_links(article, ann, actor_ids))
