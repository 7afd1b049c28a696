"""A PostgreSQL connection that the store uses exactly as it uses a ``sqlite3`` connection (docs/store.md).

The store's SQL is written once, in the subset SQLite and PostgreSQL share; what differs is decided here,
in one place, so no store function needs to know which backend it talks to (the few that do, full-text
search and the schema version, ask :func:`storyline.store.db.is_postgres`):

* **Placeholders.** The store writes ``?``; psycopg wants ``%s`` (and a literal ``%`` doubled). Each
  statement is translated once (cached); a ``?`` inside a quoted literal or name is left alone.
* **Transactions as in sqlite3.** The connection runs in autocommit mode, so a reader never holds a
  transaction open (a web worker never blocks a writer). A write (``INSERT``, ``UPDATE``, ``DELETE``, a
  ``SAVEPOINT``) outside a transaction, or ``BEGIN [IMMEDIATE]``, opens one, as Python's sqlite3 does;
  :meth:`PgConnection.commit` and :meth:`PgConnection.rollback` end it.
* **One writer at a time, as in SQLite.** Every write transaction first takes the store's transaction-level
  advisory lock (:data:`WRITE_LOCK`) and holds it until it commits. Several ingest, annotate or watch
  processes can therefore write into one database at once: each checks "is this stored already?" and links
  against a neighbourhood no other writer is changing, and the identity values that order new rows
  (``rowid``, read incrementally by other processes) are committed in the order they were handed out.
  Readers are never blocked (MVCC). A lock not granted within the connection's ``lock_timeout`` raises an
  error :func:`storyline.store.retry.is_busy` recognises, so the write is retried as on a busy SQLite file.
* **Rows** are read by position and by name (case-blind), like ``sqlite3.Row``.
* **NUL characters**, which PostgreSQL text cannot hold, are stored as U+FFFD (a text from the web may carry one;
  SQLite keeps it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from types import TracebackType
from typing import Any, Protocol, cast

import psycopg
from psycopg import pq

__all__ = ["PgConnection", "PgCursor", "PgRow", "WRITE_LOCK", "translate", "conninfo", "shown"]

WRITE_LOCK = 0x53746F7279
"""The advisory lock key every write transaction holds (``pg_advisory_xact_lock``): one writer at a time."""
LOCK_TIMEOUT_MS = 10_000
"""How long a writer waits for the write lock before the attempt fails as busy (SQLite's busy timeout)."""

_OPENS_TRANSACTION = {"INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT"}


class PgRow:
    """One result row, read by position (``row[0]``), by column name (``row["title"]``, case-blind) or unpacked."""

    __slots__ = ("_values", "_names")

    def __init__(self, values: Sequence[Any], names: Mapping[str, int]) -> None:
        self._values = tuple(values)
        self._names = names

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._names[key.lower()]]
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PgRow):
            return self._values == other._values
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return [name for name, _ in sorted(self._names.items(), key=lambda item: item[1])]

    def __repr__(self) -> str:
        return f"PgRow({dict(zip(self.keys(), self._values))!r})"


class PgCursor(Protocol):
    """What the store reads from a PostgreSQL cursor (the part it shares with ``sqlite3.Cursor``)."""

    @property
    def rowcount(self) -> int: ...  # noqa: D102

    def fetchone(self) -> Any: ...  # noqa: D102

    def fetchall(self) -> list[Any]: ...  # noqa: D102

    def fetchmany(self, size: int = ...) -> list[Any]: ...  # noqa: D102

    def __iter__(self) -> Iterator[Any]: ...


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    """psycopg row factory making :class:`PgRow` objects (the names are computed once per result)."""
    names = {column.name.lower(): at for at, column in reversed(list(enumerate(cursor.description or ())))}
    return lambda values: PgRow(values, names)


@lru_cache(maxsize=4096)
def translate(sql: str, with_parameters: bool = True) -> str:
    """Return ``sql`` with its ``?`` placeholders as psycopg's ``%s`` (and ``%`` doubled); quoted text is kept.

    Without parameters psycopg reads the statement as it is, so nothing is changed.
    """
    if not with_parameters:
        return sql
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            out.append("%%" if char == "%" else char)
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        elif char == "%":
            out.append("%%")
        else:
            out.append(char)
    return "".join(out)


def _text_safe(parameters: Any) -> Any:
    """The parameters with NUL characters in text replaced by U+FFFD (PostgreSQL text cannot hold NUL)."""
    if isinstance(parameters, Mapping):
        return parameters
    if any(isinstance(v, str) and "\x00" in v for v in parameters):
        return [v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in parameters]
    return parameters


def conninfo(url: str) -> str:
    """The libpq connection string of a database URL: ``postgresql+psycopg://`` (SQLAlchemy's form) and
    ``postgres://`` become ``postgresql://``."""
    return re.sub(r"^postgres(?:ql)?(?:\+psycopg)?://", "postgresql://", url)


def shown(url: str) -> str:
    """The URL as it may be printed: a password in it replaced by ``***``."""
    return re.sub(r"//([^/@:]*):[^/@]*@", r"//\1:***@", url)


class PgConnection:
    """A psycopg connection behaving as the store's sqlite3 connections do (module docstring)."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self.name = shown(url)
        """The URL without its password, for messages."""
        self.readonly = readonly
        self.version: int | None = None
        """The store's schema version, read once (it changes only by a migration, run when a connection opens)."""
        self.raw: psycopg.Connection[Any] = psycopg.connect(conninfo(url), autocommit=True)
        self.raw.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        self.raw.execute("SET jit = off")  # compiling a plan costs seconds; the store runs short queries, never long analytics
        if readonly:
            self.raw.execute("SET default_transaction_read_only = on")

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open (as ``sqlite3.Connection.in_transaction``)."""
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def begin(self) -> None:
        """Open a transaction (a write transaction holds :data:`WRITE_LOCK` from its start)."""
        if self.in_transaction:
            return
        self.raw.execute("BEGIN")
        if not self.readonly:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def cursor(self) -> PgCursor:
        """A new cursor whose rows are :class:`PgRow`."""
        return cast(PgCursor, self._cursor())

    def _cursor(self) -> psycopg.Cursor[Any]:
        return self.raw.cursor(row_factory=_row_factory)

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = (), /) -> PgCursor:
        """Run one statement (``?`` placeholders) and return its cursor; ``BEGIN``/``COMMIT``/``ROLLBACK`` and
        writes outside a transaction are handled as sqlite3 handles them."""
        head = sql.lstrip()[:12].split(None, 1)[0].upper() if sql.strip() else ""
        if head == "BEGIN":
            self.begin()
            return self.cursor()
        if head in ("COMMIT", "END"):
            self.commit()
            return self.cursor()
        if head == "ROLLBACK" and not re.match(r"\s*ROLLBACK\s+TO\b", sql, re.IGNORECASE):
            self.rollback()
            return self.cursor()
        if head in _OPENS_TRANSACTION:
            self.begin()
        cursor = self._cursor()
        cursor.execute(translate(sql, bool(parameters)), _text_safe(parameters) or None)
        return cast(PgCursor, cursor)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | Mapping[str, Any]], /) -> PgCursor:
        """Run one statement for each row of parameters (in the current or a new write transaction)."""
        self.begin()
        cursor = self._cursor()
        batch = [_text_safe(row) for row in rows]
        if batch:
            cursor.executemany(translate(sql), batch)
        return cast(PgCursor, cursor)

    def commit(self) -> None:
        """Commit the open transaction, if any."""
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the open transaction, if any."""
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        """Roll back what is not committed and close the connection."""
        if not self.raw.closed:
            if self.in_transaction and not self.raw.broken:
                self.rollback()
            self.raw.close()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """As ``with sqlite3_connection:``: commit on success, roll back on an exception; the connection stays open."""
        if kind is None:
            self.commit()
        else:
            self.rollback()
