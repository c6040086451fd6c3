"""The store's schema as named migrations, each applied and recorded in one transaction.

Plain tables with foreign keys and an FTS5 index over sentences, so the file also opens in standard SQLite
tools (sqlite3, Datasette, sqlite-utils).
"""

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_initial", """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    identity TEXT NOT NULL,
    url TEXT,
    source TEXT NOT NULL,
    title TEXT,
    date TEXT,
    date_source TEXT,
    language TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    chars INTEGER NOT NULL,
    removed TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_identity ON documents(identity);
CREATE INDEX documents_doc ON documents(doc);

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX sentences_document ON sentences(document_id);

CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='id',
                                              tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('actual', 'target')),
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    value_high REAL,
    unit TEXT NOT NULL,
    approx TEXT NOT NULL,
    subject TEXT NOT NULL,
    year INTEGER,
    quarter INTEGER,
    month INTEGER,
    qualifier TEXT,
    claimed_by TEXT,
    evidence_text TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL
);
CREATE INDEX facts_document ON facts(document_id);
CREATE INDEX facts_lookup ON facts(subject, metric, unit, year);

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence_id INTEGER REFERENCES sentences(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    keywords TEXT NOT NULL,
    subject TEXT NOT NULL,
    year INTEGER,
    quarter INTEGER,
    month INTEGER,
    claimed_by TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    evidence_text TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL
);
CREATE INDEX milestones_document ON milestones(document_id);

CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL
);
CREATE TABLE actor_aliases (
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    via TEXT NOT NULL,
    UNIQUE (actor_id, alias)
);
CREATE TABLE document_actors (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    mentions INTEGER NOT NULL,
    as_subject INTEGER NOT NULL,
    as_source INTEGER NOT NULL,
    PRIMARY KEY (document_id, actor_id)
);
"""),
)

MIGRATIONS += (
    ("0002_duplicates", """
CREATE TABLE document_signatures (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    shingles INTEGER NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE lsh_bands (
    band INTEGER NOT NULL,
    key INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX lsh_bands_key ON lsh_bands(band, key);
CREATE INDEX lsh_bands_document ON lsh_bands(document_id);
CREATE TABLE document_links (
    a INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('copy', 'story')),
    score REAL NOT NULL,
    PRIMARY KEY (a, b, kind)
);
CREATE INDEX document_links_b ON document_links(b);
"""),
)

# Following sources (src/filiere/fetch/): what each source is, every page met (its raw HTML kept, zlib-compressed,
# so `filiere reprocess` re-reads it without the network), and the validators of feeds for conditional GET.
MIGRATIONS += (
    ("0003_fetch", """
CREATE TABLE fetch_sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT,
    last_run TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT
);
CREATE TABLE fetched_pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    final_url TEXT,
    status TEXT NOT NULL CHECK (status IN ('fetched', 'ingested', 'filtered', 'duplicate', 'retry', 'failed')),
    http_status INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    listed_date TEXT,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT,
    html BLOB,
    error TEXT
);
CREATE INDEX fetched_pages_final ON fetched_pages(final_url);
CREATE INDEX fetched_pages_source ON fetched_pages(source, status);
CREATE TABLE feed_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);
"""),
)

TABLES = ("documents", "sentences", "facts", "milestones", "actors", "actor_aliases", "document_actors",
          "document_signatures", "lsh_bands", "document_links")

# Story candidates at scale: documents sharing an actor (by actor), and documents in a date window (by date).
MIGRATIONS += (
    ("0004_story_index", """
CREATE INDEX document_actors_actor ON document_actors(actor_id, document_id);
CREATE INDEX documents_date ON documents(date);
"""),
)

# A figure's or milestone's scope (shared/spec/FACTS.md): the site, segment and period it covers, one column each so
# that the store's own tools can filter by them. NULL in rows stored before: the tracker derives their scope from the
# qualifier and the evidence sentence.
MIGRATIONS += (
    ("0005_scope", """
ALTER TABLE facts ADD COLUMN scope_site TEXT;
ALTER TABLE facts ADD COLUMN scope_segment TEXT;
ALTER TABLE facts ADD COLUMN scope_period TEXT;
ALTER TABLE milestones ADD COLUMN scope_site TEXT;
ALTER TABLE milestones ADD COLUMN scope_segment TEXT;
ALTER TABLE milestones ADD COLUMN scope_period TEXT;
"""),
)

# The page (PDF) or paragraph (DOCX) of each record's evidence, looked up from its offsets when it is stored
# (issue 17); null for text, HTML and JSON Lines. Numbered 0007 to leave 0005 and 0006 to work under way on other
# branches (issue 12's 0005_scope): each migration is recorded by name and adds its own columns, so a store that has
# this one applied takes the others after it.
MIGRATIONS += (
    ("0007_evidence_location", """
ALTER TABLE facts ADD COLUMN evidence_page INTEGER;
ALTER TABLE facts ADD COLUMN evidence_paragraph INTEGER;
ALTER TABLE milestones ADD COLUMN evidence_page INTEGER;
ALTER TABLE milestones ADD COLUMN evidence_paragraph INTEGER;
"""),
)

# Corrections a person made to the record (issue 14): keyed by what re-reading the articles does not change, the
# document's content hash and the record's evidence offsets (a fact or milestone), or a commitment's stable id; the
# tracker applies them at every run; undone ones are kept (undone_at, undone_by), so the history stays.
MIGRATIONS += (
    ("0008_corrections", """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL CHECK (target IN ('fact', 'milestone', 'commitment')),
    content_hash TEXT,
    evidence_start INTEGER,
    evidence_end INTEGER,
    commitment_id TEXT,
    action TEXT NOT NULL CHECK (action IN ('set', 'wrong', 'merge', 'split')),
    field TEXT,
    value TEXT,
    other TEXT,
    label TEXT NOT NULL,
    note TEXT,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT,
    CHECK ((target = 'commitment') = (commitment_id IS NOT NULL))
);
CREATE INDEX corrections_record ON corrections(content_hash, evidence_start);
CREATE INDEX corrections_commitment ON corrections(commitment_id);
"""),
)

# Runs that change the store (ingest, fetch, watch, reprocess) and the documents each stored, so `filiere changes
# --since last-run` knows what the latest run brought (issue 14).
MIGRATIONS += (
    ("0009_runs", """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL
);
CREATE TABLE run_documents (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (run_id, content_hash)
);
"""),
)


# The domain pack each document was read with (issue 17: `--pack auto` picks one per document); NULL for documents
# stored before, which were read with the automotive pack, the only one then.
MIGRATIONS += (
    ("0010_document_pack", """
ALTER TABLE documents ADD COLUMN pack TEXT;
CREATE INDEX documents_pack ON documents(pack);
"""),
)

# The copy look-up of every new article (issue 16) reads the documents of its 37 LSH buckets: with the document id in
# the index, from the index alone, not from the index then the table row by row.
MIGRATIONS += (
    ("0011_lsh_bands_covering", """
CREATE INDEX lsh_bands_lookup ON lsh_bands(band, key, document_id);
DROP INDEX lsh_bands_key;
"""),
)

# Not in TABLES (the tables of the record that counts and exports list): `filiere corrections` lists and exports the
# corrections; runs are bookkeeping.
