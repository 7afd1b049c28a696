"""Listings that pipe: one ``--format`` for every listing command, and rows written the same way.

``table`` is for people (the default on a terminal: columns fitted to its width); ``jsonl`` is the
default when stdout is piped or redirected; ``json``, ``csv`` and ``tsv`` on request. Only a table on
a terminal is ever shortened; piped output carries every character. A listing with no rows says so
on stderr and exits with status 1, so scripts can tell "nothing found" from an empty success.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.markup import escape
from rich.table import Table

from .common import err, out

__all__ = ["Column", "FormatOption", "LISTING_FORMATS", "LimitOption", "emit", "listing_format", "nothing_found"]

LISTING_FORMATS = ("table", "json", "jsonl", "csv", "tsv")
FormatOption = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="table (default on a terminal), jsonl (default when piped), json, csv or tsv.")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", min=1, help="At most this many rows.")]


@dataclass(frozen=True, slots=True)
class Column:
    """One field of a listing: its key in each row and, for the table, its width."""

    key: str
    width: int | None = None
    """Table width on a terminal (None: as wide as it needs); piped tables are never cut."""
    show: Callable[[Any], str] | None = None
    """How the table shows the value (default: ``str``; None as "")."""


def listing_format(value: str | None) -> str:
    """Return the chosen format, or the default for where stdout goes; exit 2 on an unknown one."""
    if value is None:
        return "table" if out.is_terminal else "jsonl"
    if value not in LISTING_FORMATS:
        err.print(f"[red]error:[/] unknown format {escape(value)!r}; use one of {', '.join(LISTING_FORMATS)}")
        raise typer.Exit(2)
    return value


def emit(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], fmt: str, *, what: str) -> int:
    """Write the rows in ``fmt``: every field in JSON, JSONL, CSV and TSV, the ``columns`` in a table; with
    none, say "no WHAT found" on stderr and exit 1. Returns the count."""
    items = list(rows)
    if not items:
        nothing_found(what)
    if fmt == "json":
        out.file.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        out.file.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    elif fmt in ("csv", "tsv"):
        names = list(dict.fromkeys(k for item in items for k in item))  # every field, as in JSON
        writer = csv.DictWriter(out.file, fieldnames=names, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _flat(item.get(k)) for k in names} for item in items)
    else:
        out.print(_table(items, columns))
    out.file.flush()
    return len(items)


def nothing_found(what: str) -> NoReturn:
    """Say "no WHAT found" on stderr and exit 1: a listing with no rows, in any format."""
    err.print(f"no {what} found")
    raise typer.Exit(1)


def _flat(value: Any) -> Any:
    """A cell for CSV: lists joined by "; ", objects as JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _table(items: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> Table:
    fitted = out.is_terminal
    table = Table(box=None, header_style="bold")
    for c in columns:
        if fitted and c.width:
            table.add_column(c.key, no_wrap=True, overflow="ellipsis", max_width=c.width)
        else:
            table.add_column(c.key, overflow="fold")
    for item in items:
        table.add_row(*(escape(c.show(item.get(c.key)) if c.show else str(_flat(item.get(c.key)))) for c in columns))
    return table
