/**
 * The router's and the ledger's PostgreSQL migrations (modules "router" and "ledger", applied once per database under
 * migrate()'s advisory lock; router first: the ledger reads and rolls up router_decisions).
 *
 * The same tables as SQLite (sqlite/migrations-router.ts, sqlite/migrations-ledger.ts), shaped for a fleet writing
 * into one database:
 *  - append-only compact rows: names (node, model, backend) are stored once in store_names and referenced by id, so no
 *    row repeats a name or any static model metadata; lists are text arrays; booleans are booleans;
 *  - no hot row updated by every request: the routing counters and the per-backend counters are appended as deltas
 *    (router_counter_deltas, ledger_backend_deltas, in the same statement as their decision or completion) and folded
 *    into their totals (router_counters, ledger_backend_counters) now and then by whichever node has appended enough;
 *  - rollups by day (ledger_daily, ledger_decisions_daily), with the node kept in ledger_daily for the group-by node;
 *  - indexes matched to the reads (each index names the queries it serves).
 */
import type { PgMigration } from './db.js';

export const routerMigrations: PgMigration[] = [
  {
    module: 'router',
    version: 1,
    description: 'names, the one decision record, outcomes, observations, routing counters (appended as deltas)',
    up: `
      CREATE TABLE store_names (
        id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      );
      CREATE TABLE router_decisions (
        id TEXT PRIMARY KEY,
        created_at BIGINT NOT NULL,
        node_id INTEGER NOT NULL REFERENCES store_names (id),
        route TEXT NOT NULL,
        strategy TEXT NOT NULL,
        level TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        task_type TEXT NOT NULL,
        sensitive BOOLEAN NOT NULL,
        forced BOOLEAN NOT NULL,
        categories TEXT[] NOT NULL,
        reason_codes TEXT[] NOT NULL,
        reasons TEXT[] NOT NULL,
        local_model_id INTEGER REFERENCES store_names (id),
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        local_usd DOUBLE PRECISION NOT NULL,
        cloud_usd DOUBLE PRECISION NOT NULL,
        saving_usd DOUBLE PRECISION NOT NULL,
        confidence DOUBLE PRECISION NOT NULL,
        agent_id TEXT,
        features BYTEA,
        latency_ms DOUBLE PRECISION
      );
      -- the reports' ranges, the rollup's oldest-first scan
      CREATE INDEX router_decisions_created ON router_decisions (created_at);
      -- mark: the learner's order of outcomes (since/marks); assigned under an advisory lock held to the commit, so
      -- marks become visible in increasing order and a reader's mark never skips an outcome committed later
      CREATE TABLE router_outcomes (
        decision_id TEXT PRIMARY KEY REFERENCES router_decisions (id) ON DELETE CASCADE,
        mark BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        success BOOLEAN NOT NULL,
        quality DOUBLE PRECISION,
        notes TEXT,
        reported_at BIGINT NOT NULL
      );
      CREATE INDEX router_outcomes_reported ON router_outcomes (reported_at);
      CREATE TABLE router_observations (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        created_at BIGINT NOT NULL,
        route TEXT NOT NULL,
        success BOOLEAN NOT NULL,
        quality DOUBLE PRECISION,
        source TEXT NOT NULL,
        features BYTEA NOT NULL,
        model TEXT
      );
      CREATE INDEX router_observations_created ON router_observations (created_at);
      -- folded totals (written only when deltas are folded in, never per request)
      CREATE TABLE router_counters (
        metric TEXT NOT NULL,
        key TEXT NOT NULL,
        n BIGINT NOT NULL,
        v DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (metric, key)
      );
      -- one row per counter delta of a decision, outcome or observation (append-only); counters() = totals + deltas
      CREATE TABLE router_counter_deltas (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        metric TEXT NOT NULL,
        key TEXT NOT NULL,
        n BIGINT NOT NULL,
        v DOUBLE PRECISION NOT NULL
      );
    `,
  },
];

export const ledgerMigrations: PgMigration[] = [
  {
    module: 'ledger',
    version: 1,
    description: 'completions (append-only, names by id, the node on each), daily rollups of completions and decisions',
    up: `
      CREATE TABLE ledger_completions (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ts BIGINT NOT NULL,
        node_id INTEGER NOT NULL REFERENCES store_names (id),
        model_id INTEGER NOT NULL REFERENCES store_names (id),
        backend_id INTEGER NOT NULL REFERENCES store_names (id),
        ok BOOLEAN NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        token_count_method TEXT NOT NULL,
        latency_ms DOUBLE PRECISION NOT NULL,
        ttft_ms DOUBLE PRECISION,
        tokens_per_second DOUBLE PRECISION NOT NULL,
        overhead_in INTEGER NOT NULL,
        overhead_out INTEGER NOT NULL,
        overhead_token_method TEXT,
        input_mode TEXT,
        avoided_in INTEGER NOT NULL,
        strategy TEXT,
        route TEXT,
        agent_id TEXT,
        decision_id TEXT,
        error TEXT
      );
      -- report ranges (sums, methods, samples), the rollup's day, firstCompletionIdSince
      CREATE INDEX ledger_completions_ts ON ledger_completions (ts);
      -- the rollup's "no completion references this decision", the reports' join to the decision
      CREATE INDEX ledger_completions_decision ON ledger_completions (decision_id) WHERE decision_id IS NOT NULL;
      -- newest successful calls of a backend and model with what the stats read (recentOkSamples, newestOkCompletionId),
      -- and of a backend (recentLatencies)
      CREATE INDEX ledger_completions_model_recent ON ledger_completions (backend_id, model_id, id)
        INCLUDE (latency_ms, ttft_ms, tokens_per_second) WHERE ok;
      CREATE INDEX ledger_completions_backend_recent ON ledger_completions (backend_id, id) WHERE ok;
      -- calls and errors per backend and model since the start (kept across rollups): each completion appends a delta
      -- in its own INSERT, folded into the totals now and then (PgLedgerRepo), as the routing counters are
      CREATE TABLE ledger_backend_counters (
        backend_id INTEGER NOT NULL REFERENCES store_names (id),
        model_id INTEGER NOT NULL REFERENCES store_names (id),
        calls BIGINT NOT NULL,
        errors BIGINT NOT NULL,
        PRIMARY KEY (backend_id, model_id)
      );
      CREATE TABLE ledger_backend_deltas (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        backend_id INTEGER NOT NULL,
        model_id INTEGER NOT NULL,
        errors SMALLINT NOT NULL
      );

      -- completions past the retention age, summed per UTC day and per what a report groups or counts by; several rows
      -- may hold the same day and keys: readers always sum
      CREATE TABLE ledger_daily (
        day BIGINT NOT NULL,
        node_id INTEGER NOT NULL REFERENCES store_names (id),
        model_id INTEGER NOT NULL REFERENCES store_names (id),
        backend_id INTEGER NOT NULL REFERENCES store_names (id),
        route TEXT NOT NULL,
        strategy TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        token_count_method TEXT NOT NULL,
        overhead_token_method TEXT NOT NULL,
        input_mode TEXT NOT NULL,
        calls BIGINT NOT NULL,
        ok_calls BIGINT NOT NULL,
        prompt_tokens BIGINT NOT NULL,
        completion_tokens BIGINT NOT NULL,
        overhead_in BIGINT NOT NULL,
        overhead_out BIGINT NOT NULL,
        overhead_calls BIGINT NOT NULL,
        latency_ms DOUBLE PRECISION NOT NULL,
        avoided_in BIGINT NOT NULL
      );
      CREATE INDEX ledger_daily_day ON ledger_daily (day);
      -- decisions past the retention age, counted per UTC day: kind total, forced, sensitive, route, strategy,
      -- complexity, reason or category
      CREATE TABLE ledger_decisions_daily (
        day BIGINT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        n BIGINT NOT NULL
      );
      CREATE INDEX ledger_decisions_daily_day ON ledger_decisions_daily (day, kind);
    `,
  },
];

/** Both modules, in the order they must run. */
export const pgMigrations: PgMigration[] = [...routerMigrations, ...ledgerMigrations];
