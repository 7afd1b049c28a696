"""Metadata the user sets for an input: ``storyline ingest --outlet/--published/--title``, a sidecar file
or a manifest.

A sidecar is a JSON object beside the input, named after it: ``article.txt`` + ``article.meta.json``,
``page.html`` + ``page.meta.json``. Its fields: ``outlet``, ``published`` (a date or date-time),
``title``, ``author`` (a name or a list of names). What the user sets wins over what the source
declares and over inference, and is recorded as evidence with the method ``user``. Flags given on the
command line win over a sidecar. A manifest (``ingest --manifest FILE``, CSV or JSONL) lists inputs,
each with its own metadata (:func:`read_manifest`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..clean.dates import parse_iso_date
from ..errors import InputError
from ..models import Failure, RawDocument

__all__ = ["SIDECAR_SUFFIX", "Entry", "UserMetadata", "is_sidecar", "read_manifest", "sidecar_of"]

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
    side = path.with_name(path.stem + SIDECAR_SUFFIX)
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
    try:
        return UserMetadata(**{name: _text(data.get(name), name) for name in _MANIFEST_FIELDS})
    except InputError as exc:
        raise InputError(f"sidecar {side.name}: {exc}") from exc


def _text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if name == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value if v.strip()) or None  # several authors: split again when cleaned
    if not isinstance(value, str):
        raise InputError(f"{name} must be text")
    return value.strip() or None


@dataclass(frozen=True, slots=True)
class Entry:
    """One input of a manifest: a path or URL, and the metadata the user set for it."""

    source: str
    metadata: UserMetadata


_MANIFEST_FIELDS = ("outlet", "published", "title", "author")
_SOURCE_FIELDS = ("path", "url", "source", "file")


def read_manifest(path: Path, max_bytes: int) -> Iterator[Entry | Failure]:
    """Yield the inputs a manifest lists: CSV with a header, or JSONL (one object a line).

    Columns or keys: ``path`` or ``url`` (also ``source``, ``file``), and any of ``outlet``, ``published``,
    ``title``, ``author`` (in JSONL a list of names too). A relative path is read beside the manifest.
    A row that cannot be used is one :class:`Failure` naming ``MANIFEST:LINE`` and the reason.

    Raises:
        InputError: the manifest itself cannot be read.
    """
    try:
        raw = path.read_bytes()[: max_bytes + 1]
    except OSError as exc:
        raise InputError(f"manifest cannot be read ({type(exc).__name__})") from exc
    if len(raw) > max_bytes:
        raise InputError(f"manifest is larger than {max_bytes} bytes")
    text = raw.decode("utf-8", errors="replace")
    rows = _jsonl_rows(text) if path.suffix.lower() in {".jsonl", ".ndjson"} else _csv_rows(text)
    for line, row in rows:
        where = f"{path}:{line}"
        try:
            if not isinstance(row, dict):
                raise InputError("not an object")
            source = next((str(row[k]).strip() for k in _SOURCE_FIELDS if row.get(k)), "")
            if not source:
                raise InputError(f"no {' or '.join(_SOURCE_FIELDS[:2])}")
            if "://" not in source and not Path(source).is_absolute():
                source = str(path.parent / source)
            yield Entry(source, UserMetadata(**{k: _text(row.get(k), k) for k in _MANIFEST_FIELDS}))
        except InputError as exc:
            yield Failure(where, str(exc))


def _csv_rows(text: str) -> Iterator[tuple[int, object]]:
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        yield reader.line_num, {k.strip().lower(): v for k, v in row.items() if k is not None}


def _jsonl_rows(text: str) -> Iterator[tuple[int, object]]:
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError:
                yield n, None
