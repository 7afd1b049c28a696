"""The web app in-process (FastAPI's TestClient): routes, headers, the JSON API, the ingest form's refusals."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.export.records import SECTIONS
from storyline.store.schema import connect


def _ids(demo_db: Path, sql: str) -> list[str]:
    conn = connect(demo_db, readonly=True)
    try:
        return [r[0] for r in conn.execute(sql)]
    finally:
        conn.close()


@pytest.mark.parametrize(("path", "sql"), [
    ("/threads/", "SELECT id FROM threads"),
    ("/stories/", "SELECT id FROM stories"),
    ("/articles/", "SELECT id FROM articles"),
    ("/claims/", "SELECT DISTINCT group_id FROM claim_groups LIMIT 20"),
    ("/actors/", "SELECT DISTINCT actor_id FROM mentions WHERE actor_id IS NOT NULL LIMIT 20"),
])
def test_every_page_of_the_demo_renders_with_the_security_headers(client: TestClient, demo_db: Path, path: str, sql: str) -> None:
    ids = _ids(demo_db, sql)
    assert ids
    for item in ids:
        r = client.get(path + item)
        assert r.status_code == 200, (path, item)
        assert "script-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["server-timing"].startswith("app;dur=")


@pytest.mark.parametrize("path", ["/stories/story:nope", "/articles/zzzz", "/claims/none:c1", "/threads/x", "/actors/person:nobody"])
def test_unknown_ids_get_a_404_page_naming_them(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"] and path.rsplit("/", 1)[1] in r.text


def test_api_errors_are_json(client: TestClient) -> None:
    r = client.get("/api/stories/story:nope")
    assert r.status_code == 404 and "story:nope" in r.json()["detail"]


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_export_section_pages_through_the_api(client: TestClient, section: str) -> None:
    whole = client.get(f"/api/{section}", params={"limit": 1000}).json()
    assert whole["section"] == section and whole["next_offset"] is None
    paged, offset = [], 0
    while offset is not None:
        page = client.get(f"/api/{section}", params={"limit": 7, "offset": offset}).json()
        paged += page["items"]
        offset = page["next_offset"]
    assert paged == whole["items"]


def test_openapi_documents_every_section_and_the_docs_need_no_cdn(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {f"/api/{s}" for s in SECTIONS} <= set(paths)
    assert {"/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= set(paths)
    docs = client.get("/docs").text
    assert "/static-offline-docs/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_api_story_and_article_pages(client: TestClient, demo_db: Path) -> None:
    story_id = _ids(demo_db, "SELECT story_id FROM story_members GROUP BY story_id ORDER BY COUNT(*) DESC LIMIT 1")[0]
    story = client.get(f"/api/stories/{story_id}").json()
    assert story["story"]["id"] == story_id and len(story["articles"]) == len(story["story"]["article_ids"]) > 1
    assert story["claims"] and story["timeline"]
    article = client.get(f"/api/articles/{story['articles'][0]['id']}").json()
    assert article["story_id"] == story_id and article["article"]["text"]


def test_search_page_filters_and_reports_bad_input(client: TestClient) -> None:
    every = client.get("/api/search", params={"limit": 1000}).json()
    outlet = next(i["outlet"] for i in every["items"] if i["outlet"])
    filtered = client.get("/api/search", params={"outlet": outlet, "limit": 1000}).json()
    assert 0 < filtered["total"] < every["total"] and {i["outlet"] for i in filtered["items"]} == {outlet}
    page = client.get("/search", params={"q": "blockade", "since": "last tuesday", "actor": "Nobody Atall"})
    assert page.status_code == 200
    assert "is not a date like" in page.text and "no actor called" in page.text and "<mark>" in page.text


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notes.exe", b"MZ...", "not .exe"),
    ("empty.txt", b"   ", "empty"),
])
def test_the_ingest_form_refuses_what_it_cannot_read(client: TestClient, name: str, data: bytes, message: str) -> None:
    r = client.post("/ingest", files={"file": (name, data)}, follow_redirects=False)
    assert r.status_code == 400 and message in r.text


def test_uploads_over_the_cap_are_refused_before_anything_is_stored(client: TestClient) -> None:
    before = client.get("/api/articles", params={"limit": 1000}).json()["items"]
    r = client.post("/ingest", files={"file": ("big.txt", b"word " * 30_000)}, follow_redirects=False)
    assert r.status_code == 413 and "over the limit" in r.text
    assert client.get("/api/articles", params={"limit": 1000}).json()["items"] == before


def test_a_private_address_is_refused_by_default(client: TestClient) -> None:
    r = client.post("/ingest", data={"url": "http://127.0.0.1:9/feed.xml"}, follow_redirects=False)
    assert r.status_code == 303
    job_url = "/api" + r.headers["location"]
    for _ in range(100):
        job = client.get(job_url).json()
        if job["state"] in {"done", "failed"}:
            break
        time.sleep(0.1)
    assert job["state"] == "done" and not job["ingested"]
    (failure,) = job["failures"]
    assert "127.0.0.1" in failure["source"] and ("private" in failure["reason"] or "loopback" in failure["reason"])


@pytest.mark.parametrize("section", list(SECTIONS))
def test_api_pages_hold_exactly_the_export_records(client: TestClient, demo_db: Path, section: str) -> None:
    conn = connect(demo_db, readonly=True)
    try:
        exported = list(SECTIONS[section](conn, None))
    finally:
        conn.close()
    served = client.get(f"/api/{section}", params={"limit": 1000}).json()["items"]
    if section in {"stories", "threads", "claims", "framing"}:  # paged in id order
        key = "article_id" if section == "framing" else "id"
        assert sorted(served, key=lambda r: r[key]) == sorted(exported, key=lambda r: r[key])
    else:
        assert served == exported


def test_the_timeline_can_be_scoped_to_a_story(client: TestClient, demo_db: Path) -> None:
    story_id = _ids(demo_db, "SELECT story_id FROM story_members GROUP BY story_id ORDER BY COUNT(*) ASC LIMIT 1")[0]
    members = set(_ids(demo_db, f"SELECT article_id FROM story_members WHERE story_id = '{story_id}'"))
    whole = client.get("/api/timeline", params={"limit": 1000}).json()["items"]
    scoped = client.get("/api/timeline", params={"story": story_id, "limit": 1000}).json()["items"]
    assert 0 < len(scoped) < len(whole)
    assert all(set(g["article_ids"]) <= members for g in scoped)
    assert client.get("/api/timeline", params={"story": "story:nope"}).status_code == 404


def test_the_whole_timeline_is_refused_on_a_large_store_and_says_how_to_scope_it(client: TestClient,
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.web.api as api

    assert client.get("/api/timeline").status_code == 200
    monkeypatch.setattr(api, "UNSCOPED_TIMELINE_EVENTS", 3)
    r = client.get("/api/timeline")
    assert r.status_code == 422 and "story=" in r.json()["detail"]
