"""An article's text as a reader checks it: kept paragraphs with annotations marked, cut boilerplate in place.

Annotations carry offsets into the cleaned text; removals carry offsets into the raw text.
:func:`article_blocks` lays both out in reading order: each kept paragraph is found in the
raw text, so a removed line shows up where it stood, struck through, with its reason.
Overlapping marks (a claim inside a quote, a label inside a claim) are split at every
boundary, so each piece of text knows every mark over it and nothing needs nesting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Removal

__all__ = ["Mark", "Segment", "Block", "article_blocks", "paragraphs"]


@dataclass(frozen=True, slots=True)
class Mark:
    """One annotation to show: its kind (quote, speaker, cue, label, claim, time, actor), where, and what it means."""

    kind: str
    start: int
    end: int
    note: str
    """Shown on hover: "quote · speaker Ilona Maresh", "time · 15 January 2025"."""
    href: str | None = None
    """A link shown right after the mark (a claim's group), with ``link_text``."""
    link_text: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text under the same marks; ``links`` are the marks ending here that carry a link."""

    text: str
    kinds: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    links: tuple[Mark, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A kept paragraph (``removed`` is None) or a cut line with the cleaner's reason."""

    segments: tuple[Segment, ...]
    removed: str | None = None
    start: int = 0
    """Offset of a kept paragraph in the cleaned text (the raw offset for a cut line)."""


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph of cleaned text (paragraphs are separated by blank lines)."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]


def _segments(text: str, start: int, end: int, marks: Sequence[Mark]) -> tuple[Segment, ...]:
    inside = [m for m in marks if m.start < end and m.end > start and m.end > m.start]
    cuts = sorted({start, end, *(max(start, m.start) for m in inside), *(min(end, m.end) for m in inside)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        over = [m for m in inside if m.start <= a and m.end >= b]
        ending = tuple(m for m in over if m.end == b and m.href)
        out.append(Segment(text[a:b], tuple(dict.fromkeys(m.kind for m in over)), tuple(dict.fromkeys(m.note for m in over)), ending))
    return tuple(out)


def _raw_positions(raw: str, text: str, spans: Iterable[tuple[int, int]]) -> list[int]:
    """Where each kept paragraph starts in the raw text (in order; the previous position when not found)."""
    positions, cursor = [], 0
    for start, end in spans:
        found = raw.find(text[start:end], cursor)
        if found >= 0:
            cursor = found + (end - start)
        positions.append(found if found >= 0 else cursor)
    return positions


def article_blocks(text: str, raw_text: str, removed: Sequence[Removal], marks: Sequence[Mark]) -> list[Block]:
    """Return the article in reading order: kept paragraphs with their marks, cut lines where they stood.

    Args:
        text: the cleaned text (the marks' offsets point into it).
        raw_text: the text before boilerplate removal (the removals' offsets point into it).
        removed: what the cleaner cut, with reasons.
        marks: annotations over the cleaned text.
    """
    spans = paragraphs(text)
    kept = [(pos, 1, Block(_segments(text, s, e, marks), None, s)) for pos, (s, e) in zip(_raw_positions(raw_text, text, spans), spans)]
    cut = [(r.start, 0, Block((Segment(r.text),), r.reason, r.start)) for r in removed]
    return [block for _, _, block in sorted(kept + cut, key=lambda item: (item[0], item[1]))]
