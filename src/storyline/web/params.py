"""The integer query parameters every route shares, each with its bounds, so no request reaches SQL out of range.

A value outside its bounds (or not an integer at all) is answered with 422 before the route runs:
JSON under ``/api``, the error page elsewhere. The upper bounds sit far above any real store
(SQLite holds at most 2**63 - 1 rows, ``itertools.islice`` at most ``sys.maxsize``) and far
below where binding or slicing would overflow.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

__all__ = ["MAX_LIMIT", "MAX_OFFSET", "MAX_PAGE", "Limit", "Offset", "PageNumber"]

MAX_LIMIT = 1000
"""Most records one API page returns."""
MAX_OFFSET = 1_000_000_000
"""Most records an API request may skip."""
MAX_PAGE = 1_000_000
"""Highest page number an HTML page accepts."""

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Records per page (1 to {MAX_LIMIT:,}).")]
"""A route parameter of this type is the API's page size."""
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Records to skip (0 to {MAX_OFFSET:,}).")]
"""A route parameter of this type is how many records the API skips."""
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page number (1 to {MAX_PAGE:,}).")]
"""A route parameter of this type is an HTML page's page number."""
