"""Paging reads in SQL: a page is (limit, offset), applied after the reader's own ORDER BY."""

from __future__ import annotations

__all__ = ["Page", "SQLITE_MAX_INT", "limit_clause"]

Page = tuple[int, int]
"""(rows to return, rows to skip)."""
SQLITE_MAX_INT = 2**63 - 1
"""The largest integer SQLite binds; a larger one raises OverflowError."""


def limit_clause(page: Page | None) -> tuple[str, tuple[int, ...]]:
    """Return the ``LIMIT ? OFFSET ?`` suffix and its parameters for ``page`` (nothing for None: every row).

    Values above :data:`SQLITE_MAX_INT` are bound as that value, which selects the same rows (no
    table holds that many).

    Raises:
        ValueError: a negative limit or offset (SQLite would read a negative limit as "no limit").
    """
    if page is None:
        return "", ()
    if page[0] < 0 or page[1] < 0:
        raise ValueError(f"a page is (limit, offset), both at least 0, not {page}")
    return " LIMIT ? OFFSET ?", (min(page[0], SQLITE_MAX_INT), min(page[1], SQLITE_MAX_INT))
