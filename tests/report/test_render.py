"""Rendering: escaping, links, file names."""

from __future__ import annotations

import pytest

from storyline.report.render import Links, render, safe_url, slug
from storyline.store.fulltext import HIGHLIGHT_END, HIGHLIGHT_START


@pytest.mark.parametrize(("url", "expected"), [
    ("https://news.example/a?b=1", "https://news.example/a?b=1"),
    ("http://news.example", "http://news.example"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    (" javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>1</script>", None),
    ("//evil.example/x", None),
    ("https:///nohost", None),
    (None, None),
])
def test_only_http_links_with_a_host_are_linked(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize("item_id", ["story:ab12", "person:ilona-maresh", "abc123:c4", "a/b\\c"])
def test_slugs_are_safe_file_names_and_distinct(item_id: str) -> None:
    s = slug(item_id)
    assert all(c.isalnum() or c in "-._" for c in s)
    assert s != slug(item_id + "x")


@pytest.mark.parametrize(("links", "kind", "item", "expected"), [
    (Links(static=True, depth=1), "story", "story:ab", "../stories/story_3Aab.html"),
    (Links(static=True), "index", None, "index.html"),
    (Links(static=False), "story", "story:ab", "/stories/story:ab"),
    (Links(static=False), "article", "a b", "/articles/a%20b"),
])
def test_links(links: Links, kind: str, item: str | None, expected: str) -> None:
    assert links.url(kind, item) == expected


def test_search_links_carry_only_the_filters_given() -> None:
    assert Links(static=False).url("search", q="grain ships", outlet="", story=None) == "/search?q=grain+ships"


def test_the_error_page_escapes_what_it_is_given() -> None:
    html = render("error.html", Links(static=False), heading="404", message='<script>alert(1)</script> "x"')
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_snippets_escape_the_text_and_mark_only_the_matches() -> None:
    from storyline.report.render import environment

    snippet = environment().filters["snippet"]
    out = str(snippet(f"a <b>bold</b> {HIGHLIGHT_START}grain{HIGHLIGHT_END} ship"))
    assert out == "a &lt;b&gt;bold&lt;/b&gt; <mark>grain</mark> ship"
