"""A metadata file for browsing a Storyline database in datasette.

``storyline export --format datasette -o metadata.json`` then
``datasette story.db --metadata metadata.json``: full-text search on ``articles`` (through the
FTS5 index ``articles_fts``, which datasette does not find by itself because its content table is
named in single quotes), the SQL views for the common joins (quotes and attributions with their
article's outlet and date, claim appearances with their origin, the articles of each story) with
facets on outlet, the linker's internal tables hidden, and canned queries for the questions asked
most (who is quoted most, by outlet; claims told by the most outlets).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["datasette_metadata", "HIDDEN_TABLES"]

HIDDEN_TABLES = (
    "articles_fts", "articles_fts_config", "articles_fts_data", "articles_fts_docsize", "articles_fts_idx",
    "signatures", "outlet_lines", "link_docs", "link_df", "vector_buckets", "claim_vectors", "annotated",
)
"""Tables that hold indexes and linker state, not facts a reader browses."""

_QUERIES = {
    "most_quoted": {
        "title": "Who is quoted most, by outlet",
        "sql": "SELECT speaker_name, outlet, COUNT(*) AS quotes, MIN(published) AS first, MAX(published) AS last"
               " FROM quotes_with_article WHERE speaker_name IS NOT NULL GROUP BY speaker_name, outlet ORDER BY quotes DESC LIMIT 200",
    },
    "widest_claims": {
        "title": "Claims told by the most outlets",
        "sql": "SELECT group_id, MIN(text) AS wording, COUNT(DISTINCT outlet) AS outlets, COUNT(DISTINCT article_id) AS articles,"
               " COUNT(DISTINCT origin_key) AS origin_keys, MIN(published) AS first_seen FROM claim_appearances"
               " GROUP BY group_id ORDER BY outlets DESC, articles DESC LIMIT 200",
    },
    "anonymous_sourcing": {
        "title": "Attributions to unnamed sources, by outlet",
        "sql": "SELECT outlet, COUNT(*) AS attributions, SUM(source_kind = 'anonymous') AS anonymous,"
               " ROUND(1.0 * SUM(source_kind = 'anonymous') / COUNT(*), 3) AS share FROM attributions_with_article"
               " GROUP BY outlet ORDER BY share DESC",
    },
}


def datasette_metadata(db_path: Path) -> dict[str, Any]:
    """Return datasette metadata for the database at ``db_path`` (its key in datasette is the file's stem)."""
    outlet_facet = {"facets": ["outlet"]}
    tables: dict[str, Any] = {
        "articles": {"fts_table": "articles_fts", "fts_pk": "rowid", "label_column": "title", "facets": ["outlet", "language"],
                     "sort_desc": "published", "description": "One row per article: cleaned text, outlet and publication date."},
        "quotes_with_article": {**outlet_facet, "description": "Every quote with its speaker and its article's outlet, date and title."},
        "attributions_with_article": {"facets": ["outlet", "source_kind"],
                                      "description": "Every attribution (who content is attributed to) with its article's outlet and date."},
        "claim_appearances": {"facets": ["outlet", "origin_kind"],
                              "description": "Every telling of a claim, with its group and resolved origin."},
        "story_articles": {"facets": ["story_title", "outlet"], "description": "The articles of each story."},
        "actors": {"label_column": "name", "facets": ["type"]},
        "stories": {"label_column": "title"},
    }
    tables.update({name: {"hidden": True} for name in HIDDEN_TABLES})
    return {
        "title": f"Storyline: {db_path.name}",
        "description": "Articles about a developing story, who said what, when, and where each claim came from.",
        "about": "Storyline", "source": "storyline export --format datasette",
        "databases": {db_path.stem: {"tables": tables, "queries": _QUERIES}},
    }
