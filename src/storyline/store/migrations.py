"""Numbered schema migrations. Append only: never edit a released step.

``PRAGMA user_version`` holds the number of the last step applied. Each step
runs in its own transaction with the version bump, so a crash leaves the
database at a whole step.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

_V1 = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,                 -- 16 hex digits of SHA-256 over the normalised text
    source TEXT NOT NULL,                -- first path or URL it was ingested from
    url TEXT,
    title TEXT,
    outlet TEXT,
    author TEXT,
    published TEXT,                      -- ISO date, NULL when unknown
    published_inferred INTEGER NOT NULL DEFAULT 0,
    published_earliest TEXT,             -- bounds when inferred from the text
    published_latest TEXT,
    language TEXT,
    feed TEXT,
    text TEXT NOT NULL,                  -- cleaned main text
    raw_text TEXT NOT NULL,              -- before boilerplate removal; removal offsets point here
    duplicate_of TEXT REFERENCES articles(id),
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

CREATE TABLE removals (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE evidence (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    method TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE sources (
    source TEXT PRIMARY KEY,             -- every path or URL that yielded an article
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    first_seen TEXT NOT NULL
);
CREATE INDEX sources_article ON sources(article_id);

CREATE TABLE signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    minhash BLOB NOT NULL                -- uint64 MinHash values, little-endian
);

CREATE TABLE outlet_lines (
    outlet TEXT NOT NULL,
    line_key TEXT NOT NULL,              -- a short paragraph in comparison form
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    removed INTEGER NOT NULL DEFAULT 0,  -- 1 once cut from that article as outlet boilerplate
    PRIMARY KEY (outlet, line_key, article_id)
) WITHOUT ROWID;

CREATE TABLE ingest_failures (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
"""

_V2 = """
CREATE TABLE actors (
    id TEXT PRIMARY KEY,                 -- "person:vladimir-putin": type and the first spelling seen
    name TEXT NOT NULL,                  -- the fullest form seen
    type TEXT NOT NULL                   -- PERSON, ORG, GPE or NORP
);
CREATE TABLE actor_variants (
    actor_id TEXT NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    variant TEXT NOT NULL,
    PRIMARY KEY (actor_id, variant)
);

CREATE TABLE annotated (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    annotated_at TEXT NOT NULL
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    actor_id TEXT REFERENCES actors(id),
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,                  -- name, label or pronoun
    entity_type TEXT NOT NULL,
    name TEXT NOT NULL,                  -- the name it stands for, in the article's words
    evidence TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, seq)
);
CREATE INDEX mentions_actor ON mentions(actor_id);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY,                 -- article id + ":q" + number
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    direct INTEGER NOT NULL,
    speaker TEXT, speaker_start INTEGER, speaker_end INTEGER,
    speaker_name TEXT,
    speaker_actor_id TEXT REFERENCES actors(id),
    cue TEXT, cue_start INTEGER, cue_end INTEGER
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_actor_id);

CREATE TABLE attributions (
    id TEXT PRIMARY KEY,                 -- article id + ":a" + number
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    source TEXT, source_start INTEGER, source_end INTEGER,
    source_kind TEXT NOT NULL,           -- person, organisation, outlet, anonymous, document, unknown
    count INTEGER,
    cue TEXT, cue_start INTEGER, cue_end INTEGER,
    via TEXT NOT NULL DEFAULT '[]'       -- JSON list of {text, start, end}, nearest outlet first
);
CREATE INDEX attributions_article ON attributions(article_id);
"""

_V3 = """
CREATE TABLE time_expressions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                -- position among the article's time expressions
    text TEXT NOT NULL,                  -- the words ("last week", "May 23, 2024")
    start INTEGER NOT NULL,              -- offsets into articles.text
    "end" INTEGER NOT NULL,
    type TEXT NOT NULL,                  -- TimeML type: DATE, TIME, DURATION or SET
    value TEXT,                          -- TIMEX3 value (2024-05-23, 2024-W21, 2023-FA, P22M, PAST_REF, START/END); NULL when unresolved
    granularity TEXT,                    -- day, week, month, season, quarter, year, decade, century, range, time, duration
    kind TEXT NOT NULL,                  -- absolute, partial, relative, anchored, duration or unresolved
    earliest TEXT,                       -- first day the value covers (YYYY-MM-DD)
    latest TEXT,                         -- last day the value covers
    modifier TEXT,                       -- early, mid, late, start, end, since, until, before, after, approx, at-least
    certain INTEGER NOT NULL DEFAULT 1,  -- 0 for approximate expressions ("about two years ago")
    anchor TEXT,                         -- what a relative value was resolved against ("published 2024-05-23")
    rule TEXT NOT NULL DEFAULT '',       -- the rule that matched and resolved it: the evidence for the value
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,                 -- article id + ":e" + number
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                -- position among the article's events
    sentence TEXT NOT NULL,              -- the sentence that reports the event
    start INTEGER NOT NULL,              -- sentence offsets into articles.text
    "end" INTEGER NOT NULL,
    time_seq INTEGER NOT NULL,           -- time_expressions.seq of the time it happened
    expression TEXT NOT NULL,            -- the words of that time expression
    date TEXT,                           -- its value (when it happened)
    granularity TEXT,
    earliest TEXT,                       -- first and last day it may have happened
    latest TEXT,
    said TEXT,                           -- value of the time the speaker said it, NULL when the text does not date the saying
    said_seq INTEGER,                    -- time_expressions.seq of that time
    quote_id TEXT REFERENCES quotes(id) ON DELETE SET NULL,  -- article id + ":q" + number: the quote this sentence reports
    actors TEXT NOT NULL DEFAULT '[]'    -- JSON list of the actor names in the sentence, in the article's words
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_earliest ON events(earliest);

CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors(id),  -- a corpus actor named in the event's sentence
    PRIMARY KEY (event_id, actor_id)
) WITHOUT ROWID;
CREATE INDEX event_actors_actor ON event_actors(actor_id);

-- Every stored article is annotated again on the next run, now with its times and events.
DELETE FROM annotated;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3)
