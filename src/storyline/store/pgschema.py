"""A PostgreSQL store's schema: created at the current version from store/tables.py, then migrated (docs/store.md).

A PostgreSQL store is born at :data:`storyline.store.schema.SCHEMA_VERSION` (SQLite's numbered steps 1-13
made the schema that ``tables.py`` declares); it gets besides what SQLite has built in or in its migration
scripts:

* ``rowid``: a ``bigint`` identity column (with a unique index) on every table SQLite gives a rowid, so
  ``ORDER BY a.rowid`` (ingest order) and the incremental reads of new vectors read the same on both;
* the views of version 11 (their SQL is portable as written) and the triggers of version 4, in plpgsql;
* the version in a one-row table ``storyline_schema``.

Two processes opening a new database at once do not both create it: creation runs in one transaction
under an advisory lock, and the second finds the tables made.
"""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from ..errors import StoreError
from . import tables
from .migrations import MIGRATIONS
from .pg import PgConnection, conninfo

__all__ = ["migrate", "version_of", "ROWID_TABLES"]

_MIGRATE_LOCK = 0x53746F7280
"""The advisory lock held while a store is created or migrated."""
_WITHOUT_ROWID = {"outlet_lines", "event_actors", "vector_buckets", "ingest_failures", "digests"}
"""Tables SQLite keeps without a rowid (``WITHOUT ROWID``) or whose integer key is their rowid."""
ROWID_TABLES = tuple(name for name in tables.metadata.tables if name not in _WITHOUT_ROWID)
"""The tables that get a ``rowid`` identity column on PostgreSQL."""

_VIEWS = MIGRATIONS[10]
"""Version 11: the views (plain joins, the same SQL on both backends)."""

_TRIGGERS = """
CREATE FUNCTION storyline_link_docs_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM vector_buckets WHERE kind = 'doc' AND item_id = OLD.article_id;
    UPDATE link_df SET df = df - 1 WHERE key IN (SELECT jsonb_object_keys(OLD.terms::jsonb))
        OR key IN (SELECT 'a:' || v FROM jsonb_array_elements_text(OLD.actors::jsonb) v);
    RETURN OLD;
END $$

CREATE TRIGGER link_docs_ad AFTER DELETE ON link_docs FOR EACH ROW EXECUTE FUNCTION storyline_link_docs_ad()

CREATE FUNCTION storyline_claim_vectors_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM vector_buckets WHERE kind = 'claim' AND item_id = OLD.claim_id;
    RETURN OLD;
END $$

CREATE TRIGGER claim_vectors_ad AFTER DELETE ON claim_vectors FOR EACH ROW EXECUTE FUNCTION storyline_claim_vectors_ad()

CREATE FUNCTION storyline_story_members_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM stories WHERE id = OLD.story_id AND NOT EXISTS (SELECT 1 FROM story_members WHERE story_id = OLD.story_id);
    DELETE FROM threads WHERE id = OLD.thread_id AND NOT EXISTS (SELECT 1 FROM stories WHERE thread_id = OLD.thread_id);
    RETURN OLD;
END $$

CREATE TRIGGER story_members_ad AFTER DELETE ON story_members FOR EACH ROW EXECUTE FUNCTION storyline_story_members_ad()
"""


def version_of(conn: PgConnection) -> int:
    """The schema version of a PostgreSQL store (0 for an empty database)."""
    exists = conn.execute("SELECT to_regclass('storyline_schema')").fetchone()
    if exists is None or exists[0] is None:
        return 0
    row = conn.execute("SELECT version FROM storyline_schema").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: PgConnection, version: int) -> None:
    """Bring the store behind ``conn`` to ``version``: create it when empty.

    Raises:
        StoreError: the store is newer than this Storyline, the database's character type is not UTF-8 or its
            collation not code-point order (C.UTF-8), or
            the tables cannot be created (no rights, unaccent not installed).
    """
    current = version_of(conn)
    if current == version:
        return
    if current > version:
        raise StoreError(f"{conn.name}: schema version {current} is newer than this Storyline ({version}); upgrade Storyline")
    _check_encoding(conn)
    engine = sa.create_engine("postgresql+psycopg://", poolclass=NullPool,
                              creator=lambda: psycopg.connect(conninfo(conn.url)))
    try:
        with engine.begin() as sa_conn:
            sa_conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATE_LOCK})
            sa_conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS storyline_schema (version integer NOT NULL)")
            row = sa_conn.exec_driver_sql("SELECT version FROM storyline_schema").first()
            if row is None:  # first: nobody created it meanwhile
                _create(sa_conn)
                sa_conn.exec_driver_sql(f"INSERT INTO storyline_schema VALUES ({int(version)})")
            elif int(row[0]) != version:
                raise StoreError(f"{conn.name}: schema version {row[0]}; this Storyline knows no migration from it to {version}")
    except sa.exc.DBAPIError as exc:
        raise StoreError(f"{conn.name}: cannot create the Storyline tables ({str(exc.orig).strip()})") from exc
    finally:
        engine.dispose()


def _create(sa_conn: sa.Connection) -> None:
    """The tables, the rowid columns, the views and the triggers, in the caller's transaction."""
    tables.metadata.create_all(sa_conn)
    for name in ROWID_TABLES:
        sa_conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN rowid bigint GENERATED ALWAYS AS IDENTITY")
        sa_conn.exec_driver_sql(f"CREATE UNIQUE INDEX {name}_rowid ON {name} (rowid)")
    for statement in _VIEWS.split(";"):
        if statement.strip():
            sa_conn.exec_driver_sql(statement)
    for statement in _TRIGGERS.strip().split("\n\n"):
        sa_conn.exec_driver_sql(statement)


def _check_encoding(conn: PgConnection) -> None:
    """Refuse a database whose character type cannot tell letters outside ASCII (full-text search splits on them)."""
    row: Any = conn.execute("SELECT datctype, datcollate, pg_encoding_to_char(encoding) FROM pg_database"
                            " WHERE datname = current_database()").fetchone()
    ctype, collate, encoding = (row[0] or "", row[1] or "", row[2] or "") if row else ("", "", "")
    # the character type must know letters beyond ASCII; the collation must order by code point, as SQLite does
    # (prefix lookups of ids, `id < prefix || U+FFFF`, and every ORDER BY on text depend on it)
    if encoding.upper() != "UTF8" or "utf8" not in ctype.lower().replace("-", "") or collate.split(".")[0] not in ("C", "POSIX"):
        raise StoreError(f"{conn.name}: the database has encoding {encoding}, LC_CTYPE {ctype!r} and LC_COLLATE {collate!r};"
                         " Storyline needs UTF8, a UTF-8 character type and code-point order: CREATE DATABASE name ENCODING 'UTF8'"
                         " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")
