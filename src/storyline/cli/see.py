"""Commands that show it all: the static report and the web app."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .common import app, out, err, DbOption, settings_or_exit, connect_or_exit, db_shown


@app.command()
def report(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the report into (created if needed).")],
    db: DbOption = None,
) -> None:
    """Write a static HTML report (threads, stories, articles, claims, actors) that opens from disk.

    Example: storyline report --db story.db --out report/
    """
    from ..report.writer import write_report

    conn = connect_or_exit(settings_or_exit(db=db), readonly=False)
    try:
        summary = write_report(conn, out_dir, progress=lambda kind, n: err.print(f"  {n} {kind} pages"))
    finally:
        conn.close()
    err.print(f"Wrote {sum(summary.pages.values())} pages.")
    out.print(str(summary.index))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Let the ingest form fetch private, loopback and link-local addresses.")] = False,
) -> None:
    """Serve the web app: stories, articles, search, filters, an ingest form and a JSON API (docs at /docs).

    Example: storyline serve --db story.db --port 8000
    """
    import uvicorn

    from ..web.app import create_app

    settings = settings_or_exit(db=db, allow_private=allow_private or None)
    _port_free_or_exit(host, port)
    connect_or_exit(settings, readonly=False).close()  # a clear error now for a bad database, and its schema up to date
    err.print(f"Serving {escape(db_shown(settings.db))} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def _port_free_or_exit(host: str, port: int) -> None:
    """Exit 2 with one line when the address is taken or cannot be listened on, before anything else is printed."""
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as exc:
        why = "is in use (another server?); choose another with --port" if exc.errno == errno.EADDRINUSE else f"cannot be listened on: {exc.strerror or exc}"
        err.print(f"[red]error:[/] {escape(host)}:{port} {why}")
        raise typer.Exit(2) from exc
