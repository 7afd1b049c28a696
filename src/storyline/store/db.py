"""The store's connection type: a ``sqlite3`` connection or a PostgreSQL one that behaves the same (store/pg.py).

Every function of the store takes a :data:`Connection` and runs the same SQL on both; the few that must
know which backend they talk to (full-text search, the schema version) ask :func:`is_postgres`.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path
from typing import TypeAlias

from .pg import PgConnection, PgRow, shown

__all__ = ["Connection", "Row", "is_postgres", "is_url", "side_folder", "POSTGRES_URL"]

Connection: TypeAlias = sqlite3.Connection | PgConnection
"""An open store: a SQLite file or a PostgreSQL database (:func:`storyline.store.schema.connect`)."""
Row: TypeAlias = sqlite3.Row | PgRow
"""One row read from the store, by position or by column name."""

POSTGRES_URL = re.compile(r"postgres(?:ql)?(?:\+psycopg)?://", re.IGNORECASE)
"""The URLs of a PostgreSQL store: ``postgresql://user@host/db`` (also ``postgres://``, ``postgresql+psycopg://``)."""


def is_postgres(conn: Connection) -> bool:
    """True when ``conn`` is a PostgreSQL store."""
    return isinstance(conn, PgConnection)


def is_url(target: str) -> bool:
    """True when ``target`` is a URL (``scheme://...``) rather than the path of a SQLite file."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", target) is not None


def side_folder(target: str, purpose: str) -> Path:
    """A folder for files that belong with a store (the web app's uploads): ``FILE.db.PURPOSE`` beside a SQLite
    file; for a PostgreSQL URL, ``~/.cache/storyline/DATABASE-HASH.PURPOSE`` (the same URL, the same folder)."""
    if not is_url(target):
        return Path(target).with_name(Path(target).name + "." + purpose)
    name = re.sub(r"[^A-Za-z0-9_-]", "_", target.rsplit("/", 1)[-1].split("?", 1)[0])[:40] or "store"
    digest = hashlib.sha256(shown(target).encode()).hexdigest()[:12]  # another password, the same folder
    return Path.home() / ".cache" / "storyline" / f"{name}-{digest}.{purpose}"
