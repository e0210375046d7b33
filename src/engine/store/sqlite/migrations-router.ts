/**
 * The router module's SQLite migrations (module name "router", versions as applied in users' databases).
 * router_decisions is the one decision record, shared by the router (learning, outcomes) and the ledger (reports,
 * rollup); router_outcomes and router_observations are the outcome records (see outcomes in sqlite/decisions.ts).
 */
import type { Migration } from '../db.js';
import { mergeLedgerDecisions } from './merge-decisions.js';

export const migrations: Migration[] = [
  {
    module: 'router',
    version: 1,
    description: 'routing decisions and reported outcomes',
    up: `
      CREATE TABLE router_decisions (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        route TEXT NOT NULL,
        strategy TEXT NOT NULL,
        level TEXT NOT NULL,
        score REAL NOT NULL,
        task_type TEXT NOT NULL,
        sensitive INTEGER NOT NULL,
        categories TEXT NOT NULL,
        reason_codes TEXT NOT NULL,
        reasons TEXT NOT NULL,
        forced INTEGER NOT NULL,
        local_model TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        local_usd REAL NOT NULL,
        cloud_usd REAL NOT NULL,
        saving_usd REAL NOT NULL,
        confidence REAL NOT NULL,
        agent_id TEXT,
        features BLOB
      );
      CREATE INDEX router_decisions_created ON router_decisions(created_at);
      CREATE TABLE router_outcomes (
        decision_id TEXT PRIMARY KEY REFERENCES router_decisions(id) ON DELETE CASCADE,
        success INTEGER NOT NULL,
        quality REAL,
        notes TEXT,
        reported_at INTEGER NOT NULL
      );
    `,
  },
  {
    module: 'router',
    version: 2,
    description: 'outcomes observed outside route_task (patterns stored with a route and a result)',
    up: `
      CREATE TABLE router_observations (
        id INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        route TEXT NOT NULL,
        success INTEGER NOT NULL,
        quality REAL,
        source TEXT NOT NULL,
        features BLOB NOT NULL
      );
    `,
  },
  {
    module: 'router',
    version: 3,
    description: 'stats counters, updated in the transaction of each decision, outcome and observation (seeded from the rows held)',
    up: `
      CREATE TABLE router_counters (
        metric TEXT NOT NULL,
        key TEXT NOT NULL,
        n INTEGER NOT NULL DEFAULT 0,
        v REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (metric, key)
      ) WITHOUT ROWID;
      INSERT INTO router_counters (metric, key, n, v) SELECT 'decisions', '', count(*), coalesce(sum(saving_usd), 0) FROM router_decisions;
      INSERT INTO router_counters (metric, key, n) SELECT 'sensitive', '', coalesce(sum(sensitive), 0) FROM router_decisions;
      INSERT INTO router_counters (metric, key, n) SELECT 'forced', '', coalesce(sum(forced), 0) FROM router_decisions;
      INSERT INTO router_counters (metric, key, n)
        SELECT 'forced_cloud_sensitive', '', count(*) FROM router_decisions WHERE forced = 1 AND sensitive = 1 AND route = 'cloud';
      INSERT INTO router_counters (metric, key, n) SELECT 'route', route, count(*) FROM router_decisions GROUP BY route;
      INSERT INTO router_counters (metric, key, n) SELECT 'complexity', level, count(*) FROM router_decisions GROUP BY level;
      INSERT INTO router_counters (metric, key, n) SELECT 'strategy', strategy, count(*) FROM router_decisions GROUP BY strategy;
      INSERT INTO router_counters (metric, key, n)
        SELECT 'reason', j.value, count(*) FROM router_decisions, json_each(router_decisions.reason_codes) j GROUP BY j.value;
      INSERT INTO router_counters (metric, key, n)
        SELECT 'category', j.value, count(*) FROM router_decisions, json_each(router_decisions.categories) j GROUP BY j.value;
      INSERT INTO router_counters (metric, key, n, v)
        SELECT 'outcome', d.route, count(*), coalesce(sum(o.success), 0) FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id GROUP BY d.route;
      INSERT INTO router_counters (metric, key, n, v)
        SELECT 'outcome_quality', d.route, count(o.quality), coalesce(sum(o.quality), 0)
        FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id WHERE o.quality IS NOT NULL GROUP BY d.route;
      INSERT INTO router_counters (metric, key, n) SELECT 'observations', '', count(*) FROM router_observations;
    `,
  },
  {
    module: 'router',
    version: 4,
    description: 'the local model an observation ran on (learned evidence is kept per model)',
    up: `ALTER TABLE router_observations ADD COLUMN model TEXT;`,
  },
  {
    module: 'router',
    version: 5,
    description:
      'one decision record: router_decisions gains the decision latency and takes the ledger_decisions rows (ledger v5 does the same when it runs first); the router no longer prunes decisions by count, the ledger rolls them up by day',
    up: (db) => mergeLedgerDecisions(db),
  },
];
