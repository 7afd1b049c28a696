"""Metadata the user sets for an input: ``storyline ingest --outlet/--published/--title`` or a sidecar file.

A sidecar is a JSON object beside the input, named after it: ``article.txt`` + ``article.meta.json``,
``page.html`` + ``page.meta.json``. Its fields: ``outlet``, ``published`` (a date or date-time),
``title``, ``author`` (a name or a list of names). What the user sets wins over what the source
declares and over inference, and is recorded as evidence with the method ``user``. Flags given on the
command line win over a sidecar.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..clean.dates import parse_iso_date
from ..errors import InputError
from ..models import RawDocument

__all__ = ["SIDECAR_SUFFIX", "UserMetadata", "is_sidecar", "sidecar_of"]

SIDECAR_SUFFIX = ".meta.json"
_MAX_SIDECAR_BYTES = 64_000


@dataclass(frozen=True, slots=True)
class UserMetadata:
    """Values the user set for an input's documents (None: not set)."""

    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    author: str | None = None

    def __post_init__(self) -> None:
        if self.published is not None and parse_iso_date(self.published) is None:
            raise InputError(f"published {self.published!r} is not a date (use YYYY-MM-DD)")

    def set_fields(self) -> tuple[str, ...]:
        """Return the names of the fields that are set."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is not None)

    def apply(self, doc: RawDocument) -> RawDocument:
        """Return ``doc`` with these values in place of its own, marked as set by the user."""
        chosen = self.set_fields()
        if not chosen:
            return doc
        values = {name: getattr(self, name) for name in chosen}
        return replace(doc, **values, set_by_user=tuple(dict.fromkeys(doc.set_by_user + chosen)))


def is_sidecar(path: Path) -> bool:
    """Tell whether ``path`` is a sidecar (never an article of its own)."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def sidecar_of(path: Path) -> UserMetadata | None:
    """Return the metadata of the sidecar beside ``path``, or None when there is none.

    Raises:
        InputError: the sidecar is not a JSON object of text fields, or its date is not a date.
    """
    side = path.with_name(path.name[: -len(path.suffix)] + SIDECAR_SUFFIX if path.suffix else path.name + SIDECAR_SUFFIX)
    if not side.is_file():
        return None
    try:
        raw = side.read_bytes()[: _MAX_SIDECAR_BYTES + 1]
        if len(raw) > _MAX_SIDECAR_BYTES:
            raise InputError(f"sidecar {side.name} is larger than {_MAX_SIDECAR_BYTES} bytes")
        data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"sidecar {side.name} is not readable JSON ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise InputError(f"sidecar {side.name} must hold a JSON object")
    return UserMetadata(**{name: _text(data.get(name), name, side) for name in ("outlet", "published", "title", "author")})


def _text(value: object, name: str, side: Path) -> str | None:
    if value is None:
        return None
    if name == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(v.strip() for v in value if v.strip()) or None
    if not isinstance(value, str):
        raise InputError(f"sidecar {side.name}: {name} must be text")
    return value.strip() or None
