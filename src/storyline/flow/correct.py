"""Correcting a stored article's metadata: check the values, store them as the user's, annotate and link it again.

1. check: :func:`check_correction` turns what the user typed into a :class:`Correction`, or refuses it with
   one message naming the field (nothing is stored);
2. store: :func:`correct_article` writes it in one transaction (:func:`storyline.store.corrections.correct_metadata`:
   the values, their ``user`` evidence, and the article taken out of its annotations and its story);
3. annotate again: :func:`reannotate` runs steps 4 and 5 of the flow (:mod:`~storyline.flow.annotate`,
   :mod:`~storyline.flow.link`) for those articles only, in this process: time expressions are resolved
   against the new date, and the article is placed in a story and its claims in groups with its new outlet,
   date and title. An article not annotated for its language is placed in a story again by its names.

``storyline set`` runs the three at once; the web app runs step 3 as a background job.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields

from ..clean.dates import parse_iso_date
from ..errors import InputError
from ..settings import Settings
from ..store import annotations as notes
from ..store.articles import load_article
from ..store.corrections import MetadataChange, correct_metadata
from ..store.db import Connection
from ..store.retry import write
from .annotate import ToAnnotate, annotate_batches, batched
from .clean import utc_now
from .link import LinkRun
from .run import Progress

__all__ = ["Correction", "MAX_OUTLET", "MAX_TITLE", "check_correction", "correct_article", "reannotate"]

MAX_OUTLET = 200
"""Longest outlet name a user may set, in characters."""
MAX_TITLE = 500
"""Longest title a user may set, in characters."""


@dataclass(frozen=True, slots=True)
class Correction:
    """Checked values the user set for one article (None: leave the stored value)."""

    outlet: str | None = None
    published: str | None = None
    """``YYYY-MM-DD``."""
    title: str | None = None

    def values(self) -> dict[str, str]:
        """Return field -> value for the fields set."""
        return {f.name: value for f in fields(self) if (value := getattr(self, f.name)) is not None}


def check_correction(*, outlet: str | None = None, published: str | None = None, title: str | None = None) -> Correction:
    """Check what the user typed (None: not given) and return it as a :class:`Correction`.

    Text is stripped of surrounding spaces; a value cannot be emptied (an unknown outlet or date is never set
    by hand). The date is read as ``storyline ingest --published`` reads it (YYYY-MM-DD, or a date-time).

    Raises:
        InputError: one message naming the field: empty, too long, a control character, not a date; or nothing given.
    """
    if outlet is None and published is None and title is None:
        raise InputError("nothing to correct: give an outlet, a publication date (published) or a title")
    day = None
    if published is not None:
        day = parse_iso_date(published)
        if day is None:
            raise InputError(f"published: {published.strip()!r} is not a date; use YYYY-MM-DD")
    return Correction(_text("outlet", outlet, MAX_OUTLET), day, _text("title", title, MAX_TITLE))


def _text(name: str, value: str | None, longest: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise InputError(f"{name}: empty; leave it out to keep the stored {name} (a value cannot be erased)")
    if len(value) > longest:
        raise InputError(f"{name}: {len(value)} characters; at most {longest}")
    bad = next((c for c in value if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"}), None)
    if bad is not None:
        raise InputError(f"{name}: holds the control character U+{ord(bad):04X}; give plain text on one line")
    return value


def correct_article(conn: Connection, article_id: str, correction: Correction) -> list[MetadataChange] | None:
    """Store the correction in one write transaction (waiting for other writers); see :mod:`storyline.store.corrections`.

    Returns:
        One change per field set (``changed`` False when it confirmed the stored value); None when no article
        has this id. When any value changed, the article waits for :func:`reannotate`.
    """
    return write(conn, lambda: correct_metadata(conn, article_id, correction.values()), what=f"correcting {article_id}")


def reannotate(conn: Connection, settings: Settings, article_ids: Sequence[str], *, progress: Progress | None = None) -> int:
    """Annotate and link these articles (again, after a correction), in this process; return how many were annotated.

    Only those of them that are not annotated with ``settings.spacy_model`` are annotated (another run may have
    done it meanwhile); those written in a language not in the ``languages`` setting are placed in a story by
    their names instead. A failure is recorded as in ``storyline annotate`` (``storyline failures``).

    Args:
        progress: called as ``progress(outcome, article_id)``: annotated, failed or skipped.
    """
    from ..annotate.time.expressions import corpus_anchors

    model = settings.spacy_model
    write(conn, lambda: notes.skip_unread_languages(conn, model, settings.read_languages(), utc_now()), what="skipping unread languages")
    wanted = list(dict.fromkeys(article_ids))
    unread = [i for i in notes.skipped_unplaced(conn, model) if i in set(article_ids)]  # not in a story: taken out of it
    todo = [ToAnnotate(a.id, a.text, a.title, a.published, a.published_inferred)
            for a in (load_article(conn, i) for i in wanted if i not in unread and not notes.is_annotated(conn, i, model))
            if a is not None]
    linking = LinkRun(conn, settings)
    done = 0
    batches = batched(todo, model=model, max_chars=settings.max_annotate_chars, batch_chars=settings.batch_chars,
                      anchors=corpus_anchors(a.text for a in todo))
    for batch in annotate_batches(batches, model, 1, settings.device):
        for article_id, outcome in linking.link(batch):
            done += outcome == "annotated"
            if progress:
                progress(outcome, article_id)
    for article_id in unread:
        linking.place_unread(article_id)
    return done
