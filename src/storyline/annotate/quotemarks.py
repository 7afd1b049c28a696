"""Find quoted passages by their quote marks, robust to unbalanced and nested marks.

Steps, per paragraph (one line of text):

1. double marks: curly “ ” and „, guillemets « », straight " (toggling; typewriter '' and `` count
   as one straight mark). A new
   opening mark while a quote is open restarts the quote there (the earlier mark
   was stray); straight marks close what is open;
2. a quote still open at the end of a paragraph continues when the next
   paragraph opens with a mark (a multi-paragraph quote), else it ends with the
   paragraph and is flagged unbalanced;
3. single marks ‘ ’ and straight ' outside double-quoted passages, telling
   apostrophes ("Russia’s", "don't", "soldiers’ morale") from quote marks by
   what stands on either side.

Never raises: any text gives a (possibly empty) list.

Layout: some stretches of a news page hold no reporting of the story's own, whatever
quote marks or cues they have: photo captions (a paragraph closed by a credit,
"(Jane Roe/Reuters)"), which repeat the story, and headlines of other stories after a
link label ("READ MORE: ..."). :func:`not_reporting` finds them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from .nlp import sentence_of, text_of

__all__ = [
    "QuotedSpan", "find_quoted_spans", "is_subhead", "not_reporting", "paragraph_bounds", "whole_paragraph", "word_list",
]

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_STRAIGHT = '"'


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """A quoted passage: ``start``/``end`` include the marks, ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    balanced: bool = True


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def _double_in_paragraph(text: str, start: int, end: int, open_at: int | None) -> tuple[list[tuple[int, int]], int | None]:
    """Return closed (open_pos, close_pos) pairs in one paragraph and a still-open position."""
    pairs: list[tuple[int, int]] = []
    skip_to = start
    for i in range(start, end):
        if i < skip_to:
            continue
        ch = text[i]
        if ch in _DOUBLE_OPEN and open_at is not None and text[open_at] == _STRAIGHT:
            inner_close = _nested_close(text, i, end)
            if inner_close is not None:  # "... about “Equal Justice Under Law” anymore.": nested, not a restart
                skip_to = inner_close + 1
                continue
        if ch in _DOUBLE_OPEN:
            open_at = i
        elif ch in _DOUBLE_CLOSE:
            if open_at is not None:
                pairs.append((open_at, i))
                open_at = None
        elif ch == _STRAIGHT:
            open_at = _straight(text, i, start, end, open_at, pairs)
    return pairs, open_at


def _nested_close(text: str, i: int, end: int) -> int | None:
    """The curly mark closing the one at ``i``, when it comes before the next straight mark of the paragraph."""
    close = next((j for j in range(i + 1, end) if text[j] in _DOUBLE_CLOSE + _STRAIGHT), None)
    return close if close is not None and text[close] in _DOUBLE_CLOSE and text.find(_STRAIGHT, close, end) >= 0 else None


def _straight(text: str, i: int, start: int, end: int, open_at: int | None, pairs: list[tuple[int, int]]) -> int | None:
    """A straight mark opens or closes by what stands beside it, not by counting.

    A mark with a space (or the paragraph's edge) before it and a letter after it opens;
    one with a word before it closes. So one stray mark cannot flip every later quote.
    """
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    opens = (before.isspace() or before in "([{—–-") and not after.isspace()
    if open_at is None:
        return i if opens or not before.isalnum() else None
    if opens and not before.isalnum() and text[open_at + 1 : i].strip() and before.isspace() and _looks_closed(text, open_at, i):
        return i  # the earlier mark was stray: a new quote starts here
    pairs.append((open_at, i))
    return None


def _looks_closed(text: str, open_at: int, i: int) -> bool:
    """An earlier open quote that reached a sentence end and a space before this mark was never closed."""
    return bool(re.search(r"[.!?]\s+\S*$", text[open_at + 1 : i])) and not text[open_at + 1 : i].rstrip().endswith((",", ":"))


def _opens_paragraph(text: str, start: int) -> bool:
    return text[start] in _DOUBLE_OPEN + _STRAIGHT


def _double_spans(text: str) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    paragraphs = _paragraphs(text)
    carried: int | None = None
    for n, (start, end) in enumerate(paragraphs):
        scan_from = start
        if carried is not None and _opens_paragraph(text, start):
            scan_from = start + 1  # the repeated opening mark of a continued quote
        pairs, open_at = _double_in_paragraph(text, scan_from, end, carried)
        spans.extend(QuotedSpan(a, b + 1, a + 1, b) for a, b in pairs)
        carried = None
        if open_at is not None:
            following = paragraphs[n + 1][0] if n + 1 < len(paragraphs) else None
            if following is not None and _opens_paragraph(text, following):
                carried = open_at
            elif end - open_at > 1:
                spans.append(QuotedSpan(open_at, end, open_at + 1, end, balanced=False))
    return spans


_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?=[^\W\d_])", re.M)


def _single_close(text: str, after: int, limit: int) -> int | None:
    """Position of the closing single mark for a quote opened before ``after``."""
    for m in re.finditer(r"[’'](?![^\W_])", text[after:limit]):
        pos = after + m.start()
        prev = text[pos - 1] if pos > 0 else " "
        if prev.isspace():
            continue
        # "soldiers’ morale": a plural possessive, not a closing mark, when a lower-case word follows
        following = text[pos + 1 : pos + 3]
        if prev == "s" and len(following) == 2 and following[0] == " " and following[1].islower():
            continue
        return pos
    return None


def _single_spans(text: str, taken: list[QuotedSpan]) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    for start, end in _paragraphs(text):
        pos = start
        while True:
            m = _SINGLE_OPEN.search(text, pos, end)
            if not m:
                break
            close = _single_close(text, m.end(), end)
            if close is None:
                break
            if not any(s.start <= m.start() < s.end for s in taken):
                spans.append(QuotedSpan(m.start(), close + 1, m.start() + 1, close))
            pos = close + 1
    return spans


_ASCII_DOUBLE = re.compile(r"``|''")


def _ascii_doubles(text: str) -> str:
    """Return ``text`` with typewriter double marks (``''Yes,'' he said``, ````Yes''``: archives and
    LDC-style text) as one straight mark each, on the side of the words they touch; offsets unchanged."""
    def mark(m: re.Match[str]) -> str:
        after = text[m.end() : m.end() + 1]
        return ' "' if m.group() == "``" or after.isalnum() or after and after in "‘'(" else '" '
    return _ASCII_DOUBLE.sub(mark, text) if "''" in text or "``" in text else text


def _whole_marks(raw: str, span: QuotedSpan) -> QuotedSpan:
    """The span with both characters of a typewriter mark (``''``, ``````) inside its outer bounds."""
    start = span.start - 1 if span.start > 0 and raw[span.start - 1 : span.start + 1] in ("''", "``") else span.start
    end = span.end + 1 if raw[span.end - 1 : span.end + 1] == "''" else span.end
    return QuotedSpan(start, end, span.inner_start, span.inner_end, span.balanced)


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Return every quoted passage in ``text``, in order of position (nested ones left out)."""
    raw, text = text, _ascii_doubles(text)
    doubles = [_whole_marks(raw, s) for s in _double_spans(text)] if raw is not text else _double_spans(text)
    singles = _single_spans(text, doubles)
    merged = sorted(doubles + singles, key=lambda s: (s.start, -s.end))
    out: list[QuotedSpan] = []
    for span in merged:
        if out and span.start < out[-1].end:  # nested inside the previous passage
            continue
        if text[span.inner_start:span.inner_end].strip() and not _attribute_value(text, span):
            out.append(span)
    return out


def _attribute_value(text: str, span: QuotedSpan) -> bool:
    """'<tweet author="JebBush">': markup left in a text quotes the value of an attribute, not a person."""
    return text[max(0, span.start - 1) : span.start] == "=" and text[span.start] in "\"'"


# --- Where a quoted span stands --------------------------------------------------------------


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of the paragraph (line) that holds ``start`` to ``end``."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, len(text) if right < 0 else right


def whole_paragraph(text: str, span: QuotedSpan) -> bool:
    """Return True when the quote stands as its own sentence or paragraph (only punctuation beside it)."""
    left, right = paragraph_bounds(text, span.start, span.end)
    before = text[left:span.start].rstrip()
    after = text[span.end:right].lstrip(" .,")
    starts = not before or before.endswith((".", "!", "?", ")"))
    ends = not after or after[:1].isupper() and text[span.inner_end - 1 : span.inner_end] in ".!?"
    return starts and ends


def is_subhead(text: str, span: QuotedSpan) -> bool:
    """Return True for a paragraph of nothing but a phrase in single marks with no closing stop:
    a headline-style pull quote over a section ('Hard times ahead'), not a quote in the story."""
    left, right = paragraph_bounds(text, span.start, span.end)
    inner = text[span.inner_start:span.inner_end].rstrip()
    alone = not text[left:span.start].strip() and not text[span.end:right].strip(" .")
    return alone and text[span.start] in "'‘" and not inner.endswith((".", "!", "?", ","))


# --- Layout ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def word_list(table: str) -> frozenset[str]:
    """Return the ``[table] words`` list of the packaged lexicon (the shared loader does not carry it)."""
    raw = tomllib.loads(resources.files("storyline.annotate").joinpath("data/lexicon.toml").read_text("utf-8"))
    return frozenset(raw[table]["words"])


# A photo credit closing a paragraph after a full sentence: "... at the rally. (Jane Roe/Reuters)".
_CREDIT = re.compile(r"(?<=[.!?'\"’”])[ \t]+\((?:[^()\n]{0,60}/[^()\n]{0,60}|\s*(?:[A-Z][\w.'&-]*\s*){1,4})\)\.?[ \t]*(?=\n|$)")


def _captions(text: str) -> list[tuple[int, int]]:
    """The paragraphs that are photo captions: they repeat the story's quotes, they are not the story."""
    return [(text.rfind("\n", 0, m.start()) + 1, m.end()) for m in _CREDIT.finditer(text)]


@lru_cache(maxsize=1)
def _link_label() -> re.Pattern[str]:
    """A link label, longest first, followed by a colon: "READ MORE:", "WATCH:"."""
    labels = sorted(word_list("link_labels"), key=len, reverse=True)
    return re.compile(r"(?<![\w,;])(?:" + "|".join(map(re.escape, labels)) + r"):(?=\s)")


def _headlines(doc: Doc) -> list[tuple[int, int]]:
    """From each link label ("READ MORE:") to the end of its sentence: another story's headline."""
    text, found = text_of(doc), []
    for m in _link_label().finditer(text):
        right = text.find("\n", m.end())
        right = len(text) if right < 0 else right
        headline = doc.char_span(m.end(), right, alignment_mode="expand")
        words = [t for t in headline or () if not (t.is_space or t.is_punct)]
        if words:  # the sentence of the headline's first word (the parser may split at the colon)
            found.append((m.start(), min(right, sentence_of(words[0]).end_char)))
    return found


def not_reporting(doc: Doc) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of captions and link headlines: no quote starts in them."""
    return _captions(text_of(doc)) + _headlines(doc)
