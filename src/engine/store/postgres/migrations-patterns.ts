import type { PgMigration } from './db.js';

/**
 * The pattern bank's tables on PostgreSQL (module `patterns`; these versions are PostgreSQL's own, independent of
 * SQLite's `patterns` 1-5). PostgreSQL is the source of truth; every node's HNSW index is a replica caught up from
 * `pattern_log` (see patterns-repo.ts for why its order is the commit order).
 */
export const migrations: PgMigration[] = [
  {
    module: 'patterns',
    version: 1,
    description:
      'patterns (with a stemmed tsvector and its GIN index), per-embedder float16 vectors, the commit-ordered change log, usage counts, aliases, bank metadata',
    up: `
      -- Full text as SQLite's FTS5 'porter unicode61' sees it: every token stemmed (Snowball English), no stopword
      -- dropped (the bank's query side drops its own stopwords). The text is cut into [a-z0-9] runs first, the
      -- tokens the bank's JavaScript BM25 uses (lexical.ts lexTerms), so document frequencies count the same words.
      CREATE TEXT SEARCH DICTIONARY ruvllm_pattern_stem (TEMPLATE = snowball, Language = english);
      CREATE TEXT SEARCH CONFIGURATION ruvllm_patterns (COPY = pg_catalog.simple);
      ALTER TEXT SEARCH CONFIGURATION ruvllm_patterns
        ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
        WITH ruvllm_pattern_stem;

      CREATE TABLE patterns (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        task TEXT NOT NULL,
        approach TEXT NOT NULL,
        approach_key TEXT NOT NULL,
        outcome TEXT,
        quality DOUBLE PRECISION NOT NULL,
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
        last_used_at TEXT,
        privacy_categories TEXT NOT NULL DEFAULT '[]',
        -- task weighted A, approach B, tags C: ts_rank's weights {0.1, 0.2, 0.3, 1.0} give FTS5's 1.0 / 0.3 / 0.2
        tsv tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('ruvllm_patterns'::regconfig, regexp_replace(lower(task), '[^a-z0-9]+', ' ', 'g')), 'A') ||
          setweight(to_tsvector('ruvllm_patterns'::regconfig, regexp_replace(lower(approach), '[^a-z0-9]+', ' ', 'g')), 'B') ||
          setweight(to_tsvector('ruvllm_patterns'::regconfig, regexp_replace(lower(tags), '[^a-z0-9]+', ' ', 'g')), 'C')
        ) STORED
      );
      CREATE INDEX patterns_tsv ON patterns USING gin (tsv);
      CREATE INDEX patterns_domain ON patterns (domain);
      CREATE INDEX patterns_agent ON patterns (agent_id);
      CREATE INDEX patterns_decision ON patterns (decision_id) WHERE decision_id IS NOT NULL;
      CREATE INDEX patterns_approach ON patterns (approach_key);

      -- One vector per (pattern, embedder), IEEE half floats (store/float16.ts); during an embedder switch two.
      CREATE TABLE pattern_vectors (
        seq BIGINT NOT NULL REFERENCES patterns (seq) ON DELETE CASCADE,
        embedder TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BYTEA NOT NULL,
        PRIMARY KEY (seq, embedder)
      );
      CREATE INDEX pattern_vectors_embedder ON pattern_vectors (embedder, seq);

      -- Every change a node's HNSW replica must apply (a new vector, a changed one, a delete or prune as a
      -- tombstone), in commit order: lsns are taken under a transaction-scoped advisory lock held until COMMIT.
      CREATE TABLE pattern_log (
        lsn BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seq BIGINT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        at TIMESTAMPTZ NOT NULL DEFAULT now()
      );

      -- Ids of imported patterns that merged into an existing one (a re-import skips them).
      CREATE TABLE pattern_aliases (
        alias TEXT PRIMARY KEY,
        seq BIGINT NOT NULL REFERENCES patterns (seq) ON DELETE CASCADE
      );

      -- Uses counted by finds: a narrow row per pattern, added to the pattern's own count when read.
      CREATE TABLE pattern_usage (
        seq BIGINT PRIMARY KEY REFERENCES patterns (seq) ON DELETE CASCADE,
        uses INTEGER NOT NULL,
        last_used_at TEXT NOT NULL
      );

      CREATE TABLE pattern_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    module: 'patterns',
    version: 2,
    description: 'the full-text GIN index without a pending list (fastupdate off), its pending entries merged in',
    up: `
      -- With fastupdate (the default) new rows' postings wait in an unsorted pending list until a VACUUM merges
      -- them; every text search scans that whole list, and the planner then prefers a sequential scan of the
      -- table: a find's text candidates took 2.5 ms at 4,000 patterns instead of 0.9 ms. Stores now insert their
      -- few postings into the index directly.
      ALTER INDEX patterns_tsv SET (fastupdate = off);
      SELECT gin_clean_pending_list('patterns_tsv'::regclass);
    `,
  },
  {
    module: 'patterns',
    version: 3,
    description: 'the change log also names row changes (update), usage counts (uses) and embedder switches (reset) for the read models',
    up: `
      -- Every change a find can observe is a log entry, so each node's read model (read-model.ts) converges: a merge,
      -- an outcome, a redaction or a vector put later ('update': read the row again), usage counts flushed by a node
      -- ('uses'), an embedder switch ('reset': read everything again). HNSW replicas apply only 'upsert' and 'delete'.
      ALTER TABLE pattern_log DROP CONSTRAINT IF EXISTS pattern_log_op_check;
      ALTER TABLE pattern_log ADD CONSTRAINT pattern_log_op_check CHECK (op IN ('upsert', 'delete', 'update', 'uses', 'reset'));
    `,
  },
  {
    module: 'patterns',
    version: 4,
    description:
      "a node's usage flush is one 'uses' log entry carrying its counts (uses_seqs, uses_n), applied in place by the read models",
    up: `
      -- A flush of usage counts logged one 'uses' entry per pattern, and every node's read model then read those rows
      -- again from PostgreSQL (thousands a second in a busy fleet, and the garbage of them on every node). Now a flush
      -- is one entry (seq 0) with the patterns and the counts added: the read models add them to the rows they hold,
      -- reading no row. Entries without them (written before) still mean: read the row again.
      ALTER TABLE pattern_log ADD COLUMN uses_seqs BIGINT[], ADD COLUMN uses_n INTEGER[];
    `,
  },
];
