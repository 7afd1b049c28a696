"""Storyline from a notebook: ``storyline.open("story.db")``.

Each method returns the rows of one flat table, the same columns ``storyline export --format
parquet|csv`` writes (export/tables.py, docs/schema.md), as a list of dicts, or with ``as_frame=True``
as a pandas DataFrame (pandas is an optional extra: ``pip install 'storyline[frames]'``). Rows of one
article carry its outlet, publication date, title and story, so who said what, where and when needs no join::

    import storyline
    story = storyline.open("story.db")
    quotes = story.quotes(as_frame=True)
    quotes[quotes.direct].groupby("outlet").size()
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import StorylineError
from .export.tables import TABLES, Table, table_rows
from .store.annotations import load_actors
from .store.articles import count_articles
from .store.db import Connection, is_url
from .store.schema import connect
from .store.pg import shown

__all__ = ["Reader", "open_reader"]


class Reader:
    """Read-only access to one Storyline database, record by record or as DataFrames."""

    def __init__(self, path: str | Path) -> None:
        """Open ``path`` read-only (it must exist)."""
        self.path: str | Path = str(path) if is_url(str(path)) else Path(path)
        if isinstance(self.path, Path) and not self.path.exists():
            raise StorylineError(f"{self.path}: no such database")
        self.conn: Connection = connect(self.path, readonly=True)

    def __repr__(self) -> str:
        name = self.path.name if isinstance(self.path, Path) else shown(self.path)
        return f"<storyline.Reader {name}: {count_articles(self.conn)} articles>"

    def close(self) -> None:
        """Close the database."""
        self.conn.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def table(self, name: str, *, as_frame: bool = False) -> Any:
        """Every row of one flat table (``storyline.export.tables.TABLES``: the files ``export --format parquet`` writes)."""
        if name not in TABLES:
            raise StorylineError(f"unknown table {name!r}; choose from {', '.join(TABLES)}")
        return _out(table_rows(self.conn, name), as_frame, TABLES[name])

    def articles(self, *, as_frame: bool = False, text: bool = False) -> Any:
        """Every article with its story (``text=True`` keeps the full texts; the default leaves them out)."""
        table = TABLES["articles"]
        if not text:
            table = replace(table, columns=tuple(c for c in table.columns if c[0] != "text"))
        rows = ({c: r[c] for c, _ in table.columns} for r in table_rows(self.conn, "articles"))
        return _out(rows, as_frame, table)

    def quotes(self, *, speaker: str | None = None, as_frame: bool = False) -> Any:
        """Every quote with its speaker, cue, direct or not, and its article's outlet, date, title and story.

        ``speaker``: only quotes whose speaker's name or words, or any spelling of their actor, contain it.
        """
        rows = table_rows(self.conn, "quotes")
        if speaker:
            ids, needle = self._actor_ids(speaker), speaker.casefold()
            rows = (r for r in rows if r["speaker_actor_id"] in ids
                    or needle in (r["speaker_name"] or "").casefold() or needle in (r["speaker"] or "").casefold())
        return _out(rows, as_frame, TABLES["quotes"])

    def attributions(self, *, as_frame: bool = False) -> Any:
        """Every attribution (source, kind, count, chain) with its article's outlet, date, title and story."""
        return self.table("attributions", as_frame=as_frame)

    def claims(self, *, min_articles: int = 1, as_frame: bool = False) -> Any:
        """Every claim group: wording, first seen, independent origins (and their range), how widely told."""
        rows = (r for r in table_rows(self.conn, "claims") if r["articles"] >= min_articles)
        return _out(rows, as_frame, TABLES["claims"])

    def claim_appearances(self, *, min_articles: int = 1, as_frame: bool = False) -> Any:
        """One row per telling of a claim: its group, its article's outlet and date, its resolved origin."""
        groups = {r["id"] for r in table_rows(self.conn, "claims") if r["articles"] >= min_articles}
        rows = (r for r in table_rows(self.conn, "claim_appearances") if r["group_id"] in groups)
        return _out(rows, as_frame, TABLES["claim_appearances"])

    def timeline(self, *, actor: str | None = None, as_frame: bool = False) -> Any:
        """The merged timeline of dated events, earliest first (``actor``: only entries naming that actor)."""
        rows = table_rows(self.conn, "timeline")
        if actor:
            ids = self._actor_ids(actor)
            rows = (r for r in rows if ids & set(r["actor_ids"]))
        return _out(rows, as_frame, TABLES["timeline"])

    def events(self, *, as_frame: bool = False) -> Any:
        """Every dated event (a sentence with a resolved time) with its article's outlet, date and story."""
        return self.table("events", as_frame=as_frame)

    def actors(self, *, as_frame: bool = False) -> Any:
        """Actors, most mentioned first, with their variants and labels."""
        return self.table("actors", as_frame=as_frame)

    def labels(self, *, as_frame: bool = False) -> Any:
        """Every label an article uses for an actor ("Kremlin chief"), with the article's outlet and date."""
        return self.table("labels", as_frame=as_frame)

    def framing(self, *, as_frame: bool = False) -> Any:
        """Each article's framing summary (sources named and unnamed, loaded terms, hedges)."""
        return self.table("framing", as_frame=as_frame)

    def stories(self, *, as_frame: bool = False) -> Any:
        """Every story with its thread, dates and how many articles and outlets tell it."""
        return self.table("stories", as_frame=as_frame)

    def _actor_ids(self, name: str) -> set[str]:
        needle = name.casefold()
        return {a.id for a in load_actors(self.conn)
                if needle in a.id.casefold() or needle in a.name.casefold() or any(needle in v.casefold() for v in a.variants)}


def _out(rows: Iterable[dict[str, Any]], as_frame: bool, table: Table) -> Any:
    records = list(rows)
    if not as_frame:
        return records
    try:
        import pandas as pd  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as exc:
        raise StorylineError("as_frame=True needs pandas: pip install 'storyline[frames]'") from exc
    frame = pd.DataFrame.from_records(records, columns=[c for c, _ in table.columns])
    for column, kind in table.columns:
        if kind == "date":  # ISO days as datetime64, as pandas reads the Parquet export's date32 columns to compare and resample
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame


def open_reader(path: str | Path) -> Reader:
    """Open a Storyline database for reading (``storyline.open``)."""
    return Reader(path)
