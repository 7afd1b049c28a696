"""The publication day of a web page, decided from its own sources, with the evidence.

Sources, each kept with the words or the markup it came from:

- **byline**: the first full date a reader sees next to the headline (the
  ``<h1>``): written out ("Nov. 19, 2019", "19.11.2019") or in a ``<time>``
  element's ``datetime`` ("Monday 5:30PM", "1 day ago"). A date labelled as an
  update ("Updated ...", ``class="updated"``, ``itemprop="dateModified"``) or a
  photo caption's date is passed over; so is a date the page's metadata names
  as its modification date when it names another publication date.
- **page metadata**: published-time ``<meta>`` tags and JSON-LD ``datePublished``;
  modified times only to recognise a byline showing one.
- **url**: a ``/2019/11/18/`` (or ``/2019/nov/18/``) path.
- **htmldate**: the markup date trafilatura found (``original_date``, no
  extensive search), and htmldate's extensive search, run only as the tie-breaker.

Decision: the byline when it agrees (within a day: metadata is often in UTC, the
byline in the outlet's time zone) with another source, or when there is no other
source, or when the extensive search confirms it; otherwise the markup date,
with the extensive search settling a disagreement between it and our own
metadata; the extensive search alone only when nothing else has a date (flagged
as inferred, after any dateline in the text). A day after today is never taken.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import lxml.html  # type: ignore[import-untyped]

from ..models import PageDate
from .dates import MONTHS, find_dates, find_numeric_dates, parse_iso_date

__all__ = ["DateClue", "page_date"]

_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "article.published", "pubdate",
    "og:pubdate", "publishdate", "publish-date", "published", "published_at", "pub_date", "parsely-pub-date",
    "dc.date.issued", "dcterms.issued", "dcterms.created", "dcterms.date", "dc.date", "datecreated", "sailthru.date",
    "article_date_original", "date",
)
_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "dc.date.modified",
                  "article.updated", "updated-date", "lastmod", "last-modified")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]([01]?\d|[a-z]{3,9})[/-]([0-3]?\d)(?:/|[-_.]|$)", re.I)
_UPDATE_LABEL = re.compile(r"\b(?:updated?|modified|aktualisiert|actualizado|atualizado|mis à jour|обновлено)\b", re.I)
_PUBLISH_LABEL = re.compile(r"\b(?:published|posted|publish date|first published|veröffentlicht|publicado|publié)\b", re.I)
_CAPTION_AFTER = re.compile(r"^\W{0,3}\(|^[^.]{0,40}\b(?:photo|getty|reuters/|/ap\b|file\))", re.I)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "figcaption", "select", "option"})
_MARKED_UPDATE = re.compile(r"updated|modified", re.I)
_LOCAL_OFFSET = re.compile(r"\d[T ]\d\d:\d\d.*[+-](?!00:?00)\d\d:?\d\d$")
_MARKS = ("following::*[(self::time or @itemprop='datePublished' or @itemprop='dateModified')"
          " and not(self::meta) and normalize-space()]")
WINDOW_AFTER = 400
"""Characters of visible text after the headline searched for the byline date."""
WINDOW_BEFORE = 120
"""Characters before it (some pages print the date above the headline), searched when none follows."""


@dataclass(frozen=True, slots=True)
class DateClue:
    """A candidate publication day and where it came from."""

    day: date
    method: str
    """``byline``, ``html-meta``, ``json-ld``, ``url``, ``htmldate`` or ``htmldate-extensive``."""
    text: str
    """The words or the metadata value it was read from."""
    slack: int = 1
    """Days a byline may differ and still agree: 1 (a UTC time, or no time: the outlet's day may be either), 0 for
    a time stamped with the outlet's own offset (``-05:00``), whose day is already the one its readers see."""


def page_date(
    html: str, url: str | None, *, title: str | None = None, markup: str | None = None,
    extensive: Callable[[], str | None] | None = None, today: date | None = None,
) -> PageDate | None:
    """Decide the publication day of a page (see the module docstring); None when nothing gives one.

    Args:
        html: the page (already bounded, see :func:`storyline.clean.html.bounded_markup`).
        url: where it came from, if known.
        title: the page's headline as extracted, to find the right ``<h1>``.
        markup: the day htmldate found in the markup (trafilatura's ``date``).
        extensive: runs htmldate's extensive search; called only when needed.
        today: the latest acceptable day is the day after this (default: today).
    """
    latest = (today or date.today()) + timedelta(days=1)

    def ok(clue: DateClue | None) -> DateClue | None:
        return clue if clue is not None and date(1995, 1, 1) <= clue.day <= latest else None

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        tree = None
    published = ok(_metadata(tree, _PUBLISHED_KEYS, ("datePublished", "dateCreated"))) if tree is not None else None
    modified = ok(_metadata(tree, _MODIFIED_KEYS, ("dateModified",))) if tree is not None else None
    from_url = ok(_url_clue(url))
    from_markup = ok(_clue(markup, "htmldate", f"htmldate markup date {markup}"))
    # htmldate's markup date mostly reads the same metadata: it is a reference only where we read none
    refs = [c for c in ((published, from_url) if published else (from_url, from_markup)) if c is not None]
    byline = ok(_byline(tree, title, [c.day for c in refs])) if tree is not None else None
    if byline and modified and published and byline.day == modified.day != published.day:
        byline = None  # the page shows its modification date
    searched: list[DateClue | None] = []

    def search() -> DateClue | None:
        if not searched:
            found = extensive() if extensive is not None else None
            searched.append(ok(_clue(found, "htmldate-extensive", f"htmldate extensive search {found}")))
        return searched[0]

    if byline is not None:
        agreeing = [c for c in refs if abs((c.day - byline.day).days) <= c.slack]
        if agreeing or not refs:
            return _decided(byline, agreeing)
        if (found := search()) is not None and found.day == byline.day:
            return _decided(byline, [found])
    own = published or from_url
    if from_markup is not None and modified is not None and published is not None and from_markup.day == modified.day \
            and abs((from_markup.day - published.day).days) > published.slack:
        from_markup = None  # htmldate took the modification date; the page names its publication date
    if from_markup is not None:
        if own is not None and own.day == from_markup.day:
            return _decided(own, [from_markup])
        if own is None or abs((own.day - from_markup.day).days) <= 1:  # a time zone apart: htmldate weighs the URL too
            return _decided(from_markup, [own] if own else [])
        found = search()  # our metadata and htmldate's markup date disagree: the extensive search settles it
        pick = own if found is not None and found.day == own.day else from_markup
        return _decided(pick, [found] if found is not None and found.day == pick.day else [])
    if own is not None:
        return _decided(own, [])
    found = search()
    return PageDate(found.day.isoformat(), found.method, found.text, inferred=True) if found is not None else None


def _decided(clue: DateClue, agreeing: list[DateClue]) -> PageDate:
    also = "; ".join(f"{c.method}: {c.text}" for c in agreeing if c.method != clue.method)
    return PageDate(clue.day.isoformat(), clue.method, f"{clue.text} (agrees: {also})" if also else clue.text)


def _clue(value: str | None, method: str, text: str) -> DateClue | None:
    iso = parse_iso_date(value)
    if not iso or value is None:
        return None
    return DateClue(date.fromisoformat(iso), method, text, 0 if _LOCAL_OFFSET.search(value.strip()) else 1)


def _metadata(tree: lxml.html.HtmlElement, keys: tuple[str, ...], ld_keys: tuple[str, ...]) -> DateClue | None:
    """The first of ``keys`` among the ``<meta>`` tags (by the order of ``keys``), else JSON-LD's first ``ld_keys``."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            if key in keys and content and key not in found:
                found[key] = content
    for key in keys:
        if key in found and (clue := _clue(found[key], "html-meta", f"meta {key} = {found[key]}")):
            return clue
    for ld_key in ld_keys:
        for value in _json_ld_values(tree, ld_key):
            if clue := _clue(value, "json-ld", f"JSON-LD {ld_key} = {value}"):
                return clue
    return None


def _json_ld_values(tree: lxml.html.HtmlElement, key: str) -> Iterator[str]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        yield from _walk(data, key)


def _walk(data: object, key: str) -> Iterator[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key and isinstance(v, str):
                yield v
            else:
                yield from _walk(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item, key)


def _url_clue(url: str | None) -> DateClue | None:
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    month = int(m[2]) if m[2].isdigit() else MONTHS.get(m[2].lower())
    try:
        return DateClue(date(int(m[1]), month or 0, int(m[3])), "url", url or "")
    except ValueError:
        return None


def _headline(tree: lxml.html.HtmlElement, title: str | None) -> lxml.html.HtmlElement | None:
    """The ``<h1>`` that holds the headline: the one sharing most words with ``title``, else the first with 3+ words."""
    words = set(re.findall(r"\w+", (title or "").lower()))
    best, most = None, 0
    for h1 in tree.iter("h1"):
        text = set(re.findall(r"\w+", h1.text_content().lower()))
        share = len(text & words) if words else (len(text) >= 3)
        if share and share >= most:  # on a tie the later one: an earlier copy sits in a header or menu
            best, most = h1, share
    return best


def _visible(node: object) -> bool:
    parent = getattr(node, "getparent", lambda: None)()
    for el in (parent, *(parent.iterancestors() if parent is not None else ())):
        if el is None:
            continue
        if not isinstance(el.tag, str) or el.tag in _SKIPPED_TAGS or "caption" in (el.get("class") or ""):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Mark:
    """A ``<time>``-like element met in the window: where its text lies, its machine-readable day, an update?"""

    start: int
    end: int
    day: date | None
    update: bool


def _window(nodes: list[object], budget: int) -> tuple[str, list[_Mark]]:
    """The visible text of ``nodes`` up to ``budget`` characters, and the ``<time>``-like elements met on the way."""
    text, marks = "", []
    for node in nodes:
        if len(text) >= budget:
            break
        if isinstance(node, lxml.html.HtmlElement):
            clue = _clue(node.get("datetime") or node.get("content"), "byline", "")
            label = " ".join(filter(None, (node.get("class"), node.get("itemprop"))))
            shown = " ".join(node.text_content().split())
            update = bool(_MARKED_UPDATE.search(label) or _UPDATE_LABEL.match(shown))
            marks.append(_Mark(len(text), len(text) + len(shown) + 1, clue.day if clue else None, update))
        elif isinstance(node, str) and node.strip() and _visible(node):
            text += " " + " ".join(node.split())
    return text, marks


def _byline(tree: lxml.html.HtmlElement, title: str | None, refs: list[date]) -> DateClue | None:
    """The first publication date shown next to the headline (see the module docstring)."""
    h1 = _headline(tree, title)
    if h1 is None:
        return None
    after = h1.xpath(f"following::text() | {_MARKS}")
    clue = _first_date(*_window(after, WINDOW_AFTER), refs)
    if clue is None:
        text, _ = _window(list(reversed(h1.xpath("preceding::text()"))), WINDOW_BEFORE)
        clue = _first_date(" ".join(reversed(text.split(" "))), [], refs)  # the nodes back in reading order
    return clue


def _written_dates(text: str, refs: list[date]) -> list[tuple[int, int, date]]:
    found = [(m.start, m.end, m.value) for m in find_dates(text)]
    for n in find_numeric_dates(text):
        day = _settle(n.readings, n.text, refs)
        if day is not None and not any(s <= n.start < e for s, e, _ in found):
            found.append((n.start, n.end, day))
    return found


def _first_date(text: str, marks: list[_Mark], refs: list[date]) -> DateClue | None:
    """The first date in the window that is not an update, a caption's date, or inside an element marked as an update.

    A ``<time>`` element's own ``datetime`` counts only when its text writes no full date ("Monday 5:30PM").
    """
    written = _written_dates(text, refs)
    found = [(s, e, d) for s, e, d in written if not any(m.update and m.start <= s < m.end for m in marks)]
    found += [(m.start, m.start, m.day) for m in marks
              if m.day is not None and not m.update and not any(m.start <= s < m.end for s, _, _ in written)]
    for start, end, day in sorted(found, key=lambda f: f[0]):
        before = text[max(0, start - 40) : start]
        labels = list(re.finditer(f"{_UPDATE_LABEL.pattern}|{_PUBLISH_LABEL.pattern}", before, re.I))
        if labels and _UPDATE_LABEL.fullmatch(labels[-1].group()):
            continue
        if end > start and _CAPTION_AFTER.search(text[end : end + 45]):
            continue
        snippet = " ".join(text[max(0, start - 40) : end + 25].split())
        return DateClue(day, "byline", snippet or day.isoformat())
    return None


def _settle(readings: tuple[date, ...], written: str, refs: list[date]) -> date | None:
    """One reading of a date in figures: the only one, the one next to a known day, or day-first with dots."""
    if len(readings) == 1:
        return readings[0]
    near = [r for r in readings if any(abs((r - ref).days) <= 1 for ref in refs)]
    if len(near) == 1:
        return near[0]
    return readings[0] if "." in written else None
