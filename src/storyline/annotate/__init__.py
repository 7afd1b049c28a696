"""Who said what: actors, labels, quotes and attribution chains.

The public entry point is :func:`annotate_texts`, which parses texts with spaCy
(in batches, model loaded once per process) and runs the finders on each.
"""

from __future__ import annotations

from .pipeline import annotate_texts

__all__ = ["annotate_texts"]
