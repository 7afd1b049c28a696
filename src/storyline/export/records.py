"""Export the store as one JSON document or JSON lines; the record form of every stored fact.

The JSON document has one top-level list per kind of record: ``articles``, then the
annotations (``actors``, ``mentions``, ``quotes``, ``attributions``), then the times
(``time_expressions``, ``events`` and the merged ``timeline``), then the links (``stories``,
``threads``, claim groups as ``claims``, and per-article ``framing``). The schema is in
docs/schema.md and a test keeps the two in step.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TextIO

from ..link.timeline import DatedEvent, TimelineGroup, build_timeline
from ..models import Article, ArticleFraming, ClaimAppearance, ClaimGroup, ClaimOrigin, LoadedTerm
from ..store.annotations import StoredAttribution, StoredQuote, iter_attributions, iter_mentions, iter_quotes, load_actors
from ..store.articles import iter_articles
from ..store.db import Connection
from ..store.heads import ArticleHead, article_head
from ..link.groups import iter_claim_groups
from ..store.framing import iter_framing
from ..store.links import iter_stories, iter_threads
from ..store.paging import Page
from ..store.schema import SCHEMA_VERSION, schema_version
from ..store.times import StoredEvent, iter_events, iter_time_expressions
from ..store.versions import version_count

__all__ = [
    "FORMATS", "SECTIONS", "Reader", "timeline_record", "article_record", "quote_record", "attribution_record", "annotation_sections", "time_sections", "dated_event", "load_timeline",
    "link_sections", "event_record", "claim_group_record", "framing_record", "export_document", "write_export",
]

FORMATS = ("json", "jsonl")


def article_record(article: Article, *, versions: int = 1) -> dict[str, Any]:
    """Return the export form of one article (see docs/schema.md).

    Args:
        versions: how many versions of its text are stored (:func:`storyline.store.versions.version_count`).
    """
    earliest, latest = article.published_range or (None, None)
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "author": "; ".join(article.authors) or None,  # the names as one string: for readers of schema 11 and before
        "published": article.published,
        "published_inferred": article.published_inferred,
        "published_range": {"earliest": earliest, "latest": latest} if article.published_range else None,
        "published_evidence": [_evidence(e) for e in article.evidence if e.field.startswith("published")],
        "language": article.language,
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason, "start": r.start, "end": r.end} for r in article.removed],
        "duplicate_of": article.duplicate_of,
        "evidence": [_evidence(e) for e in article.evidence],
        "ingested_at": article.ingested_at,
        "versions": versions,
    }


def _evidence(e: Any) -> dict[str, Any]:
    return {"field": e.field, "value": e.value, "method": e.method, "text": e.text, "start": e.start, "end": e.end}


def _span(s: Any) -> dict[str, Any] | None:
    return {"text": s.text, "start": s.start, "end": s.end} if s is not None else None


Reader = Callable[[Connection, "Page | None"], Iterator[dict[str, Any]]]
"""Reads one export section: every record (page None) or one page ``(limit, offset)``."""


def _actors(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
    for a in load_actors(conn, page):
        yield {"id": a.id, "name": a.name, "type": a.type, "variants": list(a.variants)}


def _mentions(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
    for m in iter_mentions(conn, page=page):
        yield {"actor_id": m.actor_id, "article_id": m.article_id, "text": m.mention.text, "start": m.mention.start,
               "end": m.mention.end, "kind": m.mention.kind, "name": m.mention.name, "evidence": m.mention.evidence}


def article_joiner(conn: Connection) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Return a function that adds to a record (with ``article_id``) its article's ``outlet``, ``published``
    and ``title``, each article read once: the common join for quotes and attributions."""
    cache: dict[str, ArticleHead | None] = {}

    def join(record: dict[str, Any]) -> dict[str, Any]:
        aid = record["article_id"]
        if aid not in cache:
            cache[aid] = article_head(conn, aid)  # the head only: no text, removals or evidence read
        a = cache[aid]
        return {**record, "outlet": a.outlet if a else None, "published": a.published if a else None,
                "title": a.title if a else None}
    return join


def quote_record(q: StoredQuote) -> dict[str, Any]:
    """Return the export form of one stored quote (see docs/schema.md)."""
    return {"id": q.id, "article_id": q.article_id, "text": q.quote.text, "speaker": q.quote.speaker.text if q.quote.speaker else None,
            "speaker_name": q.quote.speaker_name, "speaker_actor_id": q.speaker_actor_id,
            "cue": q.quote.cue.text if q.quote.cue else None, "direct": q.quote.direct, "quoted_words": q.quote.quoted_words, "start": q.quote.start, "end": q.quote.end,
            "speaker_span": _span(q.quote.speaker), "cue_span": _span(q.quote.cue)}


def attribution_record(a: StoredAttribution) -> dict[str, Any]:
    """Return the export form of one stored attribution (see docs/schema.md)."""
    return {"id": a.id, "article_id": a.article_id, "content": a.attribution.content.text,
            "source": a.attribution.source.text if a.attribution.source else None, "source_kind": a.attribution.source_kind,
            "count": a.attribution.count, "via": [v.text for v in a.attribution.via],
            "start": a.attribution.content.start, "end": a.attribution.content.end,
            "source_span": _span(a.attribution.source), "cue": a.attribution.cue.text if a.attribution.cue else None,
            "via_spans": [_span(v) for v in a.attribution.via]}


def annotation_sections(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Return the ``actors``, ``mentions``, ``quotes`` and ``attributions`` sections."""
    return {name: list(SECTIONS[name](conn, None)) for name in ("actors", "mentions", "quotes", "attributions")}


def dated_event(stored: StoredEvent) -> DatedEvent:
    """Return the timeline's view of a stored event."""
    time = stored.event.time
    return DatedEvent(stored.id, stored.article_id, stored.outlet, stored.published, time.value, time.granularity,
                      time.earliest, time.latest, stored.event.sentence.text, stored.actor_ids)


def load_timeline(
    conn: Connection, *, article_ids: Iterable[str] | None = None, actor: str | None = None,
    since: str | None = None, until: str | None = None,
) -> list[TimelineGroup]:
    """Read the stored events (filtered as :func:`storyline.store.times.iter_events` does) and merge them into a timeline."""
    return build_timeline(dated_event(e) for e in iter_events(conn, article_ids=article_ids, actor=actor, since=since, until=until))


def event_record(e: StoredEvent) -> dict[str, Any]:
    """Return the export form of one stored event (see docs/schema.md)."""
    time, said = e.event.time, e.event.said
    return {"id": e.id, "article_id": e.article_id, "date": time.value, "granularity": time.granularity, "expression": time.text,
            "sentence": e.event.sentence.text, "start": e.event.sentence.start, "end": e.event.sentence.end,
            "actor_ids": list(e.actor_ids), "published": e.published, "earliest": time.earliest, "latest": time.latest,
            "said": said.value if said else None, "quote_id": e.quote_id}


def timeline_record(g: TimelineGroup) -> dict[str, Any]:
    """Return the export form of one merged timeline group (see docs/schema.md)."""
    return {"date": g.date, "granularity": g.granularity, "earliest": g.earliest, "latest": g.latest, "summary": g.summary,
            "event_ids": list(g.event_ids), "article_ids": list(g.article_ids), "actor_ids": list(g.actor_ids),
            "appearances": [{"event_id": a.event_id, "article_id": a.article_id, "outlet": a.outlet, "published": a.published,
                             "lag_days": a.lag_days} for a in g.appearances],
            "first_reported": g.first_reported}


def _time_expressions(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
    if schema_version(conn) < 3:  # a read-only database not yet migrated has no time tables
        return
    for t in iter_time_expressions(conn, page=page):
        yield {"article_id": t.article_id, "text": t.time.text, "start": t.time.start, "end": t.time.end, "type": t.time.type,
               "value": t.time.value, "granularity": t.time.granularity, "kind": t.time.kind, "earliest": t.time.earliest,
               "latest": t.time.latest, "modifier": t.time.modifier, "certain": t.time.certain, "anchor": t.time.anchor,
               "rule": t.time.rule}


def _events(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
    if schema_version(conn) >= 3:
        yield from (event_record(e) for e in iter_events(conn, page=page))


def _timeline(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
    """The merged timeline is built over every event, then paged (a page costs the whole build)."""
    if schema_version(conn) >= 3:
        groups = (timeline_record(g) for g in build_timeline(dated_event(e) for e in iter_events(conn)))
        yield from (groups if page is None else islice(groups, page[1], page[1] + page[0]))


def time_sections(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Return the ``time_expressions``, ``events`` and ``timeline`` sections (empty before schema version 3)."""
    return {name: list(SECTIONS[name](conn, None)) for name in ("time_expressions", "events", "timeline")}


def _origin_record(o: ClaimOrigin | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"key": o.key, "kind": o.kind, "name": o.name, "actor_id": o.actor, "outlet": o.outlet, "count": o.count,
            "flagged": o.flagged, "evidence": o.evidence}


def _appearance_record(a: ClaimAppearance) -> dict[str, Any]:
    return {"claim_id": a.claim_id, "article_id": a.article_id, "outlet": a.outlet, "published": a.published, "text": a.text,
            "sentence": a.sentence, "start": a.start, "end": a.end, "hedges": list(a.hedges), "conditions": list(a.conditions),
            "negated": a.negated, "attribution_id": a.attribution_id, "origin": a.origin, "resolved_origin": _origin_record(a.resolved),
            "chain": list(a.chain), "joined_by": a.join or None}


def claim_group_record(g: ClaimGroup) -> dict[str, Any]:
    """Return the export form of one claim group (see docs/schema.md)."""
    return {"id": g.id, "text": g.text, "first_seen": g.first_seen, "independent_origins": g.independent_origins,
            "independent_origins_range": list(g.origin_range), "origins": list(g.origins),
            "origin_explanations": [{"origin": _origin_record(c.origin), "claim_ids": list(c.claim_ids), "dates": list(c.dates),
                                     "why": c.why, "maybe_same_as": list(c.maybe_same_as)} for c in g.origin_counts],
            "related": [{"group_id": r.group_id, "text": r.text, "similarity": round(r.similarity, 4), "kind": r.kind, "reason": r.reason}
                        for r in g.related],
            "appearances": [_appearance_record(a) for a in g.appearances]}


def _term_record(t: LoadedTerm) -> dict[str, Any]:
    return {"text": t.text, "category": t.category, "start": t.start, "end": t.end, "sentence": t.sentence, "actor": t.actor}


def framing_record(f: ArticleFraming) -> dict[str, Any]:
    """Return the export form of one article's framing (see docs/schema.md)."""
    return {"article_id": f.article_id, "outlet": f.outlet,
            "labels": [{"actor": actor, "text": s.text, "start": s.start, "end": s.end} for actor, s in f.labels],
            "loaded_terms": [_term_record(t) for t in f.loaded_terms],
            "attribution_verbs": [_term_record(t) for t in f.attribution_verbs],
            "named_sources": f.named_sources, "anonymous_sources": f.anonymous_sources, "anonymous_share": f.anonymous_share,
            "hedges": [_span(h) for h in f.hedges]}


def _linked(read: Reader) -> Reader:
    """Wrap a link-section reader: nothing before schema version 4 (a read-only database not yet migrated)."""
    def section(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
        if schema_version(conn) >= 4:
            yield from read(conn, page)
    return section


def _stories(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
    for s in iter_stories(conn, page):
        yield {"id": s.id, "title": s.title, "article_ids": list(s.article_ids), "thread_id": s.thread_id,
               "first_published": s.first_published, "last_published": s.last_published}


def _threads(conn: Connection, page: Page | None) -> Iterator[dict[str, Any]]:
    for t in iter_threads(conn, page):
        yield {"id": t.id, "title": t.title, "story_ids": list(t.story_ids)}


def link_sections(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Return the ``stories``, ``threads``, ``claims`` and ``framing`` sections (empty before schema version 4)."""
    return {name: list(SECTIONS[name](conn, None)) for name in ("stories", "threads", "claims", "framing")}


SECTIONS: dict[str, Reader] = {
    "articles": lambda conn, page: (article_record(a, versions=version_count(conn, a.id)) for a in iter_articles(conn, page=page)),
    "actors": _actors,
    "mentions": _mentions,
    "quotes": lambda conn, page: (quote_record(q) for q in iter_quotes(conn, page=page)),
    "attributions": lambda conn, page: (attribution_record(a) for a in iter_attributions(conn, page=page)),
    "time_expressions": _time_expressions,
    "events": _events,
    "timeline": _timeline,
    "stories": _linked(_stories),
    "threads": _linked(_threads),
    "claims": _linked(lambda conn, page: (claim_group_record(g) for g in iter_claim_groups(conn, page=page, related=True))),
    "framing": _linked(lambda conn, page: (framing_record(f) for f in iter_framing(conn, page=page))),
}
"""Every export section, in document order: name -> reader yielding its records one at a time.

Called with a page ``(limit, offset)`` a reader reads only that page in SQL (the JSON API); stories,
threads, claim groups and framing records then come in id order. With None it reads everything.
"""


def export_document(conn: Connection) -> dict[str, Any]:
    """Return the whole store as one JSON-ready document."""
    return {
        "storyline_schema": SCHEMA_VERSION,
        **{name: list(read(conn, None)) for name, read in SECTIONS.items()},
    }


def _jsonl(conn: Connection) -> Iterator[str]:
    for section, read in SECTIONS.items():
        kind = {"stories": "story", "claims": "claim_group"}.get(section, section.rstrip("s"))
        for record in read(conn, None):
            yield json.dumps({"record": kind, **record}, ensure_ascii=False)


def write_export(conn: Connection, fmt: str, out: TextIO) -> int:
    """Write the store to ``out`` in ``fmt`` (json or jsonl); return the number of articles."""
    if fmt == "json":
        doc = export_document(conn)
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(doc["articles"])
    if fmt == "jsonl":
        n = 0
        for line in _jsonl(conn):
            out.write(line + "\n")
            n += line.startswith('{"record": "article"')
        return n
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
