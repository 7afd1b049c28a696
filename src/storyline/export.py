"""Export the store as one JSON document, JSON lines or CSV.

The JSON document has one top-level list per kind of record; this issue adds
``articles``; later stages add their own sections beside it. The schema is in
docs/schema.md and a test keeps the two in step.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from typing import Any, TextIO

from .models import Article
from .store.annotations import iter_attributions, iter_mentions, iter_quotes, load_actors
from .store.articles import iter_articles
from .store.schema import SCHEMA_VERSION

__all__ = ["FORMATS", "article_record", "annotation_sections", "export_document", "write_export"]

FORMATS = ("json", "jsonl", "csv")
CSV_COLUMNS = (
    "id", "source", "url", "title", "outlet", "author", "published", "published_inferred",
    "language", "duplicate_of", "ingested_at", "text", "removed",
)


def article_record(article: Article) -> dict[str, Any]:
    """Return the export form of one article (see docs/schema.md)."""
    earliest, latest = article.published_range or (None, None)
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
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
    }


def _evidence(e: Any) -> dict[str, Any]:
    return {"field": e.field, "value": e.value, "method": e.method, "text": e.text, "start": e.start, "end": e.end}


def _span(s: Any) -> dict[str, Any] | None:
    return {"text": s.text, "start": s.start, "end": s.end} if s is not None else None


def annotation_sections(conn: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    """Return the ``actors``, ``mentions``, ``quotes`` and ``attributions`` sections."""
    return {
        "actors": [{"id": a.id, "name": a.name, "type": a.type, "variants": list(a.variants)} for a in load_actors(conn)],
        "mentions": [
            {"actor_id": m.actor_id, "article_id": m.article_id, "text": m.mention.text, "start": m.mention.start,
             "end": m.mention.end, "kind": m.mention.kind, "name": m.mention.name, "evidence": m.mention.evidence}
            for m in iter_mentions(conn)
        ],
        "quotes": [
            {"id": q.id, "article_id": q.article_id, "text": q.quote.text, "speaker": q.quote.speaker.text if q.quote.speaker else None,
             "speaker_name": q.quote.speaker_name, "speaker_actor_id": q.speaker_actor_id,
             "cue": q.quote.cue.text if q.quote.cue else None, "direct": q.quote.direct, "start": q.quote.start, "end": q.quote.end,
             "speaker_span": _span(q.quote.speaker), "cue_span": _span(q.quote.cue)}
            for q in iter_quotes(conn)
        ],
        "attributions": [
            {"id": a.id, "article_id": a.article_id, "content": a.attribution.content.text,
             "source": a.attribution.source.text if a.attribution.source else None, "source_kind": a.attribution.source_kind,
             "count": a.attribution.count, "via": [v.text for v in a.attribution.via],
             "start": a.attribution.content.start, "end": a.attribution.content.end,
             "source_span": _span(a.attribution.source), "cue": a.attribution.cue.text if a.attribution.cue else None,
             "via_spans": [_span(v) for v in a.attribution.via]}
            for a in iter_attributions(conn)
        ],
    }


def export_document(conn: sqlite3.Connection) -> dict[str, Any]:
    """Return the whole store as one JSON-ready document."""
    return {
        "storyline_schema": SCHEMA_VERSION,
        "articles": [article_record(a) for a in iter_articles(conn)],
        **annotation_sections(conn),
    }


def _jsonl(conn: sqlite3.Connection) -> Iterator[str]:
    for article in iter_articles(conn):
        yield json.dumps({"record": "article", **article_record(article)}, ensure_ascii=False)
    for section, records in annotation_sections(conn).items():
        for record in records:
            yield json.dumps({"record": section.rstrip("s"), **record}, ensure_ascii=False)


def write_export(conn: sqlite3.Connection, fmt: str, out: TextIO) -> int:
    """Write the store to ``out`` in ``fmt`` (json, jsonl or csv); return the number of articles."""
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
    if fmt == "csv":
        return _csv(conn, out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _csv(conn: sqlite3.Connection, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for article in iter_articles(conn):
        row = article_record(article)
        row["removed"] = json.dumps(row["removed"], ensure_ascii=False)
        writer.writerow(row)
        n += 1
    return n


