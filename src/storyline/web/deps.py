"""What routes depend on: a read-only connection per request, the app's settings and its ingest jobs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from ..settings import Settings
from ..store.schema import connect
from .jobs import JobQueue
from ..store.db import Connection

__all__ = ["db", "Conn", "JobsDep", "settings_of", "jobs_of"]


def settings_of(request: Request) -> Settings:
    """Return the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def jobs_of(request: Request) -> JobQueue:
    """Return the app's ingest job queue."""
    jobs: JobQueue = request.app.state.jobs
    return jobs


def db(request: Request) -> Iterator[Connection]:
    """Yield a read-only connection to the app's database for one request, closed after it."""
    conn = connect(settings_of(request).db, readonly=True)
    try:
        yield conn
    finally:
        conn.close()


Conn = Annotated[Connection, Depends(db)]
"""A route parameter of this type gets the request's connection."""
JobsDep = Annotated[JobQueue, Depends(jobs_of)]
"""A route parameter of this type gets the app's ingest job queue."""
