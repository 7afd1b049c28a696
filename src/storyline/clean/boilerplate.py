"""Line-level boilerplate removal for any article text.

Each paragraph (non-empty line) goes through numbered checks; the first that
fires removes it and records why. Nothing is dropped silently: every cut is a
:class:`~storyline.models.Removal` with offsets into the text it was cut from.

1. navigation and section labels, comment-box phrases (exact phrase lists);
2. "Other News" / "Related" / "Leave a Reply" headings start a block: the short,
   teaser-like lines after them go too, up to the next real paragraph;
3. teaser prefixes ("Read More: ...") and banners from other stories ("BREAKING: ...");
4. page footers (copyright lines);
5. tag lists ("Ceasefire talks,Port Saren,Regional security");
6. the headline repeated in the body (the title's, or an untitled text's first line);
7. lines the corpus shows to be boilerplate (repeated across one outlet's articles);
8. teasers glued to the end of a real paragraph ("...in March.Watch Russia...").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ..models import Removal
from .rules import BoilerplateRules, line_key, load_rules

__all__ = ["Paragraph", "split_paragraphs", "clean_boilerplate", "headline_keys", "is_teaser_like"]

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_SUFFIX = re.compile(r"\s+[–—|:-]\s+[^–—|:]{2,60}$")
_NAV_CAPS = re.compile(r"^[A-Z0-9 &'’/>»«-]{2,40}$")
_LONG_PARAGRAPH = 320  # characters; no label, teaser, tag list or headline is this long
_NAV_WORDS = frozenset({"HOME", "HOMEPAGE", "MENU", "BACK", "TOP", "SUBSCRIBE", "ADVERTISEMENT", "SHARE", "LOGIN", "NEWSLETTER"})


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One non-empty line of a text, with its offsets."""

    text: str
    start: int
    end: int


def split_paragraphs(text: str) -> list[Paragraph]:
    """Return the non-empty lines of ``text`` with their character offsets (surrounding spaces trimmed)."""
    out: list[Paragraph] = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + (len(line) - len(line.lstrip()))
            out.append(Paragraph(stripped, start, start + len(stripped)))
    return out


def headline_keys(title: str) -> set[str]:
    """Return the comparison keys of a headline: whole, and without an outlet suffix (" – Outlet")."""
    keys = {line_key(title)}
    stripped = _SUFFIX.sub("", title.strip())
    if stripped != title.strip():
        keys.add(line_key(stripped))
    return {k for k in keys if len(k.split()) >= 3}


def is_teaser_like(line: str) -> bool:
    """Return True for a short line that reads like a link or teaser rather than story prose."""
    words = len(line.split())
    return words < 25 and (words <= 12 or not _SENTENCE_END.search(line))


def _is_tag_list(line: str) -> bool:
    """A run of short labels joined by commas, with no sentence around them.

    Table rows (cells joined by "|") and schedules are content, so only commas count,
    and items must be short labels, not numbers or clauses.
    """
    if _SENTENCE_END.search(line) or line.count(",") < 2:
        return False
    parts = [p.strip() for p in line.split(",")]
    if len(parts) < 3 or not all(parts) or any(len(p.split()) > 5 or p[0].isdigit() for p in parts):
        return False
    if re.search(r"\b(and|or)\s+\S+\s*$", line):  # story prose lists end with "and X"
        return False
    glued = "," in line.replace(", ", "")  # "Ceasefire,Russia-Ukraine War": no space after commas
    # Without the glued commas, demand labels only: capitalised items and no figures (schedules, scores).
    return glued or (not any(c.isdigit() for c in line) and all(p[0].isupper() or p[0] == "#" for p in parts))


def _is_nav_caps(line: str) -> bool:
    return bool(_NAV_CAPS.match(line)) and bool(_NAV_WORDS.intersection(re.findall(r"[A-Z]+", line)))


def _line_reason(p: Paragraph, key: str, rules: BoilerplateRules) -> str | None:
    """Checks 1, 3, 4 and 5: reasons that depend on the line alone."""
    if key in rules.labels or _is_nav_caps(p.text):
        return rules.label_reason
    if key in rules.comments:
        return rules.comment_reason
    low = p.text.lstrip("[(•*> ").lower()
    if low.startswith(rules.teaser_prefixes) and len(p.text.split()) <= 40:
        return rules.teaser_reason
    if low.startswith(rules.breaking_prefixes) and is_teaser_like(p.text.split(":", 1)[-1]):
        return rules.breaking_reason
    if any(rx.match(p.text) for rx in rules.footer):
        return rules.footer_reason
    if _is_tag_list(p.text) or (low.startswith(rules.tag_prefixes) and len(p.text.split()) <= 40):
        return "tag list"
    return None


def _block_end(paragraphs: list[Paragraph], i: int) -> int:
    """Return the index after the teaser-like lines that follow the block heading at ``i``."""
    j = i + 1
    while j < len(paragraphs) and is_teaser_like(paragraphs[j].text):
        j += 1
    return j


def _reasons(
    paragraphs: list[Paragraph], title_keys: set[str], repeated: Collection[str], repeated_reason: str
) -> Iterator[tuple[int, str | None]]:
    rules = load_rules()
    title_seen = False
    first_key = line_key(paragraphs[0].text) if paragraphs else ""
    i = 0
    while i < len(paragraphs):
        p = paragraphs[i]
        if len(p.text) > _LONG_PARAGRAPH:  # prose: no label, teaser, tag list or headline is this long
            yield i, None
            i += 1
            continue
        key = line_key(p.text)
        if key in rules.block_headings or key in rules.comment_headings:
            heading = rules.comment_reason if key in rules.comment_headings else rules.block_reason
            end = _block_end(paragraphs, i)
            for k in range(i, end):
                yield k, f"{heading} (after “{p.text}”)" if k > i else heading
            i = end
            continue
        reason = _line_reason(p, key, rules)
        if reason is None and (headline_keys(p.text) & title_keys):
            reason = "repeated headline" if title_seen else "headline (kept as the title)"
            title_seen = True
        elif reason is None and key == first_key and i > 0 and len(key.split()) >= 3 and is_teaser_like(p.text):
            reason = "repeated headline"
        elif reason is None and key in repeated:
            reason = repeated_reason
        yield i, reason
        i += 1


def clean_boilerplate(
    text: str,
    *,
    title: str | None = None,
    repeated: Collection[str] = (),
    repeated_reason: str = "line repeated across articles of this outlet",
) -> tuple[str, tuple[Removal, ...]]:
    """Remove boilerplate lines and glued teasers from ``text``.

    Args:
        text: normalised article text, one paragraph per line.
        title: the article's headline; lines repeating it are removed.
        repeated: line keys (see :func:`~storyline.clean.rules.line_key`) known from the corpus to be boilerplate.
        repeated_reason: the reason recorded for those.

    Returns:
        The cleaned text (paragraphs separated by blank lines) and every removal,
        with offsets into ``text``.
    """
    paragraphs = split_paragraphs(text)
    title_keys = headline_keys(title) if title else set()
    kept: list[str] = []
    removed: list[Removal] = []
    for i, reason in _reasons(paragraphs, title_keys, repeated, repeated_reason):
        p = paragraphs[i]
        if reason:
            removed.append(Removal(p.text, reason, p.start, p.end))
            continue
        head, cut = _split_glued(p)
        kept.append(head)
        if cut:
            removed.append(cut)
    return "\n\n".join(kept), tuple(removed)


def _split_glued(p: Paragraph) -> tuple[str, Removal | None]:
    rules = load_rules()
    match = rules.glued_teaser.search(p.text)
    # Only when a real paragraph precedes the teaser: the head must be prose.
    if not match or len(p.text[: match.end()].split()) < 8:
        return p.text, None
    head, tail = p.text[: match.end()], p.text[match.end():]
    return head, Removal(tail, rules.glued_reason, p.start + match.end(), p.end)
