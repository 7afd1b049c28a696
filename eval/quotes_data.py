"""Load the two "who said what" gold sets, and turn Storyline's output into the same shape.

Both sets become :class:`Article` records holding gold :class:`Item` s, and
:func:`predicted_items` turns a :class:`~storyline.models.TextAnnotations` into
items too, so one metric scores both (see ``quotes_eval.py`` and eval/README.md).

* Gender Gap Tracker (SFU Discourse Lab): 98 Canadian news articles, 1,493 quotes.
  The xlsx offsets were taken on a slightly different text; the quote spans were
  relocated by the data set's packager (``quote_span_in_text``), and here the
  speaker spans are moved by the same shift (:func:`_relocate`).
* PolNeAR (Newell et al. 2018): US election news in brat standoff; every
  attribution relation (Source, Cue, Content) is an item. Where several annotators
  did one article, the alphabetically first ``.ann`` file is the gold.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.models import Span, TextAnnotations

QUOTE_MARKS = "\"'“”‘’«»„‟‹›"
Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Region:
    """A stretch of an article's text: one or more ``[start, end)`` character ranges."""

    ranges: tuple[Range, ...]

    @property
    def start(self) -> int:
        """Return the first offset of the region."""
        return min(s for s, _ in self.ranges)

    @property
    def end(self) -> int:
        """Return the offset just after the region."""
        return max(e for _, e in self.ranges)

    def chars(self) -> set[int]:
        """Return the set of character offsets the region covers."""
        return {i for s, e in self.ranges for i in range(s, e)}


@dataclass(frozen=True, slots=True)
class Item:
    """One quote or attribution relation, gold or predicted.

    ``content`` is None for a gold quote whose text could not be found in the
    article: it can never be matched, so it counts as a missed quote.
    """

    content: Region | None
    source: Region | None
    cue: Region | None
    direct: bool
    speaker_name: str = ""
    """Gold: the resolved name (GGT ``reference``). Predicted: ``speaker_name`` or the speaker words."""
    speaker_text: str = ""
    """The speaker's words as they appear in the text (may be a pronoun, or empty)."""
    cue_text: str = ""
    quote: bool = False
    """Predicted: the item is one of Storyline's quotes (not an attribution)."""


@dataclass(frozen=True, slots=True)
class Article:
    """One gold article: its id, text and gold items."""

    id: str
    text: str
    gold: tuple[Item, ...]


def region(start: int, end: int) -> Region:
    """Return a one-range region."""
    return Region(((start, end),))


def starts_with_quote_mark(text: str) -> bool:
    """Tell whether ``text`` opens with a quotation mark (leading space ignored)."""
    return text.lstrip()[:1] in tuple(QUOTE_MARKS)


# --- Gender Gap Tracker -------------------------------------------------------------------


def load_ggt(path: Path, limit: int | None = None) -> list[Article]:
    """Read ``annotations.jsonl`` (one article a line) into articles, in file order."""
    articles = []
    with path.open(encoding="utf-8") as lines:
        for line in list(lines)[:limit]:
            record = json.loads(line)
            text = record["text"]
            gold = tuple(_ggt_item(text, quote) for quote in record["quotes"])
            articles.append(Article(record["doc_id"], text, gold))
    return articles


def _ggt_item(text: str, quote: dict[str, object]) -> Item:
    """Turn one GGT quote record into an item, relocating its speaker span."""
    located = quote.get("quote_span_in_text")
    given = _index(quote.get("quote_index"))
    shift = located[0] - given[0] if isinstance(located, list) and given else 0
    speaker = str(quote.get("speaker") or "")
    content = region(*located) if isinstance(located, list) else None
    return Item(
        content=content,
        source=_relocate(text, speaker, _index(quote.get("speaker_index")), shift),
        cue=_relocate(text, str(quote.get("verb") or ""), _index(quote.get("verb_index")), shift),
        direct=starts_with_quote_mark(str(quote.get("quote") or "")),
        speaker_name=str(quote.get("reference") or ""),
        speaker_text=speaker,
        cue_text=str(quote.get("verb") or ""),
    )


def _index(value: object) -> Range | None:
    """Parse a GGT ``"(start,end)"`` index string; None when it is empty or malformed."""
    parts = [p.strip() for p in str(value or "").strip("() ").split(",") if p.strip()]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def _relocate(text: str, words: str, given: Range | None, shift: int, window: int = 400) -> Region | None:
    """Find ``words`` in ``text``: 1. at the given offsets, 2. shifted like the quote, 3. nearest occurrence."""
    if not words.strip() or given is None:
        return None
    for start in (given[0], given[0] + shift):
        if text[start : start + len(words)] == words:
            return region(start, start + len(words))
    near = given[0] + shift
    hits = [i for i in _occurrences(text, words) if abs(i - near) <= window]
    if not hits:
        return None
    start = min(hits, key=lambda i: abs(i - near))
    return region(start, start + len(words))


def _occurrences(text: str, words: str) -> Iterator[int]:
    """Yield every start offset of ``words`` in ``text``."""
    start = text.find(words)
    while start >= 0:
        yield start
        start = text.find(words, start + 1)


# --- PolNeAR -------------------------------------------------------------------------------


def load_polnear(root: Path, split: str, limit: int | None = None) -> list[Article]:
    """Read one split's brat files; the alphabetically first annotator's file is each article's gold."""
    chosen: dict[str, Path] = {}
    for ann in sorted((root / "data" / split / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    articles = []
    for name in sorted(chosen)[:limit]:
        text = (root / "data" / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles.append(Article(name, text, tuple(_brat_items(chosen[name], text))))
    return articles


def _brat_items(ann: Path, text: str) -> Iterator[Item]:
    """Yield one item per ``E`` relation that has a Content span (Content2 joins Content)."""
    spans: dict[str, tuple[Range, ...]] = {}
    relations: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 2:  # continuation of a span text that contained a newline
            continue
        if fields[0].startswith("T"):
            ranges = fields[1].split(" ", 1)[1]
            spans[fields[0]] = tuple(_brat_range(r) for r in ranges.split(";"))
        elif fields[0].startswith("E"):
            relations.append(dict(arg.split(":", 1) for arg in fields[1].split() if ":" in arg))
    for rel in relations:
        content = tuple(r for role in ("Content", "Content2") if role in rel for r in spans[rel[role]])
        if not content:
            continue
        cue = Region(spans[rel["Cue"]]) if "Cue" in rel else None
        yield Item(
            content=Region(content),
            source=Region(spans[rel["Source"]]) if "Source" in rel else None,
            cue=cue,
            direct=starts_with_quote_mark(text[min(s for s, _ in content) :][:5]),
            speaker_text=_words(text, spans.get(rel.get("Source", ""))),
            cue_text=_words(text, cue.ranges if cue else None),
        )


def _brat_range(value: str) -> Range:
    start, end = value.split()
    return int(start), int(end)


def _words(text: str, ranges: tuple[Range, ...] | None) -> str:
    return " ".join(text[s:e] for s, e in ranges or ())


# --- Storyline's output --------------------------------------------------------------------


def predicted_items(found: TextAnnotations, text: str, *, with_attributions: bool) -> list[Item]:
    """Turn Storyline's quotes (and, optionally, attributions) into items, one per content span.

    Quotes come first, so when a quote and an attribution share a content span the
    quote (which carries the resolved speaker name) is kept.
    """
    items: dict[Range, Item] = {}
    for q in found.quotes:
        speaker = q.speaker_name or (q.speaker.text if q.speaker else "")
        items.setdefault((q.start, q.end), Item(
            region(q.start, q.end), _region(q.speaker), _region(q.cue), q.direct,
            speaker, q.speaker.text if q.speaker else "", q.cue.text if q.cue else "", quote=True))
    for a in found.attributions if with_attributions else ():
        c = a.content
        direct = starts_with_quote_mark(c.text) or starts_with_quote_mark(text[max(0, c.start - 1) : c.start])
        source = a.source.text if a.source else ""
        items.setdefault((c.start, c.end), Item(
            region(c.start, c.end), _region(a.source), _region(a.cue), direct,
            source, source, a.cue.text if a.cue else ""))
    return list(items.values())


def _region(span: Span | None) -> Region | None:
    return region(span.start, span.end) if span is not None and span.end > span.start else None
