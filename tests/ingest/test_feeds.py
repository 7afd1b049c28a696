"""Reading RSS and Atom feeds whose entries link to pages on a real local server."""

from __future__ import annotations

import codecs
from dataclasses import replace

import pytest

from storyline.errors import FetchError, InputError
from storyline.ingest.feeds import is_feed, read_feed
from storyline.ingest.sources import complete
from storyline.ingest.fetch import Fetched, fetch
from storyline.ingest.pages import classify
from storyline.models import Failure, RawDocument
from storyline.settings import Settings

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>The Harbour Gazette</title>
    <link>{base}/</link>
    <description>Local news from the quays</description>
    <item>
      <title>Night ferry delayed by fog</title>
      <link>{base}/news/ferry</link>
      <pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate>
      <dc:creator>Ines Varga</dc:creator>
    </item>
    <item>
      <title>Fish market moves indoors</title>
      <link>{base}/old/market</link>
      <pubDate>Wed, 06 Mar 2024 14:00:00 +0000</pubDate>
    </item>
    <item>
      <title>Lighthouse keeper retires</title>
      <link>/news/lighthouse</link>
    </item>
  </channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Quayside Weekly</title>
  <id>urn:example:quayside</id>
  <updated>2024-04-02T08:00:00Z</updated>
  <entry>
    <title>Crane strike enters second week</title>
    <link rel="alternate" href="{base}/news/cranes"/>
    <id>urn:example:quayside:1</id>
    <published>2024-04-01T07:15:00Z</published>
    <updated>2024-04-02T08:00:00Z</updated>
    <author><name>Tomas Okafor</name></author>
  </entry>
  <entry>
    <title>Tide tables revised</title>
    <link rel="alternate" href="{base}/news/tides"/>
    <id>urn:example:quayside:2</id>
    <updated>2024-03-28T18:45:00Z</updated>
  </entry>
</feed>
"""

BROKEN_FEED = """<?xml version="1.0"?>
<rss version="2.0">
  <channel>
    <title>Dockside Dispatch</title>
    <item><title>Working link</title><link>{base}/news/ferry</link></item>
    <item><title>Dead link</title><link>{base}/news/gone</link></item>
    <item><title>Nothing at all</title></item>
    <item>
      <title>Inline only</title>
      <description>&lt;p&gt;Harbour dues rise by &lt;b&gt;four&lt;/b&gt; percent.&lt;/p&gt;</description>
      <pubDate>Fri, 08 Mar 2024 06:00:00 GMT</pubDate>
    </item>
    <item><title>Links to a PDF</title><link>{base}/files/minutes.pdf</link></item>
    <item><title>Working link again</title><link>{base}/news/tides</link></item>
  </channel>
</rss>
"""


def _page(headline: str) -> bytes:
    return f"<html><head><title>{headline}</title></head><body><p>{headline} in full.</p></body></html>".encode()


def _completed(data: bytes, source: str, settings: Settings, fetcher=fetch) -> list:
    """The feed's entries as ingest gives them: parsed here, each linked page fetched by the one completing step."""
    return [complete(entry, settings, fetcher) for entry in read_feed(data, source, settings)]


def test_reading_a_feed_fetches_nothing():
    feed = RSS_FEED.format(base="https://gazette.example").encode()
    entries = list(read_feed(feed, "https://gazette.example/rss", Settings()))
    assert [(e.url, e.text, e.html) for e in entries] == [
        (f"https://gazette.example{p}", None, None) for p in ("/news/ferry", "/old/market", "/news/lighthouse")]
    assert entries[0].title == "Night ferry delayed by fog" and entries[0].feed == "https://gazette.example/rss"


def _serve_pages(server) -> None:
    for slug in ("ferry", "market", "lighthouse", "cranes", "tides"):
        server.route(f"/news/{slug}", _page(f"Story about {slug}"))
    server.route("/old/market", status=301, headers={"Location": "/news/market"})
    server.route("/files/minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")


def _read_served_feed(server, settings: Settings, path: str, template: str, content_type: str):
    base = server.url("")
    feed_url = server.route(path, template.format(base=base).encode(), content_type=content_type)
    fetched = fetch(feed_url, settings)
    assert classify(fetched) == "feed"
    return feed_url, _completed(fetched.body, feed_url, settings)


@pytest.mark.parametrize(
    ("path", "template", "content_type", "expected"),
    [
        (
            "/rss.xml",
            RSS_FEED,
            "application/rss+xml",
            [
                ("/news/ferry", "/news/ferry", "Night ferry delayed by fog", "2024-03-05", "Ines Varga"),
                ("/old/market", "/news/market", "Fish market moves indoors", "2024-03-06", None),
                ("/news/lighthouse", "/news/lighthouse", "Lighthouse keeper retires", None, None),
            ],
        ),
        (
            "/atom.xml",
            ATOM_FEED,
            "application/atom+xml; charset=utf-8",
            [
                ("/news/cranes", "/news/cranes", "Crane strike enters second week", "2024-04-01", "Tomas Okafor"),
                ("/news/tides", "/news/tides", "Tide tables revised", "2024-03-28", None),
            ],
        ),
    ],
    ids=["rss", "atom"],
)
def test_feed_entries_become_documents_with_entry_metadata(server, local, path, template, content_type, expected):
    _serve_pages(server)

    feed_url, results = _read_served_feed(server, local, path, template, content_type)

    outlet = "The Harbour Gazette" if path == "/rss.xml" else "Quayside Weekly"
    assert all(isinstance(result, RawDocument) for result in results)
    got = [(r.source, r.url, r.title, r.published, r.author, r.outlet, r.feed) for r in results]
    assert got == [
        (server.url(link), server.url(final), title, published, author, outlet, feed_url)
        for link, final, title, published, author in expected
    ]
    for result, (_, final, *_rest) in zip(results, expected):
        assert f"Story about {final.rsplit('/', 1)[1]} in full." in (result.html or "")


def test_broken_entries_become_failures_and_the_rest_carry_on(server, local):
    _serve_pages(server)

    feed_url, results = _read_served_feed(server, local, "/broken.xml", BROKEN_FEED, "text/xml")

    kinds = [type(result).__name__ for result in results]
    assert kinds == ["RawDocument", "Failure", "Failure", "RawDocument", "Failure", "RawDocument"]
    assert results[1] == Failure(server.url("/news/gone"), "HTTP 404 Not Found")
    assert results[2] == Failure(f"{feed_url}#entry-3", "feed entry has no link and no content")
    inline = results[3]
    assert (inline.source, inline.url, inline.title, inline.published, inline.outlet, inline.feed) == (
        f"{feed_url}#entry-4",
        None,
        "Inline only",
        "2024-03-08",
        "Dockside Dispatch",
        feed_url,
    )
    assert inline.html == "<p>Harbour dues rise by <b>four</b> percent.</p>"
    assert results[4].source == server.url("/files/minutes.pdf")
    assert results[4].reason.startswith("unsupported content: application/pdf (a PDF document)")
    assert [r.url for r in results if isinstance(r, RawDocument) and r.url] == [
        server.url("/news/ferry"),
        server.url("/news/tides"),
    ]


def test_entry_links_to_private_addresses_are_refused_without_allow_private():
    feed = RSS_FEED.format(base="http://127.0.0.1:9").encode()
    results = _completed(feed, "https://gazette.example/rss", Settings(fetch_timeout=0.5))

    assert [type(r) for r in results] == [Failure, Failure, Failure]
    assert results[0].reason.startswith("refused: 127.0.0.1 resolves to loopback address")
    # The relative link was resolved against the feed URL before fetching.
    assert results[2].source == "https://gazette.example/news/lighthouse"


def test_entries_are_fetched_with_the_given_fetcher_in_feed_order():
    asked: list[str] = []

    def fetcher(url: str, settings: Settings) -> Fetched:
        asked.append(url)
        if url.endswith("/market"):
            raise FetchError("HTTP 410 Gone")
        return Fetched(url=url + "?final", content_type="text/plain", charset="utf-8", body=b"Quay report.")

    feed = RSS_FEED.format(base="https://gazette.example").encode()
    results = _completed(feed, "https://gazette.example/rss", Settings(), fetcher)

    assert asked == [
        "https://gazette.example/news/ferry",
        "https://gazette.example/old/market",
        "https://gazette.example/news/lighthouse",
    ]
    assert results[1] == Failure("https://gazette.example/old/market", "HTTP 410 Gone")
    assert (results[0].text, results[0].url) == ("Quay report.", "https://gazette.example/news/ferry?final")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x13\x9f\xfe random bytes", "looks like binary data"),
        (b"%PDF-1.5 not a feed", "looks like a PDF document"),
        (b"just some words, not markup", "no <rss>, <feed> or <rdf:RDF> root element"),
        (b"<html><body><p>A page</p></body></html>", "no <rss>, <feed> or <rdf:RDF> root element"),
        (b'{"items": []}', "no <rss>, <feed> or <rdf:RDF> root element"),
        (b"<rss version='2.0'><channel><title>Half", "XML error at line"),
        (b"/etc/hostname", "no <rss>, <feed> or <rdf:RDF> root element"),  # never read as a file path
        (b"", "no <rss>, <feed> or <rdf:RDF> root element"),
    ],
)
def test_unreadable_feeds_raise_input_error_when_called(data, reason):
    with pytest.raises(InputError, match="^not a readable RSS/Atom feed: ") as caught:
        read_feed(data, "feed.xml", Settings())  # raises before any entry is taken

    assert reason in str(caught.value)


def test_oversized_feed_is_refused():
    feed = RSS_FEED.format(base="https://gazette.example").encode()

    with pytest.raises(InputError, match="too large"):
        read_feed(feed, "feed.xml", replace(Settings(), max_bytes=100))


@pytest.mark.parametrize(
    "feed",
    [
        b'<rss version="2.0"><channel><title>Empty</title></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Empty</title></feed>',
    ],
)
def test_feed_without_entries_yields_nothing(feed):
    assert list(read_feed(feed, "feed.xml", Settings())) == []


def test_entry_without_link_uses_plain_text_content():
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Notes</title>
      <entry><title>Short note</title><id>n1</id><updated>2024-05-01T10:00:00Z</updated>
      <summary type="text">Berth 4 closes on Friday.</summary></entry></feed>"""

    [document] = list(read_feed(feed, "notes.xml", Settings()))

    assert document == RawDocument(
        source="notes.xml#entry-1",
        text="Berth 4 closes on Friday.",
        title="Short note",
        published="2024-05-01",
        outlet="Notes",
        feed="notes.xml",
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<rss version="2.0"><channel/></rss>', True),
        (b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">', True),
        (codecs.BOM_UTF8 + b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', True),
        (b'\n\n  <!-- generated nightly -->\n<?xml-stylesheet href="s.xsl"?>\n<feed>', True),
        (b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "x.dtd"><rss version="0.91">', True),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', True),
        (codecs.BOM_UTF16_LE + '<?xml version="1.0"?><rss>'.encode("utf-16-le"), True),
        (b"<!DOCTYPE html><html><body><rss>quoted</rss></body></html>", False),
        (b"<feedback>not a feed</feedback>", False),
        (b"<rssreader/>", False),
        (b'{"feed": "<rss>"}', False),
        (b"plain text mentioning <rss> later", False),
        (b"", False),
    ],
)
def test_is_feed(data, expected):
    assert is_feed(data) is expected


@pytest.mark.parametrize(
    ("item", "link"),
    [
        ("<link>https://gazette.example/a</link>", "https://gazette.example/a"),
        ("<link>/b</link>", "https://gazette.example/b"),
        ("<guid>https://gazette.example/c</guid>", "https://gazette.example/c"),
        ("<guid>story-17</guid>", None),
        ('<guid isPermaLink="false">https://gazette.example/d</guid>', None),
        ('<enclosure url="https://gazette.example/e.mp3" type="audio/mpeg" length="9"/>', None),
    ],
)
def test_which_entry_link_is_fetched(item, link):
    asked: list[str] = []

    def fetcher(url: str, settings: Settings) -> Fetched:
        asked.append(url)
        return Fetched(url=url, content_type="text/html", charset=None, body=b"<p>Quay report.</p>")

    feed = f'<rss version="2.0"><channel><title>G</title><item><title>T</title>{item}</item></channel></rss>'

    [result] = _completed(feed.encode(), "https://gazette.example/rss", Settings(), fetcher)

    assert asked == ([link] if link else [])
    assert result.source == (link or "https://gazette.example/rss#entry-1")
