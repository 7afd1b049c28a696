"""What every command shares: the Typer app, the consoles, the --db option, settings and the database."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import StorylineError
from ..models import Article
from ..settings import Settings, load_settings
from ..store.db import Connection, is_url
from ..store.schema import connect
from ..store.pg import shown

__all__ = ["app", "out", "err", "DbOption", "SchedulerOption", "article_or_exit", "settings_or_exit", "connect_or_exit", "db_shown"]

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Storyline: turn many news articles about one story into a sourced, dated picture.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[Optional[str], typer.Option("--db", help="The store: a SQLite file or a postgresql://user@host/db URL (default: storyline.db or the db setting).", metavar="<path|url>")]
WorkersOption = Annotated[Optional[int], typer.Option("--workers", min=1, max=64, help="Worker processes that clean, parse, annotate and embed (default: one per core available).")]
SchedulerOption = Annotated[Optional[str], typer.Option("--scheduler", help="Run cleaning and annotation on Dask: 'local' starts a local cluster of --workers processes; tcp://HOST:8786 uses a running scheduler.")]
DeviceOption = Annotated[Optional[str], typer.Option("--device", help="Where sentence embeddings run: cpu (default) or cuda (optional; needs a CUDA build of torch).")]


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        out.print(f"storyline {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                help="Print Storyline's version and exit.")] = False) -> None:
    """Storyline: turn many news articles about one story into a sourced, dated picture."""


def settings_or_exit(**overrides: object) -> Settings:
    """Return the settings with these flags applied, or exit with status 2 naming the bad setting."""
    try:
        return load_settings().with_overrides(**overrides)
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def db_shown(target: str) -> str:
    """The store as a message may name it: a SQLite path as it is, a PostgreSQL URL without its password."""
    return shown(target) if is_url(target) else target


def connect_or_exit(settings: Settings, readonly: bool = True) -> Connection:
    """Open the database, or exit with status 2 saying why it cannot be opened."""
    try:
        return connect(settings.db, readonly=readonly)
    except StorylineError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def article_or_exit(conn: Connection, article_id: str) -> Article:
    """Return the article with this id or unique id prefix; exit 1 saying there is none, or listing the
    candidates of an ambiguous prefix."""
    from ..store.articles import ids_starting_with, load_article

    article = load_article(conn, article_id)
    if article is not None:
        return article
    candidates = ids_starting_with(conn, article_id, limit=11)
    if len(candidates) > 1:
        shown = ", ".join(candidates[:10]) + (", ..." if len(candidates) > 10 else "")
        err.print(f"[red]error:[/] {escape(article_id)!r} is the start of several article ids: {shown}; give more of it")
    else:
        err.print(f"[red]error:[/] no article with id {escape(article_id)!r}; see `storyline list`")
    raise typer.Exit(1)
