"""Infer a publication-date range from an undated article's own time expressions.

Steps (each contributing expression is kept as evidence, with its offsets):

1. the latest past date the text mentions: an article is published on or after the
   last day it reports in the past tense (absolute dates only; future-tense and
   "until"/"before" mentions are left out);
2. an anchored duration ("22 months" into a war the text dates) says when the text was
   written: published within that period;
3. dated captions and datelines are found earlier, by the cleaning stage.

A range narrow enough becomes the reference for relative expressions: a single day
resolves everything, a single month resolves month-level expressions ("last month")
but not day-level ones ("on Wednesday"). Nothing is guessed beyond that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...models import Evidence, TimeExpression
from .tense import tense_of

__all__ = ["PublishedRange", "infer_published_range"]

_OPEN_BEFORE = {"until", "before"}


@dataclass(frozen=True, slots=True)
class PublishedRange:
    """Bounds on when an undated article was published, the evidence, and the reference they give."""

    earliest: str | None
    latest: str | None
    evidence: tuple[Evidence, ...]

    @property
    def reference(self) -> str | None:
        """The publication date as far as the range pins it: ``YYYY-MM-DD``, ``YYYY-MM``, or None."""
        if not self.earliest or not self.latest:
            return None
        if self.earliest == self.latest:
            return self.earliest
        if self.earliest[:7] == self.latest[:7]:
            return self.earliest[:7]
        return None


def _evidence(t: TimeExpression, value: str, method: str) -> Evidence:
    return Evidence("published_range", value, method, t.text, t.start, t.end)


def infer_published_range(text: str, times: Sequence[TimeExpression]) -> PublishedRange | None:
    """Return the publication-date range the text supports, or None when it gives no bound."""
    past = [t for t in times if t.kind == "absolute" and t.type == "DATE" and t.latest and t.modifier not in _OPEN_BEFORE
            and t.granularity in {"day", "week", "month", "season", "quarter", "year"} and tense_of(text, t.start, t.end) != "future"]
    anchored = [t for t in times if t.kind == "anchored" and t.certain and t.earliest and t.latest]
    evidence: list[Evidence] = []
    earliest = latest = None
    if past:
        last = max(past, key=lambda t: (t.earliest or "", t.start))
        earliest = last.earliest
        evidence.append(_evidence(last, f"on or after {earliest}", "latest-past-date"))
    for t in anchored:
        if earliest is None or (t.latest or "") >= earliest:
            earliest = max(earliest or "", t.earliest or "")
            latest = min(latest or "9999", t.latest or "9999")
            evidence.append(_evidence(t, f"{t.earliest}..{t.latest}", "anchored-duration"))
    if earliest is None:
        return None
    if latest is not None and latest < earliest:
        latest = None
    return PublishedRange(earliest, latest, tuple(evidence))
