"""Storyline from a notebook: ``storyline.open("story.db")``.

Each method returns the records the export and the command line give (docs/schema.md), as a list of
dicts, or with ``as_frame=True`` as a pandas DataFrame with the same columns (pandas is an optional
extra: ``pip install 'storyline[frames]'``). Quotes and attributions carry their article's outlet,
publication date and title, so a table of who said what, where and when needs no join::

    import storyline
    story = storyline.open("story.db")
    quotes = story.quotes(as_frame=True)
    quotes[quotes.direct].groupby("outlet").size()
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import StorylineError
from .export.records import (
    article_joiner, article_record, attribution_record, claim_group_record, load_timeline, quote_record, timeline_record,
)
from .link.groups import iter_claim_groups
from .store.annotations import actor_summaries, iter_attributions, iter_quotes
from .store.articles import count_articles, iter_articles
from .store.schema import connect

__all__ = ["Reader", "open_reader"]


class Reader:
    """Read-only access to one Storyline database, record by record or as DataFrames."""

    def __init__(self, path: str | Path) -> None:
        """Open ``path`` read-only (it must exist)."""
        self.path = Path(path)
        if not self.path.exists():
            raise StorylineError(f"{self.path}: no such database")
        self.conn: sqlite3.Connection = connect(self.path, readonly=True)

    def __repr__(self) -> str:
        return f"<storyline.Reader {self.path.name}: {count_articles(self.conn)} articles>"

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def articles(self, *, as_frame: bool = False, text: bool = False) -> Any:
        """Every article (``text=True`` keeps the full texts and removed pieces; the default leaves them out)."""
        keep = (lambda r: r) if text else (lambda r: {k: v for k, v in r.items() if k not in ("text", "removed", "evidence")})
        return _out((keep(article_record(a)) for a in iter_articles(self.conn)), as_frame)

    def quotes(self, *, speaker: str | None = None, as_frame: bool = False) -> Any:
        """Every quote with its speaker, cue, direct or not, and its article's outlet, date and title."""
        join = article_joiner(self.conn)
        return _out((join(quote_record(q)) for q in iter_quotes(self.conn, speaker=speaker)), as_frame)

    def attributions(self, *, as_frame: bool = False) -> Any:
        """Every attribution (source, kind, count, chain) with its article's outlet, date and title."""
        join = article_joiner(self.conn)
        return _out((join(attribution_record(a)) for a in iter_attributions(self.conn)), as_frame)

    def claims(self, *, min_articles: int = 1, as_frame: bool = False) -> Any:
        """Every claim group (wording, first seen, independent origins, appearances as a list)."""
        return _out((claim_group_record(g) for g in iter_claim_groups(self.conn, min_articles=min_articles)), as_frame)

    def claim_appearances(self, *, min_articles: int = 1, as_frame: bool = False) -> Any:
        """One row per appearance of a claim: the group's id, wording and origin count beside each telling."""
        rows = ({"group_id": g["id"], "group_text": g["text"], "first_seen": g["first_seen"],
                 "independent_origins": g["independent_origins"], **a}
                for g in (claim_group_record(c) for c in iter_claim_groups(self.conn, min_articles=min_articles))
                for a in g["appearances"])
        return _out(rows, as_frame)

    def timeline(self, *, actor: str | None = None, as_frame: bool = False) -> Any:
        """The merged timeline of dated events, earliest first."""
        return _out((timeline_record(g) for g in load_timeline(self.conn, actor=actor)), as_frame)

    def actors(self, *, as_frame: bool = False) -> Any:
        """Actors, most mentioned first, with their variants and labels."""
        rows = ({"actor": a.name, "type": a.type, "mentions": a.mentions, "articles": a.articles,
                 "variants": list(a.variants), "labels": list(a.labels)} for a in actor_summaries(self.conn, limit=-1))
        return _out(rows, as_frame)


def _out(rows: Iterable[dict[str, Any]], as_frame: bool) -> Any:
    records = list(rows)
    if not as_frame:
        return records
    try:
        import pandas as pd  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as exc:
        raise StorylineError("as_frame=True needs pandas: pip install 'storyline[frames]'") from exc
    return pd.DataFrame.from_records(records)


def open_reader(path: str | Path) -> Reader:
    """Open a Storyline database for reading (``storyline.open``)."""
    return Reader(path)
