"""From a command-line SOURCE to raw documents: classify it once, read it with its kind's reader,
then complete every document that only names a URL by fetching its page.

::

    SOURCE --kind_of--> stdin   -> files.read_stdin
                        url     -> fetch_document: fetch -> pages.classify -> page | feed | JSON
                        folder  -> files.iter_folder -> files.read_file, one file at a time
                        file    -> files.read_file (text, HTML, JSON, JSONL, CSV, feed, web archive)
                        sidecar, missing -> one failure
    each document -> complete(): a document with a URL and no text (a line of a URL list, a feed
                     entry, a JSON record or CSV row with only a url) gets its page; its own fields win
                  -> user metadata: the file's sidecar, then a manifest row's, then the command line's

The modules form one direction, each importing only those left of it: ``decode``, ``fetch`` (HTTP),
``feeds`` and ``records`` (parsing, no fetching), ``pages`` (what a fetched body is), ``warc``,
``mediacloud``, ``files`` (a file by its kind), ``usermeta``, and this module, the only one that
both reads and fetches. Everything yields :class:`RawDocument` or :class:`Failure`; nothing here
raises for one bad input, so a batch always goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import InputError, StorylineError
from ..models import Failure, RawDocument
from ..settings import Settings
from .decode import decode_bytes
from .feeds import read_feed
from .fetch import Fetched, Fetcher, fetch
from .files import STDIN, iter_folder, read_file, read_stdin
from .pages import classify, document_from_fetched
from .records import document_from_json
from .usermeta import SIDECAR_SUFFIX, Entry, UserMetadata, is_sidecar, sidecar_of

__all__ = ["Fetcher", "iter_documents", "is_url", "kind_of", "complete", "fetch_document", "document_of"]


def is_url(source: str) -> bool:
    """Return True for http(s) URLs."""
    return source.lower().startswith(("http://", "https://"))


def kind_of(source: str) -> str:
    """Say what a SOURCE is: ``stdin``, ``url``, ``folder``, ``file``, ``sidecar`` or ``missing``."""
    if source == STDIN:
        return "stdin"
    if is_url(source):
        return "url"
    path = Path(source)
    if path.is_dir():
        return "folder"
    if path.exists():
        return "sidecar" if is_sidecar(path) else "file"
    return "missing"


def iter_documents(sources: Iterable[str | Entry | Failure], settings: Settings, *, fetcher: Fetcher = fetch,
                   metadata: UserMetadata | None = None) -> Iterator[RawDocument | Failure]:
    """Yield the documents of every source, in order; bad inputs become failures.

    A source is a path or URL, a manifest :class:`~storyline.ingest.usermeta.Entry` (its metadata
    applied to its documents), or a manifest row that could not be used (passed on as it is).
    ``metadata``: values the user set on the command line, applied to every document (over a sidecar's).
    ``fetcher`` fetches every URL (a watch passes a polite one; tests a local one).
    """
    for source in sources:
        if isinstance(source, Failure):
            yield source
            continue
        own = source.metadata if isinstance(source, Entry) else None
        for item in _documents(source.source if isinstance(source, Entry) else source, settings, fetcher):
            for given in (own, metadata):
                if given is not None and isinstance(item, RawDocument):
                    item = given.apply(item)
            yield item


def _documents(source: str, settings: Settings, fetcher: Fetcher) -> Iterator[RawDocument | Failure]:
    """The reader of the source's kind, each document completed."""
    try:
        kind = kind_of(source)
        if kind == "missing":
            yield Failure(source, "no such file or folder, and not an http(s) URL")
        elif kind == "sidecar":
            yield Failure(source, f"a sidecar ({SIDECAR_SUFFIX}) holds metadata for the file beside it, not an article")
        elif kind == "stdin":
            yield from (complete(item, settings, fetcher) for item in read_stdin(sys.stdin.buffer, settings))
        elif kind == "url":
            yield from _url_documents(source, settings, fetcher)
        else:
            for path in iter_folder(Path(source)) if kind == "folder" else [Path(source)]:
                yield from _file_documents(path, settings, fetcher)
    except StorylineError as exc:
        yield Failure(source, str(exc))


def _file_documents(path: Path, settings: Settings, fetcher: Fetcher) -> Iterator[RawDocument | Failure]:
    try:
        side = sidecar_of(path)
        for item in read_file(path, settings):
            done = complete(item, settings, fetcher)
            yield side.apply(done) if side is not None and isinstance(done, RawDocument) else done
    except StorylineError as exc:
        yield Failure(str(path), str(exc))
    except (RecursionError, MemoryError) as exc:
        yield Failure(str(path), f"cannot read: {type(exc).__name__}")


def complete(item: RawDocument | Failure, settings: Settings, fetcher: Fetcher = fetch) -> RawDocument | Failure:
    """Fetch the page of a document that has a URL and no text; its own fields (title, date, outlet,
    authors, feed) win over the page's. Anything else is returned as it is."""
    if isinstance(item, Failure) or item.text or item.html or not item.url:
        return item
    try:
        page = fetch_document(item.url, settings, fetcher)
    except StorylineError as exc:
        return Failure(item.source, str(exc) if item.source == item.url else f"{item.url}: {exc}")
    if isinstance(page, list):
        return Failure(item.source, f"{item.url}: is a feed, not an article")
    return replace(item, text=page.text, html=page.html, url=page.url, notes=item.notes + page.notes)


def fetch_document(url: str, settings: Settings, fetcher: Fetcher = fetch) -> RawDocument | list[RawDocument | Failure]:
    """Fetch one URL: an article page gives a document, a feed gives its entries' documents (not yet
    completed), a JSON object the document it describes.

    Raises:
        InputError: the URL cannot be fetched or holds no article (PDF, image, ...).
    """
    return document_of(fetcher(url, settings), url, settings)


def document_of(fetched: Fetched, url: str, settings: Settings) -> RawDocument | list[RawDocument | Failure]:
    """What a fetched body holds, by its kind (:func:`storyline.ingest.pages.classify`): a page's document, a
    feed's entries (not yet completed), or the document a JSON object describes.

    Raises:
        InputError: the body holds no article (PDF, image, XML that is no feed, broken JSON, ...).
    """
    kind = classify(fetched)
    if kind == "feed":
        return list(read_feed(fetched.body, url, settings))
    if kind == "json":
        text = decode_bytes(fetched.body, declared=fetched.charset, max_bytes=settings.max_bytes)
        try:
            return document_from_json(json.loads(text), url)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}") from exc
    return document_from_fetched(fetched, url, settings)


def _url_documents(url: str, settings: Settings, fetcher: Fetcher) -> Iterator[RawDocument | Failure]:
    result = fetch_document(url, settings, fetcher)
    for item in result if isinstance(result, list) else [result]:
        yield complete(item, settings, fetcher)
