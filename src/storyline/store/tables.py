"""The store's schema declared once, in SQLAlchemy Core, for SQLite and PostgreSQL (docs/store.md).

This is the schema at version 13 of :mod:`storyline.store.migrations`: every table, column, key and
index that the thirteen numbered steps leave behind, in the column order SQLite reports (a column
added by ``ALTER TABLE`` comes last). ``tests/store/test_tables.py`` compares it with a freshly
migrated SQLite store, so a new migration that forgets this module fails there.

What is not here:

* SQLite-only parts: the FTS5 table ``articles_fts`` and its triggers, ``WITHOUT ROWID``, the
  triggers of version 4 (docs/store.md lists them with their PostgreSQL equivalents).
* The views of version 11 (plain SQL, added per dialect later).

What PostgreSQL gets besides (DDL events, run only on that dialect): the text search configuration
``storyline`` (``simple`` words, accents folded by ``unaccent``, as FTS5's ``unicode61
remove_diacritics 2`` does), a generated ``articles.search`` tsvector column over title and text (split
into words as FTS5 splits them, :data:`SEARCH_SEPARATORS`), and a GIN index on it. :func:`search_vector`
names that column in a query and :func:`phrase_query` turns one FTS5 string into a tsquery.

Types follow the SQLite declarations: TEXT -> Text, INTEGER -> Integer, REAL -> Float, BLOB ->
LargeBinary. Flags stay Integer 0/1 and JSON stays Text, so both backends store the same values.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR

__all__ = [
    "metadata", "SEARCH_CONFIG", "SEARCH_COLUMN", "SEARCH_SEPARATORS", "search_vector", "phrase_query",
    "articles", "removals", "evidence", "sources", "signatures", "outlet_lines", "ingest_failures",
    "actors", "actor_variants", "annotated", "mentions", "quotes", "attributions",
    "time_expressions", "events", "event_actors",
    "threads", "stories", "story_members", "link_docs", "link_df", "vector_buckets",
    "claims", "claim_vectors", "claim_groups", "framing", "claim_links",
    "article_failures", "annotation_skips",
    "watch_sources", "watch_entries", "watch_pages", "article_versions", "digests",
]

metadata = sa.MetaData()

SEARCH_CONFIG = "storyline"
"""PostgreSQL text search configuration of ``articles.search``: ``simple`` (no stemming, no stop words,
as FTS5's unicode61) with accents folded by ``unaccent``."""

SEARCH_COLUMN = "search"
"""The generated tsvector column of ``articles`` (PostgreSQL only)."""

SEARCH_SEPARATORS = "[^[:alnum:]]+"
"""What separates words, as FTS5's unicode61 tokenizer splits them: every run of characters that are not letters
or digits becomes a space before PostgreSQL's parser sees the text, so "3.5", "U.S.-led" and URLs give the same
words as in SQLite ("3" "5", "u" "s" "led"). Needs a database whose LC_CTYPE is a UTF-8 locale (C.UTF-8), so that
[:alnum:] knows letters beyond ASCII."""

Text, Integer, Float, Blob = sa.Text, sa.Integer, sa.Float, sa.LargeBinary


def _col(name: str, type_: Any, *, null: bool = True, default: str | int | None = None) -> sa.Column[Any]:
    """A column; ``null=False`` is NOT NULL; ``default`` is the SQL DEFAULT ('' and '[]' for text, 0 or 1)."""
    server_default: str | sa.TextClause | None = None
    if isinstance(default, int):
        server_default = sa.text(str(default))
    elif default is not None:
        server_default = default
    return sa.Column(name, type_, nullable=null, server_default=server_default)


def _ref(name: str, target: str, *, null: bool = False, on_delete: str | None = "CASCADE", key: bool = False) -> sa.Column[Any]:
    """A TEXT column referencing ``target`` ("table.column"), by default NOT NULL and deleted with it."""
    return sa.Column(name, Text, sa.ForeignKey(target, ondelete=on_delete), nullable=null, primary_key=key)


def _article_key() -> sa.Column[Any]:
    """``article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE``: one row per article."""
    return _ref("article_id", "articles.id", key=True)


def _json(name: str, empty: str = "[]") -> sa.Column[Any]:
    """A NOT NULL TEXT column holding JSON, empty list (or ``{}``) by default."""
    return _col(name, Text, null=False, default=empty)


# Version 1: articles and what the cleaner keeps about them.
articles = sa.Table(
    "articles", metadata,
    sa.Column("id", Text, primary_key=True),
    _col("source", Text, null=False),
    _col("url", Text),
    _col("title", Text),
    _col("outlet", Text),
    _col("authors", Text),  # "author" renamed by version 12; a JSON list of names
    _col("published", Text),
    _col("published_inferred", Integer, null=False, default=0),
    _col("published_earliest", Text),
    _col("published_latest", Text),
    _col("language", Text),
    _col("feed", Text),
    _col("text", Text, null=False),
    _col("raw_text", Text, null=False),
    _ref("duplicate_of", "articles.id", null=True, on_delete=None),
    _col("ingested_at", Text, null=False),
    sa.Index("articles_published", "published"),
    sa.Index("articles_duplicate_of", "duplicate_of"),
    sa.Index("articles_outlet_published", "outlet", "published", "duplicate_of"),
    sa.Index("articles_ingested", "ingested_at"),
)

removals = sa.Table(
    "removals", metadata,
    _ref("article_id", "articles.id", key=True),
    sa.Column("seq", Integer, primary_key=True),
    _col("text", Text, null=False),
    _col("reason", Text, null=False),
    _col("start", Integer, null=False),
    _col("end", Integer, null=False),
)

evidence = sa.Table(
    "evidence", metadata,
    _ref("article_id", "articles.id", key=True),
    sa.Column("seq", Integer, primary_key=True),
    _col("field", Text, null=False),
    _col("value", Text, null=False),
    _col("method", Text, null=False),
    _col("text", Text, null=False),
    _col("start", Integer),
    _col("end", Integer),
)

sources = sa.Table(
    "sources", metadata,
    sa.Column("source", Text, primary_key=True),
    _ref("article_id", "articles.id"),
    _col("first_seen", Text, null=False),
    sa.Index("sources_article", "article_id"),
)

signatures = sa.Table(
    "signatures", metadata,
    _article_key(),
    _col("minhash", Blob, null=False),  # uint64 MinHash values, little-endian
)

outlet_lines = sa.Table(  # WITHOUT ROWID in SQLite
    "outlet_lines", metadata,
    sa.Column("outlet", Text, primary_key=True),
    sa.Column("line_key", Text, primary_key=True),
    _ref("article_id", "articles.id", key=True),
    _col("removed", Integer, null=False, default=0),
)

ingest_failures = sa.Table(
    "ingest_failures", metadata,
    sa.Column("id", Integer, primary_key=True),  # SQLite: the rowid; PostgreSQL: an identity column
    _col("source", Text, null=False),
    _col("reason", Text, null=False),
    _col("at", Text, null=False),
)

# Version 2: actors, mentions, quotes, attributions.
actors = sa.Table(
    "actors", metadata,
    sa.Column("id", Text, primary_key=True),
    _col("name", Text, null=False),
    _col("type", Text, null=False),
)

actor_variants = sa.Table(
    "actor_variants", metadata,
    _ref("actor_id", "actors.id", key=True),
    sa.Column("variant", Text, primary_key=True),
)

annotated = sa.Table(
    "annotated", metadata,
    _article_key(),
    _col("model", Text, null=False),
    _col("annotated_at", Text, null=False),
)

mentions = sa.Table(
    "mentions", metadata,
    _ref("article_id", "articles.id", key=True),
    sa.Column("seq", Integer, primary_key=True),
    _ref("actor_id", "actors.id", null=True, on_delete=None),
    _col("text", Text, null=False),
    _col("start", Integer, null=False),
    _col("end", Integer, null=False),
    _col("kind", Text, null=False),
    _col("entity_type", Text, null=False),
    _col("name", Text, null=False),
    _col("evidence", Text, null=False, default=""),
    sa.Index("mentions_actor_article", "actor_id", "article_id", "kind"),
)

quotes = sa.Table(
    "quotes", metadata,
    sa.Column("id", Text, primary_key=True),
    _ref("article_id", "articles.id"),
    _col("text", Text, null=False),
    _col("start", Integer, null=False),
    _col("end", Integer, null=False),
    _col("direct", Integer, null=False),
    _col("speaker", Text),
    _col("speaker_start", Integer),
    _col("speaker_end", Integer),
    _col("speaker_name", Text),
    _ref("speaker_actor_id", "actors.id", null=True, on_delete=None),
    _col("cue", Text),
    _col("cue_start", Integer),
    _col("cue_end", Integer),
    sa.Index("quotes_speaker_article", "speaker_actor_id", "article_id"),
    sa.Index("quotes_article_start", "article_id", "start"),
)

attributions = sa.Table(
    "attributions", metadata,
    sa.Column("id", Text, primary_key=True),
    _ref("article_id", "articles.id"),
    _col("content", Text, null=False),
    _col("start", Integer, null=False),
    _col("end", Integer, null=False),
    _col("source", Text),
    _col("source_start", Integer),
    _col("source_end", Integer),
    _col("source_kind", Text, null=False),
    _col("count", Integer),
    _col("cue", Text),
    _col("cue_start", Integer),
    _col("cue_end", Integer),
    _json("via"),
    _col("source_name", Text),  # version 6
    sa.Index("attributions_article_start", "article_id", "start"),
)

# Version 3: time expressions and dated events.
time_expressions = sa.Table(
    "time_expressions", metadata,
    _ref("article_id", "articles.id", key=True),
    sa.Column("seq", Integer, primary_key=True),
    _col("text", Text, null=False),
    _col("start", Integer, null=False),
    _col("end", Integer, null=False),
    _col("type", Text, null=False),
    _col("value", Text),
    _col("granularity", Text),
    _col("kind", Text, null=False),
    _col("earliest", Text),
    _col("latest", Text),
    _col("modifier", Text),
    _col("certain", Integer, null=False, default=1),
    _col("anchor", Text),
    _col("rule", Text, null=False, default=""),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", Text, primary_key=True),
    _ref("article_id", "articles.id"),
    _col("seq", Integer, null=False),
    _col("sentence", Text, null=False),
    _col("start", Integer, null=False),
    _col("end", Integer, null=False),
    _col("time_seq", Integer, null=False),
    _col("expression", Text, null=False),
    _col("date", Text),
    _col("granularity", Text),
    _col("earliest", Text),
    _col("latest", Text),
    _col("said", Text),
    _col("said_seq", Integer),
    _ref("quote_id", "quotes.id", null=True, on_delete="SET NULL"),
    _json("actors"),
    sa.Index("events_earliest", "earliest"),
    sa.Index("events_article_seq", "article_id", "seq"),
)

event_actors = sa.Table(  # WITHOUT ROWID in SQLite
    "event_actors", metadata,
    _ref("event_id", "events.id", key=True),
    _ref("actor_id", "actors.id", on_delete=None, key=True),
    sa.Index("event_actors_actor", "actor_id"),
)

# Version 4: stories and threads, the linker's documents and buckets, claims and framing.
threads = sa.Table(
    "threads", metadata,
    sa.Column("id", Text, primary_key=True),
    _col("title", Text),
)

stories = sa.Table(
    "stories", metadata,
    sa.Column("id", Text, primary_key=True),
    _col("thread_id", Text, null=False),  # no foreign key: a trigger removes a thread left empty
    _col("title", Text),
    _col("first_published", Text),
    _col("last_published", Text),
    sa.Index("stories_thread", "thread_id"),
    sa.Index("stories_first_published", "first_published"),
)

story_members = sa.Table(
    "story_members", metadata,
    _article_key(),
    _col("story_id", Text, null=False),
    _col("thread_id", Text, null=False),
    _col("evidence", Text, null=False, default=""),
    sa.Index("story_members_story", "story_id"),
    sa.Index("story_members_thread", "thread_id"),
)

link_docs = sa.Table(
    "link_docs", metadata,
    _article_key(),
    _col("published", Text),
    _json("actors"),
    _json("origins", "{}"),
    _json("years"),
    _col("attributions", Integer, null=False, default=0),
    _col("outlet", Text),
    _json("quotes", "{}"),
    _json("terms", "{}"),
    _json("sentences"),
    _col("doc_vector", Blob, null=False),  # float32 x 384
    _col("sentence_vectors", Blob, null=False),  # float16 k x 384
)

link_df = sa.Table(
    "link_df", metadata,
    sa.Column("key", Text, primary_key=True),
    _col("df", Integer, null=False),
)

vector_buckets = sa.Table(  # WITHOUT ROWID in SQLite; the nearest-neighbour index any process reads
    "vector_buckets", metadata,
    sa.Column("kind", Text, primary_key=True),
    sa.Column("band", Integer, primary_key=True, autoincrement=False),
    sa.Column("key", Integer, primary_key=True, autoincrement=False),  # 24 bits since version 9
    sa.Column("item_id", Text, primary_key=True),
)

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", Text, primary_key=True),
    _ref("article_id", "articles.id"),
    _col("seq", Integer, null=False),
    _col("text", Text, null=False),
    _col("start", Integer, null=False),
    _col("end", Integer, null=False),
    _col("sentence", Text, null=False),
    _col("sentence_start", Integer, null=False),
    _col("sentence_end", Integer, null=False),
    _json("hedges"),
    _col("negated", Integer, null=False, default=0),
    _json("conditions"),
    _col("attribution_id", Text),
    _json("actors"),
    # version 6
    _json("roles"),
    _json("polarity_cues"),
    _json("figures"),
    _json("dates"),
    _col("origin_key", Text),
    _col("origin_kind", Text),
    _col("origin_name", Text),
    _col("origin_actor", Text),
    _col("origin_outlet", Text),
    _col("origin_count", Integer),
    _col("origin_flagged", Integer, null=False, default=0),
    _col("origin_evidence", Text),
    # version 7
    _col("stance", Text),
    sa.Index("claims_article", "article_id"),
)

claim_vectors = sa.Table(
    "claim_vectors", metadata,
    _ref("claim_id", "claims.id", key=True),
    _col("vector", Blob, null=False),  # float32 x 384
    _json("conditions"),
    _json("numbers"),
    _json("times"),
    # version 6
    _json("agents"),
    _json("patients"),
    _json("dates"),
    _json("polarity"),
    _col("predicate", Blob),
    # version 7
    _col("stance", Text, null=False, default=""),
    _json("holders"),
)

claim_groups = sa.Table(
    "claim_groups", metadata,
    _ref("claim_id", "claims.id", key=True),
    _col("group_id", Text, null=False),
    sa.Index("claim_groups_group", "group_id"),
)

framing = sa.Table(
    "framing", metadata,
    _article_key(),
    _col("data", Text, null=False),  # the ArticleFraming as JSON
)

# Version 6: the evidence of every claim join.
claim_links = sa.Table(
    "claim_links", metadata,
    _ref("claim_id", "claims.id", key=True),
    _ref("other_id", "claims.id", key=True),
    _col("kind", Text, null=False),
    _col("similarity", Float, null=False),
    _col("rule", Text, null=False),
    _col("reason", Text, null=False),
    _json("actors"),
    sa.Index("claim_links_other", "other_id"),
)

# Version 8 and 10: articles a stage failed on or did not annotate, once per model.
article_failures = sa.Table(
    "article_failures", metadata,
    _ref("article_id", "articles.id", key=True),
    sa.Column("model", Text, primary_key=True),
    _col("stage", Text, null=False),
    _col("reason", Text, null=False),
    _col("at", Text, null=False),
)

annotation_skips = sa.Table(
    "annotation_skips", metadata,
    _ref("article_id", "articles.id", key=True),
    sa.Column("model", Text, primary_key=True),
    _col("reason", Text, null=False),
    _col("at", Text, null=False),
)

# Version 13: following a story live.
watch_sources = sa.Table(
    "watch_sources", metadata,
    sa.Column("url", Text, primary_key=True),
    _col("kind", Text, null=False, default=""),
    _col("match", Text, null=False, default=""),
    _col("added_at", Text, null=False),
    _col("etag", Text),
    _col("last_modified", Text),
    _col("last_checked", Text),
    _col("last_ok", Text),
    _col("last_status", Integer),
    _col("last_error", Text),
    _col("failures", Integer, null=False, default=0),
    _col("next_after", Text),
    _col("gone", Integer, null=False, default=0),
)

watch_entries = sa.Table(
    "watch_entries", metadata,
    _ref("source_url", "watch_sources.url", key=True),
    sa.Column("entry_url", Text, primary_key=True),
    _col("first_seen", Text, null=False),
    _col("article_id", Text),  # no foreign key: the article may not be stored (yet)
    _col("outcome", Text, null=False, default=""),
)

watch_pages = sa.Table(
    "watch_pages", metadata,
    sa.Column("url", Text, primary_key=True),
    _ref("article_id", "articles.id", null=True),
    _col("etag", Text),
    _col("last_modified", Text),
    _col("first_fetched", Text, null=False),
    _col("last_fetched", Text),
    _col("revisit_until", Text),
    sa.Index("watch_pages_until", "revisit_until"),
)

article_versions = sa.Table(
    "article_versions", metadata,
    _ref("article_id", "articles.id", key=True),
    sa.Column("version", Integer, primary_key=True, autoincrement=False),
    _col("text_id", Text, null=False),
    _col("title", Text),
    _col("text", Text, null=False),
    _col("seen_at", Text, null=False),
    _col("source", Text, null=False),
    _json("quotes"),
    _json("claims"),
    sa.Index("article_versions_text", "text_id"),
    sa.Index("article_versions_seen", "seen_at"),
)

digests = sa.Table(
    "digests", metadata,
    sa.Column("id", Integer, primary_key=True),  # SQLite: the rowid; PostgreSQL: an identity column
    _col("at", Text, null=False),
    _col("since", Text, null=False),
    _col("match", Text, null=False, default=""),
)


# PostgreSQL full text: the counterpart of the FTS5 table articles_fts (docs/store.md, "Full-text search").
# The configuration is made before the tables (the generated column names it) and dropped after them.
_SEARCH_CONFIG_DDL = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{SEARCH_CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END $$
"""
# Title and text are one vector with a word-sized gap between them (a marker word, deleted after parsing), so a
# phrase never runs from the title's last word into the text's first, as in FTS5, where they are two columns.
_COLUMN_BREAK = "storylinecolumnbreak"
_SEARCH_COLUMN_DDL = (
    f"ALTER TABLE articles ADD COLUMN {SEARCH_COLUMN} tsvector GENERATED ALWAYS AS (ts_delete(to_tsvector('{SEARCH_CONFIG}',"
    f" regexp_replace(coalesce(title, '') || ' {_COLUMN_BREAK} ' || text, '{SEARCH_SEPARATORS}', ' ', 'g')), '{_COLUMN_BREAK}')) STORED"
)


def _on_postgresql(target: sa.MetaData | sa.Table, event: str, *statements: str) -> None:
    """Run ``statements`` at ``event`` ("before_create", ...) of ``target``, on PostgreSQL only."""
    for statement in statements:
        ddl = sa.DDL(statement)  # type: ignore[no-untyped-call]  # SQLAlchemy leaves DDL() untyped
        sa.event.listen(target, event, ddl.execute_if(dialect="postgresql"))


_on_postgresql(metadata, "before_create", "CREATE EXTENSION IF NOT EXISTS unaccent", _SEARCH_CONFIG_DDL)
_on_postgresql(articles, "after_create", _SEARCH_COLUMN_DDL,
               f"CREATE INDEX articles_{SEARCH_COLUMN} ON articles USING gin ({SEARCH_COLUMN})")
_on_postgresql(metadata, "after_drop", f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {SEARCH_CONFIG}")

def phrase_query(words: str | sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """Return the tsquery of one FTS5 string (a word or a quoted phrase): its words in that order, split as
    :data:`SEARCH_SEPARATORS` says. Join several with ``&&`` (``.op("&&")``) for FTS5's implicit AND."""
    return sa.func.phraseto_tsquery(SEARCH_CONFIG, sa.func.regexp_replace(words, SEARCH_SEPARATORS, " ", "g"))


def search_vector(table: sa.TableClause | sa.Alias = articles) -> sa.ColumnClause[Any]:
    """Name the generated tsvector column of ``articles`` (or of an alias of it) in a PostgreSQL query.

    It is not a column of :data:`articles` because SQLite has no such column: its full text is the
    FTS5 table ``articles_fts``.
    """
    return sa.literal_column(f"{table.name}.{SEARCH_COLUMN}", TSVECTOR())
