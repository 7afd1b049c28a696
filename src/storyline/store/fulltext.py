"""Full-text search on both backends: FTS5 on SQLite, the ``articles.search`` tsvector on PostgreSQL (docs/store.md).

The documented query syntax (docs/cli.md, "storyline search"): every word must match, ``"quoted phrases"``
stay together, anything else (``-``, ``*``, ``OR``) is a word or nothing. :func:`terms` reads a query
into its words and phrases once; :func:`text_query` turns them into SQL for the store behind the
connection, so the same articles match on both (a test runs the same queries on both backends).
Ranking differs (bm25 against ``ts_rank``). Snippets come from FTS5's ``snippet()`` on SQLite and from
:func:`snippet` in Python on PostgreSQL, with the same markers, window and ellipsis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .db import Connection, is_postgres
from .tables import SEARCH_CONFIG, SEARCH_SEPARATORS

__all__ = ["HIGHLIGHT_START", "HIGHLIGHT_END", "ELLIPSIS", "terms", "fts_query", "TextQuery", "text_query", "snippet"]

HIGHLIGHT_START = "\x02"
"""Marks the start of a matched word in a snippet (never in article text; views turn it into markup)."""
HIGHLIGHT_END = "\x03"
"""Marks the end of a matched word in a snippet."""
ELLIPSIS = " … "
"""Stands for the text a snippet leaves out before or after it."""


def terms(query: str) -> list[str]:
    """The query's phrases (quoted) and then its other words, each one term that must match."""
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    return phrases + re.findall(r"\w+", rest)


def fts_query(query: str) -> str:
    """Turn user words and "quoted phrases" into a safe FTS5 query (all terms must match)."""
    return " ".join(f'"{term}"'.replace('""', '"') for term in terms(query))


_PHRASE = f"phraseto_tsquery('{SEARCH_CONFIG}', regexp_replace(?, '{SEARCH_SEPARATORS}', ' ', 'g'))"
"""One term as a tsquery: its words in order, split where FTS5 splits them."""


@dataclass(frozen=True, slots=True)
class TextQuery:
    """The SQL of one search on one backend; the article table is always named ``a``.

    Use as ``SELECT ... FROM {source} ... WHERE {condition} ... ORDER BY {order}`` with :attr:`params` where the
    condition stands and :attr:`order_params` where the order stands.
    """

    source: str
    """The FROM clause that holds the articles as ``a`` (on SQLite joined to the FTS5 table)."""
    condition: str
    params: tuple[str, ...]
    order: str
    """Best match first."""
    order_params: tuple[str, ...]
    terms: tuple[str, ...]
    postgres: bool

    def snippet_column(self, column: int, tokens: int) -> tuple[str, tuple[str, ...]]:
        """The SELECT expression (and its parameters) for a snippet of the text (``column`` 1) or of the best
        column (-1); on PostgreSQL the text itself, which :meth:`snippet` then cuts."""
        if self.postgres:
            return "a.text", ()
        return f"snippet(articles_fts, {int(column)}, ?, ?, '{ELLIPSIS}', {int(tokens)})", (HIGHLIGHT_START, HIGHLIGHT_END)

    def snippet(self, value: str | None, tokens: int) -> str | None:
        """The snippet from what :meth:`snippet_column` selected."""
        if not self.postgres or value is None:
            return value
        return snippet(value, self.terms, tokens=tokens)


def text_query(conn: Connection, query: str) -> TextQuery | None:
    """The search for ``query`` on the store behind ``conn``; None when the query has no words."""
    found = tuple(terms(query))
    if not found:
        return None
    if is_postgres(conn):
        tsquery = " && ".join([_PHRASE] * len(found))
        return TextQuery("articles a", f"a.search @@ ({tsquery})", found, f"ts_rank(a.search, ({tsquery})) DESC, a.rowid", found,
                         found, True)
    return TextQuery("articles_fts JOIN articles a ON a.rowid = articles_fts.rowid", "articles_fts MATCH ?", (fts_query(query),),
                     "rank", (), found, False)


def _fold(word: str) -> str:
    """A word as the index compares it: lower case, accents removed."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def snippet(text: str, query_terms: tuple[str, ...] | list[str], *, tokens: int = 24) -> str:
    """Up to ``tokens`` words of ``text`` around the most matched query words, each matched word between
    :data:`HIGHLIGHT_START` and :data:`HIGHLIGHT_END`, :data:`ELLIPSIS` where text is left out (as FTS5's
    ``snippet()``)."""
    words = list(re.finditer(r"\w+", text))
    if not words:
        return text[:200]
    wanted = {_fold(w) for term in query_terms for w in re.findall(r"\w+", term)}
    hits = [i for i, m in enumerate(words) if _fold(m.group()) in wanted]
    size = min(tokens, len(words))
    best, best_score = 0, -1
    for hit in hits:  # windows that start a little before a matched word; the one with most distinct words wins
        start = max(0, min(hit - size // 4, len(words) - size))
        score = len({_fold(words[i].group()) for i in hits if start <= i < start + size})
        if score > best_score:
            best, best_score = start, score
    marked = set(hits)
    parts: list[str] = [ELLIPSIS] if best > 0 else []
    for i in range(best, best + size):
        if i > best:
            parts.append(text[words[i - 1].end():words[i].start()])
        word = words[i].group()
        parts.append(f"{HIGHLIGHT_START}{word}{HIGHLIGHT_END}" if i in marked else word)
    parts.append(ELLIPSIS if best + size < len(words) else text[words[-1].end():].rstrip())
    return "".join(parts)
