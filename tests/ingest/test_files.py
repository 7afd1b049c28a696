"""Local files: text, HTML, JSON, JSONL, feeds; folders; decoding of untrusted bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import InputError
from storyline.ingest.decode import decode_bytes, sniff_binary
from storyline.ingest.files import iter_folder, read_file
from storyline.models import Failure, RawDocument
from storyline.settings import Settings

S = Settings()


def _read(path: Path) -> list[RawDocument | Failure]:
    return list(read_file(path, S))


def test_json_object_list_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([
        {"title": "One", "text": "Body one.", "published": "2025-03-04", "outlet": "Harbour Ledger", "author": "A. Writer"},
        {"headline": "Two", "content": "Body two.", "date": "2025-03-05", "site_name": "Meridian Daily", "authors": ["X", "Y"]},
        {"title": "nothing usable"},
        "not an object",
    ]), encoding="utf-8")
    docs = _read(path)
    assert docs[0] == RawDocument(source=f"{path}#0", text="Body one.", title="One", published="2025-03-04", outlet="Harbour Ledger", author="A. Writer")
    assert docs[1] == RawDocument(source=f"{path}#1", text="Body two.", title="Two", published="2025-03-05", outlet="Meridian Daily", author="X; Y")
    assert isinstance(docs[2], Failure) and "none of text, html or url" in docs[2].reason
    assert isinstance(docs[3], Failure) and "expected a JSON object" in docs[3].reason


def test_jsonl_bad_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "first"}\n{broken\n\n{"html": "<p>third</p>", "url": "https://x.example/3"}\n', encoding="utf-8")
    docs = _read(path)
    assert [type(d).__name__ for d in docs] == ["RawDocument", "Failure", "RawDocument"]
    assert docs[1].source == f"{path}:2"
    assert docs[2].html == "<p>third</p>" and docs[2].url == "https://x.example/3"


def test_invalid_json_file_raises_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"text": ', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        _read(path)


def test_folder_is_recursive_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    for name in ["b/2.txt", "a.html", "c/d/e.jsonl", ".hidden/x.txt", "notes.md", "img.png"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_folder(tmp_path)] == ["a.html", "b/2.txt", "c/d/e.jsonl"]


def test_feed_file_without_feed_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>Ledger</title>"
                    "<item><title>T</title><description>&lt;p&gt;Entry body text.&lt;/p&gt;</description></item></channel></rss>", encoding="utf-8")
    (doc,) = _read(path)
    assert isinstance(doc, RawDocument) and doc.outlet == "Ledger" and doc.feed == str(path)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"   \n\t ", "empty"),
    (b"%PDF-1.7 ...", "PDF"),
    (b"\x89PNG\r\n\x1a\n....", "PNG"),
    (b"abc\x00def" * 10, "binary"),
])
def test_decode_refuses(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_bytes(data)


def test_decode_size_cap() -> None:
    with pytest.raises(InputError, match="too large"):
        decode_bytes(b"x" * 101, max_bytes=100)


@pytest.mark.parametrize(("text", "encoding"), [
    ("Café – naïve résumé, the président said “no” to the déjà vu plan.", "cp1252"),
    ("Привет мир, это статья о войне и мире. Президент сказал нет.", "koi8-r"),
    ("Привет мир, это статья о войне и мире. Президент сказал нет.", "cp1251"),
    ("Zażółć gęślą jaźń — powiedział minister.", "utf-8"),
    ("Plain ASCII text.", "ascii"),
])
def test_decode_legacy_encodings(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


def test_decode_utf8_with_bom_and_declared_charset() -> None:
    assert decode_bytes("\ufeffHello".encode("utf-8")) == "Hello"
    assert decode_bytes("Grüße".encode("latin-1"), declared="latin-1") == "Grüße"
    assert sniff_binary(b"<html>") is None
