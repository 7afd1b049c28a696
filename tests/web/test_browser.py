"""The web app and the static report in a real headless Chromium (pytest-playwright, Debian's Chromium).

What a reader does: overview -> thread -> story -> article -> every appearance of a claim;
search words and phrases; filter by outlet and date; add an article through the form and
watch the job finish; and, the one that matters, open every page that shows the hostile
articles (script tags, event handlers, ``javascript:`` links in title, outlet, URL and text)
and check that nothing from them runs, with the page's CSP and with the CSP bypassed.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from storyline.report.render import slug
from tests.conftest import report_of

from .conftest import REPO, SMALL_CAP

STORY_PNG = REPO / "docs" / "images" / "story-page.png"
HOSTILE_MARK = "%__pwned%"
INJECTED = "script, iframe, object, embed, [onerror], [onload], [onmouseover], [onclick], [onfocus]"
"""Elements or attributes that would mean a payload became markup (the pages themselves have none)."""
JS_LINKS = 'a[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]'
PAYLOADS = (
    '<script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=2">',
    '<svg onload="window.__pwned=3"></svg>',
)


def _count(text: str) -> int:
    found = re.search(r"\d+", text)
    assert found, f"no number in {text!r}"
    return int(found.group())


def _result_count(page: Page) -> int:
    return _count(page.locator("#result-count").inner_text())


def _result_outlets(page: Page) -> list[str]:
    return page.locator("table.articles tbody tr td:nth-child(2)").all_inner_texts()


def _hrefs(page: Page, selector: str) -> list[str]:
    """Return the absolute URLs of the links matching ``selector``, in page order, without repeats."""
    urls: list[str] = page.locator(selector).evaluate_all("els => els.map(e => e.href)")
    return list(dict.fromkeys(u.split("#")[0] for u in urls))


# --- reading: overview -> thread -> story -> article -> claim -----------------------------------


def _open_largest_story(page: Page) -> str:
    """From a thread page, click the story with the most articles; return its title."""
    items = page.locator("ul.stories > li")
    assert items.count() >= 1
    sizes = [_count(items.nth(i).locator(".meta").inner_text()) for i in range(items.count())]
    link = items.nth(sizes.index(max(sizes))).locator("a").first
    title = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/stories/story"))
    return title


def _assert_story_sections(page: Page) -> None:
    expect(page.locator("#timeline svg.chart-timeline")).to_be_visible()
    assert page.locator("#timeline svg.chart-timeline circle, #timeline svg.chart-timeline path").count() > 0
    assert page.locator("#articles table.articles tbody tr").count() >= 2
    assert page.locator("#claims article.claim table.appearances tbody tr").count() >= 2
    assert page.locator("#quotes article.speaker ul.quotes li").count() >= 1
    assert page.locator("#sources ul.tree li .node").count() >= 1
    assert page.locator("#framing table.framing tbody tr").count() >= 1
    assert page.locator("#framing table.framing-outlets tbody tr").count() >= 1


def _save_readme_screenshot(page: Page) -> None:
    """Rewrite docs/images/story-page.png: the story page at 1280 wide, cut at 2,400 px."""
    page.set_viewport_size({"width": 1280, "height": 900})
    height = min(2400, int(page.evaluate("document.documentElement.scrollHeight")))
    STORY_PNG.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(STORY_PNG), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": height})
    assert STORY_PNG.stat().st_size < 1_000_000, "the README screenshot must stay under 1 MB"


def _shows_everything(page: Page) -> bool:
    marked = all(page.locator(f".article-text .m.{kind}").count() for kind in ("quote", "claim", "time"))
    return marked and page.locator("p.cut del").count() > 0 and page.locator("a.appearances-link").count() > 0


def _open_article_with_cut_boilerplate(page: Page) -> str:
    """From a story page, open the first of its articles that shows quotes, claims, times, cut boilerplate and grouped claims."""
    story_url = page.url
    links = _hrefs(page, "#articles table.articles tbody a[href*='/articles/']")
    assert links, "the story lists no articles"
    for href in links:
        page.goto(story_url)
        page.locator(f"#articles table.articles a[href='{urlsplit(href).path}']").first.click()
        expect(page).to_have_url(href)
        if _shows_everything(page):
            return href
    raise AssertionError(f"no article of {story_url} shows marked quotes, claims and times, cut boilerplate and a grouped claim")


def test_read_from_overview_to_claim(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/")
    expect(page.locator("h1")).to_have_text("Threads and stories")
    page.locator("ol.threads li.thread h2 a").first.click()
    expect(page).to_have_url(re.compile(r"/threads/thread"))
    expect(page.locator("h1 .kind")).to_have_text("Thread")

    title = _open_largest_story(page)
    expect(page.locator("h1")).to_contain_text(title)
    _assert_story_sections(page)
    if os.environ.get("STORYLINE_UPDATE_SCREENSHOT") == "1":
        _save_readme_screenshot(page)

    article_url = _open_article_with_cut_boilerplate(page)
    expect(page.locator("h1 .kind")).to_have_text("Article")
    for kind in ("quote", "claim", "time"):
        assert page.locator(f".article-text .m.{kind}").count() > 0, f"no .m.{kind} marked in the article text"
    expect(page.locator(".article-text p.cut del").first).to_be_visible()
    expect(page.locator(".article-text p.cut .reason").first).to_contain_text("cut:")

    page.locator("a.appearances-link").first.click()
    expect(page).to_have_url(re.compile(r"/claims/"))
    expect(page.locator("h1 .kind")).to_have_text("Claim")
    rows = page.locator("table.appearances tbody tr")
    assert rows.count() >= 1
    back = urlsplit(article_url).path
    assert page.locator(f"table.appearances tbody tr a[href='{back}']").count() >= 1, f"the claim page does not list {back}"


# --- search and filters ----------------------------------------------------------------------


def test_search_words_and_phrases(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/")
    page.locator("#q-top").fill("Brenholt")
    page.locator("#q-top").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Brenholt"))
    total = _result_count(page)
    assert total >= 2
    assert page.locator("table.articles tbody tr").count() == min(total, 50)
    marks = page.locator("table.articles .snippet mark").all_inner_texts()
    assert marks and all(m.lower() == "brenholt" for m in marks), marks

    form = page.locator("form.filters")
    form.locator("input[name=q]").fill('"separate rooms"')
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("separate rooms")
    phrase = _result_count(page)
    assert 1 <= phrase < total
    marks = page.locator("table.articles .snippet mark").all_inner_texts()
    assert marks and all(m.lower() == "separate rooms" for m in marks), marks

    form.locator("input[name=q]").fill('"rooms separate"')  # the same words, not that phrase
    form.locator("button[type=submit]").click()
    expect(page.locator("#result-count")).to_contain_text("0 articles")
    expect(page.locator("p.empty")).to_be_visible()
    form.locator("input[name=q]").fill("rooms separate")
    form.locator("button[type=submit]").click()
    assert _result_count(page) >= phrase


def test_filter_by_outlet_and_date(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/search")
    everything = _result_count(page)
    form = page.locator("form.filters")
    options = form.locator("select[name=outlet] option").all()
    outlet = next(o.get_attribute("value") for o in options if o.get_attribute("value"))
    assert outlet
    form.locator("select[name=outlet]").select_option(outlet)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"outlet="))
    narrowed = _result_count(page)
    assert 1 <= narrowed < everything
    assert _result_outlets(page) == [outlet] * narrowed
    expect(form.locator("select[name=outlet]")).to_have_value(outlet)

    page.goto(demo_server + "/search")
    form.locator("input[name=since]").fill("2025-03-10")
    form.locator("input[name=until]").fill("2025-03-31")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"since=2025-03-10.*until=2025-03-31"))
    in_march = _result_count(page)
    assert 1 <= in_march < everything
    days = page.locator("table.articles tbody time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(days) == in_march and all("2025-03-10" <= d <= "2025-03-31" for d in days), days


# --- adding articles through the form ----------------------------------------------------------

INVENTED = """Lamplighters of Vennick Point vote to relight the old harbour beacon

VENNICK POINT, June 3, 2025 - The lamplighters' guild of Vennick Point voted on Tuesday to relight the \
harbour beacon that has stood dark since the storm of 1998, guild secretary Orla Fenwright said.

"The boats have waited long enough for a proper light," Fenwright told members at the guild hall, \
adding that the copper lantern would be polished by volunteers before the midsummer festival.

The town council is expected to approve the cost of the new wicks and oil at its meeting on June 17. \
Councillor Brannoc Hale said the beacon would burn every night from dusk until the last ferry docks.
"""


def _wait_for_job(page: Page) -> str:
    state = page.locator("#job-state")
    expect(state).to_have_text(re.compile(r"^\s*(done|failed)\s*$"), timeout=120_000)
    return state.inner_text().strip()


def test_ingest_an_uploaded_file(page: Page, demo_server: str, tmp_path: Path) -> None:
    upload = tmp_path / "vennick-beacon.txt"
    upload.write_text(INVENTED, encoding="utf-8")
    page.goto(demo_server + "/ingest")
    page.locator("input[name=file]").set_input_files(str(upload))
    page.locator("form.ingest button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ingest/[0-9a-f]+$"))
    assert _wait_for_job(page) == "done", page.locator("main").inner_text()
    expect(page.locator("#job-ingested")).to_have_text("1")
    assert page.locator("ul.failures").count() == 0

    page.locator("ul.added a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/"))
    expect(page.locator("h1")).to_contain_text("relight the old harbour beacon")
    expect(page.locator(".article-text")).to_contain_text("polished by volunteers before the midsummer festival")
    assert page.locator(".article-text .m.quote").count() >= 1, "the new article was not annotated"


def test_ingest_refuses_a_loopback_url(page: Page, demo_server: str) -> None:
    page.goto(demo_server + "/ingest")
    expect(page.locator("form.ingest")).to_contain_text("loopback")
    page.locator("input[name=url]").fill(demo_server + "/")
    page.locator("form.ingest button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ingest/[0-9a-f]+$"))
    _wait_for_job(page)
    expect(page.locator("#job-ingested")).to_have_text("0")
    failure = page.locator("ul.failures li")
    expect(failure).to_have_count(1)
    expect(failure).to_contain_text(re.compile(r"loopback|private"))
    expect(failure).to_contain_text("refused")


def _article_count(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def _uploads(db: Path) -> list[Path]:
    folder = db.with_name(db.name + ".uploads")
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upload_over_the_cap_is_refused(capped_server: str, capped_db: Path) -> None:
    before, kept = _article_count(capped_db), _uploads(capped_db)
    body = b"Word after word. " * (4 * SMALL_CAP // 17)  # four times max_bytes, past the form's slack too
    response = httpx.post(capped_server + "/ingest", files={"file": ("huge.txt", body, "text/plain")}, timeout=30)
    assert response.status_code == 413
    assert "limit" in response.text
    assert _article_count(capped_db) == before
    assert _uploads(capped_db) == kept


def test_upload_just_over_the_cap_is_refused(capped_server: str, capped_db: Path) -> None:
    kept = _uploads(capped_db)
    body = b"Word after word. " * (SMALL_CAP // 17 + 100)  # a little over max_bytes
    assert len(body) > SMALL_CAP
    response = httpx.post(capped_server + "/ingest", files={"file": ("big.txt", body, "text/plain")}, timeout=30)
    assert response.status_code == 413
    assert _uploads(capped_db) == kept


# --- hostile input: nothing runs, everything shows as text ------------------------------------------


def _assert_inert(page: Page, where: str) -> None:
    """Fail when a payload ran or became markup on this page; it must show as text instead."""
    pwned = page.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
    assert pwned is None, f"payload {pwned} ran on {where}"
    assert page.locator(JS_LINKS).count() == 0, f"a javascript: link on {where}"
    injected = page.locator(INJECTED).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 120))")
    assert not injected, f"payload markup on {where}: {injected}"
    assert "window.__pwned=" in page.locator("body").inner_text(), f"the payload is not shown as text on {where}"


def _poke(page: Page) -> None:
    """Hover and click what a payload could hang on: headings, outlet names, sources, marked words."""
    for target in page.locator("h1, .outlet, .source, dd a, .m").all()[:12]:
        if target.is_visible():
            target.hover(timeout=2_000)
    for source in page.locator("dd > span.source").all():  # a source that is not a safe http(s) link stays plain text
        source.click(timeout=2_000)


def _visit(page: Page, url: str, label: str) -> None:
    response = page.goto(url)
    status = response.status if response else None
    assert url.startswith("file:") or (response is not None and response.ok), f"{label}: HTTP {status}"
    _assert_inert(page, label)
    _poke(page)
    page.wait_for_timeout(50)
    _assert_inert(page, label + " after hovering and clicking")


def _hostile_ids(db: Path) -> list[tuple[str, str]]:
    """Return (article id, story id) of the hostile articles."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT a.id, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id"
                            " WHERE a.title LIKE ? OR a.outlet LIKE ? OR a.text LIKE ? ORDER BY a.id",
                            (HOSTILE_MARK, HOSTILE_MARK, HOSTILE_MARK)).fetchall()
    assert len(rows) == 2, f"expected the two hostile articles, found {rows}"
    return [(r[0], r[1]) for r in rows]


def _walk_hostile_pages(page: Page, start: str, articles: list[str], stories: list[str], searches: list[str]) -> list[str]:
    """Open the overview, the hostile stories, their threads, searches, the hostile articles and every claim
    and actor page they link to; check each; return the URLs visited."""
    seen: list[str] = []

    def visit(url: str, label: str) -> None:
        _visit(page, url, label)
        seen.append(url)

    visit(start, "overview")
    for url in stories:
        visit(url, f"story {url}")
        for thread in _hrefs(page, ".crumbs a[href*='thread']")[:1]:
            visit(thread, f"thread of {url}")
    for url in searches:
        visit(url, f"search {url}")
        assert _result_count(page) >= 1, f"{url} finds no hostile article"
    for url in articles:
        visit(url, f"article {url}")
        for target in _hrefs(page, "a.appearances-link") + _hrefs(page, "main a[href*='actor']"):
            visit(target, f"{target} (linked from {url})")
            page.goto(url)
    for kind in ("stories", "threads", "articles", "claims", "actors"):
        assert any(f"/{kind}/" in u for u in seen), f"no {kind} page among the hostile pages visited: {seen}"
    return seen


def _web_pages(server: str, db: Path) -> tuple[list[str], list[str], list[str]]:
    ids = _hostile_ids(db)
    return ([f"{server}/articles/{a}" for a, _ in ids], [f"{server}/stories/{s}" for _, s in ids],
            [f"{server}/search?q=prank", f"{server}/search?q=convoy", f"{server}/search?q=%22paperwork+storm%22"])


def _control(page: Page) -> None:
    """The check can fail: the same payloads, unescaped, do run in this browser (on a fresh blank page)."""
    for number, payload in enumerate(PAYLOADS, 1):
        page.goto("about:blank")
        page.set_content(f"<p>control</p>{payload}")
        page.wait_for_function("typeof window.__pwned !== 'undefined'", timeout=5_000)
        assert page.evaluate("window.__pwned") == number
        with pytest.raises(AssertionError, match="ran on control"):
            _assert_inert(page, "control")


@pytest.fixture
def csp_bypassed(browser: Browser, screenshot: Callable[..., Path]) -> Iterator[Page]:
    """A page in a context that ignores Content-Security-Policy, so escaping alone has to hold."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        yield page
    finally:
        screenshot(page, "bypass-csp")
        context.close()


def test_control_payloads_run_when_unescaped(page: Page, csp_bypassed: Page) -> None:
    _control(page)
    _control(csp_bypassed)


def test_hostile_pages_run_nothing(page: Page, hostile_server: str, hostile_db: Path) -> None:
    articles, stories, searches = _web_pages(hostile_server, hostile_db)
    assert len(_walk_hostile_pages(page, hostile_server + "/", articles, stories, searches)) >= 12


def test_hostile_pages_run_nothing_without_csp(csp_bypassed: Page, hostile_server: str, hostile_db: Path) -> None:
    articles, stories, searches = _web_pages(hostile_server, hostile_db)
    assert len(_walk_hostile_pages(csp_bypassed, hostile_server + "/", articles, stories, searches)) >= 12


@pytest.fixture(scope="session")
def hostile_report(hostile_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static report of the hostile store."""
    return report_of(hostile_db, tmp_path_factory.mktemp("hostile-report"))


def _report_pages(report: Path, db: Path) -> tuple[list[str], list[str]]:
    ids = _hostile_ids(db)
    articles = [(report / "articles" / f"{slug(a)}.html") for a, _ in ids]
    stories = [(report / "stories" / f"{slug(s)}.html") for _, s in ids]
    for path in articles + stories:
        assert path.is_file(), f"the report has no {path.name}"
    return [p.as_uri() for p in articles], [p.as_uri() for p in stories]


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "bypass-csp"])
def test_hostile_report_runs_nothing(browser: Browser, hostile_report: Path, hostile_db: Path, bypass_csp: bool,
                                     screenshot: Callable[..., Path]) -> None:
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    try:
        articles, stories = _report_pages(hostile_report, hostile_db)
        seen = _walk_hostile_pages(page, (hostile_report / "index.html").as_uri(), articles, stories, [])
        outside = [u for u in seen if not (u.startswith("file://") and unquote(urlsplit(u).path).startswith(str(hostile_report)))]
        assert not outside, f"report pages link out of the report folder: {outside}"
        screenshot(page)
        _control(context.new_page())
    finally:
        context.close()
