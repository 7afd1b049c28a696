"""Who said what: actors, labels, quotes and attribution chains.

The public entry point is :func:`annotate_texts`, which parses texts with spaCy
(in batches, model loaded once per process) and runs the finders on each. It is
imported on first use, so modules that need only the pure helpers (claim features,
time expressions) do not load spaCy: the web app starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import annotate_texts

__all__ = ["annotate_texts"]


def __getattr__(name: str) -> Any:
    if name == "annotate_texts":
        from .document import annotate_texts

        return annotate_texts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
