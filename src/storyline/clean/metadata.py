"""Outlet, publication date and headline, each with its evidence.

Outlet, first that applies: 1. declared by the source (JSON field, feed title);
2. the page's site name; 3. a headline suffix ("... – Times of India"), unless
the body cites that name as a source ("Reuters writes ...": then it is the
source, not the publisher); 4. the URL's host. Otherwise unknown.

Publication date, first that applies: 1. declared by the source; 2. the page's
own sources (:mod:`storyline.clean.pubdate`: byline, metadata, URL, htmldate),
with the method that decided; 3. inferred from the text, flagged as inferred: a
dateline ("PORT ALVEN, March 12, 2025 —"), a "Published ..." line, or a dated
photo caption ("... in Lisk on March 20, 2025. Ministry photo"); 4. htmldate's
extensive search of the whole page, flagged as inferred. Otherwise unknown.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..models import Evidence, PageDate
from .boilerplate import split_paragraphs
from .dates import find_dates, parse_iso_date
from .rules import line_key, load_rules

__all__ = ["infer_outlet", "infer_published", "title_from_text", "looks_like_title", "strip_outlet_suffix"]

_SUFFIX = re.compile(r"\s+[–—|-]\s+(?P<name>[A-Z][\w&.'’]*(?:\s+(?:of|the|and|de|&|[A-Z][\w&.'’]*)){0,5})\s*$")
_NOT_OUTLETS = frozenset({"live", "updates", "live updates", "report", "opinion", "analysis", "explained", "video", "photos", "watch", "exclusive", "update"})
_CITING = r"(?:writes|wrote|reports|reported|said|says|added|notes|noted|cited|quoted|according to|citing|reporting)"
_DATELINE = re.compile(r"^(?:[A-Z][A-Za-z.'’ -]{1,40},\s+)?(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})\s*(?:\([^)]{1,30}\))?\s*[—–-]")
_PUBLISHED_LINE = re.compile(r"^(?:published|posted|first published|publication date|date)\s*(?:on|:)?\s*", re.I)
_PHOTO_CREDIT = re.compile(r"\b(?:photo|photograph|image|picture|pictured|file photo|getty images|credit)\b", re.I)
_CAPTION_END = re.compile(r"\bon\s+(?:[A-Z][a-z]+day,?\s+)?$")


def looks_like_title(line: str) -> bool:
    """Return True when a line reads as a headline: short, no sentence end, not a dateline or label."""
    words = line.split()
    if not 2 <= len(words) <= 22 or len(line) > 180:
        return False
    if re.search(r"[.!;,:]$", line) or line[0] in "\"“‘'([" or _DATELINE.match(line):
        return False
    if len(words) > 14 and (line.endswith("?") or line.count(",") >= 2):
        return False  # long lines with a question or a run of clauses are prose
    return line_key(line) not in load_rules().labels


def title_from_text(text: str) -> tuple[str | None, Evidence | None]:
    """Return the headline of a plain-text article, if its first real line is one.

    Leading section labels ("Trending") are skipped; a story paragraph is not a title.
    """
    labels = load_rules().labels
    for p in split_paragraphs(text)[:4]:
        if line_key(p.text) in labels:
            continue
        if looks_like_title(p.text):
            # The line leaves the text (it becomes the title), so its offsets live in the removal record.
            return p.text, Evidence("title", p.text, "first-line", p.text)
        return None, None
    return None, None


def strip_outlet_suffix(title: str, outlet: str | None) -> str:
    """Return ``title`` without a trailing " – Outlet" / " | Outlet" naming ``outlet``."""
    if not outlet:
        return title
    m = re.search(rf"\s+[–—|-]\s+{re.escape(outlet)}\s*$", title, flags=re.I)
    return title[: m.start()].rstrip() if m and m.start() > 0 else title


def _suffix_outlet(title: str, body: str) -> tuple[str | None, Evidence | None]:
    m = _SUFFIX.search(title)
    if not m or m["name"].lower() in _NOT_OUTLETS:
        return None, None
    name = m["name"].strip()
    cited = re.search(rf"\b{re.escape(name)}\b[’']?s?\W{{0,3}}\s*{_CITING}|{_CITING}\s+(?:the\s+)?{re.escape(name)}\b", body)
    if cited:
        why = f"title suffix “{name}” is cited in the text as a source (“{cited.group()}”), not taken as the outlet"
        return None, Evidence("outlet", "", "title-suffix-rejected", why)
    return name, Evidence("outlet", name, "title-suffix", title)


def infer_outlet(
    *, declared: str | None, sitename: str | None, title: str | None, url: str | None, body: str, via_feed: bool = False,
    by_user: bool = False,
) -> tuple[str | None, tuple[Evidence, ...]]:
    """Return the outlet and the evidence for it (and for rejected candidates); ``by_user``: the declared
    outlet is one the user set (evidence method ``user``)."""
    if declared:
        return declared, (Evidence("outlet", declared, _declared_by(via_feed, by_user), "set by the user" if by_user else declared),)
    if sitename:
        return sitename, (Evidence("outlet", sitename, "html-meta", sitename),)
    rejected: tuple[Evidence, ...] = ()
    if title:
        name, ev = _suffix_outlet(title, body)
        if name and ev:
            return name, (ev,)
        rejected = (ev,) if ev else ()
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        return host, rejected + (Evidence("outlet", host, "url-host", url or host),)
    return None, rejected


def _text_date(text: str) -> Evidence | None:
    """Steps 3a-c: a dateline, a "Published" line, or a dated caption."""
    for n, p in enumerate(split_paragraphs(text)[:40]):
        dates = list(find_dates(p.text))
        if not dates:
            continue
        first = dates[0]
        if n < 3 and _DATELINE.match(p.text):
            return Evidence("published", first.value.isoformat(), "dateline", first.text, p.start + first.start, p.start + first.end)
        if _PUBLISHED_LINE.match(p.text) and first.start < 30:
            return Evidence("published", first.value.isoformat(), "published-line", first.text, p.start + first.start, p.start + first.end)
        if _is_caption(p.text, first.start, first.end):
            return Evidence("published", first.value.isoformat(), "caption", p.text, p.start, p.end)
    return None


def _is_caption(line: str, date_start: int, date_end: int) -> bool:
    words = len(line.split())
    if words > 40:
        return False
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", line) if s]
    after = line[date_end:].strip(" .")
    credit = bool(_PHOTO_CREDIT.search(line))
    ends_on_date = not after or (credit and len(after.split()) <= 4)
    return ends_on_date and (credit or len(sentences) == 1) and bool(_CAPTION_END.search(line[:date_start]))


def infer_published(
    *, declared: str | None, page_date: PageDate | str | None, text: str, via_feed: bool = False, by_user: bool = False
) -> tuple[str | None, bool, tuple[Evidence, ...]]:
    """Return (ISO date or None, inferred?, evidence). Text offsets point into ``text``.

    ``page_date`` is what the page's markup gave (a bare ISO string counts as its metadata).
    """
    iso = parse_iso_date(declared)
    if iso:
        return iso, False, (Evidence("published", iso, _declared_by(via_feed, by_user), "set by the user" if by_user else declared or ""),)
    found = PageDate(page_date) if isinstance(page_date, str) else page_date
    iso = parse_iso_date(found.day) if found is not None else None
    if found is not None and iso and not found.inferred:
        return iso, False, (Evidence("published", iso, found.method, found.evidence or found.day),)
    ev = _text_date(text)
    if ev:
        return ev.value, True, (ev,)
    if found is not None and iso and not _reported_in(text, iso):
        # htmldate's extensive search: a date somewhere in the page outside the story, no better source
        return iso, True, (Evidence("published", iso, found.method, found.evidence or found.day),)
    return None, False, ()


def _declared_by(via_feed: bool, by_user: bool) -> str:
    return "user" if by_user else "feed" if via_feed else "declared"


def _reported_in(text: str, iso: str) -> bool:
    """The day is written in the story itself ("imposed by decree on January 15, 2025"): a date it
    reports, not the day it was published (the annotate stage bounds an undated article by such dates)."""
    return any(d.value.isoformat() == iso for d in find_dates(text))