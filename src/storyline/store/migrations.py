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

_V4 = """
CREATE TABLE threads (
    id TEXT PRIMARY KEY,                 -- "thread:" + the id of its first article
    title TEXT                           -- the title of its earliest story
);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,                 -- "story:" + the id of its first article
    thread_id TEXT NOT NULL,             -- threads.id of the narrative it belongs to
    title TEXT,                          -- the title of its earliest-published article
    first_published TEXT,                -- earliest publication date among its articles
    last_published TEXT                  -- latest publication date among its articles
);
CREATE INDEX stories_thread ON stories(thread_id);

CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,              -- stories.id
    thread_id TEXT NOT NULL,             -- threads.id (the story's thread, kept here for plain queries)
    evidence TEXT NOT NULL DEFAULT ''    -- why it was placed there: the closest article and the score's parts
);
CREATE INDEX story_members_story ON story_members(story_id);
CREATE INDEX story_members_thread ON story_members(thread_id);

CREATE TABLE link_docs (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    published TEXT,                      -- ISO date the linker used, NULL when unknown
    actors TEXT NOT NULL DEFAULT '[]',   -- JSON list of actor keys ("putin")
    origins TEXT NOT NULL DEFAULT '{}',  -- JSON {origin: share of the article's attributions ending there}
    years TEXT NOT NULL DEFAULT '[]',    -- JSON list of the years its events are dated in
    attributions INTEGER NOT NULL DEFAULT 0,  -- how many attributions the article has
    outlet TEXT,                         -- its own outlet, in origin form
    quotes TEXT NOT NULL DEFAULT '{}',   -- JSON {speaker key: [[content words of one quote], ...]}
    terms TEXT NOT NULL DEFAULT '{}',    -- JSON {term: count}: content words "w:", names "n:"
    sentences TEXT NOT NULL DEFAULT '[]',  -- JSON list of the key sentences it is matched on
    doc_vector BLOB NOT NULL,            -- float32 x 384, L2-normalised mean of the sentence vectors
    sentence_vectors BLOB NOT NULL       -- float16 k x 384, one row per key sentence
);

CREATE TABLE link_df (
    key TEXT PRIMARY KEY,                -- a term ("w:dam", "n:brenholt") or an actor ("a:putin")
    df INTEGER NOT NULL                  -- how many linked documents hold it
);

CREATE TABLE vector_buckets (
    kind TEXT NOT NULL,                  -- 'doc' (link_docs) or 'claim' (claim_vectors)
    band INTEGER NOT NULL,               -- LSH band number, 0..15
    key INTEGER NOT NULL,                -- the band's 12 hyperplane sign bits as an integer
    item_id TEXT NOT NULL,               -- article id (doc) or claim id (claim)
    PRIMARY KEY (kind, band, key, item_id)
) WITHOUT ROWID;

CREATE TABLE claims (
    id TEXT PRIMARY KEY,                 -- article id + ":c" + number
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                -- position among the article's claims
    text TEXT NOT NULL,                  -- the asserted words
    start INTEGER NOT NULL,              -- offsets into articles.text
    "end" INTEGER NOT NULL,
    sentence TEXT NOT NULL,              -- the sentence it stands in
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    hedges TEXT NOT NULL DEFAULT '[]',   -- JSON list of {text, start, end}: words that weaken it
    negated INTEGER NOT NULL DEFAULT 0,  -- 1 when the claim is negated
    conditions TEXT NOT NULL DEFAULT '[]',  -- JSON list of {text, start, end}: "only if ...", "unless ..."
    attribution_id TEXT,                 -- attributions.id it is reported through (article id + ":a" + n), or NULL
    actors TEXT NOT NULL DEFAULT '[]'    -- JSON list of the actor names it is about, in the article's words
);
CREATE INDEX claims_article ON claims(article_id);

CREATE TABLE claim_vectors (
    claim_id TEXT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    vector BLOB NOT NULL,                -- float32 x 384, L2-normalised embedding of the claim
    conditions TEXT NOT NULL DEFAULT '[]',  -- JSON list of the content words of its conditions
    numbers TEXT NOT NULL DEFAULT '[]',  -- JSON list of the numbers it states
    times TEXT NOT NULL DEFAULT '[]'     -- JSON list of the times it names
);

CREATE TABLE claim_groups (
    claim_id TEXT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    group_id TEXT NOT NULL               -- the group: "claim:" + the id of its first claim
);
CREATE INDEX claim_groups_group ON claim_groups(group_id);

CREATE TABLE framing (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    data TEXT NOT NULL                   -- the ArticleFraming as JSON (labels, loaded terms, verbs, sourcing, hedges)
);

-- Deleting an article cascades to link_docs, claims and story_members; these triggers clean the
-- tables that cannot hold a foreign key (buckets of either kind, corpus frequencies, empty stories).
CREATE TRIGGER link_docs_ad AFTER DELETE ON link_docs BEGIN
    DELETE FROM vector_buckets WHERE kind = 'doc' AND item_id = old.article_id;
    UPDATE link_df SET df = df - 1 WHERE key IN (SELECT j.key FROM json_each(old.terms) j)
        OR key IN (SELECT 'a:' || j.value FROM json_each(old.actors) j);
END;
CREATE TRIGGER claim_vectors_ad AFTER DELETE ON claim_vectors BEGIN
    DELETE FROM vector_buckets WHERE kind = 'claim' AND item_id = old.claim_id;
END;
CREATE TRIGGER story_members_ad AFTER DELETE ON story_members BEGIN
    DELETE FROM stories WHERE id = old.story_id AND NOT EXISTS (SELECT 1 FROM story_members WHERE story_id = old.story_id);
    DELETE FROM threads WHERE id = old.thread_id AND NOT EXISTS (SELECT 1 FROM stories WHERE thread_id = old.thread_id);
END;
"""

# Version 5: indexes for the pages people read (store/browse.py) and the paged API: an actor's page
# and the actor filter read mentions and quotes by actor from the index alone; quotes, attributions
# and events are read in text order per article without a sort.
_V5 = """
CREATE INDEX mentions_actor_article ON mentions(actor_id, article_id, kind);
DROP INDEX mentions_actor;
CREATE INDEX quotes_speaker_article ON quotes(speaker_actor_id, article_id);
DROP INDEX quotes_speaker;
CREATE INDEX stories_first_published ON stories(first_published);
CREATE INDEX quotes_article_start ON quotes(article_id, start);
DROP INDEX quotes_article;
CREATE INDEX attributions_article_start ON attributions(article_id, start);
DROP INDEX attributions_article;
CREATE INDEX events_article_seq ON events(article_id, seq);
DROP INDEX events_article;
CREATE INDEX articles_outlet_published ON articles(outlet, published, duplicate_of);
DROP INDEX articles_outlet;
"""

# Version 6: one proposition per claim group, origins resolved once (link/claimlink.py, link/origins.py).
# Each claim keeps its main clause's roles, polarity cues, figures and dates, and the ultimate origin
# decided when it was linked; claim_links keeps the evidence of every join and every close pair kept
# apart. Claims linked before this version keep origin_key NULL and are shown as "linked before
# origins were resolved" until their article is annotated again.
_V6 = """
ALTER TABLE claims ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';          -- JSON [{role, name, text, start, end, evidence}]
ALTER TABLE claims ADD COLUMN polarity_cues TEXT NOT NULL DEFAULT '[]';  -- JSON spans: the words that set its polarity
ALTER TABLE claims ADD COLUMN figures TEXT NOT NULL DEFAULT '[]';        -- JSON list of the numbers it states
ALTER TABLE claims ADD COLUMN dates TEXT NOT NULL DEFAULT '[]';          -- JSON [[earliest, latest], ...] of the dates it names
ALTER TABLE claims ADD COLUMN origin_key TEXT;       -- what appearances of one origin share ("actor:person:vladimir-putin")
ALTER TABLE claims ADD COLUMN origin_kind TEXT;      -- person, organisation, outlet, anonymous, document, unknown
ALTER TABLE claims ADD COLUMN origin_name TEXT;      -- how the origin reads
ALTER TABLE claims ADD COLUMN origin_actor TEXT;     -- the actor id, for a person's or organisation's own statement
ALTER TABLE claims ADD COLUMN origin_outlet TEXT;    -- the outlet that published or obtained it
ALTER TABLE claims ADD COLUMN origin_count INTEGER;  -- how many unnamed sources, when the text says
ALTER TABLE claims ADD COLUMN origin_flagged INTEGER NOT NULL DEFAULT 0;  -- 1: unknown outlet or speaker, never counted as certain
ALTER TABLE claims ADD COLUMN origin_evidence TEXT;  -- the rule and the words that resolved it
ALTER TABLE claim_vectors ADD COLUMN agents TEXT NOT NULL DEFAULT '[]';    -- JSON actor ids in the agent role
ALTER TABLE claim_vectors ADD COLUMN patients TEXT NOT NULL DEFAULT '[]';  -- JSON actor ids in the patient role
ALTER TABLE claim_vectors ADD COLUMN dates TEXT NOT NULL DEFAULT '[]';     -- JSON [[earliest, latest], ...]
ALTER TABLE claim_vectors ADD COLUMN polarity TEXT NOT NULL DEFAULT '[]';  -- JSON list of its polarity words
ALTER TABLE claim_vectors ADD COLUMN predicate BLOB;  -- float32 x 384: embedding of its words without the subject phrase
ALTER TABLE attributions ADD COLUMN source_name TEXT;  -- the source resolved to a name (labels, pronouns), as quotes resolve speakers

CREATE TABLE claim_links (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,   -- the claim being linked
    other_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,   -- the stored claim it was judged against
    kind TEXT NOT NULL,          -- 'same' (the join that placed it), 'variant' (only a figure differs) or 'related' (kept apart)
    similarity REAL NOT NULL,    -- cosine of the two claims' embeddings
    rule TEXT NOT NULL,          -- same agent, same actors, close wording, polarity, actors, conditions, dates, figures, too far
    reason TEXT NOT NULL,        -- the rule in words, with the matched or clashing actors
    actors TEXT NOT NULL DEFAULT '[]',  -- JSON actor ids both claims name in one role
    PRIMARY KEY (claim_id, other_id)
);
CREATE INDEX claim_links_other ON claim_links(other_id);
"""

# Version 7: the stance a claim states (annotate/claimstance.py), so that "ready for a ceasefire" and
# "willing to negotiate" by one actor join one group (link/claimlink.py rule 7). Claims annotated
# before keep stance NULL and join by their wording only.
_V7 = """
ALTER TABLE claims ADD COLUMN stance TEXT;  -- JSON {kind, topic, word: {text, start, end}, object: {text, start, end}} or NULL
ALTER TABLE claim_vectors ADD COLUMN stance TEXT NOT NULL DEFAULT '';     -- kind:topic ("ready:peace"), '' for none
ALTER TABLE claim_vectors ADD COLUMN holders TEXT NOT NULL DEFAULT '[]';  -- JSON actor ids holding that stance
"""

# Version 8: an article that failed a stage (annotation, linking, storing) is recorded once per
# model with the reason, so one bad article never stops a batch nor is retried forever
# (`storyline failures`, `--retry-failed`).
_V8 = """
CREATE TABLE article_failures (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    model TEXT NOT NULL,                 -- the spaCy model it failed with
    stage TEXT NOT NULL,                 -- annotate, link or store
    reason TEXT NOT NULL,                -- the exception in one line (the traceback goes to the log)
    at TEXT NOT NULL,                    -- UTC time of the failure
    PRIMARY KEY (article_id, model)
);
"""

# Version 9: LSH keys carry 24 hyperplane bits per band (the old 12 in the top bits), so a large store is
# searched at a finer resolution and a query reads about the same number of candidates at any size.
# storyline_band_key(band, vector) is registered by schema.connect for this step (store/links.py band_key).
_V9 = """
UPDATE vector_buckets SET key = storyline_band_key(band, (SELECT vector FROM claim_vectors v WHERE v.claim_id = item_id))
    WHERE kind = 'claim' AND EXISTS (SELECT 1 FROM claim_vectors v WHERE v.claim_id = item_id);
UPDATE vector_buckets SET key = storyline_band_key(band, (SELECT doc_vector FROM link_docs d WHERE d.article_id = item_id))
    WHERE kind = 'doc' AND EXISTS (SELECT 1 FROM link_docs d WHERE d.article_id = item_id);
"""

# Version 10: an article written in a language Storyline does not annotate (setting `languages`) is stored,
# cleaned and searchable, but not annotated; why is recorded once per model, and its page says so.
_V10 = """
CREATE TABLE annotation_skips (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    model TEXT NOT NULL,                 -- the spaCy model it was not annotated with
    reason TEXT NOT NULL,                -- e.g. "written in de; Storyline annotates en"
    at TEXT NOT NULL,                    -- UTC time
    PRIMARY KEY (article_id, model)
);
"""

# Version 11: views for the common joins, for SQL users, DuckDB and datasette (docs/schema.md, "SQL views"):
# quotes and attributions with their article's outlet, date and title; claim appearances with their group
# and origin; the articles of each story. Views hold no data: nothing to migrate.
_V11 = """
CREATE VIEW quotes_with_article AS
    SELECT q.id, q.article_id, a.outlet, a.published, a.title, a.url, m.story_id,
           q.text, q.direct, q.speaker, q.speaker_name, q.speaker_actor_id, q.cue, q.start, q."end"
    FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN story_members m ON m.article_id = q.article_id;
CREATE VIEW attributions_with_article AS
    SELECT t.id, t.article_id, a.outlet, a.published, a.title, a.url, m.story_id,
           t.content, t.source, t.source_name, t.source_kind, t.count, t.cue, t.via, t.start, t."end"
    FROM attributions t JOIN articles a ON a.id = t.article_id LEFT JOIN story_members m ON m.article_id = t.article_id;
CREATE VIEW claim_appearances AS
    SELECT g.group_id, c.id AS claim_id, c.article_id, a.outlet, a.published, a.title, a.url, m.story_id,
           c.text, c.sentence, c.start, c."end", c.negated, c.hedges, c.conditions, c.attribution_id,
           c.origin_key, c.origin_kind, c.origin_name, c.origin_actor, c.origin_outlet, c.origin_count, c.origin_flagged
    FROM claims c JOIN claim_groups g ON g.claim_id = c.id JOIN articles a ON a.id = c.article_id
    LEFT JOIN story_members m ON m.article_id = c.article_id;
CREATE VIEW story_articles AS
    SELECT s.id AS story_id, s.title AS story_title, s.thread_id, a.id AS article_id, a.outlet, a.published, a.title, a.url
    FROM stories s JOIN story_members m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id;
"""

# Version 12: an article's byline is a list of names (`authors`, a JSON array; [] when none) instead of one string.
# A byline stored before becomes a list of its one string: names were joined by ", " then, which cannot be told
# from a byline written surname first ("Brel, Ana"), so nothing is split that might be one person.
_V12 = """
ALTER TABLE articles RENAME COLUMN author TO authors;
UPDATE articles SET authors = CASE WHEN authors IS NULL OR trim(authors) = '' THEN '[]' ELSE json_array(trim(authors)) END;
"""

# Version 13: following a story live (issue [11]; docs/watch.md). Watched sources and their fetch state (so a
# restarted watch picks up where it stopped), the entries each feed has shown, pages revisited for edits,
# every version of an edited article, and the digests written.
_V13 = """
CREATE TABLE watch_sources (
    url TEXT PRIMARY KEY,                -- a feed or page URL, or a file of URLs (its path)
    kind TEXT NOT NULL DEFAULT '',       -- feed, page or list, once known ('' before the first fetch)
    match TEXT NOT NULL DEFAULT '',      -- the --match scope of the watch that added it ('' follows everything)
    added_at TEXT NOT NULL,              -- UTC times, ISO 8601
    etag TEXT,                           -- validators of the last 200 response, sent back as If-None-Match
    last_modified TEXT,                  -- and If-Modified-Since
    last_checked TEXT,
    last_ok TEXT,
    last_status INTEGER,                 -- HTTP status of the last check (NULL: no response)
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0, -- consecutive failed checks (backoff grows with them)
    next_after TEXT,                     -- not checked again before this time (backoff, Retry-After)
    gone INTEGER NOT NULL DEFAULT 0      -- 1 after 404/410 on several checks: shown as gone, checked rarely
);
CREATE TABLE watch_entries (
    source_url TEXT NOT NULL REFERENCES watch_sources(url) ON DELETE CASCADE,
    entry_url TEXT NOT NULL,             -- the entry's link as the feed gives it
    first_seen TEXT NOT NULL,
    article_id TEXT,                     -- the article it gave (NULL: failed, out of scope, or not yet stored)
    outcome TEXT NOT NULL DEFAULT '',    -- ingested, duplicate, skipped, failed, out of scope
    PRIMARY KEY (source_url, entry_url)
);
CREATE TABLE watch_pages (
    url TEXT PRIMARY KEY,                -- an article page fetched by a watch, revisited for edits
    article_id TEXT REFERENCES articles(id) ON DELETE CASCADE,
    etag TEXT,
    last_modified TEXT,
    first_fetched TEXT NOT NULL,
    last_fetched TEXT,
    revisit_until TEXT                   -- revisited (conditional GET) until then (setting revisit_hours)
);
CREATE INDEX watch_pages_until ON watch_pages(revisit_until);
CREATE TABLE article_versions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,  -- the article, under its first version's id
    version INTEGER NOT NULL,            -- 1 for the text first stored, then 2, 3, ...
    text_id TEXT NOT NULL,               -- the id this version's text alone would get (it is never stored as another article)
    title TEXT,
    text TEXT NOT NULL,                  -- cleaned text of this version
    seen_at TEXT NOT NULL,               -- UTC time this version was fetched or read
    source TEXT NOT NULL,                -- where it came from (URL)
    quotes TEXT NOT NULL DEFAULT '[]',   -- JSON list of this version's quote texts (kept when it is replaced)
    claims TEXT NOT NULL DEFAULT '[]',   -- JSON list of this version's claim texts
    PRIMARY KEY (article_id, version)
);
CREATE INDEX article_versions_text ON article_versions(text_id);
CREATE INDEX article_versions_seen ON article_versions(seen_at);
CREATE TABLE digests (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                    -- UTC time the digest was made
    since TEXT NOT NULL,                 -- what it covered: changes after this time
    match TEXT NOT NULL DEFAULT ''       -- its scope
);
CREATE INDEX articles_ingested ON articles(ingested_at);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10, _V11, _V12, _V13)
