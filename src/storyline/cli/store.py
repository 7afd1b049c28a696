"""The copy command: a whole store into a new one (a SQLite file into PostgreSQL when a newsroom outgrows it)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from ..errors import StorylineError
from ..store.copy import copy_store
from ..store.schema import connect
from .common import DbOption, app, connect_or_exit, db_shown, err, settings_or_exit

__all__: list[str] = []


@app.command()
def copy(
    target: Annotated[str, typer.Argument(help="The new store: a postgresql://user@host/database URL or the path of a new SQLite file.")],
    db: DbOption = None,
) -> None:
    """Copy everything the store holds (articles, annotations, stories, claims, versions, watch state) into a new, empty one.

    Rows keep their ingest order; the copy is one transaction (a failure leaves the target empty). The
    source is only read: keep writers off it while it is copied, or copy again.

    Example: storyline copy postgresql://newsroom@db.internal/storyline --db story.db
    """
    settings = settings_or_exit(db=db)
    source = connect_or_exit(settings, readonly=True)
    try:
        destination = connect(target)
    except StorylineError as exc:
        source.close()
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    try:
        counts = copy_store(source, destination, progress=lambda table, n: err.print(f"  {table}: {n} rows"))
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    finally:
        destination.close()
        source.close()
    err.print(f"copied {counts.get('articles', 0)} articles ({sum(counts.values())} rows in {len(counts)} tables)"
              f" -> {escape(db_shown(target))}")
