"""A batch full of bad inputs: each fails with one clear line, the rest goes on, nothing is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app

GOOD_TEXT = (
    "Harbour talks resume in Alven\n\n"
    "Negotiators from Corvane and Valdoria met again in Alven on Tuesday, officials said, "
    "after a pause of two weeks in which neither side moved on the question of the port.\n\n"
    "“We are ready to listen,” the Valdorian envoy told reporters outside the customs house.\n"
)
GOOD_HTML = (
    "<html lang='en'><head><title>Ferry service restored – Northgate Post</title>"
    "<meta property='og:site_name' content='Northgate Post'>"
    "<meta property='article:published_time' content='2025-03-11'></head><body><article>"
    "<h1>Ferry service restored</h1><p>The ferry between Alven and Dorn ran again on Monday for the first "
    "time since the blockade began, carrying 212 passengers and a cargo of grain, the port authority said.</p>"
    "<p>Officials said the service would run twice a week while the talks go on, weather permitting.</p>"
    "</article></body></html>"
)


def _db_rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT id, source FROM articles").fetchall())


def _bad_files(folder: Path) -> dict[str, str]:
    """Write each bad file; return {file name: words the error line must contain}."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 1000)
    (folder / "huge.txt").write_bytes(b"word " * 10_000_000)  # 50 MB
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 200_000 + "deep" + "</div>" * 10 , encoding="utf-8")
    (folder / "truncated.html").write_text(GOOD_HTML.replace("Ferry service", "Night ferry")[: len(GOOD_HTML) // 2 + 40], encoding="utf-8")
    (folder / "boiler.txt").write_text("Trending\n\nLeave a Reply\n\nBACK TO HOMEPAGE\n", encoding="utf-8")
    (folder / "broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    return {"empty.txt": "empty", "binary.txt": "binary", "huge.txt": "too large", "image.html": "PNG",
            "nested.html": "", "truncated.html": "", "boiler.txt": "boilerplate", "broken.json": "JSON"}


def test_bad_files_fail_clearly_and_batch_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    expected = _bad_files(corpus)
    (corpus / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (corpus / "good.html").write_text(GOOD_HTML, encoding="utf-8")
    (corpus / "legacy.txt").write_bytes(GOOD_TEXT.replace("Harbour", "Café harbour").encode("cp1252", errors="replace"))
    (corpus / "invalid-utf8.txt").write_bytes(GOOD_TEXT.replace("Alven", "Dorn").encode("utf-8") + b"\xff\xfe bad tail \xc3")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "-q"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for name, words in expected.items():
        failing = [line for line in lines if line.startswith("failed:") and name in line]
        if name in ("nested.html", "truncated.html"):
            # lxml may recover text from pathological nesting; it must never crash the batch.
            continue
        assert len(failing) == 1, (name, lines)
        assert words.lower() in failing[0].lower(), failing[0]
    stored = _db_rows(db)
    # A truncated page still has its first paragraph: lxml recovers it and it is stored.
    assert any(source.endswith("truncated.html") for _, source in stored)
    assert len(stored) == 5
    # The legacy-encoded and invalid-UTF-8 files are near-copies of good.txt: stored, linked, never dropped,
    # and each says how its bytes were read (the damaged UTF-8 is read as UTF-8, not as a legacy code page).
    assert "ingested 3, duplicates 2" in result.stderr
    assert any(line.startswith("warning:") and "invalid-utf8.txt" in line and "damaged byte" in line for line in lines), lines
    assert any(line.startswith("warning:") and "legacy.txt" in line and "decoded as" in line for line in lines), lines
    # Running again: nothing new, nothing duplicated, still non-zero because the bad files still fail.
    again = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "-q"])
    assert again.exit_code == 1
    assert "skipped 5" in again.stderr
    assert _db_rows(db) == stored


def test_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(GOOD_TEXT.replace("Harbour", "Café harbour").encode("cp1252"))
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db) as conn:
        (title,) = conn.execute("SELECT title FROM articles").fetchone()
    assert title == "Café harbour talks resume in Alven"


def test_urls_and_feeds_fail_clearly(tmp_path: Path, server) -> None:  # type: ignore[no-untyped-def]
    page = server.route("/good", GOOD_HTML.encode())
    pdf = server.route("/report.pdf", b"%PDF-1.7\n" + b"0" * 500, content_type="application/pdf")
    png = server.route("/photo", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, content_type="image/png")
    feed = server.route("/feed.xml", (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour Ledger</title>"
        f"<item><title>Good</title><link>{page}</link><pubDate>Tue, 11 Mar 2025 08:00:00 GMT</pubDate></item>"
        f"<item><title>Missing</title><link>{server.url('/gone')}</link></item>"
        "<item><title>Nothing</title></item></channel></rss>").encode(), content_type="application/rss+xml")
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/x"
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["ingest", pdf, png, dead, feed, "--db", str(db), "--allow-private", "-q"])
    assert result.exit_code == 1
    err = result.stderr
    assert f"failed: {pdf}: " in err and "pdf" in err.lower()
    assert f"failed: {png}: " in err and "image" in err.lower()
    assert f"failed: {dead}: " in err and "connect" in err.lower()
    assert "404" in err and "/gone" in err
    assert "no link" in err
    assert "ingested 1" in err
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT outlet, published, feed, title FROM articles").fetchone()
    assert row == ("Harbour Ledger", "2025-03-11", feed, "Good")


def test_private_addresses_refused_by_default(tmp_path: Path, server) -> None:  # type: ignore[no-untyped-def]
    page = server.route("/good", GOOD_HTML.encode())
    result = CliRunner().invoke(app, ["ingest", page, "--db", str(tmp_path / "s.db"), "-q"])
    assert result.exit_code == 1
    assert "--allow-private" in result.stderr
    assert server.requests == []
