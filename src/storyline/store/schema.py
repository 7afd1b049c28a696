"""Open a Storyline database: WAL mode, foreign keys, migrations applied."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from ..errors import StoreError
from .migrations import MIGRATIONS

__all__ = ["connect", "schema_version", "SCHEMA_VERSION"]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    Raises:
        StoreError: the file is not a SQLite database, is newer than this Storyline, or cannot be written; or
            ``path`` is a URL (a PostgreSQL store is not available yet: docs/store.md).
    """
    _refuse_url(str(path))
    try:
        if readonly:
            if not Path(path).exists():
                raise StoreError(f"{path}: no such database; run `storyline ingest` first")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot open database ({exc})") from exc
    return conn


def _refuse_url(path: str) -> None:
    """A database URL is never taken for a file name (it would make a file called ``postgresql:``)."""
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", path)
    if match is None:
        return
    if match.group(1).lower().startswith("postgres"):
        raise StoreError(f"{match.group(1)}:// stores are not available in this version yet (the PostgreSQL backend is"
                         " being built: docs/store.md); give the path of a SQLite file")
    raise StoreError(f"{match.group(1)}://...: not a database Storyline can open; give the path of a SQLite file")


def schema_version(conn: sqlite3.Connection) -> int:
    """Return the number of migrations applied to ``conn``."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _migrate(conn: sqlite3.Connection, path: str | Path) -> None:
    """Apply the missing steps in one write transaction that holds the lock from the start: two processes
    opening a fresh database at once do not both create its tables (the second finds them made)."""
    if schema_version(conn) == SCHEMA_VERSION:
        return
    from .links import band_key

    conn.create_function("storyline_band_key", 2, band_key, deterministic=True)  # used by version 9
    conn.execute("BEGIN IMMEDIATE")  # waits for another process's migration (busy timeout)
    try:
        current = schema_version(conn)
        if current > SCHEMA_VERSION:
            raise StoreError(f"{path}: schema version {current} is newer than this Storyline ({SCHEMA_VERSION}); upgrade Storyline")
        for number in range(current, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def _statements(script: str) -> list[str]:
    """Split a migration script into its statements (a trigger's body stays whole)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                out.append(current.strip())
            current = ""
    if current.strip() and current.strip("; \n"):
        out.append(current.strip())
    return out
