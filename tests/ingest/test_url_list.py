"""A file of URLs, one a line: each page is fetched from a real local server."""

from __future__ import annotations

from pathlib import Path

from storyline.ingest.sources import iter_documents
from storyline.models import Failure, RawDocument

PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Mayor Ines Hald said on Monday "
        "that the ferry to Lisk would run again by June, after talks with the union resumed in the port of {title}.</p>"
        "</article></body></html>")


def test_a_file_of_urls_fetches_each_page_and_a_bad_line_fails_alone(server, local, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = server.route("/one", PAGE.format(title="Ferry one").encode())
    second = server.route("/two", PAGE.format(title="Ferry two").encode())
    missing = server.route("/gone", b"", status=404)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# pages to read\n{first}\n\n{second}\n{missing}\n", encoding="utf-8")
    found = list(iter_documents([str(listing)], local))
    docs = [d for d in found if isinstance(d, RawDocument)]
    assert [(d.source, d.url) for d in docs] == [(f"{listing}:2", first), (f"{listing}:4", second)]
    assert all(d.html and "Ferry" in d.html for d in docs)
    [failure] = [f for f in found if isinstance(f, Failure)]
    assert failure.source == f"{listing}:5" and "404" in failure.reason


def test_text_with_a_url_in_it_is_still_an_article(local, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "a.txt"
    text.write_text("Ferry back\n\nThe timetable is at https://harbour.example/timetable from Monday.\n", encoding="utf-8")
    [doc] = list(iter_documents([str(text)], local))
    assert isinstance(doc, RawDocument) and doc.text and doc.url is None
