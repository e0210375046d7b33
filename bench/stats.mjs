// `ruvllm://stats` read cost on a long history: 1,000,000 decisions in router_decisions and ledger_decisions and
// 1,000,000 completions over 60 days (100,000 each with --quick), written as a database of the previous schema and
// upgraded by the engine (the one-time counter seed, and since router/ledger v5 the move of ledger_decisions into the one
// decision record, router_decisions, is timed). Measured in the same run:
//  - baseline: the previous stats path, verbatim (full scans of router_decisions with json_each, and every completion
//    of the last week read and sorted for percentiles), on the same database;
//  - ours: Engine.stats() plus the JSON the resource sends, in process;
//  - ours through MCP: readResource('ruvllm://stats') from a real SDK client against `node dist/cli.js` over
//    stdio on the same data directory (MCP ping, and a read of ruvllm://models, which grows with no history, as baselines).
// Wall time on a shared machine includes waiting for a core: CPU time of the read is given beside it.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { connectStdio, percentile, root, round, serverPath, tempDir } from './_util.mjs';

const { openDatabase } = await import(join(root, 'dist', 'engine', 'store', 'db.js'));
const { migrations: routerMigrations } = await import(join(root, 'dist', 'engine', 'router', 'index.js'));
const { migrations: ledgerMigrations } = await import(join(root, 'dist', 'engine', 'ledger', 'index.js'));
const { migrations: modelMigrations } = await import(join(root, 'dist', 'engine', 'models', 'index.js'));
const { migrations: patternMigrations } = await import(join(root, 'dist', 'engine', 'patterns', 'index.js'));
const { Engine } = await import(join(root, 'dist', 'engine', 'engine.js'));

const DAY = 86_400_000;

/** A database as the previous schema left it (router and ledger at version 2), filled with `n` of each. */
function fill(file, n, now) {
  const old = [...modelMigrations, ...patternMigrations, ...routerMigrations, ...ledgerMigrations].filter(
    (m) => !((m.module === 'router' || m.module === 'ledger') && m.version > 2),
  );
  const db = openDatabase(file, old);
  const step = Math.floor((60 * DAY) / n);
  const t0 = now - 60 * DAY;
  db.transaction(() => {
    db.prepare(
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ? - 1)
       INSERT INTO router_decisions (id, created_at, route, strategy, level, score, task_type, sensitive, categories, reason_codes, reasons,
         forced, local_model, input_tokens, output_tokens, local_usd, cloud_usd, saving_usd, confidence, agent_id, features)
       SELECT printf('d%09d', i), ? + i * ?, CASE WHEN i % 5 = 0 THEN 'cloud' WHEN i % 7 = 0 THEN 'local_required' ELSE 'local' END,
         CASE i % 3 WHEN 0 THEN 'balanced' WHEN 1 THEN 'cost_optimized' ELSE 'privacy_first' END,
         CASE WHEN i % 5 = 0 THEN 'high' WHEN i % 2 = 0 THEN 'medium' ELSE 'low' END, (i % 100) / 100.0, 'qa',
         CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END,
         CASE WHEN i % 7 = 0 THEN '["credential","email"]' ELSE '[]' END,
         CASE WHEN i % 5 = 0 THEN '["complexity_high"]' WHEN i % 7 = 0 THEN '["sensitive"]' ELSE '["complexity_low","latency_local_faster"]' END,
         '["complexity 0.31 is within what the local model does well"]', CASE WHEN i % 97 = 0 THEN 1 ELSE 0 END, 'qwen-0.5b',
         300, 200, 0.0005, 0.004, CASE WHEN i % 5 = 0 THEN 0 ELSE 0.0035 END, 0.9, 'agent-' || (i % 4), zeroblob(512)
       FROM s`,
    ).run(n, t0, step);
    db.prepare(
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ? - 1)
       INSERT INTO ledger_decisions (decision_id, ts, route, strategy, complexity_level, complexity_score, sensitive, privacy_categories, reasons,
         est_input_tokens, est_output_tokens, latency_ms, agent_id, forced)
       SELECT printf('d%09d', i), ? + i * ?, CASE WHEN i % 5 = 0 THEN 'cloud' ELSE 'local' END, 'balanced', 'low', 0.3,
         CASE WHEN i % 7 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 7 = 0 THEN '["credential"]' ELSE '[]' END, '["complexity_low"]', 300, 200, 0.4,
         'agent-' || (i % 4), 0
       FROM s`,
    ).run(n, t0, step);
    db.prepare(
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ? - 1)
       INSERT INTO ledger_completions (ts, model, backend, prompt_tokens, completion_tokens, token_count_method, latency_ms, ttft_ms,
         tokens_per_second, overhead_in, overhead_out, strategy, route, agent_id, decision_id, ok, error, overhead_token_method)
       SELECT ? + i * ?, CASE WHEN i % 3 = 0 THEN 'llama-small' ELSE 'qwen-0.5b' END, CASE WHEN i % 3 = 0 THEN 'openai-http' ELSE 'gguf' END,
         200 + i % 500, 100 + i % 300, 'tokenizer', 50 + i % 4000, 10 + i % 90, 20 + i % 40, 120 + i % 300, 40, 'balanced', 'local',
         'agent-' || (i % 4), printf('d%09d', i), CASE WHEN i % 50 = 0 THEN 0 ELSE 1 END, NULL, 'estimate:chars/4'
       FROM s`,
    ).run(n, t0, step);
  })();
  db.close();
}

/** The previous `ruvllm://stats` read of the router and ledger, verbatim (src/engine/router/router.ts and ledger.ts before the counters). */
function previousStats(db, now) {
  const group = (sql) =>
    Object.fromEntries(
      db
        .prepare(sql)
        .all()
        .map((r) => [r.k, r.n]),
    );
  const totals = db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(sensitive),0) AS s, coalesce(sum(forced),0) AS f, coalesce(sum(saving_usd),0) AS saving,
              coalesce(sum(CASE WHEN forced = 1 AND sensitive = 1 AND route = 'cloud' THEN 1 ELSE 0 END),0) AS fcs
       FROM router_decisions`,
    )
    .get();
  const outcomes = db
    .prepare(
      `SELECT d.route AS route, count(*) AS n, sum(o.success) AS ok, avg(o.quality) AS q FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id GROUP BY d.route`,
    )
    .all();
  const routing = {
    totals,
    outcomes,
    byRoute: group('SELECT route AS k, count(*) AS n FROM router_decisions GROUP BY route'),
    byReason: group(
      'SELECT j.value AS k, count(*) AS n FROM router_decisions, json_each(router_decisions.reason_codes) j GROUP BY j.value',
    ),
    byComplexity: group('SELECT level AS k, count(*) AS n FROM router_decisions GROUP BY level'),
    byStrategy: group('SELECT strategy AS k, count(*) AS n FROM router_decisions GROUP BY strategy'),
    privacyCatches: group(
      'SELECT j.value AS k, count(*) AS n FROM router_decisions, json_each(router_decisions.categories) j GROUP BY j.value',
    ),
    observations: db.prepare('SELECT count(*) AS n FROM router_observations').get().n,
  };
  // Ledger.backendStats({ period: 'week' }) before: every completion of the week, grouped and sorted in JS
  const rows = db
    .prepare('SELECT backend, model, ok, latency_ms, ttft_ms, tokens_per_second FROM ledger_completions WHERE ts >= ? AND ts < ?')
    .raw()
    .all(now - 7 * DAY, now + 1);
  const groups = new Map();
  for (const [backend, model, ok, l, t, tps] of rows) {
    const key = `${backend}\u0000${model}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { backend, model, calls: 0, errors: 0, lat: [], ttft: [], tps: [] }));
    g.calls++;
    if (!ok) {
      g.errors++;
      continue;
    }
    g.lat.push(l);
    if (t !== null) g.ttft.push(t);
    if (tps > 0) g.tps.push(tps);
  }
  const sorted = (v) => Array.from(Float64Array.from(v).sort());
  const backends = [...groups.values()].map((g) => {
    const lat = sorted(g.lat);
    return {
      backend: g.backend,
      model: g.model,
      calls: g.calls,
      errors: g.errors,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      ttft: percentile(sorted(g.ttft), 50),
      tps: percentile(sorted(g.tps), 50),
    };
  });
  return JSON.stringify({ routing, backends });
}

async function timeReads(fn, n, before = null) {
  const t = [];
  const c = [];
  for (let i = 0; i < n; i++) {
    if (before) await before();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    c.push((d.user + d.system) / 1000);
  }
  return {
    n,
    p50: round(percentile(t, 50), 3),
    p99: round(percentile(t, 99), 3),
    max: round(Math.max(...t), 3),
    cpuP50: round(percentile(c, 50), 3),
    cpuP99: round(percentile(c, 99), 3),
  };
}

async function timeAsync(fn, n, warm = 20) {
  for (let i = 0; i < warm; i++) await fn();
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return { n, p50: round(percentile(t, 50), 3), p99: round(percentile(t, 99), 3), max: round(Math.max(...t), 3) };
}

export async function run({ quick }) {
  const n = quick ? 100_000 : 1_000_000;
  const dir = tempDir('ruvllm-bench-stats-');
  try {
    const now = Date.now();
    let t = performance.now();
    fill(join(dir, 'ruvllm-mcp.db'), n, now);
    const fillS = (performance.now() - t) / 1000;

    // the engine upgrades the database (seeding the counters once) and serves stats from them
    t = performance.now();
    const engine = new Engine({ dataDir: dir, scanDefaultDirs: false, servers: [], ledgerRetentionDays: 0 });
    const upgradeMs = performance.now() - t;
    const loadBefore = os.loadavg()[0];
    const s = await engine.stats();
    if (s.routing.decisions !== n) throw new Error(`counters say ${s.routing.decisions} decisions, the table holds ${n}`);
    const ours = await timeReads(async () => JSON.stringify(await engine.stats()), quick ? 300 : 1000);
    // the same read right after a completion (as a subscribed client's update is): the backend percentiles are recomputed
    let k = 0;
    const entry = () => ({
      model: 'qwen-0.5b',
      backend: 'gguf',
      promptTokens: 300,
      completionTokens: 120,
      tokenCountMethod: 'tokenizer',
      latencyMs: 900 + (k++ % 500),
      ttftMs: 40,
      tokensPerSecond: 30,
      overheadTokensIn: 150,
      overheadTokensOut: 60,
      ok: true,
    });
    const afterWrite = await timeReads(
      async () => JSON.stringify(await engine.stats()),
      quick ? 300 : 1000,
      () => engine.internalsForTests().ledger.recordCompletion(entry()),
    );
    const plan = engine
      .internalsForTests()
      .db.prepare('EXPLAIN QUERY PLAN SELECT latency_ms FROM ledger_completions WHERE ok = 1 AND backend = ? ORDER BY id DESC LIMIT ?')
      .all('gguf', 200)
      .map((r) => r.detail)
      .join('; ');
    if (!/USING INDEX ledger_completions_backend_recent/.test(plan))
      throw new Error(`recentLatencyP50 does not read by its index: ${plan}`);
    const previous = await timeReads(() => previousStats(engine.internalsForTests().db, now), quick ? 5 : 3);
    const loadAfter = os.loadavg()[0];
    await engine.close();

    // through MCP, on the same data directory
    const srv = await connectStdio(serverPath, [
      '--data-dir',
      dir,
      '--no-scan-default-dirs',
      '--servers',
      'http://127.0.0.1:9',
      '--ledger-retention-days',
      '0',
      '--log-level',
      'warning',
    ]);
    let mcp;
    let ping;
    let models;
    try {
      const first = JSON.parse((await srv.client.readResource({ uri: 'ruvllm://stats' })).contents[0].text);
      if (first.routing.decisions !== n) throw new Error(`the server's stats say ${first.routing.decisions} decisions, expected ${n}`);
      // let start-up settle (pattern bank open, model discovery) so it is not timed as part of the reads
      for (let i = 0; i < 100; i++) {
        const st = JSON.parse((await srv.client.readResource({ uri: 'ruvllm://stats' })).contents[0].text);
        if (st.patterns?.ready !== false) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 2000));
      mcp = await timeAsync(() => srv.client.readResource({ uri: 'ruvllm://stats' }), quick ? 300 : 1000);
      ping = await timeAsync(() => srv.client.ping(), quick ? 300 : 1000);
      models = await timeAsync(() => srv.client.readResource({ uri: 'ruvllm://models' }), quick ? 300 : 1000);
    } finally {
      await srv.close();
    }

    const figures = {
      decisions: n,
      completions: n,
      fillSeconds: round(fillS, 1),
      upgradeSeedMs: round(upgradeMs, 0),
      statsRead: { ours, afterWrite, previous, speedupP50: round(previous.p50 / ours.p50, 0) },
      mcpReadResource: { stats: mcp, ping, models },
      loadAverage1m: [round(loadBefore, 2), round(loadAfter, 2)],
      cores: os.cpus().length,
    };
    const kn = `${n / 1000}k`;
    return {
      name: 'stats',
      figures,
      table: [
        [
          `stats read p50 ms, ${kn} decisions (Engine.stats + JSON)`,
          ours.p50,
          previous.p50,
          round(ours.p50 / previous.p50, 5),
          'baseline = previous path, same db',
        ],
        [`stats read p99 ms, ${kn} decisions`, ours.p99, previous.p99, round(ours.p99 / previous.p99, 5), '<= 5 ms'],
        [
          `stats read CPU-time p99 ms, ${kn} decisions`,
          ours.cpuP99,
          previous.cpuP99,
          null,
          `load avg ${round(loadBefore, 1)} on ${os.cpus().length} cores`,
        ],
        [
          `stats read p50 / p99 ms right after a completion (percentiles recomputed)`,
          `${afterWrite.p50} / ${afterWrite.p99}`,
          `${previous.p50} / ${previous.p99}`,
          null,
          `CPU p99 ${afterWrite.cpuP99} ms`,
        ],
        [`ruvllm://stats via MCP stdio p50 ms, ${kn} decisions`, mcp.p50, ping.p50, round(mcp.p50 / ping.p50, 2), 'baseline = MCP ping'],
        [`ruvllm://stats via MCP stdio p99 ms, ${kn} decisions`, mcp.p99, ping.p99, round(mcp.p99 / ping.p99, 2), '<= 5 ms'],
        [
          `ruvllm://stats via MCP p50 / p99 ms vs ruvllm://models (no history)`,
          `${mcp.p50} / ${mcp.p99}`,
          `${models.p50} / ${models.p99}`,
          round(mcp.p50 / models.p50, 2),
          '',
        ],
        [
          `one-time upgrade (counter seed, decision tables merged), ${kn} decisions (ms)`,
          round(upgradeMs, 0),
          null,
          null,
          'at the first start after the upgrade',
        ],
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
