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
from dataclasses import dataclass

from .link.claimlink import ClaimLinker, ClaimRecord, claim_records
from .link.framing import article_framing
from .link.origins import cited_outlets, resolve_origin
from .link.similarity import LinkedDoc
from .link.stories import StoryAssignment, StoryLinker, linked_docs
from .link.storydoc import story_doc
from .models import Article, ArticleFraming, ClaimOrigin, TextAnnotations
from .store import claims, framing, links

__all__ = ["link_article", "prepare_links", "store_links", "PreparedLinks"]


def _linked(article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> LinkedDoc:
    actors = tuple(dict.fromkeys(actor_ids[m.name] for m in ann.mentions
                                 if m.kind in {"name", "label"} and m.entity_type in {"PERSON", "ORG", "GPE"} and m.name in actor_ids))
    doc = story_doc(article.id, article.text, ann, title=article.title, outlet=article.outlet,
                    published=article.published, actor_ids=actors)
    (linked,) = linked_docs([doc])
    return linked


@dataclass(frozen=True, slots=True)
class PreparedLinks:
    """Everything the link stage computes for one article before it touches the database (the embeddings)."""

    framing: ArticleFraming
    origins: list[ClaimOrigin]
    linked: LinkedDoc
    records: list[ClaimRecord]


def prepare_links(article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> PreparedLinks:
    """Compute the article's framing, claim origins, document vector and claim records (no database)."""
    cited = cited_outlets(ann, article.outlet)
    origins = [resolve_origin(ann.attributions[c.attribution_index] if c.attribution_index is not None else None,
                              article_id=article.id, outlet=article.outlet, actor_ids=actor_ids, cited=cited, claim=c)
               for c in ann.claims]
    records = claim_records([(f"{article.id}:c{i}", article.id, c) for i, c in enumerate(ann.claims)], actor_ids)
    return PreparedLinks(article_framing(article.id, article.outlet, article.text, ann), origins,
                         _linked(article, ann, actor_ids), records)


def store_links(conn: sqlite3.Connection, article: Article, ann: TextAnnotations, prepared: PreparedLinks) -> StoryAssignment:
    """Store the prepared framing and claims, place the article in a story and thread and its claims in groups (no commit)."""
    framing.save_framing(conn, prepared.framing)
    claims.save_claims(conn, article.id, ann.claims, origins=prepared.origins)
    assignment = StoryLinker(links.SqliteLinkBackend(conn)).add(prepared.linked)
    links.save_assignment(conn, assignment)
    claim_linker = ClaimLinker(claims.SqliteClaimBackend(conn))
    for record in prepared.records:
        claim_linker.add(record)
    return assignment


def link_article(conn: sqlite3.Connection, article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> StoryAssignment:
    """Store the article's framing and claims, place it in a story and thread and its claims in groups (no commit)."""
    return store_links(conn, article, ann, prepare_links(article, ann, actor_ids))
