"""Copy a whole store into a new, empty one: a SQLite file into PostgreSQL when a newsroom outgrows one file.

Tables are copied parents first (foreign keys hold at every row), each in its source's insertion order,
so ``rowid`` order (ingest order, the order incremental readers follow) is the same in the copy. Into
PostgreSQL rows go by ``COPY`` (about a hundred thousand rows a second); into SQLite by ``executemany``.
The copy is one transaction: a failure leaves the target empty. Identity counters (``digests.id``,
``ingest_failures.id``) continue after the copied values. A PostgreSQL target is analysed at the end, so its
planner knows the tables' sizes from the first query on (run ``VACUUM`` too before timing it: index-only scans
need the visibility map that only a vacuum sets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..errors import StoreError
from . import tables
from .db import Connection, is_postgres
from .pg import PgConnection
from .pgschema import ROWID_TABLES
from .schema import SCHEMA_VERSION, schema_version

__all__ = ["copy_store", "COPIED_TABLES"]

COPIED_TABLES = tuple(t.name for t in tables.metadata.sorted_tables)
"""Every table of the schema, parents before the tables that refer to them."""
_BATCH = 5000
_SERIALS = ("digests", "ingest_failures")
"""Tables whose integer key is handed out by the store (SQLite's rowid, PostgreSQL's serial)."""


def copy_store(source: Connection, target: Connection, *, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of ``source`` into the empty store ``target``; return rows copied per table.

    Raises:
        StoreError: ``target`` already holds articles, or either store is not at the current schema version.
    """
    for conn, role in ((source, "source"), (target, "target")):
        if schema_version(conn) != SCHEMA_VERSION:
            raise StoreError(f"the {role} store is at schema version {schema_version(conn)}, not {SCHEMA_VERSION}; open it with"
                             " this Storyline first")
    if target.execute("SELECT COUNT(*) FROM articles").fetchone()[0]:
        raise StoreError("the target store already holds articles; copy into a new, empty store")
    counts: dict[str, int] = {}
    target.commit()
    target.execute("BEGIN IMMEDIATE")  # the write lock on either backend (store/pg.py reads it so)
    try:
        for name in COPIED_TABLES:
            columns = [c.name for c in tables.metadata.tables[name].columns]
            rows = _rows(source, name, columns)
            counts[name] = _write(target, name, columns, rows)
            if progress is not None:
                progress(name, counts[name])
        if is_postgres(target):
            for name in _SERIALS:
                target.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {name}")
        target.commit()
    except BaseException:
        target.rollback()
        raise
    if is_postgres(target):
        target.execute("ANALYZE")  # statistics for the planner now, not when autovacuum comes round
    return counts


def _rows(source: Connection, name: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The table's rows in insertion order (rowid) where it has one, else in key order."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    order = " ORDER BY rowid" if name in ROWID_TABLES else ""
    cursor = source.execute(f"SELECT {quoted} FROM {name}{order}")
    while batch := cursor.fetchmany(_BATCH):
        yield from (tuple(r) for r in batch)


def _write(target: Connection, name: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    quoted = ", ".join(f'"{c}"' for c in columns)
    done = 0
    if isinstance(target, PgConnection):
        with target.raw.cursor().copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in row])
                done += 1
        return done
    marks = ", ".join("?" * len(columns))
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            target.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", batch)
            done, batch = done + len(batch), []
    if batch:
        target.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", batch)
        done += len(batch)
    return done
