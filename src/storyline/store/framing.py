"""Per-article framing records: save and load. All their SQL lives here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from ..models import ArticleFraming, LoadedTerm, Span
from .claims import spans_json
from .db import Connection, Row
from .links import id_chunks, in_clause
from .paging import Page, limit_clause

__all__ = ["save_framing", "iter_framing"]


def _term_json(t: LoadedTerm) -> dict[str, object]:
    return {"text": t.text, "category": t.category, "start": t.start, "end": t.end, "sentence": t.sentence, "actor": t.actor}


def save_framing(conn: Connection, framing: ArticleFraming) -> None:
    """Replace an article's framing record (no commit)."""
    data = {
        "outlet": framing.outlet,
        "labels": [{"actor": actor, "text": s.text, "start": s.start, "end": s.end} for actor, s in framing.labels],
        "loaded_terms": [_term_json(t) for t in framing.loaded_terms],
        "attribution_verbs": [_term_json(t) for t in framing.attribution_verbs],
        "named_sources": framing.named_sources, "anonymous_sources": framing.anonymous_sources,
        "hedges": json.loads(spans_json(framing.hedges)),
        "sentences": [list(x) for x in framing.sentences],
    }
    conn.execute("INSERT INTO framing VALUES (?, ?) ON CONFLICT(article_id) DO UPDATE SET data = excluded.data",
                 (framing.article_id, json.dumps(data, ensure_ascii=False)))


def _term(d: dict[str, object]) -> LoadedTerm:
    return LoadedTerm(str(d["text"]), str(d["category"]), int(str(d["start"])), int(str(d["end"])), str(d["sentence"]),
                      None if d["actor"] is None else str(d["actor"]))


def iter_framing(conn: Connection, article_ids: Sequence[str] | None = None, page: Page | None = None) -> Iterator[ArticleFraming]:
    """Yield the stored framing records (of these articles, or all), by outlet, then publication date.

    Args:
        page: only one page of all records, then in article id order.
    """
    sql = "SELECT f.article_id, f.data FROM framing f JOIN articles a ON a.id = f.article_id"
    # undated first within an outlet, as SQLite sorts NULL in ASC (PostgreSQL sorts it last: said explicitly)
    order = " ORDER BY a.outlet IS NULL, a.outlet, a.published IS NOT NULL, a.published, f.article_id"
    if page is not None:
        limit, bounds = limit_clause(page)
        rows: Iterable[Row] = conn.execute("SELECT article_id, data FROM framing ORDER BY article_id" + limit, bounds)
    elif article_ids is None:
        rows = conn.execute(sql + order)
    else:
        rows = [r for chunk in id_chunks(list(article_ids)) for r in conn.execute(in_clause(sql + " WHERE f.article_id IN ({})" + order, chunk), chunk)]
    for article_id, raw in rows:
        d = json.loads(raw)
        yield ArticleFraming(
            article_id, d["outlet"], tuple((x["actor"], Span(x["text"], x["start"], x["end"])) for x in d["labels"]),
            tuple(_term(t) for t in d["loaded_terms"]), tuple(_term(t) for t in d["attribution_verbs"]),
            d["named_sources"], d["anonymous_sources"], tuple(Span(h["text"], h["start"], h["end"]) for h in d["hedges"]),
            tuple((int(a), int(b)) for a, b in d.get("sentences", ())))
