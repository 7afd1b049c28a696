"""Corrections of a stored article's metadata by the user: outlet, publication date, title. All their SQL lives here.

:func:`correct_metadata` (no commit: the caller's write transaction) is the one place a stored article's
outlet, date or title changes after ingest. It

1. sets the values (a date the user sets is no longer inferred: its text bounds go);
2. replaces each corrected field's evidence with one row of method ``user``, whose words say what the value
   was ("set by the user (was: Harbour Ledger)");
3. when a value changed, takes the article out of everything built from the old values, so that it is
   annotated and linked again (:mod:`storyline.flow.correct`): its annotations, times, events, claims and
   framing go and it is no longer marked annotated; its story membership and linker record go (a story or
   thread left empty goes too: the triggers of migration 4), and the story it left gets its dates and title
   again; a failure recorded for it is forgotten (:func:`storyline.store.unlink.release_article`); its outlet lines
   (boilerplate counting) move to the new outlet.

The full-text index follows a new title through the trigger on ``articles`` (migration 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..models import Evidence
from .articles import add_evidence
from .db import Connection
from .unlink import release_article

__all__ = ["CORRECTABLE", "MetadataChange", "correct_metadata"]

CORRECTABLE = ("outlet", "published", "title")
"""The fields a user may correct, in the order changes are reported."""
_EVIDENCE_FIELDS = {"outlet": ("outlet",), "published": ("published", "published_range"), "title": ("title",)}


@dataclass(frozen=True, slots=True)
class MetadataChange:
    """One corrected field: its value before and after, and whether that changed anything stored."""

    field: str
    before: str | None
    after: str
    changed: bool
    """False when the user confirmed the stored value (only its evidence changed)."""


def correct_metadata(conn: Connection, article_id: str, values: Mapping[str, str]) -> list[MetadataChange] | None:
    """Set the article's outlet, publication date or title as the user's, with evidence; no commit.

    Args:
        article_id: the article's full id.
        values: field (one of :data:`CORRECTABLE`) -> its checked value (``published`` as ``YYYY-MM-DD``:
            :func:`storyline.flow.correct.check_correction`).

    Returns:
        One change per field given, in the order of :data:`CORRECTABLE`; None when no article has this id.

    Raises:
        ValueError: a field that cannot be corrected.
    """
    unknown = set(values) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"cannot correct {', '.join(sorted(unknown))}; only {', '.join(CORRECTABLE)}")
    row = conn.execute("SELECT outlet, published, published_inferred, published_earliest, published_latest, title"
                       " FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    inferred = bool(row["published_inferred"] or row["published_earliest"] or row["published_latest"])
    changes = [MetadataChange(name, row[name], values[name], row[name] != values[name] or (name == "published" and inferred))
               for name in CORRECTABLE if name in values]
    for change in changes:
        _store(conn, article_id, change, inferred)
    if any(c.changed for c in changes):
        release_article(conn, article_id)
    return changes


def _store(conn: Connection, article_id: str, change: MetadataChange, inferred: bool) -> None:
    """Write one field and replace its evidence (and, for the date, that of its text bounds)."""
    if change.field == "published":
        conn.execute("UPDATE articles SET published = ?, published_inferred = 0, published_earliest = NULL, published_latest = NULL"
                     " WHERE id = ?", (change.after, article_id))
    else:  # a fixed column name (CORRECTABLE), never user input
        conn.execute(f"UPDATE articles SET {change.field} = ? WHERE id = ?", (change.after, article_id))  # noqa: S608
    if change.field == "outlet" and change.changed:
        conn.execute("UPDATE outlet_lines SET outlet = ? WHERE article_id = ? AND NOT EXISTS (SELECT 1 FROM outlet_lines o WHERE o.outlet = ?"
                     " AND o.line_key = outlet_lines.line_key AND o.article_id = outlet_lines.article_id)",  # a line the new outlet has stays
                     (change.after, article_id, change.after))
    fields = _EVIDENCE_FIELDS[change.field]
    conn.execute(f"DELETE FROM evidence WHERE article_id = ? AND field IN ({', '.join('?' * len(fields))})", (article_id, *fields))
    was = None
    if change.changed:
        was = (change.before or "unknown") + (", inferred from the text" if change.field == "published" and inferred and change.before else "")
    add_evidence(conn, article_id, [Evidence.by_user(change.field, change.after, was=was)])
