// One decision record shared by the router and the ledger (router v5 / ledger v5): a database written by the code
// before (router_decisions and ledger_decisions side by side, migrations v1-v4) opens with its rows carried over,
// and the one retention policy (the ledger's day rollup) keeps what the router's learning needs.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { Router, migrations as routerMigrations, type LocalSide } from '../../src/engine/router/index.js';
import { Ledger, migrations as ledgerMigrations } from '../../src/engine/ledger/ledger.js';
import { loadPriceTable } from '../../src/engine/ledger/prices.js';
import { tempDir } from '../helpers/tmp.js';
import { routerRepos, ledgerRepo } from '../helpers/repos.js';

const ALL = [...ledgerMigrations, ...routerMigrations];
/** The migrations main applies today (the last version of both modules before the one decision record). */
const BEFORE = ALL.filter((m) => m.version <= 4);

const dirs: string[] = [];
const dbs: DB[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const file = () => {
  const d = tempDir('decision-record-');
  dirs.push(d);
  return join(d, 'state.db');
};
const open = (f: string, m = ALL) => {
  const db = openDatabase(f, m);
  dbs.push(db);
  return db;
};
const side: LocalSide = { available: true, modelId: 'qwen-7b', latencyP50Ms: 400, backend: 'llama-cpp' };
const estimate = (i: number, o: number) => ({ localUsd: 0, cloudUsd: (i + o) / 1e6, cloudModel: 'host' });
const DAY = 86_400_000;
const T = Date.parse('2026-11-20T12:00:00Z');

describe('one decision record', () => {
  it('a database written before (both tables, v1-v4) opens with every decision in router_decisions and reasons keyed by code', async () => {
    const f = file();
    const old = open(f, BEFORE);
    const insRouter =
      old.prepare(`INSERT INTO router_decisions (id, created_at, route, strategy, level, score, task_type, sensitive, categories, reason_codes, reasons,
      forced, local_model, input_tokens, output_tokens, local_usd, cloud_usd, saving_usd, confidence, agent_id, features) VALUES
      (?, ?, ?, 'balanced', 'low', 0.2, 'qa', 0, '[]', ?, ?, 0, 'qwen-7b', 10, 10, 0, 0.01, 0.01, 0.8, NULL, NULL)`);
    const insLedger =
      old.prepare(`INSERT INTO ledger_decisions (decision_id, ts, route, strategy, complexity_level, complexity_score, sensitive, privacy_categories,
      reasons, est_input_tokens, est_output_tokens, latency_ms, agent_id, forced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 10, 20, ?, ?, 0)`);
    // both tables (as the engine wrote every decision)
    insRouter.run('both', T, 'local', '["complexity_low"]', '["complexity 0.20 (low, qa) < 0.45 for balanced"]');
    insLedger.run('both', T, 'local', 'balanced', 'low', 0.2, 0, '[]', '["complexity 0.20 (low, qa) < 0.45 for balanced"]', 2.5, 'agent-a');
    // only the ledger's (the router had pruned it at its row cap)
    insLedger.run(
      'ledger-only',
      T - 2 * DAY,
      'cloud',
      'balanced',
      'high',
      0.81,
      0,
      '[]',
      JSON.stringify([
        'complexity 0.81 (high, code) ≥ 0.6 for balanced on a small local model',
        'a small local model (0.5B parameters) keeps only simpler work',
      ]),
      1.5,
      null,
    );
    insLedger.run(
      'sensitive-old',
      T - 3 * DAY,
      'local_required',
      'balanced',
      'low',
      0.1,
      1,
      '["email","email"]',
      JSON.stringify([
        'contains email: kept local under every strategy',
        'no local model is available; the task must stay local, so it waits for a healthy local model',
      ]),
      1,
      null,
    );
    // only the router's (a router used on its own)
    insRouter.run('router-only', T + 1, 'cloud', '["complexity_high"]', '["complexity 0.90 (high, code) ≥ 0.45 for balanced"]');
    old
      .prepare('INSERT INTO router_outcomes (decision_id, success, quality, notes, reported_at) VALUES (?, 1, 0.9, NULL, ?)')
      .run('both', T + 5);
    // a rolled-up day whose reasons were counted by text
    const daily = old.prepare('INSERT INTO ledger_decisions_daily (day, kind, key, n) VALUES (?, ?, ?, ?)');
    daily.run(T - 200 * DAY, 'total', '', 7);
    daily.run(T - 200 * DAY, 'reason', 'complexity 0.52 (medium, qa) ≥ 0.45 for balanced', 4);
    daily.run(T - 200 * DAY, 'reason', 'complexity 0.61 (medium, code) ≥ 0.45 for balanced', 3);
    daily.run(T - 200 * DAY, 'reason', 'local ~300 ms vs cloud ~900 ms', 2);
    old.close();

    const db = open(f);
    const applied = (
      db.prepare("SELECT module || '@' || version AS v FROM schema_migrations WHERE version = 5 ORDER BY v").all() as { v: string }[]
    ).map((r) => r.v);
    expect(applied).toEqual(['ledger@5', 'router@5']);
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ledger_decisions'").get()).toBeUndefined();
    const rows = db
      .prepare('SELECT id, route, reason_codes AS codes, latency_ms AS l, agent_id AS agent, categories FROM router_decisions ORDER BY id')
      .all();
    expect(rows).toEqual([
      { id: 'both', route: 'local', codes: '["complexity_low"]', l: 2.5, agent: null, categories: '[]' },
      { id: 'ledger-only', route: 'cloud', codes: '["complexity_high","capability_small"]', l: 1.5, agent: null, categories: '[]' },
      { id: 'router-only', route: 'cloud', codes: '["complexity_high"]', l: null, agent: null, categories: '[]' },
      {
        id: 'sensitive-old',
        route: 'local_required',
        codes: '["sensitive","local_unavailable"]',
        l: 1,
        agent: null,
        categories: '["email","email"]',
      },
    ]);
    const ledger = new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable(), now: () => T + 10 });
    const ds = await ledger.decisionStats({ period: 'all' });
    expect(ds.total).toBe(4 + 7);
    expect(ds.byReason).toEqual([
      { code: 'complexity_high', count: 2 + 7 },
      { code: 'latency_local_faster', count: 2 },
      { code: 'capability_small', count: 1 },
      { code: 'complexity_low', count: 1 },
      { code: 'local_unavailable', count: 1 },
      { code: 'sensitive', count: 1 },
    ]);
    expect(ds.privacyCatches.byCategory).toEqual({ email: 1 });
    expect((await ledger.report({ period: 'all' })).decisions.byReason).toMatchObject({ complexity_high: 9, sensitive: 1 });
    // the outcome still belongs to its decision, the router accepts outcomes on carried-over rows; opening again changes nothing
    expect(
      (db.prepare('SELECT count(*) AS n FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id').get() as { n: number }).n,
    ).toBe(1);
    const router = new Router({ ...routerRepos(db), local: () => side, estimate, learning: false });
    await expect(router.reportOutcome({ decisionId: 'ledger-only', success: true })).resolves.toMatchObject({ recorded: true });
    db.close();
    const again = open(f);
    expect((again.prepare('SELECT count(*) AS n FROM router_decisions').get() as { n: number }).n).toBe(4);
  });

  it('a database with the router tables only (a router used on its own) takes the ledger later without a stray table', async () => {
    const f = file();
    const r = open(f, routerMigrations);
    expect((r.prepare('PRAGMA table_info(router_decisions)').all() as { name: string }[]).map((c) => c.name)).toContain('latency_ms');
    r.close();
    const db = open(f);
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ledger_decisions'").get()).toBeUndefined();
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ledger_decisions_daily'").get()).toBeTruthy();
  });

  it('the router writes the record the ledger reports on (with the decision latency), and the day rollup keeps the decisions the learner replays', async () => {
    const f = file();
    const db = open(f);
    const now = T - 10 * DAY;
    const router = new Router({ ...routerRepos(db), local: () => side, estimate, now: () => now });
    const easy = 'Summarise this paragraph about the weather in two sentences.';
    const ids: string[] = [];
    for (const i of [1, 2, 3]) ids.push((await router.decide({ task: `${easy} (#${i})` })).decisionId);
    await router.reportOutcome({ decisionId: ids[0], success: false });
    const ledger = new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable(), now: () => T });
    const before = await ledger.decisionStats({ period: 'all' });
    expect(before.total).toBe(3);
    expect(before.byReason).toEqual([{ code: 'complexity_low', count: 3 }]);
    expect(before.decisionLatencyP50Ms).toBeGreaterThan(0);
    const r = await ledger.rollup({ olderThanDays: 2 });
    // the decision with an outcome stays raw (its features are the learner's evidence); the other two are rolled up
    expect(r.decisions).toBe(2);
    expect((db.prepare('SELECT id FROM router_decisions').all() as { id: string }[]).map((x) => x.id)).toEqual([ids[0]]);
    const after = await ledger.decisionStats({ period: 'all' });
    expect({ ...after, decisionLatencyP50Ms: null }).toEqual({ ...before, decisionLatencyP50Ms: null });
    // a new process replays the kept outcome
    const fresh = new Router({ ...routerRepos(db), local: () => side, estimate, now: () => T });
    await fresh.learningReady;
    expect((await fresh.stats()).learned.localSamples).toBe(1);
    // the rollup finds nothing more to do while that outcome is among the newest
    expect(await ledger.rollup({ olderThanDays: 2 })).toMatchObject({ days: 0, decisions: 0 });
  });
});
