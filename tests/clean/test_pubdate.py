"""Publication day of a web page: byline, metadata, URL and htmldate, with evidence (pages written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.clean.dates import find_numeric_dates
from storyline.clean.metadata import infer_published
from storyline.clean.pubdate import page_date
from storyline.models import PageDate
from storyline.flow.clean import clean_document
from storyline.models import Article, RawDocument

STORY = " ".join(["The council of Lisk met again on the harbour plan and argued over the budget for the coming year."] * 5)
TODAY = date(2025, 6, 1)


def _page(head: str = "", byline: str = "", footer: str = "") -> str:
    return (f"<html><head><title>Harbour plan approved</title>{head}</head><body><nav>Home News Sport</nav>"
            f"<h1>Harbour plan approved</h1>{byline}<article><p>{STORY}</p><p>{STORY}</p></article>"
            f"<footer>{footer}</footer></body></html>")


def _clean(html: str, url: str | None = "https://harbour-ledger.example/news/harbour-plan") -> Article:
    return clean_document(RawDocument(source="t", html=html, url=url))


def _published_evidence(article: Article) -> list[tuple[str, str]]:
    return [(e.method, e.text) for e in article.evidence if e.field == "published"]


def test_byline_wins_over_utc_metadata_a_day_later() -> None:
    """Metadata in UTC says the 20th; the byline a reader sees says the 19th (evening, US time)."""
    html = _page('<meta property="article:published_time" content="2025-03-20T03:10:00+00:00">',
                 '<p class="byline">By Ana Brel | March 19, 2025 at 11:10 pm EST</p>')
    article = _clean(html)
    assert article.published == "2025-03-19" and not article.published_inferred
    [(method, text)] = _published_evidence(article)
    assert method == "byline" and "March 19, 2025" in text and "article:published_time" in text


def test_metadata_with_local_offset_is_not_overruled_by_a_date_a_day_off() -> None:
    """A header's "today" one day after a time stamped with the outlet's own offset is not the byline."""
    html = _page('<meta property="article:published_time" content="2025-03-19T06:30:00-05:00">',
                 "<p>Search Subscribe Mar. 20, 2025 Subscribe</p>")
    assert _clean(html).published == "2025-03-19"


def test_updated_date_is_passed_over_for_the_published_one() -> None:
    html = _page(byline="<p>Updated: April 2, 2025 9:00 am | Posted: March 30, 2025 8:11 pm</p>")
    article = _clean(html)
    assert article.published == "2025-03-30"
    assert _published_evidence(article)[0][0] == "byline"


def test_byline_showing_the_modified_date_gives_way_to_the_published_metadata() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-01-29T13:12:59-08:00",'
            ' "dateModified": "2025-02-01T10:48:39-08:00"}</script>')
    article = _clean(_page(head, "<p>February 1, 2025 | By Staff</p>"))
    assert article.published == "2024-01-29"
    [(method, text)] = _published_evidence(article)
    assert method == "json-ld" and "datePublished" in text


def test_time_element_marked_as_update_is_skipped() -> None:
    head = ('<meta property="article:published_time" content="2024-11-03T10:00:00-08:00">'
            '<meta property="article:modified_time" content="2025-02-01T10:00:00-08:00">')
    byline = '<p><time class="entry-updated updated" datetime="2025-02-01">February 1, 2025</time> | By Staff</p>'
    assert _clean(_page(head, byline)).published == "2024-11-03"
    assert page_date(_page(byline=byline), None, title="Harbour plan approved", today=TODAY) is None


def test_time_element_datetime_read_when_its_text_has_no_date() -> None:
    article = _clean(_page(byline='<p>Ana Brel <time datetime="2025-03-17T17:30:00-05:00">Monday 5:30PM</time></p>'))
    assert article.published == "2025-03-17"


def test_only_the_extensive_search_finds_a_date_and_it_is_flagged_inferred() -> None:
    footer = "<p>" + "Links and more links. " * 30 + "</p><p>Seite zuletzt bearbeitet am 12.03.2024</p>"
    article = _clean(_page(footer=footer))
    assert article.published == "2024-03-12" and article.published_inferred
    assert _published_evidence(article) == [("htmldate-extensive", "htmldate extensive search 2024-03-12")]


def test_a_dateline_in_the_text_comes_before_the_extensive_search() -> None:
    searched = PageDate("2024-01-01", "htmldate-extensive", "htmldate extensive search 2024-01-01", inferred=True)
    text = f"PORT ALVEN, March 12, 2025 — {STORY}"
    assert infer_published(declared=None, page_date=searched, text=text)[:2] == ("2025-03-12", True)
    value, inferred, [evidence] = infer_published(declared=None, page_date=searched, text=STORY)
    assert (value, inferred, evidence.method) == ("2024-01-01", True, "htmldate-extensive")


def test_no_date_anywhere_stays_null_with_no_evidence() -> None:
    article = _clean(_page(), url="https://harbour-ledger.example/news/harbour-plan")
    assert article.published is None and not article.published_inferred
    assert _published_evidence(article) == []


def test_url_date_when_nothing_else() -> None:
    article = _clean(_page(), url="https://harbour-ledger.example/2025/03/18/harbour-plan/")
    assert article.published == "2025-03-18"
    assert _published_evidence(article)[0][0] in ("url", "htmldate")


def test_future_dates_are_rejected() -> None:
    html = _page(byline="<p>By Staff | March 3, 2031</p>")
    assert page_date(html, None, title="Harbour plan approved", today=TODAY) is None


def test_extensive_search_breaks_a_disagreement_between_byline_and_markup() -> None:
    html = _page(byline="<p>By Staff · 05.10.2024</p>")
    decided = page_date(html, None, title="Harbour plan approved", markup="2024-09-24", extensive=lambda: "2024-10-05", today=TODAY)
    assert decided is not None
    assert (decided.day, decided.method, decided.inferred) == ("2024-10-05", "byline", False)
    assert "htmldate extensive search" in decided.evidence
    not_confirmed = page_date(html, None, title="Harbour plan approved", markup="2024-09-24", extensive=lambda: None, today=TODAY)
    assert not_confirmed is not None and (not_confirmed.day, not_confirmed.method) == ("2024-09-24", "htmldate")


def test_extensive_search_runs_only_when_needed() -> None:
    calls: list[int] = []

    def extensive() -> str | None:
        calls.append(1)
        return None

    html = _page('<meta name="pubdate" content="2025-03-19">', "<p>By Staff | March 19, 2025</p>")
    assert page_date(html, None, title="Harbour plan approved", markup="2025-03-19", extensive=extensive, today=TODAY).day == "2025-03-19"  # type: ignore[union-attr]
    assert calls == []


def test_caption_dates_are_not_bylines() -> None:
    byline = "<p>A boat in the harbour at Lisk, Tuesday, March 4, 2025. (Photo/Ana Brel)</p><p>By Staff | March 6, 2025</p>"
    assert page_date(_page(byline=byline), None, title="Harbour plan approved", today=TODAY).day == "2025-03-06"  # type: ignore[union-attr]


@pytest.mark.parametrize("written, readings", [
    ("27/09/2018", [date(2018, 9, 27)]),
    ("11.14.2019", [date(2019, 11, 14)]),
    ("05.10.18", [date(2018, 10, 5), date(2018, 5, 10)]),
    ("2016.12.01", [date(2016, 12, 1)]),
])
def test_numeric_dates_keep_every_valid_reading(written: str, readings: list[date]) -> None:
    [found] = find_numeric_dates(f"Posted {written} 11:15")
    assert list(found.readings) == readings and found.text == written


def test_page_date_survives_pickling() -> None:
    import pickle

    value = PageDate("2025-03-19", "byline", "By Staff | March 19, 2025")
    back = pickle.loads(pickle.dumps(value))
    assert back == value and (back.day, back.method, back.inferred) == ("2025-03-19", "byline", False)


def test_a_searched_date_the_story_itself_reports_is_not_its_publication_date() -> None:
    searched = PageDate("2025-01-15", "htmldate-extensive", "htmldate extensive search 2025-01-15", inferred=True)
    text = f"{STORY}\n\nThe blockade was imposed by decree on January 15, 2025, after months of talks."
    assert infer_published(declared=None, page_date=searched, text=text) == (None, False, ())
