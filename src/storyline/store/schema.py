"""Open a Storyline database: WAL mode, foreign keys, migrations applied."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import StoreError
from .migrations import MIGRATIONS

__all__ = ["connect", "schema_version", "SCHEMA_VERSION"]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    Raises:
        StoreError: the file is not a SQLite database, is newer than this Storyline, or cannot be written.
    """
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


def schema_version(conn: sqlite3.Connection) -> int:
    """Return the number of migrations applied to ``conn``."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _migrate(conn: sqlite3.Connection, path: str | Path) -> None:
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {current} is newer than this Storyline ({SCHEMA_VERSION}); upgrade Storyline")
    for number in range(current, SCHEMA_VERSION):
        # executescript commits first; wrap the step and the version bump in one transaction.
        conn.executescript(f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;")
