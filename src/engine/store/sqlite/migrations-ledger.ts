/**
 * The ledger module's SQLite migrations (module name "ledger", versions as applied in users' databases).
 * Since v5 the ledger keeps no decision table of its own: decisions live in router_decisions (migrations-router.ts),
 * rolled up by day into ledger_decisions_daily past the retention age.
 */
import type { Migration } from '../db.js';
import { mergeLedgerDecisions } from './merge-decisions.js';

export const migrations: Migration[] = [
  {
    module: 'ledger',
    version: 1,
    description: 'completions and routing decisions',
    up: `
      CREATE TABLE ledger_completions (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        model TEXT NOT NULL,
        backend TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        token_count_method TEXT NOT NULL,
        latency_ms REAL NOT NULL,
        ttft_ms REAL,
        tokens_per_second REAL NOT NULL,
        overhead_in INTEGER NOT NULL,
        overhead_out INTEGER NOT NULL,
        strategy TEXT,
        route TEXT,
        agent_id TEXT,
        decision_id TEXT,
        ok INTEGER NOT NULL,
        error TEXT
      );
      CREATE INDEX ledger_completions_ts ON ledger_completions(ts);
      CREATE INDEX ledger_completions_decision ON ledger_completions(decision_id);
      CREATE TABLE ledger_decisions (
        decision_id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        route TEXT NOT NULL,
        strategy TEXT NOT NULL,
        complexity_level TEXT NOT NULL,
        complexity_score REAL NOT NULL,
        sensitive INTEGER NOT NULL,
        privacy_categories TEXT NOT NULL,
        reasons TEXT NOT NULL,
        est_input_tokens INTEGER NOT NULL,
        est_output_tokens INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        agent_id TEXT,
        forced INTEGER NOT NULL
      );
      CREATE INDEX ledger_decisions_ts ON ledger_decisions(ts);
    `,
  },
  {
    module: 'ledger',
    version: 2,
    description: 'how the overhead tokens were counted',
    up: `ALTER TABLE ledger_completions ADD COLUMN overhead_token_method TEXT;`,
  },
  {
    module: 'ledger',
    version: 3,
    description: 'daily rollup past the retention age; per-backend counters; recent completions per backend by index',
    up: `
      -- Completions older than the retention age, summed per UTC day and per what a report groups or counts by.
      -- Several rows may hold the same day and keys (rolled at different times): readers always sum.
      CREATE TABLE ledger_daily (
        day INTEGER NOT NULL,
        model TEXT NOT NULL,
        backend TEXT NOT NULL,
        route TEXT NOT NULL,
        strategy TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        token_count_method TEXT NOT NULL,
        overhead_token_method TEXT NOT NULL,
        calls INTEGER NOT NULL,
        ok_calls INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        overhead_in INTEGER NOT NULL,
        overhead_out INTEGER NOT NULL,
        overhead_calls INTEGER NOT NULL,
        latency_ms REAL NOT NULL
      );
      CREATE INDEX ledger_daily_day ON ledger_daily(day);
      -- Decisions older than the retention age, counted per UTC day: kind is total, forced, sensitive, route,
      -- strategy, complexity, reason or category.
      CREATE TABLE ledger_decisions_daily (
        day INTEGER NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        n INTEGER NOT NULL
      );
      CREATE INDEX ledger_decisions_daily_day ON ledger_decisions_daily(day);
      -- Calls and errors per backend and model since the start, updated with each completion (all processes).
      CREATE TABLE ledger_backend_counters (
        backend TEXT NOT NULL,
        model TEXT NOT NULL,
        calls INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        PRIMARY KEY (backend, model)
      ) WITHOUT ROWID;
      INSERT INTO ledger_backend_counters (backend, model, calls, errors)
        SELECT backend, model, count(*), count(*) - sum(ok) FROM ledger_completions GROUP BY backend, model;
      -- newest successful calls of a backend (recentLatencyP50) and of a backend and model with what the stats need
      CREATE INDEX ledger_completions_backend_recent ON ledger_completions(backend, ok, id);
      CREATE INDEX ledger_completions_model_recent ON ledger_completions(backend, model, ok, id, latency_ms, ttft_ms, tokens_per_second);
    `,
  },
  {
    module: 'ledger',
    version: 4,
    description: 'input by value or by reference, and the host input a reference call avoided',
    up: `
      ALTER TABLE ledger_completions ADD COLUMN input_mode TEXT;
      ALTER TABLE ledger_completions ADD COLUMN avoided_in INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE ledger_daily ADD COLUMN input_mode TEXT NOT NULL DEFAULT '(not given)';
      ALTER TABLE ledger_daily ADD COLUMN avoided_in INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    module: 'ledger',
    version: 5,
    description:
      'one decision record: ledger_decisions moves into router_decisions (when the router tables exist; else router v5 moves it) and the daily reason counts are keyed by reason code',
    up: (db) => mergeLedgerDecisions(db),
  },
  {
    module: 'ledger',
    version: 6,
    description:
      'the fleet node of a completion (PostgreSQL stores record host and process; SQLite rows keep it null, read as "(this node)"), kept in the daily rollup for the group-by node',
    up: `
      ALTER TABLE ledger_completions ADD COLUMN node TEXT;
      ALTER TABLE ledger_daily ADD COLUMN node TEXT NOT NULL DEFAULT '(this node)';
    `,
  },
];
