"""Write the flat tables (tables.py) into a folder: one CSV or Parquet file per table.

Each table is written to ``NAME.part`` and renamed when complete, so an interrupted export never
leaves a half table under its final name. Parquet files are written in row groups of
:data:`BATCH_ROWS` rows with an explicit schema (strings, int64, float64, bool, date32, list of
strings), so an empty table still has its columns and memory stays bounded on a large store.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import StorylineError
from ..store.db import Connection
from ..store.heads import article_heads
from .tables import TABLES, Table, table_rows

__all__ = ["TABLE_FORMATS", "BATCH_ROWS", "write_tables", "write_csv_table"]

TABLE_FORMATS = ("csv", "parquet")
BATCH_ROWS = 10_000


def write_tables(conn: Connection, fmt: str, out_dir: Path, *, names: Iterable[str] | None = None) -> dict[str, int]:
    """Write every table (or those ``names``) as ``out_dir/NAME.csv`` or ``.parquet``; return rows per table."""
    if fmt not in TABLE_FORMATS:
        raise StorylineError(f"unknown table format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
    chosen = list(TABLES) if names is None else list(names)
    unknown = [n for n in chosen if n not in TABLES]
    if unknown:
        raise StorylineError(f"unknown table {unknown[0]!r}; choose from {', '.join(TABLES)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    heads = article_heads(conn)
    counts: dict[str, int] = {}
    for name in chosen:
        final = out_dir / f"{name}.{fmt}"
        part = final.with_name(final.name + ".part")
        rows = table_rows(conn, name, heads)
        try:
            if fmt == "csv":
                with part.open("w", encoding="utf-8", newline="") as fh:
                    counts[name] = write_csv_table(TABLES[name], rows, fh)
            else:
                counts[name] = _write_parquet(TABLES[name], rows, part)
            os.replace(part, final)
        finally:
            part.unlink(missing_ok=True)
    return counts


def _csv_cell(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind == "list":
        return json.dumps(list(value), ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    return value


def write_csv_table(table: Table, rows: Iterable[dict[str, Any]], out: Any) -> int:
    """Write ``rows`` of ``table`` as CSV with a header to the text stream ``out``; return the number of rows.

    Lists are JSON arrays, booleans ``true``/``false``, unknown values empty cells.
    """
    writer = csv.writer(out)
    writer.writerow([c for c, _ in table.columns])
    n = 0
    for row in rows:
        writer.writerow([_csv_cell(row[c], kind) for c, kind in table.columns])
        n += 1
    return n


def _day(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise StorylineError(f"not an ISO day: {value!r}") from exc


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(rows, BATCH_ROWS)):
        yield batch


def _write_parquet(table: Table, rows: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
             "list": pa.list_(pa.string())}
    schema = pa.schema([(c, types[kind]) for c, kind in table.columns])
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in _batches(rows):
            columns = {c: [_day(r[c]) for r in batch] if kind == "date" else [r[c] for r in batch] for c, kind in table.columns}
            writer.write_table(pa.table(columns, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n
