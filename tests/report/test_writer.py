"""The static report over the demo database: every page written, every link resolves, no network, no script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import report_of
from storyline.store.schema import connect

_REF = re.compile(r'(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest) -> str:
    """The demo store on each backend (module-scoped, so each backend's report is written once)."""
    return str(request.getfixturevalue("demo_db" if request.param == "sqlite" else "demo_pg"))


@pytest.fixture(scope="module")
def report(demo: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_of(demo, tmp_path_factory.mktemp("report"))


def _count(demo_db: Path | str, sql: str) -> int:
    conn = connect(demo_db, readonly=True)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(("folder", "sql"), [
    ("stories", "SELECT COUNT(*) FROM stories"),
    ("threads", "SELECT COUNT(*) FROM threads"),
    ("articles", "SELECT COUNT(*) FROM articles"),
    ("claims", "SELECT COUNT(DISTINCT group_id) FROM claim_groups"),
])
def test_one_page_per_record(report: Path, demo: str, folder: str, sql: str) -> None:
    assert len(list((report / folder).glob("*.html"))) == _count(demo, sql) > 0


def test_the_report_is_the_same_from_either_backend(demo_db: Path, demo_pg: str, tmp_path: Path) -> None:
    """The same corpus in SQLite and in PostgreSQL gives the same report, page for page and byte for byte: every
    list the pages show has a total order (ties broken by id or name; NULLs placed as SQLite places them)."""
    sqlite_report, pg_report = report_of(demo_db, tmp_path / "sqlite"), report_of(demo_pg, tmp_path / "postgresql")
    pages = sorted(p.relative_to(sqlite_report) for p in sqlite_report.rglob("*") if p.is_file())
    assert pages == sorted(p.relative_to(pg_report) for p in pg_report.rglob("*") if p.is_file())
    assert [page for page in pages if (sqlite_report / page).read_bytes() != (pg_report / page).read_bytes()] == []


def test_every_local_link_resolves_and_nothing_is_fetched_from_the_network(report: Path) -> None:
    pages = list(report.rglob("*.html"))
    broken, remote = [], []
    for page in pages:
        for ref in _REF.findall(page.read_text(encoding="utf-8")):
            if ref.startswith(("http://", "https://")):
                remote.append((page.name, ref))  # only articles' own source links may point out
                continue
            target = (page.parent / ref.split("#")[0]).resolve()
            if ref and not ref.startswith("#") and not target.exists():
                broken.append((page.relative_to(report), ref))
    assert not broken
    assert all(page.startswith(("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f")) and
               "rel=" not in ref for page, ref in remote)  # outside links live only on article pages (hex ids)
    assert (report / "assets" / "storyline.css").stat().st_size > 1000


def test_every_page_forbids_scripts_and_has_none(report: Path) -> None:
    for page in report.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "script-src 'none'" in html, page
        assert "<script" not in html.lower(), page


def test_a_story_page_shows_every_section(report: Path) -> None:
    largest = max((report / "stories").glob("*.html"), key=lambda p: p.stat().st_size)
    html = largest.read_text(encoding="utf-8")
    for needle in ('class="chart chart-timeline"', 'id="claims"', 'id="quotes"', 'class="tree"', 'class="framing"',
                   "chart-labels", "independent origin", 'class="origins"'):
        assert needle in html, needle


def test_claim_pages_explain_origins_show_wording_and_what_was_kept_apart(report: Path) -> None:
    pages = [p.read_text(encoding="utf-8") for p in (report / "claims").glob("*.html")]
    told = [h for h in pages if "joined: " in h]  # a group told more than once: its joins carry their evidence
    assert told
    for html in told:
        assert 'id="origins"' in html and '<ol class="origins">' in html and 'id="related"' in html
        assert "its own " in html or "outlet or speaker unknown" in html  # why each origin counts apart, or why it is not certain
        assert "similarity 0." in html or "similarity 1." in html
    assert any('<ul class="related">' in h and ("opposite polarity" in h or "similarity" in h) for h in pages)


def test_article_pages_strike_through_the_cut_boilerplate(report: Path) -> None:
    pages = [p.read_text(encoding="utf-8") for p in (report / "articles").glob("*.html")]
    cut = [h for h in pages if '<p class="cut"><del>' in h]
    assert cut, "some demo article has boilerplate cut"
    assert all('class="reason">cut: ' in h for h in cut)
    assert sum('class="m quote' in h for h in pages) > len(pages) // 2
    assert any('class="claim-link"' in h for h in pages)


def test_dates_read_in_words_not_codes(report: Path) -> None:
    """Time marks, the article's table and the story timeline show "3 March 2025", "week of ...", never the codes."""
    pages = [p.read_text(encoding="utf-8") for p in (*(report / "articles").glob("*.html"), *(report / "stories").glob("*.html"))]
    text = "\n".join(pages)
    assert re.search(r"time · \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}", text)
    assert not re.search(r"\((day|week|month|season|quarter|year)\)|<span class=\"meta\">(day|week|month|season)</span>", text)
    assert not re.search(r">\d{4}-(W\d\d|SP|SU|FA|WI|Q\d)\b", text)
