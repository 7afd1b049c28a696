"""SVG charts: marks per record, lags, the earlier gutter, periods, label folding, escaping, determinism."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from markupsafe import Markup

from storyline.report.charts import (
    LabelCount, TimelinePoint, label_chart, outlet_activity_chart, timeline_chart,
)

NS = "{http://www.w3.org/2000/svg}"


def _tree(svg: Markup) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{NS}svg"
    return root


def _marks(svg: Markup, cls: str) -> list[ET.Element]:
    return [el for el in _tree(svg).iter() if el.get("class") == cls]


def _tip(el: ET.Element) -> str:
    title = el.find(f"{NS}title")
    assert title is not None and title.text is not None
    return title.text


def _article(outlet: str | None, day: str | None, label: str = "a story", href: str | None = None) -> TimelinePoint:
    return TimelinePoint(outlet, day, "article", label, href)


def _event(outlet: str | None, day: str | None, reported: str | None, label: str = "something happened") -> TimelinePoint:
    return TimelinePoint(outlet, day, "event", label, None, reported)


STORY = (
    _article("Herald", "2025-01-17", "Blockade begins", "/articles/1"),
    _event("Herald", "2025-01-15", "2025-01-17", "Carvenne blockade begins"),
    _article("Gazette", "2025-02-03", "Talks stall", "https://example.org/talks"),
    _event("Gazette", "2025-01-20", "2025-02-03", "Talks open"),
    _event("Gazette", "2025-01-21", None, "Envoy arrives"),
    _article(None, "2025-02-10", "Wire copy"),
)


def _tick_labels(svg: Markup) -> list[str]:
    return [el.text or "" for el in _marks(svg, "tick")]


# -- every chart ------------------------------------------------------------------------------------------


def _charts_of(outlet: str | None, label: str, href: str | None) -> list[Markup]:
    return [
        timeline_chart([_article(outlet, "2025-01-17", label, href), _event(outlet, "2025-01-15", "2025-01-17", label)],
                       title=label),
        outlet_activity_chart([(outlet, "2025-01-17"), (outlet, "2025-01-18")], title=label),
        label_chart(label, [LabelCount(outlet, label, 3)]),
    ]


@pytest.mark.parametrize("chart", range(3))
def test_untrusted_text_is_escaped_and_bad_links_dropped(chart: int) -> None:
    svg = _charts_of('"><img onerror=alert(1)>', "<script>x</script>", "javascript:alert(1)")[chart]
    text = str(svg)
    assert "<script" not in text and "<img" not in text and "&lt;script&gt;" in text
    assert "javascript:" not in text and "<a" not in text
    _tree(svg)


@pytest.mark.parametrize(("href", "kept"), [
    ("/articles/7", True), ("articles/7?x=1", True), ("https://example.org/a", True), ("HTTP://example.org/a", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False), ("data:text/html,x", False), ("//evil.example/a", False), ("/\\evil.example", False),
    ("vbscript:x", False), ("https:/no-host", False), ("", False), (None, False),
])
def test_timeline_keeps_only_relative_or_http_links(href: str | None, kept: bool) -> None:
    svg = timeline_chart([_article("Herald", "2025-01-17", "x", href)])
    links = [el for el in _tree(svg).iter(f"{NS}a")]
    assert len(links) == (1 if kept else 0)
    if kept:
        assert links[0].get("href") == href


@pytest.mark.parametrize("svg", [
    timeline_chart(STORY), outlet_activity_chart([("Herald", "2025-01-01"), (None, "2025-03-01")]),
    label_chart("the leader", [LabelCount("Herald", "President", 2), LabelCount(None, "strongman", 1)]),
    timeline_chart([]), outlet_activity_chart([]), label_chart("x", []),
])
def test_charts_are_accessible_scalable_and_need_no_inline_style_or_script(svg: Markup) -> None:
    root, text = _tree(svg), str(svg)
    assert isinstance(svg, Markup)
    assert root.get("role") == "img" and root.get("aria-label") and root.get("width") == "100%" and root.get("viewBox")
    assert root.find(f"{NS}title") is not None
    assert "style=" not in text and "<style" not in text and "<script" not in text and not re.search(r"\son\w+=", text)


@pytest.mark.parametrize(("svg", "message"), [
    (timeline_chart([]), "Nothing to draw"),
    (timeline_chart([_article("Herald", None), _event("Herald", None, "2025-01-01")]), "2 undated not shown"),
    (outlet_activity_chart([]), "Nothing to draw"),
    (outlet_activity_chart([("Herald", None), ("Herald", "not a date")]), "2 undated not shown"),
    (label_chart("x", [LabelCount("Herald", "President", 0)]), "Nothing to draw"),
])
def test_empty_input_draws_a_message(svg: Markup, message: str) -> None:
    assert message in str(svg)
    _tree(svg)


def test_output_is_deterministic() -> None:
    counts = [LabelCount(f"Outlet {i % 5}", f"label {i % 17}", i % 4) for i in range(60)]
    assert timeline_chart(STORY) == timeline_chart(tuple(STORY))
    assert timeline_chart(STORY) == timeline_chart(list(reversed(STORY)))
    assert outlet_activity_chart([("A", "2025-01-01"), ("B", "2025-01-09")]) == outlet_activity_chart(
        [("A", "2025-01-01"), ("B", "2025-01-09")])
    assert label_chart("x", counts) == label_chart("x", counts)


def test_outlet_colours_follow_sorted_names_and_unknown_is_grey() -> None:
    svg = timeline_chart([_article("Zeta", "2025-01-02"), _article("Alpha", "2025-01-01"), _article(None, "2025-01-03")])
    fills = {_tip(el).split(" · ")[0]: el.get("fill") for el in _marks(svg, "dot-article")}
    assert fills == {"Alpha": "#0072B2", "Zeta": "#E69F00", "unknown outlet": "#888888"}


# -- timeline -----------------------------------------------------------------------------------------------


def test_timeline_draws_one_mark_per_dated_record_and_one_lag_per_reported_event() -> None:
    svg = timeline_chart(STORY)
    assert len(_marks(svg, "dot-article")) == 3
    assert len(_marks(svg, "dot-event")) == 3
    assert len(_marks(svg, "lag")) == 2
    assert [el.text for el in _marks(svg, "outlet")] == ["Gazette", "Herald", "unknown outlet"]
    assert all(text in str(svg) for text in ("article (publication date)", "event (date it happened)", "reporting lag"))


@pytest.mark.parametrize(("happened", "reported", "expected"), [
    ("2025-01-15", "2025-01-17", "(lag 2 days)"),
    ("2025-01-17", "2025-01-17", "(lag 0 days)"),
    ("2024-12-31", "2025-01-01", "(lag 1 day)"),
    ("2024-02-28", "2024-03-01", "(lag 2 days)"),
    ("2025-01-20", "2025-01-17", "(reported 3 days before it)"),
])
def test_lag_tooltip_counts_days(happened: str, reported: str, expected: str) -> None:
    svg = timeline_chart([_article("Herald", reported), _event("Herald", happened, reported, "Carvenne blockade begins")])
    (event,) = _marks(svg, "dot-event")
    assert _tip(event) == f"Herald · {happened} · Carvenne blockade begins {expected}"
    (lag,) = _marks(svg, "lag")
    assert _tip(lag) == _tip(event)


def test_an_old_event_goes_to_the_gutter_and_leaves_the_axis_alone() -> None:
    articles = [_article("Herald", "2025-01-10"), _article("Herald", "2025-02-20")]
    old = _event("Herald", "2015-01-10", "2025-01-10", "The treaty is signed")
    without, with_old = timeline_chart(articles), timeline_chart([*articles, old])
    assert [t for t in _tick_labels(with_old) if t != "earlier"] == _tick_labels(without)
    axis = _marks(with_old, "axis")[0]
    (event,) = _marks(with_old, "dot-event")
    xs = [float(n) for n in re.findall(r"[-\d.]+", event.get("d", ""))[::2]]
    assert max(xs) < float(axis.get("x1", "0"))
    assert "2015-01-10" in _tip(event)
    assert "earlier" in _tick_labels(with_old) and "earlier" not in _tick_labels(without)


def test_a_recent_event_before_the_articles_widens_the_axis_instead() -> None:
    svg = timeline_chart([_article("Herald", "2025-06-01"), _event("Herald", "2024-09-01", "2025-06-01")])
    assert "earlier" not in _tick_labels(svg)
    assert "Sep 2024" in _tick_labels(svg)


@pytest.mark.parametrize(("first", "last", "labels"), [
    ("2025-01-15", "2025-01-15", ["Jan 14", "Jan 15", "Jan 16"]),
    ("2025-01-01", "2025-02-10", ["Jan 6", "Jan 13", "Jan 20", "Jan 27", "Feb 3", "Feb 10"]),
    ("2025-01-15", "2025-08-15", ["Feb 2025", "Mar 2025", "Apr 2025", "May 2025", "Jun 2025", "Jul 2025", "Aug 2025"]),
    ("2015-06-01", "2025-06-01", ["2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025"]),
])
def test_axis_ticks_follow_the_span(first: str, last: str, labels: list[str]) -> None:
    assert _tick_labels(timeline_chart([_article("A", first), _article("A", last)])) == labels


def test_same_day_marks_do_not_sit_on_top_of_each_other() -> None:
    svg = timeline_chart([_article("Herald", "2025-01-17", f"story {i}") for i in range(7)])
    spots = {(el.get("cx"), el.get("cy")) for el in _marks(svg, "dot-article")}
    assert len(spots) == 7


def test_long_names_are_truncated_with_the_full_name_in_the_tooltip() -> None:
    name = "The Extremely Long Name of a Regional Evening Newspaper"
    svg = timeline_chart([_article(name, "2025-01-17")])
    (label,) = _marks(svg, "outlet")
    assert label.text is not None and len(label.text) <= 24 and label.text.endswith("…")
    (row,) = _marks(svg, "row-label")
    assert _tip(row) == name
    assert _tip(_marks(svg, "dot-article")[0]).startswith(name)


def test_many_outlets_are_capped_with_a_note() -> None:
    svg = timeline_chart([_article(f"Outlet {i:02}", "2025-01-17") for i in range(45)])
    assert len(_marks(svg, "outlet")) == 40
    assert "5 more outlets not shown" in str(svg)


def test_undated_points_are_counted() -> None:
    svg = timeline_chart([*STORY, _article("Herald", None), _event("Herald", None, "2025-01-17")])
    assert "2 undated not shown" in str(svg)
    assert len(_marks(svg, "dot-article")) + len(_marks(svg, "dot-event")) == 6


# -- outlet activity --------------------------------------------------------------------------------------


def _days(start: str, span: int, step: int = 1) -> list[str]:
    first = date.fromisoformat(start)
    return [(first + timedelta(days=d)).isoformat() for d in range(0, span + 1, step)]


@pytest.mark.parametrize(("span", "period"), [(0, "day"), (31, "day"), (32, "week"), (26 * 7, "week"), (26 * 7 + 1, "month"),
                                              (900, "month")])
def test_activity_period_follows_the_span(span: int, period: str) -> None:
    svg = outlet_activity_chart([("Herald", d) for d in _days("2025-01-01", span, max(span // 9, 1))] +
                                [("Herald", _days("2025-01-01", span)[-1])])
    assert f"Articles per {period};" in str(svg)


@pytest.mark.parametrize("span", [0, 20, 100, 700])
def test_activity_cells_sum_to_the_dated_input(span: int) -> None:
    outlets = ["Herald", "Gazette", None, "Times"]
    items = [(outlets[i % 4], day) for i, day in enumerate(_days("2025-01-01", span, max(span // 30, 1)) * 3)]
    svg = outlet_activity_chart([*items, ("Herald", None)])
    cells = _marks(svg, "cell")
    assert sum(int(el.get("data-count", "0")) for el in cells) == len(items)
    assert sum(int(el.text or "0") for el in _marks(svg, "total")) == len(items)
    assert "1 undated not shown" in str(svg)


def test_activity_cell_tooltip_names_the_outlet_period_and_count() -> None:
    svg = outlet_activity_chart([("Herald", "2025-01-15"), ("Herald", "2025-01-16"), ("Herald", "2025-01-16")])
    assert sorted(_tip(el) for el in _marks(svg, "cell")) == [
        "Herald · 2025-01-15 · 1 article", "Herald · 2025-01-16 · 2 articles"]
    svg = outlet_activity_chart([("Herald", "2025-01-15"), ("Herald", "2025-01-16"), ("Herald", "2025-04-01")])
    assert "Herald · week of 2025-01-13 · 2 articles" in [_tip(el) for el in _marks(svg, "cell")]


# -- labels -------------------------------------------------------------------------------------------------


def test_label_chart_puts_the_most_used_label_first_and_folds_the_rest() -> None:
    counts = [LabelCount("Herald", "President", 9), LabelCount("Times", "strongman", 4), LabelCount("Times", "President", 2)]
    counts += [LabelCount("Post", f"label {i:02}", 1) for i in range(15)]
    svg = label_chart("Mr Varo", counts)
    headers = [_tip(el) for el in _marks(svg, "label-name")]
    assert headers[:2] == ["President", "strongman"] and headers[-1] == "other labels" and len(headers) == 13
    assert sum(int(el.get("data-count", "0")) for el in _marks(svg, "cell")) == 9 + 4 + 2 + 15
    assert "Post · other labels · 5 times" in [_tip(el) for el in _marks(svg, "cell")]
    assert "How outlets label Mr Varo" in str(svg)


def test_label_chart_cell_sizes_follow_counts() -> None:
    svg = label_chart("x", [LabelCount("Herald", "President", 9), LabelCount("Herald", "leader", 1)], title="Labels")
    radii = {_tip(el): float(el.get("r", "0")) for el in _marks(svg, "cell")}
    assert radii["Herald · President · 9 times"] > radii["Herald · leader · 1 time"]
    assert [el.text for el in _marks(svg, "count")] == ["9", "1"]
    assert _tree(svg).find(f"{NS}title").text == "Labels"  # type: ignore[union-attr]


def test_activity_counts_draw_the_same_chart_as_one_pair_per_article() -> None:
    pairs = [("Herald", "2025-03-04")] * 3 + [("Ledger", "2025-03-05"), (None, "2025-03-20"), ("Ledger", None)]
    counted = [("Herald", "2025-03-04", 3), ("Ledger", "2025-03-05", 1), (None, "2025-03-20", 1), ("Ledger", None, 1)]
    assert outlet_activity_chart(counted) == outlet_activity_chart(pairs)
