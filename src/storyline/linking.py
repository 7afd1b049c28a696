"""The link stage for one freshly annotated article: framing, claims, story and thread, claim groups.

Called by the runner right after an article's annotations are saved, inside the same
transaction, so an interrupted run leaves no half-linked article. Linking is incremental:
the article is compared with its nearest stored neighbours only (store/links.py keeps an
LSH index of document and claim vectors), never with the whole corpus.
"""

from __future__ import annotations

import sqlite3

from .link.claimlink import ClaimLinker, claim_records
from .link.framing import article_framing
from .link.origins import cited_outlets, resolve_origin
from .link.similarity import LinkedDoc
from .link.stories import StoryAssignment, StoryLinker, linked_docs
from .link.storydoc import story_doc
from .models import Article, TextAnnotations
from .store import claims, framing, links

__all__ = ["link_article"]


def _linked(article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> LinkedDoc:
    actors = tuple(dict.fromkeys(actor_ids[m.name] for m in ann.mentions
                                 if m.kind in {"name", "label"} and m.entity_type in {"PERSON", "ORG", "GPE"} and m.name in actor_ids))
    doc = story_doc(article.id, article.text, ann, title=article.title, outlet=article.outlet,
                    published=article.published, actor_ids=actors)
    (linked,) = linked_docs([doc])
    return linked


def link_article(conn: sqlite3.Connection, article: Article, ann: TextAnnotations, actor_ids: dict[str, str]) -> StoryAssignment:
    """Store the article's framing and claims, place it in a story and thread and its claims in groups (no commit)."""
    framing.save_framing(conn, article_framing(article.id, article.outlet, article.text, ann))
    cited = cited_outlets(ann, article.outlet)
    origins = [resolve_origin(ann.attributions[c.attribution_index] if c.attribution_index is not None else None,
                              article_id=article.id, outlet=article.outlet, actor_ids=actor_ids, cited=cited, claim=c)
               for c in ann.claims]
    claims.save_claims(conn, article.id, ann.claims, origins=origins)
    assignment = StoryLinker(links.SqliteLinkBackend(conn)).add(_linked(article, ann, actor_ids))
    links.save_assignment(conn, assignment)
    claim_linker = ClaimLinker(claims.SqliteClaimBackend(conn))
    for record in claim_records([(f"{article.id}:c{i}", article.id, c) for i, c in enumerate(ann.claims)], actor_ids):
        claim_linker.add(record)
    return assignment
