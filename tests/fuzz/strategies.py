"""Hypothesis strategies for hostile inputs: HTML-ish pages, quote-shaped prose and date-dense text.

Each composes pieces the code under test treats specially (tags, entities, quote marks, reporting
verbs, month names) with arbitrary Unicode, so random draws reach the grammar paths instead of
stopping at the first check.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from hypothesis import strategies as st

ANY_CHAR = st.characters(exclude_categories=())
"""Every code point, lone surrogates and NUL included."""
_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
TEXT_CHAR = st.characters(exclude_categories=_SURROGATES)
"""Every code point a cleaned text can hold: no lone surrogates (UTF-8 cannot encode them; spaCy and SQLite refuse them)."""

ODD_CHARS = ("\x00", "\u200f", "\u200e", "\u202e", "\u202c", "\ufeff", "\u2028", "\u2029", "\r", "\t", "\x0b",
             "\ud800", "\udfff", "\U0001f600", "\u0301", "\xa0", "\u3000", "\x85", "\x1b")
"""NUL, RTL and LTR marks and overrides, BOM, line separators, lone surrogates, an emoji, a combining accent."""

any_text = st.text(ANY_CHAR, max_size=200)
odd = st.sampled_from(ODD_CHARS)
odd_text = st.sampled_from([c for c in ODD_CHARS if not "\ud800" <= c <= "\udfff"])

# --- HTML-ish pages --------------------------------------------------------------------------

TAGS = ("p", "div", "span", "article", "main", "section", "h1", "h2", "li", "ul", "td", "tr", "table", "a", "b",
         "script", "style", "noscript", "iframe", "svg", "math", "template", "title", "meta", "br", "img", "x-y")
ENTITIES = ("&amp;", "&lt;", "&gt;", "&nbsp;", "&quot;", "&#0;", "&#x0;", "&#xD800;", "&#x110000;", "&#99999999999;",
             "&bogus;", "&", "&#", "&#x;", "&rlm;", "&#8207;", "&mdash;", "&amp")
RAW_MARKUP = ("<!DOCTYPE html>", "<!-- comment -->", "<!--", "-->", "<![CDATA[x]]>", "<?xml version='1.0'?>", "<",
        ">", "</", "<p", "<<>>", "</>", "<html lang='ar'>", "<meta charset='utf-16'>", "<base href='javascript:x'>",
        "<a href='javascript:alert(1)' onclick='x()'>", "<script>document.write('<p>hi</p>')</script>",
        "<style>p{color:red}</style>", "<title>The page</title>", '<meta property="article:published_time" content="2024-13-45">')
ATTRIBUTES = (" class='content'", ' id="main"', " hidden", " lang=he dir=rtl", " style='display:none'",
               " onload=alert(1)", ' data-x="&quot;"', " =", ' a="unclosed', " href=javascript:x()")
_WORDS = ("The", "minister", "said", "on", "Tuesday", "that", "talks", "would", "resume", "in", "March", "2024",
          "officials", "“We", "will", "not", "back", "down,”", "Reuters", "reported", ".", ",", "\n")

word = st.sampled_from(_WORDS)
prose = st.lists(st.one_of(word, word, word, any_text, odd), max_size=40).map(" ".join)
"""Sentence-ish text: news words mixed with arbitrary Unicode."""


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One element around ``children``: a tag, some attributes, sometimes no closing tag."""
    return st.builds(
        lambda tag, attrs, inner, closed: f"<{tag}{''.join(attrs)}>{''.join(inner)}" + (f"</{tag}>" if closed else ""),
        st.sampled_from(TAGS), st.lists(st.sampled_from(ATTRIBUTES), max_size=3), st.lists(children, max_size=4),
        st.booleans(),
    )


def _table(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A table of ``children`` cells (tables nest through the recursion)."""
    return st.lists(st.lists(children, min_size=1, max_size=3), min_size=1, max_size=3).map(
        lambda rows: "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>")


_leaf = st.one_of(prose, st.sampled_from(ENTITIES), st.sampled_from(RAW_MARKUP), odd, any_text)
html_fragment = st.recursive(_leaf, lambda inner: st.one_of(_element(inner), _table(inner)), max_leaves=30)
html_page = st.one_of(
    st.lists(html_fragment, max_size=8).map("".join),
    st.lists(html_fragment, max_size=8).map(lambda parts: "<html><head><title>T</title></head><body><article>"
                                             + "".join(parts) + "</article></body></html>"),
)
"""HTML-ish strings: tags, attributes, entities, scripts, nested tables, unclosed and stray markup, any Unicode."""
page_url = st.sampled_from([None, "https://example.org/news/story", "https://example.org/2024/05/23/story.html",
                            "javascript:alert(1)", "not a url", "https://[::1]:99999/x"])
"""Where a page came from: nothing, a URL with a date in it (htmldate then looks no further), junk."""

# --- quotes and attributions ---------------------------------------------------------------------

QUOTE_MARKS = ('"', "'", "“", "”", "‘", "’", "„", "‟", "‚", "‛", "«", "»", "‹", "›", "「", "」", "『", "』", "〝", "〞",
               "＂", "''", "``", "\"\"")
_VERBS = ("said", "says", "told reporters", "told Reuters", "according to", "added", "warned", "claimed", "insisted",
          "said on Tuesday", "wrote", "asked", "denied", "confirmed", "suggests", "shows", "citing", "quoted", "reported")
_NAMES = ("John Smith", "Maresh", "President Vasko", "the ministry", "Reuters", "the BBC", "he", "she", "they", "it",
          "a senior official", "four sources", "two people familiar with the matter", "The New York Times", "Dr. Ana Lee",
          "a spokesperson", "the report", "a poll", "officials")
_PUNCT = (".", ",", ";", ":", "!", "?", "—", "–", "-", "(", ")", "[", "]", "…", "\n", "\n\n", " ", "  ")
_FILLER = ("we", "will", "not", "accept", "this", "the", "deal", "is", "dead", "talks", "on", "that", "and", "but",
           "because", "said", "say", "no", "yes", "war", "peace", "in", "March", "a", "an", "very", "I", "you")

quote_piece = st.one_of(
    st.sampled_from(QUOTE_MARKS), st.sampled_from(_VERBS), st.sampled_from(_NAMES), st.sampled_from(_PUNCT),
    st.sampled_from(_FILLER), st.sampled_from(_FILLER), st.text(TEXT_CHAR, max_size=8), odd_text,
)
quote_text = st.lists(quote_piece, max_size=60).map(" ".join) | st.lists(quote_piece, max_size=60).map("".join)
"""Prose built from quote marks of every kind, reporting verbs, names, punctuation and filler words
(no lone surrogates: the parser gets cleaned text)."""

# --- time expressions ----------------------------------------------------------------------------

TIME_WORDS = (
    "January", "February", "March", "May", "June", "Sept.", "December", "Monday", "Tuesday", "Sunday", "spring", "winter",
    "fall", "2022", "2021", "1999", "1600", "2099", "1990s", "'90s", "24", "31", "3rd", "the", "of", "on", "in", "since",
    "until", "at least", "early", "late", "mid-", "the end of", "last", "next", "this", "that", "year", "years", "month",
    "months", "week", "weeks", "day", "days", "decade", "decades", "century", "quarter", "fortnight", "hours", "ago",
    "earlier", "later", "from now", "later that year", "earlier that day", "the following Monday", "the next morning",
    "a year earlier", "two days later", "yesterday", "today", "tomorrow", "tonight", "recently", "now", "soon",
    "Christmas", "Easter", "Thanksgiving", "Election Day", "New Year's Day", "the first quarter", "Q3", "the second half",
    "the 20th century", "10 a.m.", "noon", "at 14:00", "daily", "every two years", "for weeks", "decades-long",
    "into the war", "the war began on", "invaded", "8000", "99999", "1" + "0" * 400, "2.5", "1/2", "½", "a", "an",
    "three", "twenty-two", "few", "several", "2023-02-29", "2020-02-29", "9999-12-31", ",", ".", "\n", "will", "said",
)
time_piece = st.one_of(st.sampled_from(TIME_WORDS), st.sampled_from(TIME_WORDS), st.integers(0, 10**6).map(str),
                       st.text(ANY_CHAR, max_size=6))
time_text = st.lists(time_piece, max_size=50).map(" ".join)
"""Date-dense prose: month and weekday names, counts, units, anchors, holidays, huge numbers."""

any_date = st.dates(min_value=date.min, max_value=date.max)
"""Publication dates over the whole calendar, 0001-01-01 to 9999-12-31."""
published = st.one_of(
    st.none(), any_date.map(date.isoformat), any_date.map(lambda d: d.isoformat()[:7]), any_date.map(lambda d: d.isoformat()[:4]),
    st.sampled_from(["0000-01-01", "10000-01-01", "2024-02-30", "2024-13", "x", "", "2024-", "-1"]),
)
"""What an article's publication date may be: a day, a month or a year of the whole calendar, or junk."""
