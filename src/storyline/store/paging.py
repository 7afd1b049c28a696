"""Paging reads in SQL: a page is (limit, offset), applied after the reader's own ORDER BY."""

from __future__ import annotations

__all__ = ["Page", "limit_clause"]

Page = tuple[int, int]
"""(rows to return, rows to skip)."""


def limit_clause(page: Page | None) -> tuple[str, tuple[int, ...]]:
    """Return the ``LIMIT ? OFFSET ?`` suffix and its parameters for ``page`` (nothing for None: every row)."""
    return ("", ()) if page is None else (" LIMIT ? OFFSET ?", (page[0], page[1]))
