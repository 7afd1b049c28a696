"""storyline watch against a real local site whose feeds and pages change (issue [11], items 1, 4, 5)."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.follow.polite import PoliteFetcher
from storyline.follow.watch import GONE_AFTER, Watcher
from storyline.settings import Settings
from storyline.store.schema import connect
from storyline.store.watch import load_source
from tests.follow.livesite import LiveSite, Route

PLACES = ["Varna Bay", "Kestrel Pass", "Old Morrow", "Tamsin Ford", "Ilvar", "Ostry Hollow", "Pellam", "Durn Crossing"]
WORDS = ("council harbour ferry grain strike bridge tariff flood ministry envoy quarry railway market drought festival "
         "court tunnel levy border convoy dam mayor union clinic school pension fishery mine airport wind").split()


def article(n: int, topic: str = "") -> tuple[str, list[str]]:
    """A short news article of our own, distinct for each ``n``."""
    rng = random.Random(n)
    place = PLACES[n % len(PLACES)]
    words = rng.sample(WORDS, 12)
    title = f"{place} {words[0]} {words[1]} talks resume {n}"
    paragraphs = [
        f"Officials in {place} said on Tuesday that the {words[2]} and {words[3]} dispute number {n} had entered a new phase. {topic}",
        f"The {words[4]} committee met for {n + 3} hours and agreed to publish the {words[5]} figures by Friday, a spokeswoman said.",
        f"Residents near the {words[6]} said the {words[7]} had been closed since {2010 + n % 14}, and the {words[8]} had not reopened.",
        f"A second meeting on the {words[9]}, the {words[10]} and the {words[11]} is planned for next month in {place}.",
    ]
    return title, paragraphs


class Clock:
    """Wall time and monotonic time a test moves by hand."""

    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> dt.datetime:
        return dt.datetime(2025, 3, 20, 8, 0, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=self.t)

    def mono(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def site() -> Iterator[LiveSite]:
    server = LiveSite()
    server.route("/robots.txt", Route(b"User-agent: Storyline\nDisallow: /private/\n", content_type="text/plain"))
    yield server
    server.close()


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(db=str(tmp_path / "watch.db"), allow_private=True, annotate=False, workers=1, watch_host_delay=0.0, **kw)  # type: ignore[arg-type]


def _watcher(settings: Settings, clock: Clock, every: float = 900.0) -> Watcher:
    fetcher = PoliteFetcher(settings, clock=clock.mono, sleep=clock.advance)
    return Watcher(settings, every=every, fetcher=fetcher, now=clock.now, rng=random.Random(7))


def _publish(site: LiveSite, numbers: list[int], feed: str = "/feed.xml", prefix: str = "/news/") -> str:
    for n in numbers:
        site.page(f"{prefix}{n}", *article(n))
    return site.feed(feed, "Harbour Courier", [(f"{prefix}{n}", article(n)[0]) for n in numbers])


def _count(db: str, sql: str) -> int:
    return sqlite3.connect(db).execute(sql).fetchone()[0]


def test_new_entries_are_stored_once_and_an_unchanged_feed_costs_a_304(site: LiveSite, tmp_path: Path) -> None:
    settings, clock = _settings(tmp_path), Clock()
    feed = _publish(site, [1, 2])
    watcher = _watcher(settings, clock)
    watcher.add([feed])
    first = watcher.run_round()
    assert len(first.summary.ingested) == 2 and first.checked == 1
    clock.advance(900)
    second = watcher.run_round()
    assert second.not_modified == 1 and second.summary.ingested == ()
    assert site.seen("/feed.xml")[-1][0].get("if-none-match") and site.seen("/feed.xml")[-1][1] == 304
    _publish(site, [1, 2, 3])
    clock.advance(900)
    third = _watcher(settings, clock).run_round()  # a restarted watch: its state is in the database
    assert len(third.summary.ingested) == 1 and third.summary.ingested[0]
    statuses = [s for _, s in site.seen("/news/1")]
    assert statuses[0] == 200 and set(statuses[1:]) == {304}  # never fetched again as an entry; revisits cost a 304
    assert _count(settings.db, "SELECT COUNT(*) FROM articles") == 3
    assert _count(settings.db, "SELECT COUNT(*) FROM watch_entries") == 3


def test_retry_after_is_honoured_and_errors_back_off_with_jitter(site: LiveSite, tmp_path: Path) -> None:
    settings, clock = _settings(tmp_path), Clock()
    feed = site.route("/busy.xml", Route(b"slow down", status=429, headers={"Retry-After": "1200"}))
    watcher = _watcher(settings, clock, every=600)
    watcher.add([feed])
    assert watcher.run_round().failures
    state = load_source(connect(settings.db), feed)
    assert state is not None and state.last_status == 429 and state.next_after == "2025-03-20T08:20:00+00:00"
    clock.advance(600)
    watcher.run_round()
    assert len(site.seen("/busy.xml")) == 1  # not asked again before Retry-After
    site.route("/busy.xml", Route(b"broken", status=500))
    clock.advance(601)
    watcher.run_round()
    state = load_source(connect(settings.db), feed)
    assert state is not None and state.failures == 2 and state.last_status == 500
    wait = (dt.datetime.fromisoformat(state.next_after or "") - clock.now()).total_seconds()
    assert 600 * 2 * 0.8 <= wait <= 600 * 2 * 1.2 and wait != 1200  # doubled, with jitter
    _publish(site, [4], feed="/busy.xml")
    clock.advance(wait + 1)
    done = watcher.run_round()
    state = load_source(connect(settings.db), feed)
    assert state is not None and state.failures == 0 and state.health == "ok" and len(done.summary.ingested) == 1


def test_robots_txt_is_respected_and_a_feed_that_disappears_is_marked_gone(site: LiveSite, tmp_path: Path) -> None:
    settings, clock = _settings(tmp_path), Clock()
    site.page("/private/memo", *article(9))
    site.page("/news/5", *article(5))
    feed = site.feed("/mixed.xml", "Harbour Courier", [("/private/memo", "Memo"), ("/news/5", "Five")])
    watcher = _watcher(settings, clock)
    watcher.add([feed])
    done = watcher.run_round()
    assert len(done.summary.ingested) == 1 and site.seen("/private/memo") == []
    assert any("robots.txt" in f.reason for f in done.summary.failed)
    assert site.seen("/robots.txt")[0][0]["user-agent"].startswith("Storyline/")
    del site.routes["/mixed.xml"]
    for _ in range(GONE_AFTER):
        clock.advance(7 * 24 * 3600)
        watcher.run_round()
    state = load_source(connect(settings.db), feed)
    assert state is not None and state.gone and state.health == "gone" and state.last_status == 404
    listed = CliRunner().invoke(app, ["watch", "--status", "--db", settings.db, "-f", "jsonl"])
    assert listed.exit_code == 0 and '"health": "gone"' in listed.stdout


def test_a_scope_keeps_only_matching_articles_and_never_fetches_the_others_again(site: LiveSite, tmp_path: Path) -> None:
    settings, clock = _settings(tmp_path), Clock()
    site.page("/news/10", *article(10, topic="The ceasefire proposal was discussed with envoy Talia Brun."))
    site.page("/news/11", *article(11))
    feed = site.feed("/scoped.xml", "Harbour Courier", [("/news/10", "Ten"), ("/news/11", "Eleven")])
    watcher = _watcher(settings, clock)
    watcher.add([feed], match='ceasefire AND "Talia Brun" OR armistice')
    done = watcher.run_round()
    assert len(done.summary.ingested) == 1 and ("out of scope" in dict(done.summary.skipped).values())
    clock.advance(900)
    site.feed("/scoped.xml", "Harbour Courier 2", [("/news/10", "Ten"), ("/news/11", "Eleven")])  # changed: not a 304
    watcher.run_round()
    assert len(site.seen("/news/11")) == 1
    assert _count(settings.db, "SELECT COUNT(*) FROM articles") == 1


def test_an_edited_article_is_caught_by_the_revisit(site: LiveSite, tmp_path: Path) -> None:
    settings, clock = _settings(tmp_path), Clock()
    feed = _publish(site, [20])
    watcher = _watcher(settings, clock)
    watcher.add([feed])
    watcher.run_round()
    clock.advance(900)
    assert watcher.run_round().revisited == 1 and site.seen("/news/20")[-1][1] == 304
    title, paragraphs = article(20)
    site.page("/news/20", title, paragraphs[:1] + ["Update: the committee met again and reached no deal."] + paragraphs[1:])
    clock.advance(900)
    done = watcher.run_round()
    assert [aid for _, aid in done.summary.updated] and done.summary.ingested == ()
    assert _count(settings.db, "SELECT COUNT(*) FROM articles") == 1
    clock.advance(settings.revisit_hours * 3600 + 1)
    assert watcher.run_round().revisited == 0  # the window is over


def test_hundreds_of_rounds_grow_neither_memory_nor_duplicates(site: LiveSite, tmp_path: Path) -> None:
    settings, clock = _settings(tmp_path, revisit_hours=0.5), Clock()
    published: list[int] = [100]
    feed = _publish(site, published)
    watcher = _watcher(settings, clock, every=600)
    watcher.add([feed])
    tracemalloc.start()
    peaks = []
    try:
        for n in range(200):
            if n % 25 == 0:
                published.append(101 + n // 25)
                _publish(site, published[-10:])  # the feed shows the latest ten
            if n % 40 == 7:
                site.route("/feed.xml", Route(b"oops", status=500))
            elif n % 40 == 8:
                _publish(site, published[-10:])
            watcher.run_round()
            clock.advance(601 if n % 40 != 7 else 2000)
            if n in (50, 199):
                peaks.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    assert peaks[1] - peaks[0] < 2_000_000, peaks  # traced memory after round 200 within 2 MB of round 50
    assert _count(settings.db, "SELECT COUNT(*) FROM articles") == len(published)
    assert _count(settings.db, "SELECT COUNT(DISTINCT url) FROM articles") == len(published)
    assert _count(settings.db, "SELECT COUNT(*) FROM watch_entries") == len(published)
    assert len(site.seen("/news/100")) <= 1 + 3  # its fetch, then at most a few revisits while its window was open


def test_sigterm_mid_round_stops_after_the_current_article_and_leaves_the_database_whole(site: LiveSite, tmp_path: Path) -> None:
    numbers = list(range(30, 42))
    for n in numbers:
        title, paragraphs = article(n)
        site.page(f"/slow/{n}", title, paragraphs)
    site.feed("/slow.xml", "Harbour Courier", [(f"/slow/{n}", article(n)[0]) for n in numbers])
    db = str(tmp_path / "term.db")
    env = {**os.environ, "STORYLINE_ANNOTATE": "false", "STORYLINE_WATCH_HOST_DELAY": "0.4"}
    proc = subprocess.Popen([sys.executable, "-m", "storyline", "watch", site.url("/slow.xml"), "--db", db, "--allow-private",
                             "--every", "1h"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len([p for p, _, _ in site.requests if p.startswith("/slow/")]) < 4:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 0 < stored < len(numbers)
    assert conn.execute("SELECT COUNT(*) FROM articles a LEFT JOIN sources s ON s.article_id = a.id WHERE s.source IS NULL").fetchone()[0] == 0
    recorded = {r[0] for r in conn.execute("SELECT entry_url FROM watch_entries")}
    assert recorded <= {r[0] for r in conn.execute("SELECT source FROM sources")}
    conn.close()
    again = CliRunner().invoke(app, ["watch", "--once", "--db", db, "--allow-private", "-q"], env={"STORYLINE_ANNOTATE": "false"})
    assert again.exit_code == 0, again.output
    assert _count(db, "SELECT COUNT(*) FROM articles") == len(numbers)
    assert _count(db, "SELECT COUNT(*) FROM watch_entries") == len(numbers)


def test_the_web_app_shows_watched_sources_and_their_health_escaped(site: LiveSite, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from storyline.web.app import create_app

    settings, clock = _settings(tmp_path), Clock()
    ok = _publish(site, [50])
    failing = site.route("/down.xml", Route(b"no", status=500))
    watcher = _watcher(settings, clock)
    watcher.add([ok, failing], match='"<script>alert(1)</script>" OR Varna')
    watcher.run_round()
    client = TestClient(create_app(settings))
    page = client.get("/watching")
    assert page.status_code == 200 and "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "failing" in page.text and "HTTP 500" in page.text
    api = {s["url"]: s for s in client.get("/api/watching").json()}
    assert api[ok]["health"] == "ok" and api[ok]["entries"] == 1 and api[failing]["health"] == "failing"
