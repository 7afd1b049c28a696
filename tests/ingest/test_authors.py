"""Several authors stay several, from every input: JSON lists, feeds, web pages, sidecars and manifests."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.flow import clean_document
from storyline.ingest.feeds import read_feed
from storyline.ingest.records import document_from_json
from storyline.models import RawDocument
from storyline.settings import Settings
from storyline.store.articles import iter_articles
from storyline.store.schema import connect

BODY = ("The Lisk ferry ran again on Monday after the dockers' union and the port agreed on new shifts, "
        "the harbour master said. Passengers queued from dawn for the first crossing in three weeks.")


def test_a_json_list_of_authors_stays_a_list() -> None:
    raw = document_from_json({"maintext": BODY, "title": "Ferry runs again", "authors": ["Ana Brel", "Ivo Bratt"]}, "dump.jsonl:1")
    assert clean_document(raw).authors == ("Ana Brel", "Ivo Bratt")
    raw = document_from_json({"text": BODY, "title": "Ferry runs again", "authors": [{"name": "Ana Brel"}, {"name": "Ivo Bratt"}]}, "x")
    assert clean_document(raw).authors == ("Ana Brel", "Ivo Bratt")
    raw = document_from_json({"text": BODY, "title": "Ferry runs again", "author": "Brel, Ana"}, "x")
    assert clean_document(raw).authors == ("Brel, Ana",)


def test_every_author_of_a_feed_entry_is_kept() -> None:
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lisk Courier</title><id>urn:lisk</id><updated>2025-03-12T08:00:00Z</updated>
<entry><title>Ferry runs again</title><id>urn:lisk:1</id><updated>2025-03-12T08:00:00Z</updated>
<author><name>Ana Brel</name></author><author><name>Ivo Bratt</name></author>
<content type="text">{BODY}</content></entry></feed>""".encode()
    (doc,) = read_feed(feed, "lisk.atom", Settings())
    assert isinstance(doc, RawDocument) and doc.author == "Ana Brel; Ivo Bratt"
    assert clean_document(doc).authors == ("Ana Brel", "Ivo Bratt")


def test_several_author_tags_of_a_web_page_are_several_authors() -> None:
    page = ("<html><head><title>Ferry runs again</title><meta name='author' content='Ana Brel'><meta name='author' content='Ivo Bratt'>"
            f"</head><body><article><h1>Ferry runs again</h1><p>{BODY}</p><p>{BODY.replace('Monday', 'Tuesday')}</p></article></body></html>")
    assert clean_document(RawDocument(source="page.html", html=page)).authors == ("Ana Brel", "Ivo Bratt")


def test_a_manifest_column_and_a_sidecar_list_give_several_authors(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Ferry runs again\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Dockers agree on shifts\n\n{BODY.replace('ferry', 'tug')}\n", encoding="utf-8")
    (tmp_path / "b.meta.json").write_text(json.dumps({"author": ["Mia Lund", "Tove Rask"]}), encoding="utf-8")
    (tmp_path / "m.csv").write_text("path,author\na.txt,Ana Brel; Ivo Bratt\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    done = CliRunner().invoke(app, ["ingest", "--manifest", str(tmp_path / "m.csv"), str(tmp_path / "b.txt"), "--db", db, "-q"])
    assert done.exit_code == 0, done.stderr
    authors = {Path(a.source).name: a.authors for a in iter_articles(connect(db))}
    assert authors == {"a.txt": ("Ana Brel", "Ivo Bratt"), "b.txt": ("Mia Lund", "Tove Rask")}
