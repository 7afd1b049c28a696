"""Correcting an article's metadata in the web app: the form on the article page, PATCH /api/articles/{id}, and their refusals."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from storyline.cli import app as cli
from storyline.settings import Settings
from storyline.web.app import create_app
from tests.test_set_cli import correction_store, module_store, query

from .conftest import _serve


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, str, str]]:
    """The app over a two-article store of our own on each backend: (client, database, ferry id, pier id). Tests run
    in order and build on each other's corrections."""
    folder = tmp_path_factory.mktemp("corrections")
    for target in module_store(request, folder):
        db, ferry, pier = correction_store(folder, target)
        with TestClient(create_app(Settings(db=db, workers=1))) as client:
            yield client, db, ferry, pier


def _wait(client: TestClient, job_id: str) -> dict[str, Any]:
    for _ in range(600):
        job: dict[str, Any] = client.get(f"/api/ingest/{job_id}").json()
        if job["state"] in {"done", "failed"}:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def _stored(db: str, article_id: str) -> tuple[Any, ...]:
    (article,) = query(db, "SELECT outlet, published, published_inferred, title FROM articles WHERE id = ?", (article_id,))
    return article + (query(db, "SELECT field, method, text FROM evidence WHERE article_id = ? ORDER BY seq", (article_id,)),)


def test_the_article_page_carries_the_form_and_the_byline(web: tuple[TestClient, str, str, str]) -> None:
    client, _, ferry, _ = web
    page = client.get(f"/articles/{ferry}").text
    assert "Correct this article's metadata" in page and f'action="/articles/{ferry}/metadata"' in page
    assert 'value="Harbour Ledger"' in page and 'value="2025-03-14"' in page
    assert "By Ana Brel, Ivo Bratt" in page
    assert "Correct this article" not in client.get(f"/stories/{client.get(f'/api/articles/{ferry}').json()['story_id']}").text


def test_the_form_corrects_the_outlet_and_says_so(web: tuple[TestClient, str, str, str]) -> None:
    client, db, ferry, _ = web
    r = client.post(f"/articles/{ferry}/metadata", data={"outlet": " Meridian Daily ", "published": "", "title": ""}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/articles/{ferry}?corrected=outlet"
    page = client.get(r.headers["location"]).text
    assert "Corrected the outlet." in page
    job = client.app.state.jobs.reannotation(ferry)  # type: ignore[attr-defined]
    assert _wait(client, job.id)["state"] == "done" and not job.failures
    assert "Re-annotating" not in client.get(f"/articles/{ferry}").text
    record = client.get(f"/api/articles/{ferry}").json()["article"]
    assert record["outlet"] == "Meridian Daily" and record["published"] == "2025-03-14" and record["title"] == "Ferry service to Lundholm resumes"
    assert [(e["method"], e["text"]) for e in record["evidence"] if e["field"] == "outlet"] == [("user", "set by the user (was: Harbour Ledger)")]
    listed = CliRunner().invoke(cli, ["list", "--db", db, "-f", "jsonl"]).stdout
    assert '"outlet": "Meridian Daily"' in listed and "Harbour Ledger" not in listed
    assert any(a["outlet"] == "Meridian Daily" for a in client.get("/api/articles").json()["items"] if a["id"] == ferry)


def test_the_api_corrects_the_date_and_the_timeline_follows(web: tuple[TestClient, str, str, str]) -> None:
    client, db, ferry, _ = web
    times = {t["text"]: t["value"] for t in client.get(f"/api/articles/{ferry}").json()["time_expressions"]}
    assert times["Wednesday"] == "2025-03-12"  # the Wednesday before Friday 14 March
    r = client.patch(f"/api/articles/{ferry}", json={"published": "2025-04-04"})
    assert r.status_code == 200
    result = r.json()
    assert result["changes"] == [{"field": "published", "before": "2025-03-14", "after": "2025-04-04", "changed": True}]
    assert result["reannotating"] is True and result["article_id"] == ferry
    assert _wait(client, result["job_id"])["state"] == "done"
    article = client.get(f"/api/articles/{ferry}").json()
    times = {t["text"]: t["value"] for t in article["time_expressions"]}
    assert times["Wednesday"] == "2025-04-02"  # the Wednesday before Friday 4 April
    days = [g["date"] for g in client.get("/api/timeline").json()["items"]]
    assert "2025-04-02" in days and "2025-03-12" not in days
    assert "2025-04-02" in client.get(f"/articles/{ferry}").text
    published = [(e["method"], e["text"]) for e in article["article"]["evidence"] if e["field"].startswith("published")]
    assert published == [("user", "set by the user (was: 2025-03-14)")]
    assert query(db, "SELECT COUNT(*) FROM story_members WHERE article_id = ?", (ferry,)) == [(1,)]
    assert query(db, "SELECT COUNT(*) FROM annotated WHERE article_id = ?", (ferry,)) == [(1,)]
    assert query(db, "SELECT COUNT(DISTINCT article_id), COUNT(*) FROM story_members") == [(2, 2)]


@pytest.mark.parametrize(("body", "field"), [
    ({"published": "2025-02-30"}, "published"),
    ({"published": "next Tuesday"}, "published"),
    ({"outlet": "x" * 201}, "outlet"),
    ({"outlet": "Harbour\u0000Ledger"}, "outlet"),
    ({"title": ""}, "title"),
    ({"title": "t" * 501}, "title"),
])
def test_a_bad_value_is_a_422_naming_the_field_and_nothing_changes(web: tuple[TestClient, str, str, str], body: dict[str, str], field: str) -> None:
    client, db, ferry, _ = web
    before = _stored(db, ferry)
    sent = {"outlet": "Should Not Stay", **body}  # a good value beside the bad one is not stored either
    r = client.patch(f"/api/articles/{ferry}", json=sent)
    assert r.status_code == 422 and r.json()["detail"].startswith(f"{field}: ")
    if sent.get("title") != "":  # in the form an empty field means "leave it as it is"
        form = client.post(f"/articles/{ferry}/metadata", data=sent, follow_redirects=False)
        assert form.status_code == 422 and f"Nothing was changed: {field}: " in form.text
    assert _stored(db, ferry) == before


def test_nothing_to_correct_is_a_422(web: tuple[TestClient, str, str, str]) -> None:
    client, db, ferry, _ = web
    before = _stored(db, ferry)
    assert client.patch(f"/api/articles/{ferry}", json={}).json()["detail"].startswith("nothing to correct")
    form = client.post(f"/articles/{ferry}/metadata", data={"outlet": " ", "published": "", "title": ""}, follow_redirects=False)
    assert form.status_code == 422 and "nothing to correct" in form.text
    assert _stored(db, ferry) == before


def test_an_unknown_field_or_article_is_refused(web: tuple[TestClient, str, str, str]) -> None:
    client, _, _, _ = web
    r = client.patch("/api/articles/ffffffffffffffff", json={"outlet": "Meridian Daily"})
    assert r.status_code == 404 and "ffffffffffffffff" in r.json()["detail"]
    assert client.post("/articles/ffffffffffffffff/metadata", data={"outlet": "Meridian Daily"}).status_code == 404
    r = client.patch("/api/articles/ffffffffffffffff", json={"author": "Ana Brel"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "author"]


@pytest.mark.parametrize("headers", [
    {"Origin": "https://elsewhere.example"}, {"Origin": "http://testserver.elsewhere.example"}, {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
    {"Origin": "http://testserver", "Sec-Fetch-Site": "cross-site"},  # the browser's word wins
])
def test_a_request_from_another_site_is_refused_like_an_ingest(web: tuple[TestClient, str, str, str], headers: dict[str, str]) -> None:
    client, db, ferry, _ = web
    before = _stored(db, ferry)
    refusals = [
        client.post(f"/articles/{ferry}/metadata", data={"outlet": "Forged Outlet"}, headers=headers, follow_redirects=False),
        client.patch(f"/api/articles/{ferry}", json={"outlet": "Forged Outlet"}, headers=headers),
        client.post("/ingest", data={"url": "https://news.example/forged.html"}, headers=headers, follow_redirects=False),
    ]
    assert [r.status_code for r in refusals] == [403, 403, 403]
    assert len({r.text for r in refusals}) == 1 and "another site" in refusals[0].text
    assert _stored(db, ferry) == before


def test_the_app_s_own_pages_may_post(web: tuple[TestClient, str, str, str]) -> None:
    client, db, _, pier = web
    r = client.post(f"/articles/{pier}/metadata", data={"title": "Lundholm pier open again"},
                    headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"}, follow_redirects=False)  # as Chromium sends it
    assert r.status_code == 303
    for own in ({"Origin": "http://testserver"}, {"Sec-Fetch-Site": "none"}, {}):
        assert client.patch(f"/api/articles/{pier}", json={"title": "Lundholm pier open again"}, headers=own).status_code == 200
    _wait(client, client.app.state.jobs.reannotation(pier).id)  # type: ignore[attr-defined]
    assert _stored(db, pier)[3] == "Lundholm pier open again"
    hits = client.get("/api/search", params={"q": "open again"}).json()["items"]
    assert [h["id"] for h in hits] == [pier]
    assert query(db, "SELECT COUNT(*) FROM story_members WHERE article_id = ?", (pier,)) == [(1,)]


@pytest.mark.parametrize("web", ["sqlite"], indirect=True)  # the app's schema and methods: not once per backend
def test_the_correction_is_in_the_openapi_schema(web: tuple[TestClient, str, str, str]) -> None:
    client, _, _, _ = web
    schema = client.get("/openapi.json").json()
    patch = schema["paths"]["/api/articles/{article_id}"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ArticleCorrection")
    assert set(schema["components"]["schemas"]["ArticleCorrection"]["properties"]) == {"outlet", "published", "title"}
    assert patch["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/CorrectionResult")


@pytest.mark.parametrize("web", ["sqlite"], indirect=True)  # the app's schema and methods: not once per backend
def test_options_lists_the_correction_methods(web: tuple[TestClient, str, str, str]) -> None:
    client, _, ferry, _ = web
    assert "PATCH" in client.options(f"/api/articles/{ferry}").headers["allow"]
    assert "POST" in client.options(f"/articles/{ferry}/metadata").headers["allow"]



@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app on 127.0.0.1 over another copy of the two-article store: (base URL, ferry id)."""
    db, ferry, _ = correction_store(tmp_path_factory.mktemp("corrections-served"))
    for base in _serve(Settings(db=db, workers=1)):
        yield base, ferry


def test_in_a_browser_the_form_corrects_the_date_and_the_page_follows(page: Page, served: tuple[str, str]) -> None:
    base, ferry = served
    page.goto(f"{base}/articles/{ferry}")
    expect(page.locator("table.times")).to_contain_text("2025-03-12")
    page.locator("details#correct summary").click()
    page.locator("form.correct input[name=published]").fill("2025-04-04")
    page.locator("form.correct button[type=submit]").click()  # Chromium sends Origin: null and Sec-Fetch-Site: same-origin
    expect(page).to_have_url(re.compile(r"\?corrected=published$"))
    expect(page.locator("#corrected")).to_have_text("Corrected the publication date.")
    for _ in range(600):
        if page.locator("#reannotating").count() == 0:
            break
        page.wait_for_timeout(100)
        page.reload()
    expect(page.locator("table.times")).to_contain_text("2025-04-02")
    expect(page.locator("dl.facts")).to_contain_text("2025-04-04")


def test_an_uploaded_web_archive_keeps_both_suffixes(tmp_path: Path) -> None:
    from storyline.errors import InputError
    from storyline.web.jobs import save_upload

    saved = save_upload(tmp_path, "crawl 2025.warc.gz", b"WARC/1.0\r\n")
    assert saved.name.endswith("-crawl_2025.warc.gz") and saved.read_bytes() == b"WARC/1.0\r\n"
    assert save_upload(tmp_path, "notes.txt", b"a\n").name.endswith("-notes.txt")
    with pytest.raises(InputError, match="not .gz"):
        save_upload(tmp_path, "page.html.gz", b"x")
