"""What changed between two versions of an article: the words, the title, the quotes and the claims.

A page read again with edited text is stored as a new version of its article (docs/versions.md). Here
two consecutive versions are compared: :func:`word_diff` lines their words up (difflib over word and
whitespace tokens, so the parts put together give back the texts), and the quotes and claims each
version had are compared by their words. A version's quotes and claims are those kept with it when it
was replaced; the latest version's are the article's stored ones. Either may be unknown (the version was
not annotated before it was replaced, or the new one is not annotated yet): then nothing is said about
them, rather than every quote reported as added or removed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..store import versions
from ..store.db import Connection
from ..store.versions import ArticleVersion

__all__ = ["CONTEXT_WORDS", "DiffPart", "VersionDiff", "word_diff", "version_diff", "article_versions_diffs", "version_records"]

CONTEXT_WORDS = 8
"""Unchanged words kept on each side of a change; the rest of a long unchanged run is folded into "…"."""
_TOKEN = re.compile(r"\s+|\S+")
FOLD = "…"


@dataclass(frozen=True, slots=True)
class DiffPart:
    """One run of a word-level diff."""

    kind: str
    """``equal``, ``added`` or ``removed``."""
    text: str
    """Its words with their whitespace (an unchanged run folded: its first and last words around "…")."""
    folded: int = 0
    """How many words of an unchanged run were left out (0: none; the parts then put the texts together again)."""


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """One version of an article against the version it replaced."""

    article_id: str
    from_version: int
    to_version: int
    seen_at: str
    """When the newer version was fetched or read (UTC)."""
    source: str
    """Where the newer version came from."""
    title_before: str | None
    title_after: str | None
    words: tuple[DiffPart, ...]
    quotes_added: tuple[str, ...] | None
    """Quote texts the newer version has and the older had not; None when either side's quotes are unknown."""
    quotes_removed: tuple[str, ...] | None
    claims_added: tuple[str, ...] | None
    """Claim texts, likewise."""
    claims_removed: tuple[str, ...] | None

    @property
    def title_changed(self) -> bool:
        """True when the newer version has another title."""
        return self.title_before != self.title_after


def _parts(kind: str, tokens: Sequence[str]) -> DiffPart:
    return DiffPart(kind, "".join(tokens))


def _fold(tokens: Sequence[str], *, first: bool, last: bool, context: int) -> DiffPart:
    """An unchanged run, its middle folded into "…" when it holds more words than the context around changes needs.

    The first run keeps only its last words (before the first change), the last run only its first words;
    a run that is the whole text (nothing changed but the title) keeps its first words.
    """
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    head = context if not first or last else 0
    tail = context if not last else 0
    if len(words) <= head + tail + 1:
        return _parts("equal", tokens)
    start = "".join(tokens[: words[head - 1] + 1]) if head else ""
    end = "".join(tokens[words[len(words) - tail]:]) if tail else ""
    text = (start + " " if start else "") + FOLD + (" " + end if end else "")
    return DiffPart("equal", text, len(words) - head - tail)


def word_diff(old: str, new: str, *, context: int | None = CONTEXT_WORDS) -> list[DiffPart]:
    """Return the word-level diff that turns ``old`` into ``new``: equal, removed and added runs, in order.

    Words are compared as written (case and punctuation count); a change of whitespace alone is no change
    (the new whitespace is kept).

    Args:
        context: unchanged words kept on each side of a change (:data:`CONTEXT_WORDS`); a longer unchanged
            run is folded. None keeps every word: the parts other than ``added`` then give ``old`` back (up to
            whitespace), the parts other than ``removed`` give ``new`` back exactly.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(lambda t: t.isspace(), a, b, autojunk=False)
    raw: list[tuple[str, list[str]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = a[i1:i2], b[j1:j2]
        if tag == "equal" or "".join(removed).split() == "".join(added).split():
            raw.append(("equal", added))
            continue
        if removed:
            raw.append(("removed", removed))
        if added:
            raw.append(("added", added))
    merged: list[tuple[str, list[str]]] = []
    for kind, tokens in raw:
        if merged and merged[-1][0] == kind:
            merged[-1][1].extend(tokens)
        elif tokens:
            merged.append((kind, list(tokens)))
    if context is None:
        return [_parts(kind, tokens) for kind, tokens in merged]
    last = len(merged) - 1
    return [_fold(tokens, first=n == 0, last=n == last, context=context) if kind == "equal" else _parts(kind, tokens)
            for n, (kind, tokens) in enumerate(merged)]


def _changes(before: Sequence[str] | None, after: Sequence[str] | None) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """(added, removed) texts, in order, or (None, None) when either side is unknown."""
    if before is None or after is None:
        return None, None
    old, new = set(before), set(after)
    return tuple(dict.fromkeys(t for t in after if t not in old)), tuple(dict.fromkeys(t for t in before if t not in new))


def _diff(older: ArticleVersion, newer: ArticleVersion, latest: tuple[tuple[str, ...] | None, tuple[str, ...] | None] | None) -> VersionDiff:
    quotes, claims = latest if latest is not None else (newer.quotes, newer.claims)
    quotes_added, quotes_removed = _changes(older.quotes, quotes)
    claims_added, claims_removed = _changes(older.claims, claims)
    return VersionDiff(newer.article_id, older.version, newer.version, newer.seen_at, newer.source, older.title, newer.title,
                       tuple(word_diff(older.text, newer.text)), quotes_added, quotes_removed, claims_added, claims_removed)


def _diffs(conn: Connection, stored: Sequence[ArticleVersion]) -> list[VersionDiff]:
    if len(stored) < 2:
        return []
    current = versions.annotation_texts(conn, stored[-1].article_id)
    return [_diff(older, newer, current if n == len(stored) - 2 else None)
            for n, (older, newer) in enumerate(zip(stored, stored[1:]))]


def article_versions_diffs(conn: Connection, article_id: str) -> list[VersionDiff]:
    """Return each version of the article after the first against the one before it, oldest first (empty: never edited)."""
    return _diffs(conn, versions.article_versions(conn, article_id))


def version_diff(conn: Connection, article_id: str, version: int) -> VersionDiff | None:
    """Return version ``version`` of the article against the version before it; None for version 1 or an unknown version."""
    return next((d for d in article_versions_diffs(conn, article_id) if d.to_version == version), None)


def version_records(stored: Sequence[ArticleVersion], diffs: Sequence[VersionDiff]) -> list[dict[str, Any]]:
    """Return the JSON form of an article's versions (the API's ``versions``): each with what changed from the one before."""
    by_version = {d.to_version: d for d in diffs}
    out = []
    for v in stored:
        d = by_version.get(v.version)
        changes = None if d is None else {
            "from_version": d.from_version, "title_before": d.title_before, "title_after": d.title_after,
            "words": [{"kind": p.kind, "text": p.text, "folded": p.folded} for p in d.words],
            "quotes_added": _listed(d.quotes_added), "quotes_removed": _listed(d.quotes_removed),
            "claims_added": _listed(d.claims_added), "claims_removed": _listed(d.claims_removed)}
        out.append({"version": v.version, "text_id": v.text_id, "seen_at": v.seen_at, "source": v.source, "title": v.title,
                    "text": v.text, "changes": changes})
    return out


def _listed(texts: tuple[str, ...] | None) -> list[str] | None:
    return None if texts is None else list(texts)
