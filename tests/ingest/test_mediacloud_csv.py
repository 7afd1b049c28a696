"""Media Cloud story exports (CSV, no text): each row's page is fetched from a real local server, the
row's metadata kept over the page's; CSV tables with a text column; rows streamed, one bad row alone."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.ingest.files import iter_folder, read_file
from storyline.ingest.sources import iter_documents
from storyline.models import Failure, RawDocument
from storyline.settings import Settings

PAGE = ("<html><head><title>{title} | Page Title</title><meta property='og:site_name' content='What The Page Says'>"
        "<meta property='article:published_time' content='2024-01-01'></head><body><article><h1>{title}</h1>"
        "<p>{body}</p><p>The port authority said the timetable would be published on its notice board by Friday.</p>"
        "</article></body></html>")
FERRY = "The ferry between Alven and Lisk ran again on Monday for the first time since the strike began, carrying 212 passengers."
QUAY = "Work to repair the storm-damaged quay at Lisk began on Tuesday, with divers inspecting the pilings before the stones are lifted."

NEW = ["id", "indexed_date", "language", "media_name", "media_url", "publish_date", "title", "url"]
OLD = ["stories_id", "publish_date", "title", "url", "language", "ap_syndicated", "themes", "media_id", "media_name", "media_url"]


def _csv(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, restval="", extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _articles(db: Path) -> dict[str, tuple[str, str | None, str | None, str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, source, outlet, published, title FROM articles").fetchall()
        methods = dict(conn.execute("SELECT a.url, e.method FROM evidence e JOIN articles a ON a.id = e.article_id WHERE e.field = 'outlet'"))
    return {url: (source, outlet, published, title, methods.get(url)) for url, source, outlet, published, title in rows}


@pytest.mark.parametrize("header", [NEW, OLD], ids=["current-export", "older-export"])
def test_each_row_is_fetched_and_the_export_metadata_wins(server, tmp_path: Path, header: list[str]) -> None:  # type: ignore[no-untyped-def]
    ferry = server.route("/ferry", PAGE.format(title="Ferry runs again", body=FERRY).encode())
    quay = server.route("/quay", PAGE.format(title="Quay repairs start", body=QUAY).encode())
    gone = server.route("/gone", b"", status=404)
    export = tmp_path / "mediacloud-stories.csv"
    export.write_text(_csv(header, [
        {"id": "101", "stories_id": "101", "indexed_date": "2025-03-14 02:00:00", "language": "en", "media_name": "Harbour Ledger",
         "media_url": "https://harbour-ledger.example", "publish_date": "2025-03-12 09:30:00", "title": "Ferry to Lisk runs again", "url": ferry},
        {"id": "102", "stories_id": "102", "media_name": "", "media_url": "https://www.lisk-courier.example/",
         "publish_date": "2025-03-13", "title": "Divers start on Lisk quay", "url": quay},
        {"id": "103", "stories_id": "103", "media_name": "Harbour Ledger", "title": "Broken link", "url": "harbour-ledger.example/no scheme"},
        {"id": "104", "stories_id": "104", "media_name": "Harbour Ledger", "title": "Gone", "url": gone},
    ]), encoding="utf-8")
    db = tmp_path / "s.db"
    done = CliRunner().invoke(app, ["ingest", str(export), "--db", str(db), "--allow-private", "-q", "--workers", "1"],
                              env={"STORYLINE_ANNOTATE": "0"})
    assert done.exit_code == 1, done.stderr  # two rows failed, the others went on
    assert _articles(db) == {
        ferry: (f"{export}:2", "Harbour Ledger", "2025-03-12", "Ferry to Lisk runs again", "declared"),
        quay: (f"{export}:3", "lisk-courier.example", "2025-03-13", "Divers start on Lisk quay", "declared"),
    }
    err = " ".join(done.stderr.split())
    assert f"failed: {export}:4: harbour-ledger.example/no scheme: " in err
    assert f"failed: {export}:5: {gone}: HTTP 404" in err
    assert "ingested 2," in err
    assert sorted(r.path for r in server.requests) == ["/ferry", "/gone", "/quay"]


def test_metadata_from_the_export_is_declared_not_set_by_the_user(server, local, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = server.route("/ferry", PAGE.format(title="Ferry runs again", body=FERRY).encode())
    export = tmp_path / "stories.csv"
    export.write_text(_csv(NEW, [{"id": "1", "media_name": "Harbour Ledger", "publish_date": "2025-03-12", "title": "Ferry", "url": page}]),
                      encoding="utf-8")
    [doc] = list(iter_documents([str(export)], local))
    assert isinstance(doc, RawDocument) and doc.html and "Ferry runs again" in doc.html
    assert (doc.source, doc.url, doc.outlet, doc.published, doc.title, doc.set_by_user) == (
        f"{export}:2", page, "Harbour Ledger", "2025-03-12", "Ferry", ())


def test_a_csv_with_a_text_column_needs_no_fetching(server, local, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "articles.csv"
    table.write_text(_csv(["title", "maintext", "date", "sitename"], [
        {"title": "Ferry runs again", "maintext": f"{FERRY}\n\nA second paragraph, on its own line.", "date": "2025-03-12", "sitename": "Harbour Ledger"},
        {"title": "Nothing here", "maintext": "", "date": "2025-03-13"},
        {"title": "Quay repairs", "maintext": QUAY, "sitename": "Lisk Courier"},
    ]), encoding="utf-8")
    found = list(iter_documents([str(table)], local))
    assert [type(d).__name__ for d in found] == ["RawDocument", "Failure", "RawDocument"]
    ferry, empty, quay = found
    assert isinstance(ferry, RawDocument) and ferry.text == f"{FERRY}\n\nA second paragraph, on its own line."
    assert (ferry.title, ferry.published, ferry.outlet) == ("Ferry runs again", "2025-03-12", "Harbour Ledger")
    assert empty == Failure(f"{table}:5", "no url, text or html in this row")  # the quoted field above spans lines 2-4
    assert isinstance(quay, RawDocument) and quay.source == f"{table}:6" and quay.outlet == "Lisk Courier"
    assert server.requests == []


def test_the_cap_is_per_row_and_a_bad_row_fails_alone(local, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    settings = replace(local, max_bytes=1_000)
    rows = [{"title": f"Story {n}", "text": f"{FERRY} Story {n}."} for n in range(20)]
    rows.insert(3, {"title": "Too long", "text": "word, \"quoted\"\n" * 200})
    table = tmp_path / "dump.csv"
    table.write_text(_csv(["title", "text"], rows) + 'Story 20,"one field too many",x\r\n', encoding="utf-8")
    assert table.stat().st_size > 3 * settings.max_bytes
    found = list(iter_documents([str(table)], settings))
    docs = [d for d in found if isinstance(d, RawDocument)]
    assert [d.title for d in docs] == [f"Story {n}" for n in range(20)]
    assert docs[3].source == f"{table}:206"  # the long row spans lines 5-205
    assert [f for f in found if isinstance(f, Failure)] == [
        Failure(f"{table}:5", "record too large: more than the 0.0 MB cap (setting max_bytes)"),
        Failure(f"{table}:223", "3 field(s) where the header has 2"),
    ]


def test_rows_split_as_the_csv_module_splits_them(tmp_path: Path) -> None:
    table = tmp_path / "stories.csv"
    table.write_bytes(b'title,url\r\n12" guns fired at dawn,https://a.example/1\r\n"Quoted, with a comma",https://a.example/2\r\n'
                      b'Caf\xe9 owners,https://a.example/3\r\n')
    docs = list(read_file(table, Settings()))
    assert [(d.source, d.title, d.url) for d in docs if isinstance(d, RawDocument)] == [
        (f"{table}:2", '12" guns fired at dawn', "https://a.example/1"),  # a stray quote is a character, as csv reads it
        (f"{table}:3", "Quoted, with a comma", "https://a.example/2"),
        (f"{table}:4", "Caf\ufffd owners", "https://a.example/3"),
    ]
    assert isinstance(docs[2], RawDocument) and docs[2].notes == ("not valid UTF-8: damaged bytes replaced with U+FFFD",)


@pytest.mark.parametrize(("content", "reason"), [
    ("path,outlet,published\na.txt,Harbour Ledger,2025-03-12\n",
     "not a Media Cloud export or table of articles: no url, text or html column (columns: path, outlet, published); "
     "a list of inputs with their metadata is a manifest: ingest --manifest FILE"),
    ("name,count\nferry,3\n", "not a Media Cloud export or table of articles: no url, text or html column (columns: name, count)"),
    ("", "empty: no header row"),
])
def test_a_csv_that_is_no_article_table_fails_once_naming_the_file(tmp_path: Path, content: str, reason: str) -> None:
    table = tmp_path / "x.csv"
    table.write_text(content, encoding="utf-8")
    assert list(iter_documents([str(table)], Settings())) == [Failure(str(table), reason)]


def test_a_folder_reads_article_tables_and_leaves_other_csv_alone(tmp_path: Path) -> None:
    (tmp_path / "stories.csv").write_text(_csv(NEW, []), encoding="utf-8-sig")
    (tmp_path / "texts.csv").write_text("title,content\n", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("path,outlet\na.txt,Harbour Ledger\n", encoding="utf-8")  # a manifest
    (tmp_path / "budget.csv").write_text("item,cost\n", encoding="utf-8")
    assert [p.name for p in iter_folder(tmp_path)] == ["stories.csv", "texts.csv"]


def test_a_manifest_csv_is_still_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Ferry runs again\n\n{FERRY}\n", encoding="utf-8")
    manifest = tmp_path / "sources.csv"
    manifest.write_text("path,outlet,published\na.txt,Harbour Ledger,2025-03-12\n", encoding="utf-8")
    db = tmp_path / "s.db"
    done = CliRunner().invoke(app, ["ingest", "--manifest", str(manifest), "--db", str(db), "-q", "--workers", "1"],
                              env={"STORYLINE_ANNOTATE": "0"})
    assert done.exit_code == 0, done.stderr
    [(_, outlet, published, _, method)] = _articles(db).values()
    assert (outlet, published, method) == ("Harbour Ledger", "2025-03-12", "user")
