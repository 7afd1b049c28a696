"""`storyline digest`, the What's new page and /api/digest over a store built in two rounds by the real pipeline.

The articles are our own inventions (outlets, people and places are fictional). Round 1 tells of floods in
Velmora and water talks with Ostrana; round 2, ingested a clock second later, tells the floods again with
another death toll, another origin for one claim and a condition added to another, gives a known negotiator
a new label, and starts a new story whose headline carries markup.
"""

from __future__ import annotations

import hashlib
import base64
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.errors import StorylineError
from storyline.flow import ingest
from storyline.follow.digest import build_digest, digest_html, digest_json, digest_markdown, parse_since, stamp, utc_now
from storyline.follow.digestformats import md_escape
from storyline.follow.edits import word_changes
from storyline.follow.news import Digest, StoryNews, WordChange
from storyline.settings import Settings
from storyline.store.schema import connect
from storyline.web.app import create_app
from tests.test_set_cli import module_store, query
from tests.web.conftest import copy_store

HOSTILE_TITLE = "New <script>alert(1)</script> tram bridge opens in Porvic [x](javascript:alert(1))"

ROUND_1 = {
    "ledger-floods.json": {
        "title": "Floods kill 28 in Velmora as the Ister bursts its banks", "outlet": "Harbour Ledger", "published": "2025-03-18",
        "text": "Floods swept through the river town of Velmora on Monday after days of heavy rain in the Ister valley.\n\n"
                "Regional governor Anselm Drobek said 28 people were killed in Velmora when the river burst its banks.\n\n"
                "Drobek said the sluice gates of the Korvel dam were opened too late to save the lower town.\n\n"
                "“We will rebuild every street of Velmora,” Drobek told reporters at the town hall on Monday.\n\n"
                "Rescue teams in boats searched the flooded streets through the night, and the regional council opened "
                "three shelters in schools on higher ground."},
    "courier-talks.json": {
        "title": "Tolvan opens water-sharing talks with Ostrana", "outlet": "Lisk Courier", "published": "2025-03-17",
        "text": "Chief negotiator Mira Tolvan opened talks with Ostrana on Monday over the sharing of the Ister's water in dry summers.\n\n"
                "Tolvan said both sides wanted a treaty before the harvest.\n\n"
                "“The river belongs to everyone who lives on it,” Tolvan said after the first session in the border town of Dessel.\n\n"
                "Ostrana's foreign minister Teodor Vask said Ostrana was ready for a treaty on the summer quotas.\n\n"
                "The talks are to resume in April."},
}
ROUND_2 = {
    "meridian-floods.json": {
        "title": "Velmora death toll rises to 31; dam gates opened too late, water board says", "outlet": "Meridian Daily",
        "published": "2025-03-20",
        "text": "The death toll from the floods in Velmora rose on Wednesday as rescue teams reached the lower town.\n\n"
                "Regional governor Anselm Drobek said 31 people were killed in Velmora when the river burst its banks.\n\n"
                "The Korvel Water Board said the sluice gates of the Korvel dam were opened too late to save the lower town.\n\n"
                "“No family in Velmora will be left alone,” Drobek said at a shelter on Wednesday.\n\n"
                "The regional council said 400 homes were damaged."},
    "courier-tolvan.json": {
        "title": "Tolvan walks out of Ostrana water talks", "outlet": "Lisk Courier", "published": "2025-03-21",
        "text": "Mira Tolvan walked out of the water-sharing talks with Ostrana in Dessel on Thursday.\n\n"
                "The veteran negotiator said Ostrana had refused to discuss the summer quotas.\n\n"
                "“We came to share a river, not to be told to wait,” the veteran negotiator said.\n\n"
                "Ostrana's foreign minister Teodor Vask said Ostrana was ready for a treaty on the summer quotas only if the Dessel weir stayed open."},
    "gazette-bridge.json": {
        "title": HOSTILE_TITLE, "outlet": "Porvic Gazette", "published": "2025-03-21",
        "text": "A new tram bridge over the canal opened in Porvic on Friday, city engineer Halvard Senn said.\n\n"
                "Senn said the bridge had cost 14 million marks and would carry 9,000 passengers a day.\n\n"
                "The old bridge will be closed for repairs until the autumn."},
}
ROUND_3 = {
    "gazette-ferry.json": {
        "title": "Porvic ferry service suspended after storm damage", "outlet": "Porvic Gazette", "published": "2025-03-24",
        "text": "The Porvic harbour ferry was suspended on Monday after a storm tore away part of its landing stage, "
                "harbour master Ines Carrow said.\n\nCarrow said repairs would take at least two weeks."},
}


@dataclass(frozen=True)
class Rounds:
    """The two-round store and the time between the rounds."""

    db: str
    """A SQLite path or a PostgreSQL URL."""
    between: str
    folder: Path


def _write(folder: Path, articles: dict[str, dict[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, article in articles.items():
        (folder / name).write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    return folder


def _next_second() -> None:
    """Wait until the clock is in a later second: stored times have whole seconds."""
    time.sleep(1.02 - time.time() % 1)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def rounds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rounds]:
    """The store built in two rounds, on each backend (read it; tests that write take :func:`store_copy`)."""
    folder = tmp_path_factory.mktemp("digest")
    for db in module_store(request, folder):
        settings = Settings(db=db, workers=1)
        ingest([str(_write(folder / "round1", ROUND_1))], settings)
        _next_second()
        between = stamp(utc_now())
        summary = ingest([str(_write(folder / "round2", ROUND_2))], settings)
        assert len(summary.ingested) == 3, summary
        _next_second()
        yield Rounds(db, between, folder)


def _built(db: str, since: str, match: str | None = None) -> Digest:
    """The digest of the store ``db`` since ``since``, read through a read-only connection."""
    conn = connect(db, readonly=True)
    try:
        return build_digest(conn, since, match=match)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def digest(rounds: Rounds) -> Digest:
    return _built(rounds.db, rounds.between)


@pytest.fixture
def store_copy(rounds: Rounds, tmp_path: Path) -> Iterator[str]:
    """A copy of the two-round store for one test that records digests, ingests or edits (same backend)."""
    yield from copy_store(rounds.db, tmp_path)


def _story(d: Digest, words: str) -> StoryNews:
    found = [s for s in d.stories if s.title and words in s.title]
    assert len(found) == 1, [s.title for s in d.stories]
    return found[0]


def _digest(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["digest", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def _digest_rows(db: str) -> list[tuple[str, str, str]]:
    return query(db, "SELECT at, since, match FROM digests ORDER BY id")


# -- pure helpers ------------------------------------------------------------------

NOW = datetime(2025, 3, 21, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-20", "2025-03-20T00:00:00+00:00"),
    ("2025-03-20T08:30", "2025-03-20T08:30:00+00:00"),
    ("2025-03-20 08:30:15", "2025-03-20T08:30:15+00:00"),
    ("2025-03-20T08:30+02:00", "2025-03-20T06:30:00+00:00"),
    ("2025-03-20T08:30:00Z", "2025-03-20T08:30:00+00:00"),
    ("2025-03-20T08:30:00.750", "2025-03-20T08:30:00+00:00"),
    ("24h", "2025-03-20T12:00:00+00:00"),
    ("7d", "2025-03-14T12:00:00+00:00"),
    (" 2W ", "2025-03-07T12:00:00+00:00"),
])
def test_since_reads_days_date_times_and_times_ago(text: str, expected: str) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2025-13-01", "20250320", "2025-03-20T25:00", "99999999d", "-1d", "1y"])
def test_since_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(StorylineError, match="is not a time"):
        parse_since(text, NOW)


@pytest.mark.parametrize(("text", "absent", "present"), [
    ("[x](javascript:alert(1))", "[x](", r"\[x\]\(javascript"),
    ("<script>alert(1)</script>", "<script>", r"\<script\>"),
    ("![img](http://evil.example/a.png)", "![", r"\!\[img\]"),
    ("see https://evil.example/ now", "https://", r"https\://"),
    ("**bold** _it_ `code` & co", "**", r"\*\*bold\*\* \_it\_ \`code\` \& co"),
    ("two\nlines\n# heading", "\n", r"two lines \# heading"),
])
def test_markdown_escape_leaves_no_markup_from_article_text(text: str, absent: str, present: str) -> None:
    safe = md_escape(text)
    assert absent not in safe and present in safe


def test_word_changes_show_the_changed_words() -> None:
    assert word_changes("28 people were killed", "31 people were killed") == (
        WordChange("removed", "28"), WordChange("added", "31"), WordChange("same", "people were killed"))
    long_same = " ".join(f"w{i}" for i in range(40))
    changes = word_changes(long_same + " old", long_same + " new")
    assert changes[0].text.startswith("… w32") and changes[1:] == (WordChange("removed", "old"), WordChange("added", "new"))
    assert word_changes("same words", "same words") == (WordChange("same", "same words"),)


# -- the sections -------------------------------------------------------------------


def test_a_new_story_and_the_new_articles_appear(digest: Digest) -> None:
    bridge = _story(digest, "tram bridge")
    assert bridge.new and [a.title for a in bridge.articles] == [HOSTILE_TITLE]
    floods = _story(digest, "Floods kill 28")
    assert not floods.new  # it began in round 1
    assert [a.outlet for a in floods.articles] == ["Meridian Daily"] and floods.articles[0].published == "2025-03-20"
    every = [a.title for s in digest.stories for a in s.articles]
    assert sorted(every) == sorted(a["title"] for a in ROUND_2.values())  # nothing from round 1
    assert digest.counts()["new_stories"] == 1


def test_a_claim_told_again_by_another_outlet_is_recurring(digest: Digest) -> None:
    told = [c for c in _story(digest, "Floods kill 28").recurring if "sluice gates" in c.telling.text]
    assert len(told) == 1
    item = told[0]
    assert (item.nth, item.first.published, item.first.outlet, item.telling.outlet) == (2, "2025-03-18", "Harbour Ledger", "Meridian Daily")
    assert item.telling.group_id == f"claim:{item.first.claim_id}" and item.telling.article_id != item.first.article_id
    assert "2nd appearance, first seen 2025-03-18 by Harbour Ledger" in digest_markdown(digest)


def test_claims_seen_for_the_first_time(digest: Digest) -> None:
    first = {c.telling.text for s in digest.stories for c in s.first_seen}
    assert "Ostrana had refused to discuss the summer quotas" in first
    assert not any("sluice gates" in t or "We will rebuild" in t for t in first)  # told again / round 1 only


def test_a_changed_figure_shows_old_and_new(digest: Digest) -> None:
    changed = [c for c in _story(digest, "Floods kill 28").changed if "figures" in c.changes]
    assert len(changed) == 1
    c = changed[0]
    assert (c.figures_before, c.figures_after) == (("28",), ("31",))
    assert c.known.text == "28 people were killed in Velmora when the river burst its banks" and c.known.outlet == "Harbour Ledger"
    assert c.words[:2] == (WordChange("removed", "28"), WordChange("added", "31"))
    assert "figures 28 → 31: ~~28~~ **31** people were killed" in digest_markdown(digest)


def test_a_condition_added_to_a_known_claim_shows(digest: Digest) -> None:
    changed = [c for c in _story(digest, "Tolvan opens").changed if "conditions" in c.changes]
    assert len(changed) == 1
    assert changed[0].conditions_added == ("only if the Dessel weir stayed open",)
    assert changed[0].words[-1] == WordChange("added", "only if the Dessel weir stayed open")


def test_a_new_independent_origin_raises_the_count_and_is_named(digest: Digest) -> None:
    up = _story(digest, "Floods kill 28").origins_up
    assert len(up) == 1
    assert (up[0].before, up[0].after) == ((1, 1), (2, 2))
    assert [(o.name, o.flagged) for o in up[0].new_origins] == [("Korvel Water Board", False)]
    assert "1 → 2 independent origins; new: Korvel Water Board" in digest_markdown(digest)


def test_a_new_label_for_a_known_person_shows(digest: Digest) -> None:
    labels = [(lb.outlet, lb.actor, lb.label.lower()) for s in digest.stories for lb in s.labels]
    assert ("Lisk Courier", "Mira Tolvan", "the veteran negotiator") in labels
    assert not any(label == "chief negotiator" for _, _, label in labels)  # round 1's


def test_quotes_by_the_main_actors(digest: Digest) -> None:
    quotes = {(q.speaker, q.text) for s in digest.stories for q in s.quotes}
    assert ("Mira Tolvan", "We came to share a river, not to be told to wait,") in quotes
    assert ("Anselm Drobek", "No family in Velmora will be left alone,") in quotes
    assert not any("rebuild" in text for _, text in quotes)  # round 1's quote


def test_match_keeps_the_matching_stories_and_names_their_actors(rounds: Rounds) -> None:
    d = _built(rounds.db, rounds.between, match="Tolvan")
    assert [s.title for s in d.stories] == ["Tolvan opens water-sharing talks with Ostrana"]
    assert "person:mira-tolvan" in dict(d.main_actors)
    assert d.match == "Tolvan"


def test_nothing_new_is_said_and_is_no_error(rounds: Rounds) -> None:
    code, out, err = _digest("--db", rounds.db, "--since", "2099-01-01", "--no-record")
    assert code == 0 and "Nothing new since 2099-01-01T00:00:00+00:00" in out and "nothing new since" in err


# -- formats ---------------------------------------------------------------------------


def test_json_round_trips_with_every_id(digest: Digest) -> None:
    data = json.loads(json.dumps(digest_json(digest)))
    assert data == digest_json(digest)
    assert data["storyline_digest"] == 1 and data["since"] == digest.since and data["counts"]["recurring"] >= 1
    story = next(s for t in data["threads"] for s in t["stories"] if s["title"].startswith("Floods kill 28"))
    recurring = story["recurring"][0]
    assert set(recurring["telling"]) == {"claim_id", "article_id", "group_id", "text", "outlet", "published"}
    assert recurring["nth"] == 2 and recurring["first"]["outlet"] == "Harbour Ledger"
    assert story["origins_up"][0]["new_origins"][0]["name"] == "Korvel Water Board"


def test_html_escapes_article_text_and_stands_alone(digest: Digest) -> None:
    page = digest_html(digest)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    css = re.search(r"<style>(.*?)</style>", page, re.S)
    assert css and "header.site" in css.group(1)
    digest_hash = base64.b64encode(hashlib.sha256(css.group(1).encode("utf-8")).digest()).decode("ascii")
    assert f"'sha256-{digest_hash}'" in page and "script-src 'none'" in page  # the inlined sheet is allowed, scripts are not
    assert 'href="stories/story_3A' in page and 'href="articles/' in page


def test_markdown_escapes_the_headline(digest: Digest) -> None:
    text = digest_markdown(digest)
    assert "[x](javascript" not in text and "<script>" not in text
    assert r"\<script\>alert\(1\)\</script\> tram bridge opens in Porvic \[x\]\(javascript:alert\(1\)\)" in text


# -- the command ------------------------------------------------------------------------


def test_without_since_and_no_digest_recorded_it_exits_2(rounds: Rounds, tmp_path: Path, store_copy: str) -> None:
    db = store_copy
    code, out, err = _digest("--db", db)
    assert code == 2 and "--since" in err and out == ""
    assert _digest_rows(db) == []


def test_a_second_digest_continues_where_the_first_ended(rounds: Rounds, tmp_path: Path, store_copy: str) -> None:
    db = store_copy
    code, out, err = _digest("--db", db, "--since", rounds.between, "--format", "json")
    assert code == 0, err
    first = json.loads(out)
    assert first["counts"]["articles"] == 3
    [(at, since, match)] = _digest_rows(db)
    assert (since, match) == (rounds.between, "") and at == first["at"]
    _next_second()
    ingest([str(_write(tmp_path / "round3", ROUND_3))], Settings(db=db, workers=1))
    code, out, err = _digest("--db", db, "-f", "json")
    assert code == 0, err
    second = json.loads(out)
    assert second["since"] == at
    titles = [a["title"] for t in second["threads"] for s in t["stories"] for a in s["articles"]]
    titles += [a["title"] for a in (second["unlinked"] or {}).get("articles", [])]
    assert titles == ["Porvic ferry service suspended after storm damage"]
    assert len(_digest_rows(db)) == 2


def test_out_writes_the_file_and_no_record_records_nothing(rounds: Rounds, tmp_path: Path, store_copy: str) -> None:
    db = store_copy
    target = tmp_path / "whats-new.html"
    code, out, err = _digest("--db", db, "--since", rounds.between, "-f", "html", "--out", str(target), "--no-record")
    assert code == 0 and out == "" and str(target) in err
    assert "&lt;script&gt;" in target.read_text(encoding="utf-8")
    assert _digest_rows(db) == []
    assert _digest("--db", db, "--since", rounds.between, "-f", "pdf")[0] == 2


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append((self.path, self.headers.get("Content-Type"), body))  # type: ignore[attr-defined]
        status = 500 if self.path == "/broken" else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_posts_the_json_digest(rounds: Rounds, tmp_path: Path, hook: ThreadingHTTPServer, store_copy: str) -> None:
    db = store_copy
    url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
    code, out, err = _digest("--db", db, "--since", rounds.between, "--webhook", url, "--allow-private")
    assert code == 0, err
    [(path, content_type, body)] = hook.received  # type: ignore[attr-defined]
    assert path == "/hook" and content_type.startswith("application/json")
    sent = json.loads(body)
    assert sent["storyline_digest"] == 1 and sent["since"] == rounds.between and sent["counts"]["articles"] == 3
    assert out.startswith("# What's new since") and "posted the digest" in err
    assert len(_digest_rows(db)) == 1


def test_a_failed_webhook_exits_1_writes_the_digest_and_records_nothing(rounds: Rounds, tmp_path: Path, hook: ThreadingHTTPServer, store_copy: str) -> None:
    db = store_copy
    port = hook.server_address[1]
    code, out, err = _digest("--db", db, "--since", rounds.between, "--webhook", f"http://127.0.0.1:{port}/broken", "--allow-private")
    assert code == 1 and out.startswith("# What's new since") and "HTTP 500" in err
    code, out, err = _digest("--db", db, "--since", rounds.between, "--webhook", f"http://127.0.0.1:{port}/hook")
    assert code == 1 and "refused: 127.0.0.1 resolves to" in err and "--allow-private" in err
    assert len(hook.received) == 1  # type: ignore[attr-defined]  (the refused one never left)
    assert _digest_rows(db) == []


_VERSION_ROW = ("INSERT INTO article_versions (article_id, version, text_id, title, text, seen_at, source, quotes, claims)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def test_edited_articles_show_their_word_changes_and_quotes(rounds: Rounds, tmp_path: Path, store_copy: str) -> None:
    db = store_copy
    conn = connect(db)
    article, text = conn.execute("SELECT id, text FROM articles WHERE outlet = 'Harbour Ledger'").fetchone()
    old_text = text.replace("28 people", "27 people")
    earlier = (datetime.fromisoformat(rounds.between) - timedelta(minutes=5)).isoformat()
    conn.executemany(_VERSION_ROW, [
        (article, 1, "v1", "Floods kill 27 in Velmora", old_text, earlier, "https://ledger.example/floods",
         json.dumps(["We will rebuild every street of Velmora,", "An old quote"]), "[]"),
        (article, 2, "v2", "Floods kill 28 in Velmora as the Ister bursts its banks", text, rounds.between, "https://ledger.example/floods",
         "[]", "[]")])
    conn.commit()
    conn.close()
    d = _built(db, rounds.between)
    [edit] = _story(d, "Floods kill 28").edits
    assert (edit.article_id, edit.version, edit.previous_title) == (article, 2, "Floods kill 27 in Velmora")
    assert WordChange("removed", "27") in edit.words and WordChange("added", "28") in edit.words
    assert edit.quotes_removed == ("An old quote",)
    assert "28 people were killed in Velmora when the river burst its banks" in edit.claims_added
    assert "version 2 seen" in digest_markdown(d)


def test_an_edit_of_a_version_never_annotated_compares_no_quotes(rounds: Rounds, tmp_path: Path, store_copy: str) -> None:
    db = store_copy
    conn = connect(db)
    article, text = conn.execute("SELECT id, text FROM articles WHERE outlet = 'Lisk Courier' ORDER BY ingested_at LIMIT 1").fetchone()
    conn.executemany(_VERSION_ROW, [
        (article, 1, "v1", "Tolvan opens talks", "Talks open. " + text, "2025-01-01T00:00:00+00:00", "https://courier.example/t", "null", "null"),
        (article, 2, "v2", "Tolvan opens water-sharing talks with Ostrana", text, rounds.between, "https://courier.example/t", "[]", "[]")])
    conn.commit()
    conn.close()
    d = _built(db, rounds.between)
    [edit] = _story(d, "Tolvan opens").edits
    assert (edit.quotes_added, edit.quotes_removed, edit.claims_added, edit.claims_removed) == (None, None, None, None)
    assert edit.words[0] == WordChange("removed", "Talks open.")
    assert "not compared" in digest_markdown(d) and "not compared" in digest_html(d)
    assert json.loads(json.dumps(digest_json(d)))["threads"][0]["stories"][0]["edits"][0]["quotes_added"] is None


# -- the web app ---------------------------------------------------------------------------


def test_the_page_and_the_api_show_the_same_items_and_record_nothing(rounds: Rounds, tmp_path: Path, digest: Digest, store_copy: str) -> None:
    db = store_copy
    with TestClient(create_app(Settings(db=db))) as client:
        api = client.get("/api/digest", params={"since": rounds.between})
        page = client.get("/whats-new", params={"since": rounds.between})
        default = client.get("/whats-new")
        assert client.get("/api/digest", params={"since": "soon"}).status_code == 422
        assert "/api/digest" in client.get("/openapi.json").json()["paths"]
        nav = client.get("/").text
    assert api.status_code == 200 and page.status_code == 200 and default.status_code == 200
    data, expected = api.json(), digest_json(digest)
    assert {k: v for k, v in data.items() if k != "at"} == {k: v for k, v in expected.items() if k != "at"}
    for s in digest.stories:
        for a in s.articles:
            assert f'href="/articles/{a.id}"' in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script" not in page.text
    assert "Korvel Water Board" in page.text and "the veteran negotiator" in page.text.lower()
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assert 'href="/whats-new"' in nav
    assert _digest_rows(db) == []
