"""What routes depend on: a read-only connection per request, the app's settings and its ingest jobs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from ..settings import Settings
from ..store.browse import answers
from ..store.db import Connection
from ..store.schema import connect
from .jobs import JobQueue
from ..store.pg import PgConnection

__all__ = ["db", "Conn", "JobsDep", "settings_of", "jobs_of", "ReaderPool"]


class ReaderPool:
    """Idle read-only connections to a PostgreSQL store, reused by later requests.

    Opening a PostgreSQL connection costs a server process and several round trips (about 10 ms, more than most
    pages take to read); a SQLite file opens in microseconds, so a pool is made only for a URL. A connection goes
    back only when it is healthy and holds no transaction (readers run in autocommit, so each request sees what
    writers committed before it); at most ``keep`` wait idle, the rest are closed. Several uvicorn processes each
    have their own pool: at most ``keep`` idle connections each, besides those in use.
    """

    def __init__(self, target: str, *, keep: int = 8) -> None:
        self.target = target
        self.keep = keep
        self._idle: list[PgConnection] = []
        self._lock = threading.Lock()

    def take(self) -> Connection:
        """An idle connection that still answers (one round trip), or a new one: a connection the server ended
        while it waited (a restart, an idle timeout) is closed, not handed to a request."""
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                return connect(self.target, readonly=True)
            if answers(conn):
                return conn
            conn.close()

    def give(self, conn: Connection) -> None:
        """Keep ``conn`` for a later request, or close it (broken, in a transaction, or enough kept already)."""
        if isinstance(conn, PgConnection) and not conn.raw.closed and not conn.raw.broken and not conn.in_transaction:
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append(conn)
                    return
        conn.close()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def settings_of(request: Request) -> Settings:
    """Return the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def jobs_of(request: Request) -> JobQueue:
    """Return the app's ingest job queue."""
    jobs: JobQueue = request.app.state.jobs
    return jobs


def db(request: Request) -> Iterator[Connection]:
    """Yield a read-only connection to the app's database for one request: a SQLite file's is closed after it, a
    PostgreSQL store's goes back to the app's :class:`ReaderPool`."""
    readers: ReaderPool | None = getattr(request.app.state, "readers", None)
    if readers is None:
        conn = connect(settings_of(request).db, readonly=True)
        try:
            yield conn
        finally:
            conn.close()
        return
    conn = readers.take()
    try:
        yield conn
    finally:
        readers.give(conn)  # kept only when healthy and outside a transaction


Conn = Annotated[Connection, Depends(db)]
"""A route parameter of this type gets the request's connection."""
JobsDep = Annotated[JobQueue, Depends(jobs_of)]
"""A route parameter of this type gets the app's ingest job queue."""
