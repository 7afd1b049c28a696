"""Flat tables: one per section, each row with its article's outlet, date, title and story joined in.

For pandas, DuckDB, R and spreadsheets (``storyline export --format parquet|csv --out DIR``) and for
``storyline.open(...)`` in a notebook, which returns the same columns. Every row is built from the
export records (records.py), so a table never says something the JSON export does not. Columns and
what each row is are listed in docs/schema.md ("Flat tables").

Column kinds: ``str``, ``int``, ``float``, ``bool``, ``date`` (an ISO day: a Parquet ``date32``, a
``YYYY-MM-DD`` string in CSV) and ``list`` (a list of strings: a Parquet list column, a JSON array in CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..link.groups import iter_claim_groups
from ..store.annotations import actor_summaries, iter_attributions, iter_mentions, iter_quotes, load_actors
from ..store.articles import iter_articles
from ..store.db import Connection
from ..store.framing import iter_framing
from ..store.heads import ArticleHead, article_heads
from ..store.links import iter_stories, iter_threads
from ..store.schema import schema_version
from ..store.times import iter_events
from ..store.versions import version_count
from .records import (
    event_record, article_record, attribution_record, claim_group_record, framing_record, load_timeline, quote_record,
    timeline_record,
)

__all__ = ["Table", "TABLES", "JOINED", "table_rows"]

JOINED: tuple[tuple[str, str], ...] = (
    ("outlet", "str"), ("published", "date"), ("title", "str"), ("story_id", "str"),
)
"""The article columns joined into every row that belongs to one article."""

Rows = Callable[[Connection, dict[str, ArticleHead]], Iterator[dict[str, Any]]]


@dataclass(frozen=True)
class Table:
    """One flat table: its name, what one row is, its columns (name, kind) in order, and its rows."""

    name: str
    row: str
    columns: tuple[tuple[str, str], ...]
    rows: Rows
    linked: bool = False
    """Needs the link tables (schema 4): empty in an older read-only database."""


def _joined(record: dict[str, Any], heads: dict[str, ArticleHead]) -> dict[str, Any]:
    head = heads.get(record["article_id"])
    return {**record, "outlet": head.outlet if head else None, "published": head.published if head else None,
            "title": head.title if head else None, "story_id": head.story_id if head else None}


def _span_columns(record: dict[str, Any], *names: str) -> dict[str, Any]:
    """Replace each ``NAME_span`` dict by ``NAME_start`` and ``NAME_end``."""
    out = dict(record)
    for name in names:
        span = out.pop(f"{name}_span", None)
        out[f"{name}_start"], out[f"{name}_end"] = (span["start"], span["end"]) if span else (None, None)
    return out


def _articles(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for article in iter_articles(conn):
        r = article_record(article, versions=version_count(conn, article.id))
        head = heads.get(article.id)
        earliest, latest = article.published_range or (None, None)
        yield {**r, "published_earliest": earliest, "published_latest": latest, "characters": len(article.text),
               "story_id": head.story_id if head else None, "thread_id": head.thread_id if head else None}


def _removed(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for article in iter_articles(conn):
        for r in article.removed:
            yield {"article_id": article.id, "outlet": article.outlet, "text": r.text, "reason": r.reason, "start": r.start, "end": r.end}


def _quotes(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for q in iter_quotes(conn):
        yield _joined(_span_columns(quote_record(q), "speaker", "cue"), heads)


def _attributions(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for a in iter_attributions(conn):
        r = _span_columns(attribution_record(a), "source")
        r.pop("via_spans")
        yield _joined(r, heads)


def _claims(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for g in iter_claim_groups(conn):
        r = claim_group_record(g)
        apps = r["appearances"]
        yield {"id": r["id"], "text": r["text"], "first_seen": r["first_seen"], "independent_origins": r["independent_origins"],
               "independent_origins_low": r["independent_origins_range"][0], "independent_origins_high": r["independent_origins_range"][1],
               "appearances": len(apps), "articles": len({a["article_id"] for a in apps}),
               "outlets": len({a["outlet"] for a in apps if a["outlet"]}), "origins": r["origins"]}


def _claim_appearances(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for g in iter_claim_groups(conn):
        for a in claim_group_record(g)["appearances"]:
            origin = a.pop("resolved_origin") or {}
            yield _joined({"group_id": g.id, "group_text": g.text, "independent_origins": g.independent_origins, **a, "origin_kind": origin.get("kind"),
                           "origin_name": origin.get("name"), "origin_actor_id": origin.get("actor_id"),
                           "origin_outlet": origin.get("outlet"), "origin_count": origin.get("count"),
                           "origin_flagged": origin.get("flagged")}, heads)


def _events(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    if schema_version(conn) >= 3:
        for e in iter_events(conn):
            r = event_record(e)
            r.pop("published")
            yield _joined(r, heads)


def _timeline(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    if schema_version(conn) >= 3:
        for g in load_timeline(conn):
            r = timeline_record(g)
            apps = r.pop("appearances")
            yield {**r, "articles": len(r["article_ids"]), "outlets": len({a["outlet"] for a in apps if a["outlet"]}),
                   "outlet_list": sorted({a["outlet"] for a in apps if a["outlet"]})}


def _actors(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for a in actor_summaries(conn, limit=-1):
        yield {"id": a.id, "name": a.name, "type": a.type, "mentions": a.mentions, "articles": a.articles,
               "variants": list(a.variants), "labels": list(a.labels)}


def _labels(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    names = {a.id: a.name for a in load_actors(conn)}
    for m in iter_mentions(conn):
        if m.mention.kind == "label":
            yield _joined({"actor_id": m.actor_id, "actor": names.get(m.actor_id or ""), "article_id": m.article_id,
                           "label": m.mention.text, "start": m.mention.start, "end": m.mention.end}, heads)


def _framing(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for f in iter_framing(conn):
        r = framing_record(f)
        yield _joined({"article_id": f.article_id, "named_sources": r["named_sources"], "anonymous_sources": r["anonymous_sources"],
                       "anonymous_share": r["anonymous_share"], "labels": len(r["labels"]), "loaded_terms": len(r["loaded_terms"]),
                       "attribution_verbs": len(r["attribution_verbs"]), "hedges": len(r["hedges"])}, heads)


def _framing_terms(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    for f in iter_framing(conn):
        r = framing_record(f)
        for kind, terms in (("loaded_term", r["loaded_terms"]), ("attribution_verb", r["attribution_verbs"])):
            for t in terms:
                yield _joined({"article_id": f.article_id, "kind": kind, **t}, heads)
        for label in r["labels"]:
            yield _joined({"article_id": f.article_id, "kind": "label", "text": label["text"], "category": None,
                           "start": label["start"], "end": label["end"], "sentence": None, "actor": label["actor"]}, heads)
        for h in r["hedges"]:
            yield _joined({"article_id": f.article_id, "kind": "hedge", "text": h["text"], "category": None,
                           "start": h["start"], "end": h["end"], "sentence": None, "actor": None}, heads)


def _stories(conn: Connection, heads: dict[str, ArticleHead]) -> Iterator[dict[str, Any]]:
    threads = {t.id: t.title for t in iter_threads(conn)}
    for s in iter_stories(conn):
        outlets = {heads[a].outlet for a in s.article_ids if a in heads and heads[a].outlet}
        yield {"id": s.id, "title": s.title, "thread_id": s.thread_id, "thread_title": threads.get(s.thread_id),
               "first_published": s.first_published, "last_published": s.last_published,
               "articles": len(s.article_ids), "outlets": len(outlets)}


_ARTICLE = (("article_id", "str"),)
_SPAN = (("start", "int"), ("end", "int"))

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("articles", "article", (
        ("id", "str"), ("source", "str"), ("url", "str"), ("title", "str"), ("outlet", "str"), ("authors", "list"),
        ("published", "date"), ("published_inferred", "bool"), ("published_earliest", "date"), ("published_latest", "date"),
        ("language", "str"), ("duplicate_of", "str"), ("story_id", "str"), ("thread_id", "str"), ("ingested_at", "str"),
        ("versions", "int"), ("characters", "int"), ("text", "str")), _articles),
    Table("removed", "piece of boilerplate cut from an article", (
        *_ARTICLE, ("outlet", "str"), ("text", "str"), ("reason", "str"), *_SPAN), _removed),
    Table("stories", "story", (
        ("id", "str"), ("title", "str"), ("thread_id", "str"), ("thread_title", "str"), ("first_published", "date"),
        ("last_published", "date"), ("articles", "int"), ("outlets", "int")), _stories, linked=True),
    Table("quotes", "quote", (
        ("id", "str"), *_ARTICLE, *JOINED, ("text", "str"), ("direct", "bool"), ("quoted_words", "bool"), ("speaker", "str"),
        ("speaker_name", "str"), ("speaker_actor_id", "str"), ("cue", "str"), *_SPAN, ("speaker_start", "int"),
        ("speaker_end", "int"), ("cue_start", "int"), ("cue_end", "int")), _quotes),
    Table("attributions", "attribution (who a piece of content is attributed to)", (
        ("id", "str"), *_ARTICLE, *JOINED, ("content", "str"), ("source", "str"), ("source_kind", "str"), ("count", "int"),
        ("cue", "str"), ("via", "list"), *_SPAN, ("source_start", "int"), ("source_end", "int")), _attributions),
    Table("claims", "claim group: one claim however many times told", (
        ("id", "str"), ("text", "str"), ("first_seen", "date"), ("independent_origins", "int"),
        ("independent_origins_low", "int"), ("independent_origins_high", "int"), ("appearances", "int"), ("articles", "int"),
        ("outlets", "int"), ("origins", "list")), _claims, linked=True),
    Table("claim_appearances", "telling of a claim, with its group and its resolved origin", (
        ("group_id", "str"), ("group_text", "str"), ("independent_origins", "int"), ("claim_id", "str"), *_ARTICLE, *JOINED,
        ("text", "str"),
        ("sentence", "str"), *_SPAN, ("hedges", "list"), ("conditions", "list"), ("negated", "bool"),
        ("attribution_id", "str"), ("origin", "str"), ("origin_kind", "str"), ("origin_name", "str"),
        ("origin_actor_id", "str"), ("origin_outlet", "str"), ("origin_count", "int"), ("origin_flagged", "bool"),
        ("chain", "list"), ("joined_by", "str")), _claim_appearances, linked=True),
    Table("events", "dated event (a sentence with a resolved time)", (
        ("id", "str"), *_ARTICLE, *JOINED, ("date", "str"), ("granularity", "str"), ("earliest", "date"), ("latest", "date"),
        ("expression", "str"), ("sentence", "str"), *_SPAN, ("actor_ids", "list"), ("said", "str"), ("quote_id", "str")), _events),
    Table("timeline", "merged timeline entry (events from several articles on one date)", (
        ("date", "str"), ("granularity", "str"), ("earliest", "date"), ("latest", "date"), ("summary", "str"),
        ("first_reported", "date"), ("articles", "int"), ("outlets", "int"), ("outlet_list", "list"),
        ("event_ids", "list"), ("article_ids", "list"), ("actor_ids", "list")), _timeline),
    Table("actors", "actor", (
        ("id", "str"), ("name", "str"), ("type", "str"), ("mentions", "int"), ("articles", "int"), ("variants", "list"),
        ("labels", "list")), _actors),
    Table("labels", "label an article uses for an actor (\"Kremlin chief\")", (
        ("actor_id", "str"), ("actor", "str"), *_ARTICLE, *JOINED, ("label", "str"), *_SPAN), _labels),
    Table("framing", "article's framing summary", (
        *_ARTICLE, *JOINED, ("named_sources", "int"), ("anonymous_sources", "int"), ("anonymous_share", "float"),
        ("labels", "int"), ("loaded_terms", "int"), ("attribution_verbs", "int"), ("hedges", "int")), _framing, linked=True),
    Table("framing_terms", "word behind a framing judgment: loaded term, attribution verb, label or hedge", (
        *_ARTICLE, *JOINED, ("kind", "str"), ("text", "str"), ("category", "str"), *_SPAN, ("sentence", "str"),
        ("actor", "str")), _framing_terms, linked=True),
)}
"""Every flat table, in export order."""


def table_rows(conn: Connection, name: str, heads: dict[str, ArticleHead] | None = None) -> Iterator[dict[str, Any]]:
    """Yield the rows of table ``name``, each with exactly the table's columns, in order."""
    table = TABLES[name]
    if table.linked and schema_version(conn) < 4:
        return
    heads = article_heads(conn) if heads is None else heads
    names = [c for c, _ in table.columns]
    for row in table.rows(conn, heads):
        yield {c: row.get(c) for c in names}
