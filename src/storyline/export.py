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
from .store.articles import iter_articles
from .store.schema import SCHEMA_VERSION

__all__ = ["FORMATS", "article_record", "export_document", "write_export"]

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


def export_document(conn: sqlite3.Connection) -> dict[str, Any]:
    """Return the whole store as one JSON-ready document."""
    return {
        "storyline_schema": SCHEMA_VERSION,
        "articles": [article_record(a) for a in iter_articles(conn)],
    }


def _jsonl(conn: sqlite3.Connection) -> Iterator[str]:
    for article in iter_articles(conn):
        yield json.dumps({"type": "article", **article_record(article)}, ensure_ascii=False)


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
            n += 1
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


