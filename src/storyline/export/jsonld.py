"""Claim groups as schema.org ``Claim`` JSON-LD, ready to start a ``ClaimReview``.

One ``Claim`` per claim group: its canonical wording as ``text``, every telling as an ``appearance``
(a passage: a ``CreativeWork`` with the sentence as ``text`` that ``isPartOf`` its ``NewsArticle``, with the
article's url, headline, date and publisher), the
earliest telling as ``firstAppearance``, and the named origins (a person's or organisation's own
statement, an outlet's own reporting) as ``author``. Unnamed sources are never turned into an
author: they are described in ``description`` with the count of independent origins, which
schema.org has no property for. A fact-checker writes ``{"@type": "ClaimReview", "itemReviewed": <Claim>}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..link.groups import iter_claim_groups
from ..models import ClaimAppearance, ClaimGroup, ClaimOrigin
from ..store.db import Connection
from ..store.heads import ArticleHead, article_heads

__all__ = ["CONTEXT", "claim_jsonld", "jsonld_document"]

CONTEXT = "https://schema.org"
_AUTHOR_TYPES = {"person": "Person", "organisation": "Organization", "outlet": "NewsMediaOrganization"}


def _article_id(article_id: str) -> str:
    return f"urn:storyline:article:{article_id}"


def _appearance(a: ClaimAppearance, head: ArticleHead | None) -> dict[str, Any]:
    """The telling as a passage (``CreativeWork`` with the sentence as ``text``) that ``isPartOf`` its article."""
    article: dict[str, Any] = {"@type": "NewsArticle", "@id": _article_id(a.article_id), "identifier": a.article_id}
    if head and head.url:
        article["url"] = head.url
    if head and head.title:
        article["headline"] = head.title
    if a.published:
        article["datePublished"] = a.published
    if a.outlet:
        article["publisher"] = {"@type": "NewsMediaOrganization", "name": a.outlet}
    passage: dict[str, Any] = {"@type": "CreativeWork", "@id": f"urn:storyline:appearance:{a.claim_id}", "identifier": a.claim_id,
                               "text": a.sentence, "isPartOf": article}
    if head and head.url:
        passage["url"] = head.url
    if a.published:
        passage["datePublished"] = a.published
    return passage


def _author(origin: ClaimOrigin) -> dict[str, Any] | None:
    kind = _AUTHOR_TYPES.get(origin.kind)
    if kind is None or origin.flagged or not origin.name:
        return None
    return {"@type": kind, "name": origin.name}


def _description(g: ClaimGroup) -> str:
    low, high = g.origin_range
    counted = f"{low} to {high}" if high > low else str(g.independent_origins)
    outlets = len({a.outlet for a in g.appearances if a.outlet})
    told = f"Told {len(g.appearances)} time(s) by {len({a.article_id for a in g.appearances})} article(s) of {outlets} known outlet(s)"
    origins = "; ".join(o.origin.name for o in g.origin_counts) or "none resolved"
    return f"{told}; {counted} independent origin(s): {origins}."


def claim_jsonld(g: ClaimGroup, heads: dict[str, ArticleHead]) -> dict[str, Any]:
    """Return one claim group as a schema.org ``Claim`` node (without ``@context``)."""
    appearances = [_appearance(a, heads.get(a.article_id)) for a in g.appearances]
    dated = [(a.published, i) for i, a in enumerate(g.appearances) if a.published]
    first = appearances[min(dated)[1]] if dated else None
    authors: dict[str, dict[str, Any]] = {}
    for count in g.origin_counts:
        author = _author(count.origin)
        if author is not None:
            authors.setdefault(count.origin.key, author)
    node: dict[str, Any] = {"@type": "Claim", "@id": f"urn:storyline:{g.id}", "identifier": g.id, "text": g.text,
                            "description": _description(g), "appearance": appearances}
    if first is not None:
        node["firstAppearance"] = {"@id": first["@id"]}
    if g.first_seen:
        node["dateCreated"] = g.first_seen
    if authors:
        node["author"] = list(authors.values())
    return node


def iter_claims_jsonld(conn: Connection, *, min_articles: int = 1) -> Iterator[dict[str, Any]]:
    """Yield each claim group told by at least ``min_articles`` articles as a ``Claim`` node."""
    heads = article_heads(conn)
    for g in iter_claim_groups(conn, min_articles=min_articles):
        yield claim_jsonld(g, heads)


def jsonld_document(conn: Connection, *, min_articles: int = 1) -> dict[str, Any]:
    """Return every claim group as one JSON-LD document: ``{"@context": "https://schema.org", "@graph": [...]}``."""
    return {"@context": CONTEXT, "@graph": list(iter_claims_jsonld(conn, min_articles=min_articles))}
