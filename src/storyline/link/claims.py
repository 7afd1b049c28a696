"""Claims: check-worthy statements, and whether two of them state the same thing.

(Work in progress: the matching rules land here.)
"""

from __future__ import annotations

__all__ = ["same_claim"]


def same_claim(a: str, b: str) -> bool:
    """Return True when sentences ``a`` and ``b`` make the same claim.

    Hedges ("reportedly") and sourcing do not change the claim (they are recorded per
    appearance); negation and conditions ("only if ...") do.
    """
    return a.strip().lower() == b.strip().lower()
