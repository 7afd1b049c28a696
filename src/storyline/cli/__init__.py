"""The ``storyline`` command line. Each command reads options, calls one library function, prints.

Data goes to stdout; progress, summaries and errors go to stderr. The commands live in one module
per kind of work; importing them registers them on :data:`app` in the order ``--help`` lists them.
"""

from __future__ import annotations

from . import articles, annotation, links, exports, see, digest, watch, store  # noqa: F401  (registers the commands)
from .common import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line."""
    app()
