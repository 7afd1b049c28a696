"""Export formats, and docs/schema.md kept in step with what export writes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.export import article_record
from storyline.models import Article
from tests.conftest import REPO

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


def test_schema_doc_lists_every_annotation_field(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", db]).stdout)
    for section in ("actors", "mentions", "quotes", "attributions"):
        assert doc[section], section
        assert _documented_fields(section) == list(doc[section][0]), section


def _ingested(tmp_path: Path) -> str:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "-q"]).exit_code == 0
    return db


def test_json_export(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
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


def test_jsonl_and_csv_exports(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    lines = CliRunner().invoke(app, ["export", "--db", db, "-f", "jsonl"]).stdout.splitlines()
    types = [json.loads(line)["record"] for line in lines]
    assert types[0] == "article" and types.count("article") == 1
    assert set(types) <= {"article", "actor", "mention", "quote", "attribution"}
    out = tmp_path / "a.csv"
    assert CliRunner().invoke(app, ["export", "--db", db, "-f", "csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["title"] == "Grain corridor opens"
    assert [r["reason"] for r in json.loads(rows[0]["removed"])] == ["headline (kept as the title)", "teaser or related link"]


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    db = _ingested(tmp_path)
    result = CliRunner().invoke(app, ["export", "--db", db, "-f", "xml"])
    assert result.exit_code == 2 and "unknown format" in result.stderr
