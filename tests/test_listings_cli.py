"""Every listing pipes: --format table|json|jsonl|csv|tsv, --limit, nothing cut when piped, exit 1 on no rows."""

from __future__ import annotations

import csv
import io
import json
from typer.testing import CliRunner

from storyline.cli import app
from storyline.store.schema import connect


def _run(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, list(args), env={"COLUMNS": "60"})
    return done.exit_code, done.stdout, done.stderr


def test_piped_listings_default_to_json_lines_with_every_field_uncut(demo_store: str) -> None:
    code, out, _ = _run("list", "--db", demo_store)
    rows = [json.loads(line) for line in out.splitlines()]
    stored = dict(connect(demo_store).execute("SELECT id, title FROM articles"))
    assert code == 0 and len(rows) == len(stored)
    assert all(r["title"] == stored[r["id"]] for r in rows)  # whole titles, not "…"
    code, out, _ = _run("list", "--db", demo_store, "--format", "table", "--limit", "2")
    assert code == 0 and "…" not in out and len(out.strip().splitlines()) >= 3


def test_quotes_come_with_outlet_and_date_in_every_format(demo_store: str) -> None:
    code, out, _ = _run("quotes", "--db", demo_store, "-f", "json", "--limit", "5")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 5
    assert {"text", "speaker_name", "direct", "quoted_words", "outlet", "published", "title"} <= set(rows[0])
    code, out, _ = _run("quotes", "--db", demo_store, "-f", "csv", "--limit", "5")
    table = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["text"] for r in table] == [r["text"] for r in rows] and table[0]["outlet"] == (rows[0]["outlet"] or "")
    code, out, _ = _run("actors", "--db", demo_store, "-f", "tsv", "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 4 and out.splitlines()[0].split("\t")[:2] == ["actor", "type"]


def test_nothing_found_exits_1_and_says_so(demo_store: str) -> None:
    code, out, err = _run("search", "zzzqqq", "--db", demo_store, "-f", "jsonl")
    assert code == 1 and not out and "no articles found" in err
    code, _, err = _run("list", "--db", demo_store, "--outlet", "No Such Outlet")
    assert code == 1 and "no articles found" in err
    code, _, err = _run("list", "--db", demo_store, "-f", "xml")
    assert code == 2 and "unknown format 'xml'" in err


def test_stories_claims_timeline_sources_and_framing_pipe_as_records(demo_store: str) -> None:
    code, out, _ = _run("stories", "--db", demo_store)
    stories = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and stories and {"id", "thread_id", "articles", "article_ids"} <= set(stories[0])
    code, out, _ = _run("claims", "--db", demo_store, "--limit", "3", "-f", "json")
    claims = json.loads(out)
    assert code == 0 and len(claims) == 3 and "appearances" in claims[0]
    code, out, _ = _run("timeline", "--db", demo_store, "--limit", "4", "-f", "jsonl")
    assert code == 0 and len(out.splitlines()) == 4 and "date" in json.loads(out.splitlines()[0])
    (article, n), = connect(demo_store).execute("SELECT article_id, COUNT(*) FROM attributions GROUP BY article_id LIMIT 1")
    code, out, _ = _run("sources", article, "--db", demo_store, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == n and {"source", "source_kind", "outlet", "published"} <= set(rows[0])
    code, _, err = _run("framing", "--actor", "Nobody Anywhere", "--db", demo_store, "-f", "jsonl")
    assert code == 1 and "no labels or terms for Nobody Anywhere found" in err


def test_search_has_the_web_apps_filters(demo_store: str) -> None:
    conn = connect(demo_store)
    outlet, = conn.execute("SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC").fetchone()
    code, out, _ = _run("search", "", "--outlet", outlet, "--db", demo_store, "--limit", "50")
    rows = [json.loads(line) for line in out.splitlines()]
    expected = conn.execute("SELECT COUNT(*) FROM articles WHERE outlet = ?", (outlet,)).fetchone()[0]
    assert code == 0 and len(rows) == min(expected, 50) and {r["outlet"] for r in rows} == {outlet}
    code, out, _ = _run("search", "", "--since", "2025-03-01", "--until", "2025-03-31", "--db", demo_store)
    assert code == 0 and all("2025-03-01" <= json.loads(line)["published"] <= "2025-03-31" for line in out.splitlines())
    code, _, err = _run("search", "", "--since", "March", "--db", demo_store)
    assert code == 2 and "--since 'March' is not a day" in err
