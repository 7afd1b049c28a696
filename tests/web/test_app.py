"""The web app in-process (FastAPI's TestClient): routes, headers, the JSON API, the ingest form's refusals."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.export.records import SECTIONS
from storyline.settings import Settings
from storyline.store.db import is_url, side_folder
from storyline.store.schema import connect
from storyline.web.app import create_app

from .conftest import STORE_INDEPENDENT


def _finished_job(client: TestClient, job_url: str, *, seconds: float) -> dict[str, Any]:
    """The ingest job at ``job_url`` once done or failed (or as it stands after ``seconds``)."""
    for _ in range(int(seconds * 10)):
        job: dict[str, Any] = client.get(job_url).json()
        if job["state"] in {"done", "failed"}:
            break
        time.sleep(0.1)
    return job


def _ids(store: str, sql: str) -> list[str]:
    conn = connect(store, readonly=True)
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
def test_every_page_of_the_demo_renders_with_the_security_headers(client: TestClient, web_store: str, path: str, sql: str) -> None:
    ids = _ids(web_store, sql)
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


@STORE_INDEPENDENT
def test_openapi_documents_every_section_and_the_docs_need_no_cdn(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {f"/api/{s}" for s in SECTIONS} <= set(paths)
    assert {"/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= set(paths)
    docs = client.get("/docs").text
    assert "/static-offline-docs/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_api_story_and_article_pages(client: TestClient, web_store: str) -> None:
    story_id = _ids(web_store, "SELECT story_id FROM story_members GROUP BY story_id ORDER BY COUNT(*) DESC LIMIT 1")[0]
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


@STORE_INDEPENDENT
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
    job = _finished_job(client, "/api" + r.headers["location"], seconds=10)
    assert job["state"] == "done" and not job["ingested"]
    (failure,) = job["failures"]
    assert "127.0.0.1" in failure["source"] and ("private" in failure["reason"] or "loopback" in failure["reason"])


@pytest.mark.parametrize("section", list(SECTIONS))
def test_api_pages_hold_exactly_the_export_records(client: TestClient, web_store: str, section: str) -> None:
    conn = connect(web_store, readonly=True)
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


def test_the_timeline_can_be_scoped_to_a_story(client: TestClient, web_store: str) -> None:
    story_id = _ids(web_store, "SELECT story_id FROM story_members GROUP BY story_id ORDER BY COUNT(*) ASC LIMIT 1")[0]
    members = set(_ids(web_store, f"SELECT article_id FROM story_members WHERE story_id = '{story_id}'"))
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


def test_an_upload_is_kept_in_the_stores_side_folder_and_ingested(store_url: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside a SQLite file (``FILE.db.uploads``) or, for a PostgreSQL URL, in the folder :func:`side_folder` names
    under the home folder; the job ingests the upload into the store either way."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    text = b"Ferry service resumes\n\nThe Lundholm ferry sailed again on Wednesday, the harbour authority said.\n"
    with TestClient(create_app(Settings(db=store_url, workers=1))) as client:
        r = client.post("/ingest", files={"file": ("ferry.txt", text)}, follow_redirects=False)
        assert r.status_code == 303
        job = _finished_job(client, "/api" + r.headers["location"], seconds=60)
        assert job["state"] == "done" and len(job["ingested"]) == 1, job
        (article,) = client.get("/api/articles").json()["items"]
        assert article["title"] == "Ferry service resumes"
    folder = side_folder(store_url, "uploads")
    assert folder == (Path(store_url + ".uploads") if not is_url(store_url) else tmp_path / "home" / ".cache" / "storyline" / folder.name)
    (saved,) = folder.iterdir()
    assert saved.name.endswith("-ferry.txt") and saved.read_bytes() == text


def test_readers_are_answered_while_another_process_ingests(store_url: str, tmp_path: Path) -> None:
    """The app on uvicorn answers requests from several threads at once while `storyline ingest` writes into the same
    store from another process: every answer is a 200, and readers see only committed articles, never fewer than before."""
    import subprocess
    import sys
    import threading

    import httpx

    from .conftest import _serve

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        (folder / f"ferry-{n}.txt").write_text(f"Ferry news {n}\n\nThe Lundholm ferry sailed again on day {n}, the harbour authority"
                                               f" said. Captain Mira Osterberg told {n * 17 + 3} passengers the crossing was calm.\n",
                                               encoding="utf-8")
    connect(store_url).close()
    for base in _serve(Settings(db=store_url, workers=1)):
        writer = subprocess.Popen([sys.executable, "-m", "storyline", "ingest", str(folder), "--db", store_url, "-q"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen: list[list[int]] = [[] for _ in range(4)]
        problems: list[str] = []

        def read(counts: list[int]) -> None:
            with httpx.Client(base_url=base, timeout=30) as http:
                while True:
                    done = writer.poll() is not None
                    for path in ("/api/articles?limit=100", "/api/search?q=ferry&limit=100", "/"):
                        r = http.get(path)
                        if r.status_code != 200:
                            problems.append(f"{path}: {r.status_code}")
                    counts.append(len(http.get("/api/articles?limit=100").json()["items"]))
                    if done:
                        return

        readers = [threading.Thread(target=read, args=(counts,)) for counts in seen]
        for thread in readers:
            thread.start()
        _, err = writer.communicate(timeout=300)
        for thread in readers:
            thread.join(timeout=60)
        assert writer.returncode == 0, err
        assert problems == []
        for counts in seen:
            assert counts == sorted(counts) and counts[-1] == 4, counts


def test_a_postgresql_store_s_readers_reuse_connections_and_survive_their_end(pg_store: str) -> None:
    """Requests take their read-only connection from a small pool; one the server ended while idle is replaced."""
    import psycopg

    def backends() -> int:
        with psycopg.connect(pg_store, autocommit=True) as admin:
            return int(admin.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                                     " AND pid <> pg_backend_pid()").fetchone()[0])  # type: ignore[index]

    with TestClient(create_app(Settings(db=pg_store))) as client:
        for _ in range(30):
            assert client.get("/api/articles").status_code == 200
        assert backends() <= 2  # one reused, not thirty (the job queue may hold one)
        with psycopg.connect(pg_store, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                          " AND pid <> pg_backend_pid()")
        assert client.get("/api/articles").status_code == 200
        assert client.get("/search", params={"q": "ferry"}).status_code == 200
    assert backends() == 0  # the pool is closed with the app
