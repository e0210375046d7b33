import type { Migration } from '../db.js';

/** Tables of the pattern bank. SQLite is the source of truth; the HNSW file is a cache of pattern_vectors. */
export const migrations: Migration[] = [
  {
    module: 'patterns',
    version: 1,
    description: 'patterns, per-embedder vectors, vector change log, FTS5 index, bank metadata',
    up: `
      CREATE TABLE patterns (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        task TEXT NOT NULL,
        approach TEXT NOT NULL,
        approach_key TEXT NOT NULL,
        outcome TEXT,
        quality REAL NOT NULL,
        iterations INTEGER NOT NULL DEFAULT 0,
        converged INTEGER NOT NULL DEFAULT 0,
        model TEXT,
        backend TEXT,
        route TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        domain TEXT,
        agent_id TEXT,
        decision_id TEXT,
        count INTEGER NOT NULL DEFAULT 1,
        uses INTEGER NOT NULL DEFAULT 0,
        successes INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        embedder TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_used_at TEXT
      );
      CREATE INDEX patterns_domain ON patterns(domain);
      CREATE INDEX patterns_agent ON patterns(agent_id);

      -- One vector per (pattern, embedder); during an embedder switch a pattern has two.
      -- A rowid table (not WITHOUT ROWID): 2 KB blobs would overflow the primary-key b-tree pages.
      CREATE TABLE pattern_vectors (
        seq INTEGER NOT NULL REFERENCES patterns(seq) ON DELETE CASCADE,
        embedder TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (seq, embedder)
      );
      CREATE INDEX pattern_vectors_embedder ON pattern_vectors(embedder, seq);

      -- Every change that the vector index must see, in commit order. The persisted index
      -- records the highest lsn it contains; opening replays the rest.
      CREATE TABLE pattern_vec_log (
        lsn INTEGER PRIMARY KEY AUTOINCREMENT,
        seq INTEGER NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete'))
      );

      -- Ids of imported patterns that merged into an existing one (a re-import skips them).
      CREATE TABLE pattern_aliases (
        alias TEXT PRIMARY KEY,
        seq INTEGER NOT NULL REFERENCES patterns(seq) ON DELETE CASCADE
      ) WITHOUT ROWID;

      CREATE TABLE pattern_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE VIRTUAL TABLE patterns_fts USING fts5(task, approach, tags, content='patterns', content_rowid='seq', tokenize='porter unicode61');
      CREATE TRIGGER patterns_fts_ai AFTER INSERT ON patterns BEGIN
        INSERT INTO patterns_fts(rowid, task, approach, tags) VALUES (new.seq, new.task, new.approach, new.tags);
      END;
      CREATE TRIGGER patterns_fts_ad AFTER DELETE ON patterns BEGIN
        INSERT INTO patterns_fts(patterns_fts, rowid, task, approach, tags) VALUES ('delete', old.seq, old.task, old.approach, old.tags);
      END;
      CREATE TRIGGER patterns_fts_au AFTER UPDATE OF task, approach, tags ON patterns BEGIN
        INSERT INTO patterns_fts(patterns_fts, rowid, task, approach, tags) VALUES ('delete', old.seq, old.task, old.approach, old.tags);
        INSERT INTO patterns_fts(rowid, task, approach, tags) VALUES (new.seq, new.task, new.approach, new.tags);
      END;
    `,
  },
  {
    module: 'patterns',
    version: 2,
    description: 'index patterns by the routing decision they came from (outcomes reported on a decision reach its patterns)',
    up: 'CREATE INDEX IF NOT EXISTS patterns_decision ON patterns(decision_id) WHERE decision_id IS NOT NULL',
  },
  {
    module: 'patterns',
    version: 3,
    description:
      'index patterns by approach key (a store finds its near-duplicates among the patterns with the same approach exactly, without the vector index)',
    up: 'CREATE INDEX IF NOT EXISTS patterns_approach ON patterns(approach_key)',
  },
  {
    module: 'patterns',
    version: 4,
    description: 'usage counts in a narrow table: a find bumps a 20-byte row instead of rewriting the whole pattern row',
    // patterns.uses / last_used_at stay as the base (merges, imports, outcomes); pattern_usage adds what finds counted.
    up: `CREATE TABLE pattern_usage (
      seq INTEGER PRIMARY KEY REFERENCES patterns(seq) ON DELETE CASCADE,
      uses INTEGER NOT NULL,
      last_used_at TEXT NOT NULL
    )`,
  },
  {
    module: 'patterns',
    version: 5,
    description: "privacy categories redacted from a pattern's text (task, approach, outcome and tags are stored redacted)",
    // A constant default: adding the column rewrites no row. Rows stored before are rescanned when the bank opens
    // (pattern_meta privacy_scan records how far, and with which scanner version).
    up: "ALTER TABLE patterns ADD COLUMN privacy_categories TEXT NOT NULL DEFAULT '[]'",
  },
];
