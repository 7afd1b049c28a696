"""The properties the fuzz tests check, one function per target, shared by tests/fuzz and tools/fuzz.py.

Each ``check_*`` function runs the code under test on one input and fails with an
``AssertionError`` when a property does not hold; any other exception is a crash.
:data:`TARGETS` pairs each with its strategy and its default number of examples.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from hypothesis import strategies as st

from storyline.annotate.attribution import find_attributions
from storyline.annotate.nlp import parse
from storyline.annotate.quotes import find_evidence, find_quotes
from storyline.annotate.time.expressions import find_time_expressions
from storyline.errors import StorylineError
from storyline.models import Article, RawDocument, Span
from storyline.flow.clean import clean_document

from . import strategies as s

# --- the cleaner ---------------------------------------------------------------------------------


def _check_article(article: Article) -> None:
    assert article.text.strip(), "an article with no text"
    for r in article.removed:
        assert 0 <= r.start <= r.end <= len(article.raw_text), (r, len(article.raw_text))
        assert article.raw_text[r.start:r.end] == r.text, r
    for ev in article.evidence:
        if ev.start is not None or ev.end is not None:
            assert ev.start is not None and ev.end is not None, ev
            assert 0 <= ev.start <= ev.end <= len(article.text), (ev, len(article.text))
            assert article.text[ev.start:ev.end] == ev.text, ev


@dataclass(frozen=True, slots=True)
class KnownBug:
    """A crash found and not fixed yet: recognised by where it is raised.

    The property tolerates it (counting it in :data:`KNOWN_HITS`, for the campaign's summary) and keeps
    looking for new crashes; tests/fuzz/test_known_bugs.py keeps the minimal input of each one fixed.
    """

    name: str
    error: type[BaseException]
    raised_in: str
    """``file:function`` of the innermost frame, the file as the end of its path."""

    def matches(self, exc: BaseException) -> bool:
        """Return True when ``exc`` is this bug."""
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is None or not isinstance(exc, self.error):
            return False
        code = tb.tb_frame.f_code
        return f"{code.co_filename.replace(chr(92), '/')}:{code.co_name}".endswith(self.raised_in)


KNOWN_BUGS: tuple[KnownBug, ...] = ()
"""Crashes found and not yet fixed, stepped over so the properties keep finding new ones (none now; the fixed ones
are regression tests in tests/fuzz/test_known_bugs.py)."""
KNOWN_HITS: Counter[str] = Counter()
"""How many inputs hit each known bug in this process."""


def _known(exc: BaseException) -> KnownBug | None:
    return next((bug for bug in KNOWN_BUGS if bug.matches(exc)), None)


def _clean(raw: RawDocument) -> None:
    try:
        article = clean_document(raw)
    except StorylineError:
        return  # refused with the project's own error: allowed
    except Exception as exc:
        bug = _known(exc)
        if bug is None:
            raise
        KNOWN_HITS[bug.name] += 1
        return
    _check_article(article)


def check_clean_text(text: str) -> None:
    """The cleaner on plain text raises nothing but StorylineError; every removal and evidence lies inside the text."""
    _clean(RawDocument(source="fuzz.txt", text=text))


def check_clean_html(html: str, url: str | None) -> None:
    """The cleaner on HTML-ish markup raises nothing but StorylineError; every removal and evidence lies inside the text."""
    _clean(RawDocument(source="fuzz.html", html=html, url=url))


# --- quotes and attributions ---------------------------------------------------------------------


def _check_span(text: str, span: Span | None, what: str) -> None:
    if span is None:
        return
    assert 0 <= span.start <= span.end <= len(text), (what, span, len(text))
    assert text[span.start:span.end] == span.text, (what, span, text[span.start:span.end])


def check_quotes(text: str) -> None:
    """Quotes, evidence and attributions: never raise; every span is ``text[start:end]`` and inside the text."""
    doc = next(parse([text]))
    quotes = list(find_quotes(doc))
    for q in quotes + list(find_evidence(doc)):
        _check_span(text, Span(q.text, q.start, q.end), "quote")
        _check_span(text, q.speaker, "speaker")
        _check_span(text, q.cue, "cue")
    for a in find_attributions(doc, quotes):
        for what, span in (("content", a.content), ("source", a.source), ("cue", a.cue)):
            _check_span(text, span, what)
        for via in a.via:
            _check_span(text, via, "via")


# --- time expressions ----------------------------------------------------------------------------

_YEAR = re.compile(r"^(-?\d{4,})")


def _check_value(value: str | None) -> None:
    """A value's year, where it starts with one, lies in 1..9999 ("10022-03" or "0000" never)."""
    for part in (value or "").split("/"):
        year = _YEAR.match(part)
        assert year is None or 1 <= int(year[1]) <= 9999 and len(year[1]) == 4, f"value {value!r}: a year outside 1..9999"


def check_times(text: str, published: str | None, anchors: dict[str, str] | None) -> None:
    """Time expressions never raise; offsets inside the text and ``text[start:end] == t.text``; earliest <= latest;
    every date a valid calendar date (years 1..9999)."""
    for t in find_time_expressions(text, published, anchors=anchors):
        assert 0 <= t.start <= t.end <= len(text), t
        assert text[t.start:t.end] == t.text, t
        bounds = [date.fromisoformat(d) for d in (t.earliest, t.latest) if d is not None]
        if len(bounds) == 2:
            assert bounds[0] <= bounds[1], t
        _check_value(t.value)


TIME_UNITS = ("on March 3, 2021, and on May 4, 2022, ", "three years ago, ", "the following Monday, ",
              "later that year, ", "5 years into the war, ", "last week and next month. ", "Christmas, ")
"""Expressions the time bound repeats."""
SECONDS_PER_EXPRESSION = 0.02
"""A generous bound: the finder takes well under a millisecond per expression."""


def check_time_bound(unit: str, n: int) -> None:
    """One call on ``n`` repeated expressions takes no more than a constant (plus a second) times ``n``."""
    text = unit * n
    started = time.process_time()  # CPU time: other processes' load aside
    find_time_expressions(text, "2024-05-23")
    elapsed = time.process_time() - started
    assert elapsed <= 1.0 + SECONDS_PER_EXPRESSION * n, f"{elapsed:.2f} s for {n} × {unit!r}"


# --- the targets ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """One fuzz target: what it checks, on what inputs, how many by default."""

    name: str
    check: Callable[..., None]
    arguments: st.SearchStrategy[tuple[Any, ...]]
    examples: int


_anchors = st.none() | st.dictionaries(st.sampled_from(["war", "invasion", "talks", "x"]),
                                       st.one_of(s.any_date.map(date.isoformat), s.published.filter(bool)), max_size=2)

TARGETS: tuple[Target, ...] = (
    Target("clean-text", check_clean_text, st.tuples(s.prose | s.any_text), 40),
    Target("clean-html", check_clean_html, st.tuples(s.html_page, s.page_url), 40),
    Target("quotes", check_quotes, st.tuples(s.quote_text), 40),
    Target("times", check_times, st.tuples(s.time_text, s.published, _anchors), 150),
    Target("time-bound", check_time_bound, st.tuples(st.sampled_from(TIME_UNITS), st.integers(1, 80)), 10),
)
"""Every target, in the order the campaign runs them."""


def target(name: str) -> Target:
    """Return the target called ``name``."""
    return next(t for t in TARGETS if t.name == name)


def names() -> Iterable[str]:
    """Return the targets' names."""
    return (t.name for t in TARGETS)
