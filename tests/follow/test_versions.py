"""Versions, never overwritten: a page read again with edited text is a new version of its article (docs/versions.md).

A real HTTP server on 127.0.0.1 serves an article page (the ingest tests' server); the page is edited and
ingested again. One test runs the whole pipeline (annotation, story and claim linking); the others store
without annotating, which is enough for what they check.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.clean.urls import page_key
from storyline.flow import ingest
from storyline.flow.save import SaveRun
from storyline.follow.versions import DiffPart, version_diff, word_diff
from storyline.link.groups import iter_claim_groups
from storyline.report.render import Links
from storyline.report.views import render_page
from storyline.settings import Settings
from storyline.store import versions as store_versions
from storyline.store.articles import load_article
from storyline.store.schema import connect
from storyline.web.app import create_app
from tests.ingest.conftest import LocalServer, server  # noqa: F401 - the ingest tests' HTTP server fixture

TITLE = "Lundholm ferry sails again"
FIRST = (
    "The Lundholm ferry sailed again on Wednesday after a three-week stoppage, the harbour authority said.",
    "Captain Mira Osterberg told passengers the crossing was calm.",
    "The authority said repairs to the north pier were finished on Wednesday morning and inspectors approved the vessel.",
)
EDITED = (  # one sentence reworded, one quote added
    "The Lundholm ferry sailed again on Wednesday after a stoppage of three weeks, the harbour authority said.",
    *FIRST[1:],
    "\u201cWe are glad to be back on the water,\u201d Osterberg said.",
)
COPY = (  # another outlet's report of the same claim, from a file
    "Ferry returns to Lundholm\n\nThe Lundholm ferry sailed again on Wednesday after a three-week stoppage, the harbour "
    "authority said. Repairs to the north pier were finished, the authority said.\n"
)


def page(paragraphs: tuple[str, ...], title: str = TITLE) -> bytes:
    """An article page of the Harbour Ledger with these paragraphs (already HTML)."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html lang='en'><head><title>{title} – Harbour Ledger</title><meta property='og:site_name' content='Harbour Ledger'>"
            "<meta property='article:published_time' content='2025-03-14T09:00:00Z'></head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>").encode()


PATHS = ("/news/ferry", "/news/ferry/", "/news/ferry?utm_source=rss")
"""One page under the URLs a feed, a share and a person give for it (the test server matches paths exactly)."""


def serve(server: LocalServer, body: bytes) -> str:
    """Serve ``body`` as the ferry page under each of :data:`PATHS`; return its plain URL."""
    for path in PATHS:
        server.route(path, body)
    return server.url(PATHS[0])


def _count(db: str, sql: str, *params: object) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def _group_of(db: str, claim_id: str) -> tuple[object, ...]:
    """The independent origins (certain, range), origins and articles of the claim group holding ``claim_id``."""
    conn = connect(db, readonly=True)
    try:
        group = next(g for g in iter_claim_groups(conn) if claim_id in {a.claim_id for a in g.appearances})
        return (group.independent_origins, tuple(group.origin_range), tuple(group.origins),
                frozenset(a.article_id for a in group.appearances))
    finally:
        conn.close()


def test_an_edited_page_is_a_new_version_of_its_article(server: LocalServer, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    settings = Settings(db=db, allow_private=True, fetch_timeout=2.0, workers=1)
    (tmp_path / "copy.txt").write_text(COPY, encoding="utf-8")
    (tmp_path / "copy.meta.json").write_text(json.dumps({"outlet": "Coastal Courier", "published": "2025-03-15"}), encoding="utf-8")
    url = serve(server, page(FIRST))

    first = ingest([url + "?utm_source=rss", str(tmp_path / "copy.txt")], settings)
    assert first.ok and len(first.ingested) == 2
    article_id, copy_id = first.ingested
    origins_before = _group_of(db, f"{copy_id}:c0")
    assert article_id in origins_before[-1]  # type: ignore[operator]  # the claim both tell is one group

    serve(server, page(EDITED))
    done = CliRunner().invoke(app, ["ingest", url + "/", "--db", db, "--allow-private", "-q", "--workers", "1"])
    assert done.exit_code == 0, done.stderr
    assert "ingested 0, duplicates 0, updated 1, skipped 0, failed 0" in done.stderr

    assert _count(db, "SELECT COUNT(*) FROM articles") == 2
    assert _count(db, "SELECT COUNT(*) FROM article_versions WHERE article_id = ?", article_id) == 2
    conn = connect(db, readonly=True)
    stored = load_article(conn, article_id)
    assert stored is not None and "stoppage of three weeks" in stored.text and "glad to be back" in stored.text
    assert stored.outlet == "Harbour Ledger" and stored.published == "2025-03-14"
    diff = version_diff(conn, article_id, 2)
    conn.close()
    assert diff is not None and (diff.from_version, diff.to_version) == (1, 2)
    assert any(p.kind == "added" and "of three weeks" in p.text for p in diff.words)
    assert any(p.kind == "removed" and "three-week" in p.text for p in diff.words)
    assert diff.quotes_added and any("glad to be back on the water" in q for q in diff.quotes_added)
    assert _count(db, "SELECT COUNT(*) FROM story_members WHERE article_id = ?", article_id) == 1
    assert _group_of(db, f"{copy_id}:c0") == origins_before  # the same article: no new origin, no new teller

    shown = CliRunner().invoke(app, ["show", article_id[:8], "--versions", "--db", db])
    assert shown.exit_code == 0, shown.stderr
    assert "versions (2)" in shown.stdout and "{+stoppage of three weeks,+}" in shown.stdout
    assert "glad to be back on the water" in shown.stdout.split("{+", 2)[-1]  # the added paragraph
    assert any(line.startswith("  quote + ") and "glad to be back" in line for line in shown.stdout.splitlines())

    again = ingest([url], settings)  # unchanged: nothing new
    assert (again.ingested, again.updated, len(again.skipped)) == ((), (), 1)
    serve(server, page(FIRST))  # back to the first text: a version already stored
    back = ingest([url], settings)
    assert (back.ingested, back.updated, len(back.skipped)) == ((), (), 1)
    assert _count(db, "SELECT COUNT(*) FROM article_versions WHERE article_id = ?", article_id) == 2

    (tmp_path / "edited.html").write_bytes(page(EDITED))  # the edited text from elsewhere: a copy, as before
    elsewhere = ingest([str(tmp_path / "edited.html")], settings)
    assert not elsewhere.updated and len(elsewhere.ingested) + len(elsewhere.duplicates) == 1
    assert _count(db, "SELECT COUNT(*) FROM article_versions") == 2


def _store(tmp_path: Path, server: LocalServer, first: bytes, second: bytes) -> tuple[Settings, str, str]:
    """Ingest a page, edit it and ingest it again, without annotating; return the settings, its URL and the article id."""
    settings = Settings(db=str(tmp_path / "s.db"), allow_private=True, fetch_timeout=2.0, workers=1, annotate=False)
    url = server.route("/news/ferry", first)
    (article_id,) = ingest([url], settings).ingested
    server.route("/news/ferry", second)
    assert ingest([url], settings).updated == ((url, article_id),)
    return settings, url, article_id


HOSTILE = (*FIRST[:2], "The operator wrote &lt;script&gt;alert('edited')&lt;/script&gt; on its notice board, the authority said.")


def test_the_article_page_escapes_its_versions(server: LocalServer, tmp_path: Path) -> None:
    settings, _, article_id = _store(tmp_path, server, page(FIRST), page(HOSTILE, title="Ferry <b>notice</b>"))
    with TestClient(create_app(settings)) as client:
        html = client.get(f"/articles/{article_id}").text
        api = client.get(f"/api/articles/{article_id}").json()
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "Edited: 2 versions" in html and '<ins class="added">' in html and '<del class="removed-words">' in html
    assert "<b>notice</b>" not in html
    assert api["article"]["versions"] == 2 and [v["version"] for v in api["versions"]] == [1, 2]
    assert api["versions"][0]["changes"] is None
    assert any(w["kind"] == "added" and "<script>" in w["text"] for w in api["versions"][1]["changes"]["words"])
    conn = connect(settings.db, readonly=True)
    report = render_page(conn, "article", article_id, Links(static=True, depth=1)) or ""
    conn.close()
    assert "<script>alert" not in report and "&lt;script&gt;alert(" in report and "Edited: 2 versions" in report


def test_the_export_counts_versions(server: LocalServer, tmp_path: Path) -> None:
    settings, _, article_id = _store(tmp_path, server, page(FIRST), page(EDITED))
    out = CliRunner().invoke(app, ["export", "--db", settings.db]).stdout
    (record,) = json.loads(out)["articles"]
    assert (record["id"], record["versions"]) == (article_id, 2)
    assert list(record)[-2:] == ["ingested_at", "versions"]


@pytest.mark.parametrize("failure", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_an_interrupted_version_write_leaves_both_or_neither(server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             failure: BaseException) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), allow_private=True, fetch_timeout=2.0, workers=1, annotate=False)
    url = server.route("/news/ferry", page(FIRST))
    (article_id,) = ingest([url], settings).ingested
    server.route("/news/ferry", page(EDITED))

    def fail(conn: sqlite3.Connection, article: str) -> None:  # after the version rows and the new text are written
        raise failure

    monkeypatch.setattr(store_versions, "release_article", fail)
    if isinstance(failure, KeyboardInterrupt):  # a kill: the run stops, the transaction is never committed
        with pytest.raises(KeyboardInterrupt):
            ingest([url], settings)
    else:  # the store refused it: this page fails alone
        assert [f.reason for f in ingest([url], settings).failed] == [
            f"could not be stored as a new version of {article_id} (RuntimeError: disk full)"]
    assert _count(settings.db, "SELECT COUNT(*) FROM article_versions") == 0
    assert "three-week" in _count_text(settings.db, article_id)
    monkeypatch.undo()
    assert ingest([url], settings).updated == ((url, article_id),)  # running it again completes it
    assert _count(settings.db, "SELECT COUNT(*) FROM article_versions") == 2
    assert "three weeks" in _count_text(settings.db, article_id)


def _count_text(db: str, article_id: str) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0])


def test_a_version_another_process_stored_meanwhile_is_not_stored_twice(server: LocalServer, tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), allow_private=True, fetch_timeout=2.0, workers=1, annotate=False)
    url = server.route("/news/ferry", page(FIRST))
    (article_id,) = ingest([url], settings).ingested
    server.route("/news/ferry", page(EDITED))
    conn = connect(settings.db)
    run = SaveRun(conn, settings)
    from storyline.flow.clean import clean_document
    from storyline.ingest.sources import fetch_document

    raw = fetch_document(url, settings)
    assert not isinstance(raw, list)
    assert run.handle(clean_document(raw)) == "updated"  # queued, not yet written
    assert ingest([url], settings).updated == ((url, article_id),)  # another process stores the same version first
    run.commit()
    conn.close()
    assert run.summary().updated == () and run.summary().skipped == ((url, f"already stored as {article_id}"),)
    assert _count(settings.db, "SELECT COUNT(*) FROM article_versions") == 2


def test_a_page_whose_article_text_is_unchanged_is_no_new_version(server: LocalServer, tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.db"), allow_private=True, fetch_timeout=2.0, workers=1, annotate=False)
    url = server.route("/news/ferry", page(FIRST))
    (article_id,) = ingest([url], settings).ingested
    server.route("/news/ferry", page(FIRST).replace(b"<a href='/'>Home</a>", b"<a href='/'>Home</a> <a href='/sport'>Sport</a>"))
    again = ingest([url], settings)
    assert (again.updated, again.ingested, again.duplicates) == ((), (), ())
    assert _count(settings.db, "SELECT COUNT(*) FROM article_versions") == 0


@pytest.mark.parametrize(("url", "key"), [
    ("https://Example.org/news/ferry/?utm_source=rss&utm_medium=feed#top", "https://example.org/news/ferry"),
    ("HTTPS://example.org:443/news/ferry?fbclid=x&gclid=y", "https://example.org/news/ferry"),
    ("http://example.org:8080/a?id=12&utm_campaign=z", "http://example.org:8080/a?id=12"),
    ("https://example.org/a?id=13", "https://example.org/a?id=13"),
    ("/home/me/ferry.html", None),
    ("ftp://example.org/a", None),
    ("", None),
])
def test_page_keys(url: str, key: str | None) -> None:
    assert page_key(url) == key


OLD = "The ferry ran late on Tuesday.\n\nOfficials said the engine failed. " + " ".join(f"w{i}" for i in range(40)) + " the end."
NEW = "The ferry ran very late on Tuesday.\n\nOfficials said the engine had failed. " + " ".join(f"w{i}" for i in range(40)) + " the end!"


def test_word_diff_puts_the_texts_together_again() -> None:
    parts = word_diff(OLD, NEW, context=None)
    assert "".join(p.text for p in parts if p.kind != "removed") == NEW
    assert "".join(p.text for p in parts if p.kind != "added") == OLD
    assert [p.text.strip() for p in parts if p.kind != "equal"] == ["very", "had", "end.", "end!"]


def test_word_diff_folds_long_unchanged_runs() -> None:
    parts = word_diff(OLD, NEW, context=3)
    folded = [p for p in parts if p.folded]
    assert len(folded) == 1 and folded[0].text.startswith("failed. w0 w1 …") and folded[0].text.endswith("w39 the ")
    assert folded[0].folded == 36  # "failed." w0 .. w39 "the": 42 unchanged words, 3 kept on each side
    assert word_diff("same words here", "same words here") == [DiffPart("equal", "same words here")]
    assert word_diff("a  b", "a b") == [DiffPart("equal", "a b")]  # whitespace alone is no change
