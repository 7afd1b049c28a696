"""Exports for other tools (issue [10], item 4): flat tables as Parquet and CSV read back with pyarrow,
pandas and DuckDB; claims as schema.org JSON-LD checked against the schema.org vocabulary; the
attribution network read back with networkx; SQL views; datasette with our metadata file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
import csv
import importlib
import importlib.util
import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app
from storyline.export.tables import TABLES
from storyline.store.schema import connect

NEWS = (
    "Talks on the Vell river dam stall\n\n"
    "Talks on the Vell river dam have stalled over the height of the spillway, The Baltic Ledger reported on Monday, "
    "citing three unnamed officials.\n\n"
    "\u201cWe will not sign a plan that floods our valley,\u201d said Anna Kovac, the agriculture minister of Dravia.\n\n"
    "Dravia and Ostmark have argued over the dam since 2021. Ostmark's energy minister, Piet Laanen, said the dam "
    "would light half a million homes.\n"
)


def _run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    return result


@pytest.fixture(scope="module")
def courier_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One article we wrote, from an outlet we set, that cites another outlet citing unnamed officials."""
    folder = tmp_path_factory.mktemp("courier")
    path = folder / "dam.txt"
    path.write_text(NEWS, encoding="utf-8")
    db = folder / "courier.db"
    result = _run("ingest", str(path), "--db", str(db), "--outlet", "Northern Courier", "--published", "2025-06-03", "--quiet")
    assert result.exit_code == 0, result.output
    return db


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(),
            "list": pa.list_(pa.string())}[kind]


def test_parquet_tables_read_back_with_their_schema_and_joined_outlet(demo_db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "tables"
    result = _run("export", "--db", str(demo_db), "--format", "parquet", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.parquet" for name in TABLES)  # no .part left
    stored = dict(sqlite3.connect(demo_db).execute("SELECT id, outlet FROM articles"))
    with storyline.open(demo_db) as story:
        for name, table in TABLES.items():
            read = pq.read_table(out / f"{name}.parquet")
            assert [(f.name, f.type) for f in read.schema] == [(c, _arrow_type(k)) for c, k in table.columns], name
            assert read.num_rows == len(story.table(name)), name
        quotes = pq.read_table(out / "quotes.parquet").to_pylist()
    assert quotes and all(q["outlet"] == stored[q["article_id"]] for q in quotes)
    articles = {a["id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    assert all(q["published"] == articles[q["article_id"]]["published"] for q in quotes)  # date32 both sides
    assert any(q["published"] is not None for q in quotes) and any(a["story_id"] for a in articles.values())


def test_csv_tables_round_trip_and_duckdb_reads_both(demo_db: Path, tmp_path: Path) -> None:
    if importlib.util.find_spec("duckdb") is None:
        pytest.skip("duckdb is not installed")
    out = tmp_path / "csv"
    assert _run("export", "--db", str(demo_db), "-f", "csv", "-o", str(out), "-t", "timeline", "-t", "quotes").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["quotes.csv", "timeline.csv"]
    with storyline.open(demo_db) as story:
        timeline = story.timeline()
        rows = list(csv.DictReader((out / "timeline.csv").open(encoding="utf-8")))
        assert [json.loads(r["article_ids"]) for r in rows] == [t["article_ids"] for t in timeline]
        quotes = list(csv.DictReader((out / "quotes.csv").open(encoding="utf-8")))
        assert {r["direct"] for r in quotes} == {"true", "false"}
        assert [r["speaker_name"] or None for r in quotes] == [q["speaker_name"] for q in story.quotes()]
    assert _run("export", "--db", str(demo_db), "-f", "parquet", "-o", str(out), "-t", "quotes").exit_code == 0
    by_outlet, from_csv = _duckdb(f"SELECT outlet, count(*) FROM '{out / 'quotes.parquet'}' GROUP BY outlet ORDER BY outlet NULLS LAST",
                                  f"SELECT outlet, count(*) FROM read_csv('{out / 'quotes.csv'}') GROUP BY outlet ORDER BY outlet NULLS LAST")
    assert by_outlet == from_csv and sum(n for _, n in by_outlet) == len(quotes)


def _duckdb(*queries: str) -> list[Any]:
    """Run queries in DuckDB in a child process (its bindings report leaks at interpreter exit); return their rows."""
    script = "import duckdb, json, sys; print(json.dumps([duckdb.sql(q).fetchall() for q in json.loads(sys.argv[1])]))"
    done = subprocess.run([sys.executable, "-c", script, json.dumps(queries)], capture_output=True, text=True, timeout=120, check=True)
    return [[tuple(row) for row in rows] for rows in json.loads(done.stdout)]


def test_one_csv_table_to_stdout_or_file_and_mistakes_exit_2(demo_db: Path, tmp_path: Path) -> None:
    result = _run("export", "--db", str(demo_db), "-f", "csv")
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and header == [c for c, _ in TABLES["articles"].columns]
    assert "published_earliest" in header and "story_id" in header
    target = tmp_path / "claims.csv"
    assert _run("export", "--db", str(demo_db), "-f", "csv", "-t", "claims", "-o", str(target)).exit_code == 0
    assert next(csv.reader(target.open(encoding="utf-8"))) == [c for c, _ in TABLES["claims"].columns]
    for args, says in ((["-f", "parquet"], "needs --out"), (["-f", "csv", "-t", "nope"], "unknown table"),
                       (["-f", "csv", "-t", "quotes", "-t", "claims"], "one csv file holds one table")):
        result = _run("export", "--db", str(demo_db), *args)
        assert result.exit_code == 2 and says in result.stderr, args


def test_reader_frames_have_the_parquet_columns(demo_db: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    assert _run("export", "--db", str(demo_db), "-f", "parquet", "-o", str(tmp_path), "-t", "claim_appearances").exit_code == 0
    written = pd.read_parquet(tmp_path / "claim_appearances.parquet")
    with storyline.open(demo_db) as story:
        frame = story.claim_appearances(as_frame=True)
        assert list(frame.columns) == list(written.columns) and len(frame) == len(written)
        assert str(frame["published"].dtype).startswith("datetime64")
        wide = story.claims(min_articles=2)
        assert wide and all(c["articles"] >= 2 for c in wide)
        assert {r["group_id"] for r in story.claim_appearances(min_articles=2)} == {c["id"] for c in wide}


def _schema_class(type_name: str) -> Any:
    """The schema.org type, from pydantic2-schemaorg's classes generated from the schema.org vocabulary."""
    module = importlib.import_module(f"pydantic2_schemaorg.{type_name}")
    return getattr(module, type_name)


def _check_schema_org(node: Any, path: str = "$") -> int:
    """Every typed node's type is a schema.org type and every property is one that type has; returns nodes checked."""
    if isinstance(node, list):
        return sum(_check_schema_org(n, f"{path}[{i}]") for i, n in enumerate(node))
    if not isinstance(node, dict):
        return 0
    checked = 0
    if "@type" in node:
        cls = _schema_class(node["@type"])
        fields = set(cls.__fields__)
        for key in node:
            if not key.startswith("@"):
                assert key in fields, f"{path}: {node['@type']} has no property {key!r} in schema.org"
        checked = 1
    return checked + sum(_check_schema_org(v, f"{path}.{k}") for k, v in node.items() if not k.startswith("@"))


def test_jsonld_claims_use_only_schema_org_terms(demo_db: Path) -> None:
    pytest.importorskip("pydantic2_schemaorg")
    result = _run("export", "--db", str(demo_db), "-f", "jsonld", "--min-articles", "2")
    doc = json.loads(result.stdout)
    assert doc["@context"] == "https://schema.org" and doc["@graph"]
    assert _check_schema_org(doc["@graph"]) > len(doc["@graph"]) * 3
    with storyline.open(demo_db) as story:
        claims = {c["id"]: c for c in story.claims(min_articles=2)}
    for claim in doc["@graph"]:
        assert claim["@type"] == "Claim" and claim["identifier"] in claims
        apps = claim["appearance"]
        assert len(apps) == claims[claim["identifier"]]["appearances"]
        assert all(a["isPartOf"]["@type"] == "NewsArticle" for a in apps)
        first = next(a for a in apps if a["@id"] == claim["firstAppearance"]["@id"])
        assert first["datePublished"] == min(a["datePublished"] for a in apps if "datePublished" in a)
        for author in claim.get("author", []):
            assert author["@type"] in ("Person", "Organization", "NewsMediaOrganization") and author["name"]


def test_jsonld_never_makes_unnamed_sources_an_author(courier_db: Path) -> None:
    doc = json.loads(_run("export", "--db", str(courier_db), "-f", "jsonld").stdout)
    authors = [a["name"] for c in doc["@graph"] for a in c.get("author", [])]
    assert not any("official" in name.lower() or "source" in name.lower() for name in authors)
    publishers = {a["isPartOf"]["publisher"]["name"] for c in doc["@graph"] for a in c["appearance"]}
    assert publishers == {"Northern Courier"}


def test_graphml_reads_back_with_the_citation_chain(courier_db: Path, tmp_path: Path) -> None:
    nx = pytest.importorskip("networkx")
    target = tmp_path / "net.graphml"
    assert _run("export", "--db", str(courier_db), "-f", "graphml", "-o", str(target)).exit_code == 0
    graph = nx.read_graphml(target)
    label = {n: d["label"] for n, d in graph.nodes(data=True)}
    edges = {(label[u], label[v], d["kind"]): d for u, v, d in graph.edges(data=True)}
    assert ("Northern Courier", "The Baltic Ledger", "cites") in edges
    assert ("The Baltic Ledger", "unnamed sources (The Baltic Ledger)", "cites") in edges
    quoted = {v for (u, v, k) in edges if u == "Northern Courier" and k == "quotes"}
    assert {"Anna Kovac", "Piet Laanen"} <= quoted
    assert edges[("Northern Courier", "The Baltic Ledger", "cites")]["weight"] == 1
    assert edges[("Northern Courier", "The Baltic Ledger", "cites")]["first"] == "2025-06-03"
    assert any(k == "co_mention" for (_, _, k) in edges)


def test_sql_views_join_outlet_and_origin(demo_db: Path) -> None:
    conn = connect(demo_db, readonly=True)
    quotes = conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    rows = conn.execute("SELECT v.outlet, a.outlet FROM quotes_with_article v JOIN articles a ON a.id = v.article_id").fetchall()
    assert len(rows) == quotes and all(tuple(r)[0] == tuple(r)[1] for r in rows)
    appearances = conn.execute("SELECT COUNT(*) FROM claim_appearances").fetchone()[0]
    with storyline.open(demo_db) as story:
        assert appearances == len(story.claim_appearances())
    assert conn.execute("SELECT COUNT(*) FROM story_articles").fetchone()[0] == conn.execute("SELECT COUNT(*) FROM story_members").fetchone()[0]


def test_datasette_searches_and_shows_the_views_with_our_metadata(demo_db: Path, tmp_path: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    target = tmp_path / "metadata.json"
    assert _run("export", "--db", str(demo_db), "-f", "datasette", "-o", str(target)).exit_code == 0
    ds = datasette_app.Datasette([str(demo_db)], metadata=json.loads(target.read_text(encoding="utf-8")))
    name = demo_db.stem
    conn = connect(demo_db, readonly=True)
    expected = {r[0] for r in conn.execute("SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
                                           " WHERE articles_fts MATCH 'inspection'")}
    assert expected

    async def fetch() -> tuple[Any, ...]:
        found = await ds.client.get(f"/{name}/articles.json?_search=inspection&_shape=array&_col=title&_size=max")
        view = await ds.client.get(f"/{name}/quotes_with_article.json?_shape=array&_size=max")
        listing = await ds.client.get(f"/{name}.json")
        canned = await ds.client.get(f"/{name}/most_quoted.json?_shape=array")
        return found, view, listing, canned

    with ThreadPoolExecutor(1) as pool:  # its own event loop: the browser tests may leave one running in this thread
        found, view, listing, canned = pool.submit(asyncio.run, fetch()).result()
    assert found.status_code == 200 and {r["id"] for r in found.json()} == expected
    assert view.status_code == 200 and len(view.json()) == conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
    hidden = {t["name"] for t in listing.json()["tables"] if t["hidden"]}
    assert {"link_docs", "vector_buckets", "claim_vectors"} <= hidden and "articles" not in hidden
    assert canned.status_code == 200 and canned.json()[0]["quotes"] >= canned.json()[-1]["quotes"]


def test_exports_doc_lists_every_table_and_column_in_order() -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "exports.md").read_text(encoding="utf-8").split("## Flat tables", 1)[1].split("\n## ", 1)[0]
    documented = {m[0]: re.findall(r"`(\w+)`", m[1]) for m in re.findall(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", text, flags=re.M)}
    for name, table in TABLES.items():
        assert documented.get(name) == [c for c, _ in table.columns], name
