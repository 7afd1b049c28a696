"""Claims: check-worthy statements, and whether two of them state the same thing.

(Work in progress: the matching rules land here.)
"""

from __future__ import annotations

__all__ = ["same_claim"]


def same_claim(a: str, b: str) -> bool:
    """Return True when sentences ``a`` and ``b`` make the same claim (hedges, negation and conditions kept apart)."""
    return a.strip().lower() == b.strip().lower()
