"""Dispatch each command-line SOURCE (folder, file, URL, feed) to its reader.

Everything yields :class:`RawDocument` or :class:`Failure`; nothing here
raises for one bad input, so a batch always goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError, StorylineError
from ..models import Failure, RawDocument
from ..settings import Settings
from .decode import decode_bytes
from .feeds import read_feed
from .fetch import Fetched, classify, document_from_fetched, fetch
from .files import STDIN, document_from_json, iter_folder, read_file, read_stdin
from .usermeta import SIDECAR_SUFFIX, Entry, UserMetadata, is_sidecar, sidecar_of

__all__ = ["iter_documents", "is_url", "fetch_document"]

Fetcher = Callable[[str, Settings], Fetched]


def is_url(source: str) -> bool:
    """Return True for http(s) URLs."""
    return source.lower().startswith(("http://", "https://"))


def iter_documents(sources: Iterable[str | Entry | Failure], settings: Settings, *, fetcher: Fetcher = fetch,
                   metadata: UserMetadata | None = None) -> Iterator[RawDocument | Failure]:
    """Yield the documents of every source, in order; bad inputs become failures.

    A source is a path or URL, a manifest :class:`~storyline.ingest.usermeta.Entry` (its metadata
    applied to its documents), or a manifest row that could not be used (passed on as it is).
    ``metadata``: values the user set on the command line, applied to every document (over a sidecar's).
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
    try:
        if source == STDIN:
            yield from (_complete(item, settings, fetcher) for item in read_stdin(sys.stdin.buffer, settings, fetcher=fetcher))
        elif is_url(source):
            yield from _url_documents(source, settings, fetcher)
        elif Path(source).is_dir():
            for path in iter_folder(Path(source)):
                yield from _file_documents(path, settings, fetcher)
        elif Path(source).exists():
            if is_sidecar(Path(source)):
                raise InputError(f"a sidecar ({SIDECAR_SUFFIX}) holds metadata for the file beside it, not an article")
            yield from _file_documents(Path(source), settings, fetcher)
        else:
            yield Failure(source, "no such file or folder, and not an http(s) URL")
    except StorylineError as exc:
        yield Failure(source, str(exc))


def _file_documents(path: Path, settings: Settings, fetcher: Fetcher) -> Iterator[RawDocument | Failure]:
    try:
        side = sidecar_of(path)
        for item in read_file(path, settings, fetcher=fetcher):
            done = _complete(item, settings, fetcher)
            yield side.apply(done) if side is not None and isinstance(done, RawDocument) else done
    except StorylineError as exc:
        yield Failure(str(path), str(exc))
    except (RecursionError, MemoryError) as exc:
        yield Failure(str(path), f"cannot read: {type(exc).__name__}")


def _complete(item: RawDocument | Failure, settings: Settings, fetcher: Fetcher) -> RawDocument | Failure:
    """A JSON object with only a URL gets its page fetched; its own fields win over the page's."""
    if isinstance(item, Failure) or item.text or item.html or not item.url:
        return item
    try:
        page = fetch_document(item.url, settings, fetcher)
    except StorylineError as exc:
        return Failure(item.source, f"{item.url}: {exc}")
    if isinstance(page, list):
        return Failure(item.source, f"{item.url}: is a feed, not an article")
    return RawDocument(
        source=item.source, text=page.text, html=page.html, url=page.url, title=item.title,
        published=item.published, outlet=item.outlet, author=item.author,
    )


def fetch_document(url: str, settings: Settings, fetcher: Fetcher = fetch) -> RawDocument | list[RawDocument | Failure]:
    """Fetch one URL: an article page gives a document, a feed gives its entries' documents.

    Raises:
        InputError: the URL cannot be fetched or holds no article (PDF, image, ...).
    """
    fetched = fetcher(url, settings)
    kind = classify(fetched)
    if kind == "feed":
        return list(read_feed(fetched.body, url, settings, fetcher=fetcher))
    if kind == "json":
        text = decode_bytes(fetched.body, declared=fetched.charset, max_bytes=settings.max_bytes)
        try:
            return document_from_json(json.loads(text), url)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}") from exc
    return document_from_fetched(fetched, url, settings)


def _url_documents(url: str, settings: Settings, fetcher: Fetcher) -> Iterator[RawDocument | Failure]:
    result = fetch_document(url, settings, fetcher)
    if isinstance(result, list):
        yield from result
    else:
        yield result
