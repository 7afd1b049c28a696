"""Export formats, and docs/schema.md kept in step with what export writes."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.export.records import article_record
from storyline.models import Article
from storyline.store.migrations import MIGRATIONS
from storyline.store.schema import SCHEMA_VERSION
from tests.conftest import REPO
from tests.test_link_cli import linked_db
from tests.test_timeline_cli import REPORTS, timeline_db

ARTICLE = (
    "Grain corridor opens\n\nPORT SAREN, March 12, 2025 — The first convoy crossed the strait on Wednesday, "
    "inspectors said, after weeks of talks between the two delegations in Brenholt.\n\nRead More: Storm hits the coast\n"
)


def _documented_article_fields() -> list[str]:
    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    section = text.split("### Article fields", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


def test_schema_doc_lists_every_exported_article_field() -> None:
    record = article_record(Article(id="x", source="s", text="t", raw_text="t"))
    assert _documented_article_fields() == list(record)


def _documented_fields(section: str) -> list[str]:
    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    part = text.split(f"### `{section}` fields", 1)[1].split("###", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", part, flags=re.M)


def test_schema_doc_lists_every_annotation_field(tmp_path: Path, store_url: str) -> None:
    db = _ingested(tmp_path, store_url)
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", db]).stdout)
    for section in ("actors", "mentions", "quotes", "attributions"):
        assert doc[section], section
        assert _documented_fields(section) == list(doc[section][0]), section


def _ingested(tmp_path: Path, db: str | None = None) -> str:
    """ARTICLE ingested into the store ``db`` (a new SQLite file when left out); returns ``db``."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db = db or str(tmp_path / "s.db")
    assert CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "-q"]).exit_code == 0
    return db


def test_json_export(tmp_path: Path, store_url: str) -> None:
    db = _ingested(tmp_path, store_url)
    result = CliRunner().invoke(app, ["export", "--db", db, "--format", "json"])
    doc = json.loads(result.stdout)
    (article,) = doc["articles"]
    assert article["title"] == "Grain corridor opens"
    assert article["published"] == "2025-03-12" and article["published_inferred"] is True
    assert article["published_evidence"][0]["method"] == "dateline"
    assert article["removed"][-1] == {"text": "Read More: Storm hits the coast", "reason": "teaser or related link",
                                      "start": ARTICLE.index("Read More"), "end": ARTICLE.index("Read More") + 31}
    assert "Read More" not in article["text"]
    assert article["outlet"] is None  # nothing says who published it: never invented


def test_jsonl_and_csv_exports(tmp_path: Path, store_url: str) -> None:
    db = _ingested(tmp_path, store_url)
    lines = CliRunner().invoke(app, ["export", "--db", db, "-f", "jsonl"]).stdout.splitlines()
    types = [json.loads(line)["record"] for line in lines]
    assert types[0] == "article" and types.count("article") == 1
    assert set(types) <= {"article", "actor", "mention", "quote", "attribution", "time_expression", "event", "timeline",
                          "story", "thread", "claim_group", "framing"}
    out = tmp_path / "a.csv"
    assert CliRunner().invoke(app, ["export", "--db", db, "-f", "csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["title"] == "Grain corridor opens" and rows[0]["published"] == "2025-03-12"
    removed = tmp_path / "removed.csv"
    assert CliRunner().invoke(app, ["export", "--db", db, "-f", "csv", "-t", "removed", "-o", str(removed)]).exit_code == 0
    pieces = list(csv.DictReader(io.StringIO(removed.read_text(encoding="utf-8"))))
    assert [r["reason"] for r in pieces] == ["headline (kept as the title)", "teaser or related link"]
    assert {r["article_id"] for r in pieces} == {rows[0]["id"]}


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    result = CliRunner().invoke(app, ["export", "--db", db, "-f", "xml"])
    assert result.exit_code == 2 and "unknown format" in result.stderr


def test_schema_doc_lists_every_time_field(store_url: str) -> None:
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", timeline_db(store_url)]).stdout)
    for section in ("time_expressions", "events", "timeline"):
        assert doc[section], section
        assert _documented_fields(section) == list(doc[section][0]), section
    assert _documented_fields("appearances") == list(doc["timeline"][0]["appearances"][0])


def test_time_sections_in_json_and_jsonl(store_url: str) -> None:
    db = timeline_db(store_url)
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", db, "-f", "json"]).stdout)
    assert doc["storyline_schema"] == SCHEMA_VERSION and len(doc["time_expressions"]) == len(doc["events"]) == 6
    week = next(e for e in doc["events"] if e["granularity"] == "week")
    assert week == {
        "id": "aaaa000000000003:e0", "article_id": "aaaa000000000003", "date": "2024-W22", "granularity": "week",
        "expression": "next week", "sentence": "Elena Varga will open the Brenholt bridge next week.", "start": 0, "end": 52,
        "actor_ids": ["gpe:brenholt", "person:elena-varga"], "published": "2024-05-20", "earliest": "2024-05-27",
        "latest": "2024-06-02", "said": None, "quote_id": None,
    }
    dam = next(g for g in doc["timeline"] if g["date"] == "2024-05-23")
    assert dam["event_ids"] == ["aaaa000000000001:e0", "aaaa000000000002:e0"] and dam["first_reported"] == "2024-05-24"
    assert dam["appearances"][1] == {"event_id": "aaaa000000000002:e0", "article_id": "aaaa000000000002", "outlet": None,
                                     "published": "2024-05-25", "lag_days": 2}
    assert [g["date"] for g in doc["timeline"]] == ["2023-FA", "2024-04-25/2024-05-23", "2024-05-23", "2024-W22"]
    lines = [json.loads(line) for line in CliRunner().invoke(app, ["export", "--db", db, "-f", "jsonl"]).stdout.splitlines()]
    counts = {kind: sum(r["record"] == kind for r in lines) for kind in ("time_expression", "event", "timeline")}
    assert counts == {"time_expression": 6, "event": 6, "timeline": 4}


def test_a_database_not_yet_migrated_exports_empty_time_sections(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as raw:
        for script in MIGRATIONS[:2]:
            raw.executescript(script)
        raw.execute("PRAGMA user_version = 2")
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", str(path)]).stdout)
    assert doc["time_expressions"] == doc["events"] == doc["timeline"] == []


def test_schema_doc_lists_every_link_field(store_url: str) -> None:
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", linked_db(store_url)]).stdout)
    for section in ("stories", "threads", "claims", "framing"):
        assert doc[section], section
        assert _documented_fields(section) == list(doc[section][0]), section
    assert _documented_fields("claims.appearances") == list(doc["claims"][0]["appearances"][0])
    assert _documented_fields("framing.labels") == list(doc["framing"][0]["labels"][0])
    assert _documented_fields("framing.loaded_terms") == list(doc["framing"][0]["loaded_terms"][0])


def test_link_sections_in_json_and_jsonl(store_url: str) -> None:
    db = linked_db(store_url)
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", db]).stdout)
    dam = next(s for s in doc["stories"] if s["id"] == "story:aaaa000000000001")
    assert dam == {"id": "story:aaaa000000000001", "title": None,
                   "article_ids": ["aaaa000000000001", "cccc000000000001", "aaaa000000000002", "cccc000000000002"],
                   "thread_id": "thread:aaaa000000000001", "first_published": "2024-05-24", "last_published": "2024-05-25"}
    assert doc["threads"] == [{"id": "thread:aaaa000000000001", "title": None,
                               "story_ids": ["story:aaaa000000000003", "story:aaaa000000000001"]}]
    (claim,) = doc["claims"]
    assert (claim["first_seen"], claim["independent_origins"], claim["independent_origins_range"], claim["origins"]) == (
        "2024-05-24", 1, [1, 2], ["unnamed officials of [New] York Times", "unnamed engineers of an unknown outlet (article cccc0000…)"])
    assert claim["appearances"][0]["chain"] == ["Harbour Ledger", "The [New] York Times", "two former officials"]
    resolved = claim["appearances"][0]["resolved_origin"]
    assert (resolved["kind"], resolved["outlet"], resolved["flagged"], resolved["actor_id"]) == ("anonymous", "[New] York Times", False, None)
    assert claim["appearances"][1]["resolved_origin"]["flagged"] is True
    explained = [(e["origin"]["name"], e["claim_ids"], e["why"]) for e in claim["origin_explanations"]]
    assert explained[0] == ("unnamed officials of [New] York Times", ["cccc000000000001:c0"], "its own unnamed sources")
    assert explained[1][2].startswith("outlet or speaker unknown")
    assert claim["appearances"][1]["joined_by"] is None and claim["related"] == []  # placed by the backend directly, no linker verdict
    assert claim["appearances"][0]["hedges"] == ["reportedly"] and claim["appearances"][0]["attribution_id"] == "cccc000000000001:a0"
    ledger = next(f for f in doc["framing"] if f["article_id"] == "aaaa000000000001")
    assert ledger["labels"] == [{"actor": "Elena Varga", "text": "Flood", "start": 0, "end": 5}]
    assert ledger["anonymous_share"] is None and ledger["loaded_terms"][0]["category"] == "intensifier"
    lines = [json.loads(line) for line in CliRunner().invoke(app, ["export", "--db", db, "-f", "jsonl"]).stdout.splitlines()]
    counts = {kind: sum(r["record"] == kind for r in lines) for kind in ("story", "thread", "claim_group", "framing")}
    assert counts == {"story": 2, "thread": 1, "claim_group": 1, "framing": 3}


def test_a_database_before_migration_4_exports_empty_link_sections(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as raw:
        for script in MIGRATIONS[:3]:
            raw.executescript(script)
        raw.execute("PRAGMA user_version = 3")
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", str(path)]).stdout)
    assert doc["stories"] == doc["threads"] == doc["claims"] == doc["framing"] == []


def test_parquet_and_csv_folders_of_a_store_on_either_backend(tmp_path: Path, store_url: str) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    db = linked_db(store_url)
    out = tmp_path / "tables"
    done = CliRunner().invoke(app, ["export", "--db", db, "-f", "parquet", "-o", str(out), "-t", "articles", "-t", "claim_appearances"])
    assert done.exit_code == 0, done.stderr
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    assert sorted(a["id"] for a in articles) == sorted({r[0] for r in REPORTS} | {"cccc000000000001", "cccc000000000002"})
    appearances = pq.read_table(out / "claim_appearances.parquet").to_pylist()
    assert sorted(a["article_id"] for a in appearances) == ["cccc000000000001", "cccc000000000002"]
    assert {a["outlet"] for a in appearances} == {"Harbour Ledger", None}


def test_datasette_metadata_of_a_postgresql_store_is_one_clear_error(pg_store: str, tmp_path: Path) -> None:
    target = tmp_path / "metadata.json"
    done = CliRunner().invoke(app, ["export", "--db", pg_store, "-f", "datasette", "-o", str(target)])
    assert done.exit_code == 2 and not target.exists()
    (line,) = done.stderr.strip().splitlines()
    assert "datasette serves SQLite files" in line and "not a PostgreSQL URL" in line
