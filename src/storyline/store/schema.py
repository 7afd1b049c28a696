"""Open a Storyline database, a SQLite file (WAL mode, foreign keys) or a PostgreSQL URL, with migrations applied."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import psycopg

from ..errors import StoreError
from .db import POSTGRES_URL, Connection, is_postgres, is_url
from .migrations import MIGRATIONS
from .pg import PgConnection, shown

__all__ = ["connect", "schema_version", "SCHEMA_VERSION"]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path, *, readonly: bool = False) -> Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    ``path`` is the path of a SQLite file or a PostgreSQL URL (``postgresql://user@host/db``: docs/store.md).

    Raises:
        StoreError: the file is not a SQLite database, is newer than this Storyline, or cannot be written; the
            PostgreSQL server cannot be reached or refuses; or ``path`` is a URL of another kind.
    """
    if is_url(str(path)):
        return _connect_postgres(str(path), readonly=readonly)
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


def _connect_postgres(url: str, *, readonly: bool) -> PgConnection:
    """Open a PostgreSQL store (a database URL is never taken for a file name) and create its tables if needed."""
    from .pgschema import migrate

    if not POSTGRES_URL.match(url):
        scheme = url.split("://", 1)[0]
        raise StoreError(f"{scheme}://...: not a database Storyline can open; give the path of a SQLite file or a"
                         " postgresql://user@host/database URL")
    try:
        conn = PgConnection(url, readonly=readonly)
    except psycopg.Error as exc:
        raise StoreError(f"{shown(url)}: cannot connect to PostgreSQL ({str(exc).strip().splitlines()[0]})") from exc
    try:
        if readonly:
            if schema_version(conn) == 0:
                raise StoreError(f"{conn.name}: no Storyline tables in this database; run `storyline ingest --db {conn.name}` first")
        else:
            migrate(conn, SCHEMA_VERSION)
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn: Connection) -> int:
    """Return the number of migrations applied to ``conn``."""
    if is_postgres(conn):
        from .pgschema import version_of

        assert isinstance(conn, PgConnection)
        if conn.version is None:
            found = version_of(conn)
            if found == 0:
                return 0  # no tables yet: read again after they are made
            conn.version = found
        return conn.version
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
