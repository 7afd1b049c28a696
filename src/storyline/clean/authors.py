"""A byline into the names it holds: ``"Ana Brel; Ivo Bratt"`` -> ``("Ana Brel", "Ivo Bratt")``.

Conservative on purpose, since a wrong split invents two people:

1. ``;`` always separates names (trafilatura joins several ``<meta name="author">`` or a JSON-LD author list
   with it, and so does ingest when a JSON record, a feed entry, a sidecar or a manifest gives a list);
2. `` and `` separates two names only when both sides read as a person's name: two to five words, each
   capitalised, lower-case particles (``von``, ``de``, ``van der``) between them allowed ("Ana Brel and
   Ivo Bratt", but not "Research and Development Team" nor "Tom and Jerry");
3. a comma never separates: "Brel, Ana" is one name written surname first.

Repeated names (ignoring case) are kept once, in their first place.
"""

from __future__ import annotations

import re

__all__ = ["split_authors", "NAME_SEPARATOR"]

NAME_SEPARATOR = "; "
"""How several names are written in one byline string (the inverse of :func:`split_authors`)."""

_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le", "ten", "ter", "van", "von", "y"})
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_AND = re.compile(r"\s+and\s+")


def split_authors(byline: str | None) -> tuple[str, ...]:
    """Return the names a byline holds, in order (empty for None or blank; see the module docstring)."""
    if not byline:
        return ()
    names: list[str] = []
    for part in byline.split(";"):
        part = " ".join(part.split())
        sides = _AND.split(part)
        names += sides if len(sides) == 2 and all(_reads_as_name(s) for s in sides) else [part]
    seen: set[str] = set()
    out = []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return tuple(out)


def _reads_as_name(text: str) -> bool:
    """Two to five words, capitalised but for particles between the first and the last."""
    words = text.split()
    if not 2 <= len(words) <= 5 or not all(_WORD.fullmatch(w) for w in words):
        return False
    first, *middle, last = words
    return first[0].isupper() and last[0].isupper() and all(w[0].isupper() or w.lower() in _PARTICLES for w in middle)
