"""Write transactions that wait for other writers instead of dying.

On PostgreSQL (store/pg.py) the same holds: a write transaction takes the store's advisory write lock at
its start, waits up to the connection's ``lock_timeout``, and a lock not granted, a serialization
failure or a deadlock is retried like a busy SQLite file.

SQLite allows one writer at a time. Every writer here takes the write lock at the
start of its transaction (``BEGIN IMMEDIATE``), so a transaction never has to
upgrade a stale read snapshot (which fails at once, whatever the busy timeout),
keeps it for milliseconds (the slow work is done before), and, when the lock is
still busy after the connection's busy timeout, rolls back and tries again with a
growing pause, up to :data:`ATTEMPTS` times.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from psycopg import errors as pg_errors

from ..errors import StoreError
from .db import Connection

__all__ = ["write", "is_busy", "ATTEMPTS"]

T = TypeVar("T")

ATTEMPTS = 8
"""Tries of one write transaction before it gives up (with the 10 s busy timeout of each, minutes in all)."""
_PAUSE = 0.05
"""First pause between tries, in seconds; doubled each time, with jitter."""


_PG_BUSY = (pg_errors.LockNotAvailable, pg_errors.SerializationFailure, pg_errors.DeadlockDetected)
"""PostgreSQL's "try again" errors: the write lock not granted in time (55P03), 40001, 40P01."""


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "database is busy" errors (another writer holds the lock) and
    PostgreSQL's lock timeouts, serialization failures and deadlocks."""
    if isinstance(exc, _PG_BUSY):
        return True
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in ("locked", "busy"))


def write(conn: Connection, work: Callable[[], T], *, what: str = "write") -> T:
    """Run ``work`` in one write transaction and commit; on a busy database roll back and run it again.

    Raises:
        StoreError: the database stayed locked through every try.
        Exception: whatever ``work`` raised (the transaction is rolled back).
    """
    if conn.in_transaction:
        conn.commit()
    for attempt in range(ATTEMPTS):
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = work()
            conn.commit()
            return result
        except BaseException as exc:
            if conn.in_transaction:
                conn.rollback()
            if not is_busy(exc):
                raise
            if attempt == ATTEMPTS - 1:
                raise StoreError(f"{what}: the database stayed locked by another writer ({exc}); try again later") from exc
            time.sleep(_PAUSE * 2**attempt * (1 + random.random()))
    raise AssertionError("unreachable")
