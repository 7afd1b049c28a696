"""The export command: the whole store for other tools (JSON, flat tables, JSON-LD, GraphML, datasette)."""

from __future__ import annotations

import io
import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer
from rich.markup import escape

from ..errors import StorylineError
from ..export.datasette import datasette_metadata
from ..export.graphml import write_graphml
from ..export.jsonld import jsonld_document
from ..export.records import FORMATS as DOCUMENT_FORMATS, write_export
from ..export.tablefiles import write_csv_table, write_tables
from ..export.tables import TABLES, table_rows
from ..store.db import Connection, is_url
from .common import DbOption, app, connect_or_exit, err, settings_or_exit

__all__ = ["EXPORT_FORMATS"]

EXPORT_FORMATS = (*DOCUMENT_FORMATS, "csv", "parquet", "jsonld", "graphml", "datasette")


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/] {message}")
    return typer.Exit(code)


def _tables(names: list[str] | None) -> list[str] | None:
    for name in names or ():
        if name not in TABLES:
            raise _fail(f"unknown table {escape(name)!r}; choose from {', '.join(TABLES)}")
    return names or None


@app.command()
def export(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(EXPORT_FORMATS)}.")] = "json",
    out_path: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="File to write (stdout when left out); a folder for parquet, and for csv unless it ends in .csv.")] = None,
    table: Annotated[Optional[list[str]], typer.Option(
        "--table", "-t", help=f"Only this flat table (csv, parquet; repeatable): {', '.join(TABLES)}.")] = None,
    min_articles: Annotated[int, typer.Option("--min-articles", min=1, help="jsonld: only claims told by at least this many articles.")] = 1,
) -> None:
    """Export everything stored for other tools.

    json and jsonl: every record (docs/schema.md). csv and parquet: one flat table per section with
    outlet, date and story joined in, for pandas, DuckDB and R (a folder of files; csv to stdout or a
    .csv file writes one table, articles unless --table says). jsonld: claim groups as schema.org
    Claim. graphml: the attribution network for Gephi. datasette: a metadata file for
    `datasette DB --metadata FILE`.

    Example: storyline export --format parquet --out tables/
    """
    if format not in EXPORT_FORMATS:
        raise _fail(f"unknown format {escape(format)!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    names = _tables(table)
    settings = settings_or_exit(db=db)
    if format == "datasette" and is_url(settings.db):  # before connecting or creating --out: one clear error
        raise _fail(_DATASETTE_NEEDS_A_FILE)
    conn = connect_or_exit(settings, readonly=format != "datasette")  # datasette needs the views of the latest schema
    try:
        if format in ("csv", "parquet") and out_path is not None and out_path.suffix != ".csv":
            counts = write_tables(conn, format, out_path, names=names)
            err.print(f"wrote {len(counts)} table(s) to {escape(str(out_path))}: "
                      + ", ".join(f"{name} {n}" for name, n in counts.items()))
            return
        if format == "parquet":
            raise _fail("parquet needs --out FOLDER (one .parquet file per table)")
        with (out_path.open("w", encoding="utf-8", newline="") if out_path else nullcontext(sys.stdout)) as fh:
            said = _write_one(conn, format, fh, names, min_articles, settings.db)
        if out_path:
            err.print(f"exported {said} to {escape(str(out_path))}")
    except BrokenPipeError:
        raise  # a reader that stopped early (| head): click exits quietly
    except (StorylineError, OSError) as exc:
        raise _fail(escape(str(exc))) from exc


_DATASETTE_NEEDS_A_FILE = "datasette serves SQLite files; --format datasette needs --db FILE.db, not a PostgreSQL URL"


def _write_one(conn: Connection, fmt: str, fh: TextIO, names: list[str] | None, min_articles: int, db: str) -> str:
    """Write one file of ``fmt`` to ``fh``; return what was written, in words."""
    if fmt in DOCUMENT_FORMATS:
        return f"{write_export(conn, fmt, fh)} article(s)"
    if fmt == "csv":
        if names and len(names) > 1:
            raise StorylineError("one csv file holds one table: give one --table, or --out FOLDER for several")
        name = names[0] if names else "articles"
        return f"{write_csv_table(TABLES[name], table_rows(conn, name), fh)} {name} row(s)"
    if fmt == "jsonld":
        doc = jsonld_document(conn, min_articles=min_articles)
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        return f"{len(doc['@graph'])} claim(s)"
    if fmt == "datasette":
        json.dump(datasette_metadata(Path(db)), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        return "datasette metadata"
    buffer = io.BytesIO()  # graphml
    nodes, edges = write_graphml(conn, buffer)
    fh.write(buffer.getvalue().decode("utf-8"))
    return f"{nodes} node(s) and {edges} edge(s)"
