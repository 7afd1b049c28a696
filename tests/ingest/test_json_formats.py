"""JSON that other tools write, mapped field by field (records written by us in each tool's shape)."""

from __future__ import annotations

import pytest

from storyline.ingest.records import document_from_json

BODY = ("Mayor Ines Hald said on Monday that the ferry to Lisk would run again by June, after talks with the "
        "union resumed in the port.")


@pytest.mark.parametrize(("record", "expected"), [
    # news-please
    ({"maintext": BODY, "title": "Ferry to run again", "date_publish": "2025-03-12 09:30:00", "source_domain": "harbour-ledger.example",
      "authors": ["Ana Brel", "Ivo Bratt"], "url": "https://harbour-ledger.example/ferry", "language": "en"},
     ("Ferry to run again", "2025-03-12 09:30:00", "harbour-ledger.example", "Ana Brel; Ivo Bratt", "https://harbour-ledger.example/ferry")),  # a list: "; " between names
    # newspaper4k
    ({"text": BODY, "title": "Ferry to run again", "publish_date": "2025-03-12T09:30:00", "authors": ["Ana Brel"],
      "canonical_link": "https://harbour-ledger.example/ferry", "source_url": "https://harbour-ledger.example"},
     ("Ferry to run again", "2025-03-12T09:30:00", None, "Ana Brel", "https://harbour-ledger.example/ferry")),
    # trafilatura's JSON output
    ({"text": BODY, "title": "Ferry to run again", "date": "2025-03-12", "sitename": "Harbour Ledger", "hostname": "harbour-ledger.example",
      "author": "Ana Brel", "source": "https://harbour-ledger.example/ferry", "url": "https://harbour-ledger.example/ferry"},
     ("Ferry to run again", "2025-03-12", "Harbour Ledger", "Ana Brel", "https://harbour-ledger.example/ferry")),
])
def test_records_of_other_tools_are_mapped_field_by_field(record: dict[str, object], expected: tuple[str | None, ...]) -> None:
    doc = document_from_json(record, "dump.jsonl:1")
    assert doc.text == BODY
    assert (doc.title, doc.published, doc.outlet, doc.author, doc.url) == expected


@pytest.mark.parametrize(("piped", "title"), [
    (f"Ferry to run again\n\n{BODY}\n", "Ferry to run again"),
    (f"<html><head><title>Ferry to run again</title></head><body><article><h1>Ferry to run again</h1><p>{BODY}</p>"
     f"<p>{BODY.replace('Monday', 'Tuesday')}</p></article></body></html>", "Ferry to run again"),
    ('{"maintext": "%s", "title": "Ferry to run again"}\n{"maintext": "not enough"}' % BODY, "Ferry to run again"),
])
def test_standard_input_is_read_as_what_it_holds(tmp_path, piped: str, title: str) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from storyline.cli import app
    from storyline.store.schema import connect

    db = tmp_path / "s.db"
    done = CliRunner().invoke(app, ["ingest", "-", "--db", str(db), "-q", "--outlet", "Harbour Ledger"], input=piped)
    rows = [tuple(r) for r in connect(db).execute("SELECT source, outlet, title FROM articles ORDER BY rowid")]
    assert done.exit_code == 0, done.stderr
    assert rows[0][0].startswith("<stdin>") and rows[0][1:] == ("Harbour Ledger", title)


def test_a_bulk_jsonl_is_streamed_and_the_cap_is_per_record(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    from dataclasses import replace

    from storyline.ingest.sources import iter_documents
    from storyline.models import Failure, RawDocument
    from storyline.settings import Settings

    settings = replace(Settings(), max_bytes=2_000)
    lines = [json.dumps({"maintext": f"{BODY} Record {n}.", "title": f"Ferry {n}"}) for n in range(40)]  # ~7 KB in all
    lines.insert(3, json.dumps({"maintext": "x" * 5_000, "title": "Too long"}))
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert dump.stat().st_size > 3 * settings.max_bytes
    found = list(iter_documents([str(dump)], settings))
    docs = [d for d in found if isinstance(d, RawDocument)]
    assert [d.title for d in docs] == [f"Ferry {n}" for n in range(40)]
    [too_long] = [f for f in found if isinstance(f, Failure)]
    assert too_long.source == f"{dump}:4" and "record too large" in too_long.reason
    assert docs[3].source == f"{dump}:5"  # line numbers go on after the skipped record
