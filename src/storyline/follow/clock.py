"""Times as following a story reads and writes them: UTC, to the second, in the form stored times take."""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["utc_now", "stamp"]


def utc_now() -> datetime:
    """Return the current UTC time to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def stamp(when: datetime) -> str:
    """Return a time in the form stored times take (UTC, seconds: ``2025-03-20T08:00:00+00:00``)."""
    return when.astimezone(timezone.utc).replace(microsecond=0).isoformat(timespec="seconds")
