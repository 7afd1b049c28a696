"""Outlet, publication date and headline rules, with their evidence."""

from __future__ import annotations

import pytest

from storyline.clean.metadata import infer_outlet, infer_published, looks_like_title, strip_outlet_suffix, title_from_text


@pytest.mark.parametrize(("line", "is_title"), [
    ("Maresh Quietly Signals Openness To Port Deal", True),
    ("Ferry talks stall – Meridian Daily", True),
    ("Is peace finally near?", True),
    ("Ilona Maresh may have run out of patience.", False),
    ("PORT SAREN, March 12, 2025 — The queue began before five.", False),
    ("Trending", False),
    ("“We are ready,” she said", False),
    ("Officials said the convoy would leave on Monday, weather permitting, and return by the end of the week with grain", False),
])
def test_looks_like_title(line: str, is_title: bool) -> None:
    assert looks_like_title(line) is is_title


def test_title_from_text_skips_labels_but_not_story() -> None:
    assert title_from_text("Trending\n\nFerry talks stall\n\nThe talks stalled.")[0] == "Ferry talks stall"
    assert title_from_text("The talks stalled on Monday, officials said.\n\nMore text.")[0] is None


@pytest.mark.parametrize(("kwargs", "outlet", "method"), [
    ({"declared": "Harbour Ledger", "sitename": "x"}, "Harbour Ledger", "declared"),
    ({"sitename": "Meridian Daily", "title": "A – Other Name"}, "Meridian Daily", "html-meta"),
    ({"title": "Talks resume: Report – Times of India"}, "Times of India", "title-suffix"),
    ({"title": "Ferry talks stall | Northgate Post"}, "Northgate Post", "title-suffix"),
    ({"title": "Ukraine war - Live Updates", "url": "https://www.news.example/a"}, "news.example", "url-host"),
    ({"title": "Putin is ready – Reuters", "body": "Reuters reports this, quoting officials in Lisk."}, None, "title-suffix-rejected"),
    ({}, None, None),
])
def test_infer_outlet(kwargs: dict, outlet: str | None, method: str | None) -> None:  # type: ignore[type-arg]
    args = {"declared": None, "sitename": None, "title": None, "url": None, "body": ""} | kwargs
    value, evidence = infer_outlet(**args)
    assert value == outlet
    assert (evidence[0].method if evidence else None) == method


@pytest.mark.parametrize(("text", "date", "method"), [
    ("PORT SAREN, March 12, 2025 — The queue formed early.", "2025-03-12", "dateline"),
    ("KYIV, 4 March 2025 (Wire) - Talks resumed.", "2025-03-04", "dateline"),
    ("Published: March 3, 2025\n\nThe talks resumed.", "2025-03-03", "published-line"),
    ("Intro paragraph.\n\nVarga at a meeting with Osei in Brenholt on May 23, 2024. Ministry photo\n\nMore.", "2024-05-23", "caption"),
    ("President Maresh at a meeting in Lisk on March 20, 2025.\n\nThe president said no.", "2025-03-20", "caption"),
    ("Carvenne closed the strait on Feb. 24, 2022, then took most of the coast.", None, None),
    ("The festival opens on March 21, 2025, organisers said, and will run for a week in the old town.", None, None),
])
def test_published_from_text(text: str, date: str | None, method: str | None) -> None:
    value, inferred, evidence = infer_published(declared=None, page_date=None, text=text)
    assert value == date
    assert inferred is (date is not None)
    if date:
        ev = evidence[0]
        assert ev.method == method
        assert text[ev.start:ev.end] == ev.text


def test_declared_dates_win_and_are_not_inferred() -> None:
    assert infer_published(declared="Tue, 11 Mar 2025 08:00:00 GMT", page_date="2025-01-01", text="")[:2] == ("2025-03-11", False)
    assert infer_published(declared=None, page_date="2025-03-05", text="PORT, March 1, 2025 — x")[:2] == ("2025-03-05", False)
    assert infer_published(declared="not a date", page_date=None, text="")[0] is None


def test_strip_outlet_suffix() -> None:
    assert strip_outlet_suffix("Ferry talks stall – Meridian Daily", "Meridian Daily") == "Ferry talks stall"
    assert strip_outlet_suffix("Putin is ready – Reuters", None) == "Putin is ready – Reuters"
    assert strip_outlet_suffix("Meridian Daily", "Meridian Daily") == "Meridian Daily"
