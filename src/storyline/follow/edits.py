"""Edited articles for the digest: each new version against the one it replaced, word by word, with the quotes and
claims it added or removed; and the word-level diff the digest also uses for changed claims."""

from __future__ import annotations


from ..store.db import Connection
from ..store.digest import StoredVersion
from .news import ArticleEdit, WordChange
from .versions import CONTEXT_WORDS, VersionDiff, version_diff, word_diff

__all__ = ["CONTEXT_WORDS", "word_changes", "article_edit"]


def word_changes(old: str, new: str, *, shorten: bool = True) -> tuple[WordChange, ...]:
    """Return the word-level diff turning ``old`` into ``new`` (:func:`storyline.follow.versions.word_diff`) as the
    digest writes it: ``same``, ``removed`` and ``added`` runs, in order.

    Args:
        shorten: keep only :data:`CONTEXT_WORDS` unchanged words next to each change; False keeps every word
            (a claim's few).
    """
    parts = word_diff(old, new, context=CONTEXT_WORDS if shorten else None)
    return tuple(WordChange("same" if p.kind == "equal" else p.kind, " ".join(p.text.split())) for p in parts)


def article_edit(conn: Connection, v: StoredVersion) -> ArticleEdit:
    """Return an edited version against the one it replaced: its words, and the quotes and claims it added or removed.

    The replaced version's quotes and claims are those kept with it; the new version's are kept with it once
    it is replaced in turn, and until then are the article's stored ones. Where either side was not annotated,
    the added and removed lists are None (unknown), not every quote.
    """
    diff = version_diff(conn, v.article_id, v.version)
    if diff is None:  # the version row went meanwhile (the article was deleted)
        diff = VersionDiff(v.article_id, v.version - 1, v.version, v.seen_at, v.source, v.previous_title, v.title,
                           tuple(word_diff(v.previous_text, v.text)), None, None, None, None)
    return ArticleEdit(v.article_id, v.version, v.seen_at, v.source, v.title, v.previous_title, v.outlet, v.published,
                       word_changes(v.previous_text, v.text), diff.quotes_added, diff.quotes_removed, diff.claims_added,
                       diff.claims_removed)
