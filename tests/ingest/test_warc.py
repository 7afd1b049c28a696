"""Web archives (WARC, ARC): written here with warcio's own writer, read record by record."""

from __future__ import annotations

import gzip
import io
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.cli import app
from storyline.flow import ingest
from storyline.ingest.files import iter_folder
from storyline.ingest.sources import iter_documents
from storyline.ingest.warc import Skipped, read_archive
from storyline.models import Failure, RawDocument
from storyline.settings import Settings

FERRY = ("<html><head><title>Ferry to Lisk runs again</title></head><body>"
         "<nav><a href='/'>Home</a> | <a href='/port'>Port</a> | <a href='/weather'>Weather</a></nav><article>"
         "<h1>Ferry to Lisk runs again</h1><p>The ferry between Alven and Lisk ran again on Monday for the first time "
         "since the strike began, carrying 212 passengers and a cargo of grain, the port authority said.</p>"
         "<p>Officials said the service would run twice a week while the talks go on, weather permitting.</p>"
         "</article><footer>Subscribe to the Harbour Ledger newsletter</footer></body></html>")
CAFE = ("<html><head><meta charset='windows-1252'><title>Caf\xe9 owners in Dorn count the cost</title></head><body><article>"
        "<h1>Caf\xe9 owners in Dorn count the cost</h1><p>Owners of the harbour caf\xe9s in Dorn said takings had fallen by "
        "half since the ferry stopped, and three of the eleven on the quay have closed their shutters for good.</p>"
        "<p>\u201cWe live on the day trippers,\u201d said Mara Vell, who has run the Blue Anchor for nineteen years.</p>"
        "</article></body></html>")
QUAY = ("<html><head><title>Quay repairs start</title></head><body><article><h1>Quay repairs start</h1>"
        "<p>Work to repair the storm-damaged quay at Lisk began on Tuesday, the harbour master said, with divers "
        "inspecting the pilings before the first stones are lifted into place by the floating crane.</p>"
        "<p>The council expects the work to take most of the summer and to cost about four hundred thousand crowns.</p>"
        "</article></body></html>")

Record = tuple[str, str, str, str, bytes]
"""(WARC-Type, URL, HTTP status line, Content-Type, body)."""

CRAWL: list[Record] = [
    ("request", "https://harbour-ledger.example/ferry", "", "", b""),
    ("response", "https://harbour-ledger.example/ferry", "200 OK", "text/html; charset=utf-8", FERRY.encode()),
    ("response", "https://harbour-ledger.example/report.pdf", "200 OK", "application/pdf", b"%PDF-1.7\n" + b"0" * 400),
    ("response", "https://harbour-ledger.example/gone", "404 Not Found", "text/html", b"<html><body>No such page</body></html>"),
    ("response", "https://dorn-courier.example/cafes", "200 OK", "text/html", CAFE.encode("cp1252")),  # charset in the page only
]


def _write_warc(path: Path, records: list[Record], *, gz: bool) -> dict[str, int]:
    """Write a WARC (warcinfo first) and return each response's offset by URL."""
    offsets: dict[str, int] = {}
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "storyline tests"}))
        for kind, url, status, ctype, body in records:
            if kind == "request":
                host = url.split("/")[2]
                http = StatusAndHeaders(f"GET /{url.split('/', 3)[3]} HTTP/1.1", [("Host", host)], is_http_request=True)
                record = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)
            else:
                http = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
                offsets.setdefault(url, out.tell())
            writer.write_record(record)
    return offsets


def _articles(db: Path) -> list[tuple[str, str, str, str, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT source, url, title, text, published FROM articles ORDER BY source").fetchall()


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_ingest_keeps_the_html_pages_of_status_200_and_skips_the_rest(tmp_path: Path, name: str) -> None:
    archive = tmp_path / name
    offsets = _write_warc(archive, CRAWL, gz=name.endswith(".gz"))
    if name.endswith(".gz"):
        assert archive.read_bytes()[:2] == b"\x1f\x8b"
    db = tmp_path / "s.db"
    done = CliRunner().invoke(app, ["ingest", str(archive), "--db", str(db), "-q", "--workers", "1"], env={"STORYLINE_ANNOTATE": "0"})
    assert done.exit_code == 0, done.stderr
    assert "ingested 2," in done.stderr and "failed:" not in done.stderr and "warning:" not in done.stderr
    rows = _articles(db)
    ferry, cafe = "https://harbour-ledger.example/ferry", "https://dorn-courier.example/cafes"
    assert [(source, url) for source, url, *_ in rows] == sorted([(f"{archive}#{offsets[ferry]}", ferry), (f"{archive}#{offsets[cafe]}", cafe)])
    texts = {url: (title, text, published) for _, url, title, text, published in rows}
    title, text, published = texts[ferry]
    assert title == "Ferry to Lisk runs again" and text.startswith("The ferry between Alven and Lisk ran again on Monday")
    assert "Subscribe" not in text and "Weather" not in text  # cleaned like any page
    assert published is None  # the crawl date (WARC-Date) is no publication date
    title, text, _ = texts[cafe]
    assert title == "Café owners in Dorn count the cost" and "harbour cafés" in text and "“We live on the day trippers,”" in text


def test_skipped_records_are_counted_not_reported(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    _write_warc(archive, CRAWL, gz=True)
    skipped = Skipped()
    with archive.open("rb") as handle:
        found = list(read_archive(handle, str(archive), Settings(), skipped=skipped))
    assert all(isinstance(d, RawDocument) for d in found) and len(found) == 2
    assert (skipped.not_response, skipped.not_html, skipped.not_ok) == (2, 1, 1)  # warcinfo + request, the PDF, the 404


def test_an_archive_without_pages_says_what_it_held(tmp_path: Path) -> None:
    archive = tmp_path / "media.warc"
    _write_warc(archive, CRAWL[2:4], gz=False)
    [failure] = list(iter_documents([str(archive)], Settings()))
    assert isinstance(failure, Failure) and failure.source == str(archive)
    assert failure.reason == "no HTML page of HTTP status 200 in the archive (1 not responses, 1 not HTML, 1 not HTTP 200 skipped)"


def test_the_size_cap_is_per_record_and_a_record_over_it_fails_alone(tmp_path: Path) -> None:
    big = QUAY.replace("</article>", "<p>" + "The crane lifted another stone. " * 200 + "</p></article>")
    records = CRAWL[1:2] + [("response", "https://harbour-ledger.example/quay", "200 OK", "text/html", big.encode())] + CRAWL[4:]
    archive = tmp_path / "crawl.warc"
    offsets = _write_warc(archive, records, gz=False)
    settings = Settings(db=str(tmp_path / "s.db"), max_bytes=4_000, annotate=False, workers=1)
    assert archive.stat().st_size > 2 * settings.max_bytes  # the file as a whole is over the cap
    summary = ingest([str(archive)], settings)
    assert summary.failed == (Failure(f"{archive}#{offsets['https://harbour-ledger.example/quay']}",
                                      "record too large: more than the 0.0 MB cap (setting max_bytes)"),)
    assert [url for _, url, *_ in _articles(tmp_path / "s.db")] == ["https://harbour-ledger.example/ferry", "https://dorn-courier.example/cafes"]


def test_a_truncated_archive_fails_once_and_keeps_the_records_before(tmp_path: Path) -> None:
    quay = ("response", "https://harbour-ledger.example/quay", "200 OK", "text/html", QUAY.encode())
    archive = tmp_path / "crawl.warc.gz"
    offsets = _write_warc(archive, CRAWL + [quay], gz=True)
    start = offsets["https://harbour-ledger.example/quay"]
    data = archive.read_bytes()
    archive.write_bytes(data[: start + (len(data) - start) // 2])  # cut in the middle of the last record
    settings = Settings(db=str(tmp_path / "s.db"), annotate=False, workers=1)
    summary = ingest([str(archive)], settings)
    [failure] = summary.failed
    assert failure.source == str(archive)
    assert failure.reason.startswith("damaged or truncated archive: ") and f"at byte {start}" in failure.reason
    assert "(the 6 record(s) before it were read)" in failure.reason
    assert len(summary.ingested) == 2
    assert {url for _, url, *_ in _articles(tmp_path / "s.db")} == {"https://harbour-ledger.example/ferry", "https://dorn-courier.example/cafes"}


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty: no records in the archive"),
    (b"<html><body>not an archive</body></html>\n", "not a WARC or ARC archive, or damaged from its start: "),
])
def test_a_file_that_is_no_archive_fails_clearly(tmp_path: Path, data: bytes, reason: str) -> None:
    archive = tmp_path / "x.warc"
    archive.write_bytes(data)
    [failure] = list(iter_documents([str(archive)], Settings()))
    assert isinstance(failure, Failure) and failure.source == str(archive) and failure.reason.startswith(reason)


def test_a_file_compressed_as_one_gzip_stream_is_explained(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    _write_warc(plain, CRAWL, gz=False)
    archive = tmp_path / "whole.warc.gz"
    archive.write_bytes(gzip.compress(plain.read_bytes()))
    found = list(iter_documents([str(archive)], Settings()))
    assert isinstance(found[-1], Failure) and "one gzip stream" in found[-1].reason and "warcio recompress" in found[-1].reason


def test_an_arc_file_is_read_too(tmp_path: Path) -> None:
    body = QUAY.encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    desc = b"1 0 Storyline tests\nURL IP-address Archive-date Content-type Archive-length\n"
    head = b"filedesc://crawl.arc 0.0.0.0 20250312093000 text/plain %d\n%s\n" % (len(desc), desc)
    archive = tmp_path / "crawl.arc"
    archive.write_bytes(head + b"https://harbour-ledger.example/quay 192.0.2.1 20250312093000 text/html %d\n%s\n" % (len(http), http))
    [doc] = list(iter_documents([str(archive)], Settings()))
    assert isinstance(doc, RawDocument) and doc.url == "https://harbour-ledger.example/quay" and doc.source == f"{archive}#{len(head)}"


def test_archives_in_a_folder_are_picked_up(tmp_path: Path) -> None:
    for name in ["a.warc", "b/c.warc.gz", "d.arc.gz", "e.gz", "f.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_folder(tmp_path)] == ["a.warc", "b/c.warc.gz", "d.arc.gz", "f.txt"]


def test_a_warc_record_cut_by_the_crawler_is_kept_with_a_note(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc"
    with archive.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record("https://harbour-ledger.example/quay", "response", payload=io.BytesIO(QUAY.encode()),
                                           http_headers=http, warc_headers_dict={"WARC-Truncated": "length"})
        writer.write_record(record)
    [doc] = list(iter_documents([str(archive)], Settings()))
    assert isinstance(doc, RawDocument) and doc.notes == ("the crawler archived only part of the page (WARC-Truncated: length)",)
