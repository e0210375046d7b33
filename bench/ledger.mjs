// Cost ledger: write throughput, report/stats latency on a filled ledger, HTML render, and the
// economics of delegation on the default host model. Baselines are bare better-sqlite3 statements
// doing the least the same work needs, measured in the same run on the same database.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { median, round, tempDir } from './_util.mjs';
import { openDatabase } from '../dist/engine/store/db.js';
import { Ledger, migrations } from '../dist/engine/ledger/ledger.js';
import { SqliteLedgerRepo } from '../dist/engine/store/sqlite/ledger.js';
import { migrations as routerMigrations } from '../dist/engine/router/router.js';
import { loadPriceTable } from '../dist/engine/ledger/prices.js';
import { renderHtmlReport } from '../dist/engine/ledger/html.js';
import { payloadTokens } from '../dist/tools/util.js';
import { estimateTokens } from '../dist/engine/tokens.js';
import { TASKS } from './_tasks.mjs';

/**
 * Five realistic tasks (bench/_tasks.mjs), each delegated both ways, counted the way local_complete counts them
 * (payloadTokens of the arguments and of the result, chars/4) and priced by Ledger.estimateDelegation on the default
 * host model: by value the host reads the material and writes it into the call; by reference it writes the paths.
 */
function delegatedTasks(ledger) {
  return TASKS.map((t) => {
    const answerTokens = estimateTokens(t.answer);
    const materialTokens = estimateTokens(t.material);
    const result = {
      text: t.answer,
      model: 'gguf:qwen2.5-1.5b-instruct-q4_k_m',
      backend: 'gguf',
      promptTokens: materialTokens + 40,
      completionTokens: answerTokens,
      tokenCountMethod: 'tokenizer',
      latencyMs: 18234.5,
      ttftMs: 2210.4,
      tokensPerSecond: 21.4,
      finishReason: 'stop',
    };
    const resultTokens = payloadTokens(result);
    const byValue = ledger.estimateDelegation({
      mode: 'value',
      materialTokens,
      argsTokens: payloadTokens({ prompt: `${t.instruction}\n\n${t.material}` }),
      resultTokens,
      answerTokens,
    });
    const byReference = ledger.estimateDelegation({
      mode: 'reference',
      materialTokens,
      argsTokens: payloadTokens({ prompt: t.instruction, files: t.files }),
      resultTokens,
      answerTokens,
    });
    return {
      task: t.name,
      materialKB: round(t.material.length / 1024, 1),
      materialTokens,
      answerTokens,
      resultTokens,
      self: byValue.self,
      byValue,
      byReference,
    };
  });
}

async function timeIt(fn, reps) {
  const t = [];
  for (let i = 0; i < reps; i++) {
    const a = performance.now();
    const r = fn();
    if (r && typeof r.then === 'function') await r; // the reports are async; sync reads are timed without a microtask
    t.push(performance.now() - a);
  }
  return median(t);
}

export async function run({ quick }) {
  const nWrites = quick ? 2_000 : 10_000;
  const nRows = quick ? 20_000 : 100_000;
  const reps = quick ? 5 : 15;
  const dir = tempDir('ruvllm-bench-ledger-');
  try {
    const prices = loadPriceTable();
    let now = Date.parse('2026-01-01T00:00:00Z');
    // decisions live in the router's table (the one decision record)
    const db = openDatabase(join(dir, 'ledger.db'), [...migrations, ...routerMigrations]);
    const ledger = new Ledger({ repo: new SqliteLedgerRepo(db), prices, now: () => now, localCost: { usdPerHour: 0.1 } });
    const entry = (i) => ({
      model: `m${i % 3}`,
      backend: i % 2 ? 'gguf' : 'openai-http',
      promptTokens: 200 + (i % 500),
      completionTokens: 100 + (i % 300),
      tokenCountMethod: 'tokenizer',
      latencyMs: 50 + (i % 4000),
      ttftMs: 10 + (i % 90),
      tokensPerSecond: 20 + (i % 40),
      overheadTokensIn: 120 + (i % 300),
      overheadTokensOut: 40,
      route: i % 5 ? 'local' : 'local_required',
      strategy: 'balanced',
      agentId: `agent-${i % 4}`,
      ok: i % 50 !== 0,
    });

    // 1. writes, one autocommit transaction each (as in service), vs a bare prepared INSERT
    const bare = new Database(join(dir, 'bare.db'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = NORMAL');
    bare.exec(migrations[0].up);
    const ins = bare.prepare(
      `INSERT INTO ledger_completions (ts, model, backend, prompt_tokens, completion_tokens, token_count_method, latency_ms, ttft_ms,
        tokens_per_second, overhead_in, overhead_out, strategy, route, agent_id, decision_id, ok, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let t = performance.now();
    for (let i = 0; i < nWrites; i++) {
      const e = entry(i);
      ins.run(
        now + i,
        e.model,
        e.backend,
        e.promptTokens,
        e.completionTokens,
        e.tokenCountMethod,
        e.latencyMs,
        e.ttftMs,
        e.tokensPerSecond,
        e.overheadTokensIn,
        e.overheadTokensOut,
        e.strategy,
        e.route,
        e.agentId,
        null,
        e.ok ? 1 : 0,
        null,
      );
    }
    const bareWritesPerS = nWrites / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < nWrites; i++) {
      now += 1000;
      await ledger.recordCompletion(entry(i));
    }
    const writesPerS = nWrites / ((performance.now() - t) / 1000);

    // 2. fill to nRows (in one transaction: setup, not measured; each write a savepoint in it), spread over ~60 days
    db.exec('BEGIN IMMEDIATE');
    {
      for (let i = nWrites; i < nRows; i++) {
        now += Math.round((60 * 86_400_000) / nRows);
        await ledger.recordCompletion(entry(i));
        if (i % 3 === 0) {
          await ledger.recordDecision({
            decisionId: `d${i}`,
            route: i % 2 ? 'local' : 'cloud',
            strategy: 'balanced',
            complexityLevel: 'low',
            complexityScore: 0.2,
            sensitive: i % 7 === 0,
            privacyCategories: i % 7 === 0 ? ['email'] : [],
            reasons: ['simple task'],
            estimatedInputTokens: 300,
            estimatedOutputTokens: 200,
            latencyMs: 1,
            forced: false,
          });
        }
      }
    }
    db.exec('COMMIT');

    const reportMs = await timeIt(() => ledger.report({ period: 'all', groupBy: 'model' }), reps);
    const reportMonthMs = await timeIt(() => ledger.report({ period: 'month', groupBy: 'day' }), reps);
    const bareAgg = db.prepare(
      `SELECT model, COUNT(*), SUM(ok), SUM(CASE WHEN ok = 1 THEN prompt_tokens ELSE 0 END), SUM(CASE WHEN ok = 1 THEN completion_tokens ELSE 0 END),
        SUM(overhead_in), SUM(overhead_out), SUM(latency_ms) FROM ledger_completions GROUP BY model`,
    );
    const bareAggMs = await timeIt(() => bareAgg.all(), reps);
    const statsMs = await timeIt(() => ledger.backendStats(), reps);
    // baseline: just reading the same columns as raw arrays (no grouping, no sorting, no percentiles)
    const bareScan = db.prepare('SELECT backend, model, ok, latency_ms, ttft_ms, tokens_per_second FROM ledger_completions').raw();
    const bareScanMs = await timeIt(() => bareScan.all(), reps);
    const recentMs = await timeIt(() => ledger.recentLatencyP50('gguf'), reps * 10);
    const tsMs = await timeIt(() => ledger.timeseries({ period: 'all' }), reps);
    const estimateUs = await timeIt(() => {
      for (let i = 0; i < 1000; i++) ledger.estimate(1000 + i, 300);
    }, reps);
    let html = '';
    const renderMs = await timeIt(
      async () => {
        html = renderHtmlReport(await ledger.reportData({ period: 'all' }));
      },
      quick ? 3 : 5,
    );

    // 3. economics of one delegated call on the default host model (no local cost), from estimate()
    const econ = new Ledger({ repo: new SqliteLedgerRepo(db), prices });
    const lean = new Ledger({ repo: new SqliteLedgerRepo(db), prices, estimateOverhead: { argsFraction: 0 } });
    const scenario = (l, i, o) => {
      const e = l.estimate(i, o);
      return { cloudUsd: e.cloudUsd, delegatedUsd: e.localUsd, netUsd: round(e.cloudUsd - e.localUsd, 6) };
    };
    const tasks = delegatedTasks(econ);
    const failed = tasks.filter((t) => !(t.byReference.netUsd > 0));
    if (failed.length) throw new Error(`by-reference delegation does not save on: ${failed.map((t) => t.task).join(', ')}`);
    const economics = {
      hostModel: prices.hostModel,
      tasks,
      pastedText2000to200: scenario(econ, 2000, 200),
      fileReadByTool2000to200: scenario(lean, 2000, 200),
      generate100to1500: scenario(econ, 100, 1500),
    };
    db.close();
    bare.close();

    const figures = {
      rows: nRows,
      writesPerSecond: { ours: round(writesPerS, 0), bareInsert: round(bareWritesPerS, 0), ratio: round(writesPerS / bareWritesPerS, 2) },
      reportAllByModelMs: { ours: round(reportMs, 2), bareAggregate: round(bareAggMs, 2), ratio: round(reportMs / bareAggMs, 2) },
      reportMonthByDayMs: round(reportMonthMs, 2),
      backendStatsMs: { ours: round(statsMs, 2), bareScan: round(bareScanMs, 2), ratio: round(statsMs / bareScanMs, 2) },
      recentLatencyP50Ms: round(recentMs, 3),
      timeseriesMs: round(tsMs, 2),
      estimateUs: round((estimateUs * 1000) / 1000, 2),
      htmlRender: { ms: round(renderMs, 1), bytes: html.length },
      economics,
    };
    return {
      name: 'ledger',
      figures,
      table: [
        [
          'recordCompletion per second',
          figures.writesPerSecond.ours,
          figures.writesPerSecond.bareInsert,
          figures.writesPerSecond.ratio,
          '>= 1,000/s',
        ],
        [
          `report all by model, ${nRows} rows (ms)`,
          figures.reportAllByModelMs.ours,
          figures.reportAllByModelMs.bareAggregate,
          figures.reportAllByModelMs.ratio,
          '< 250 ms',
        ],
        [
          `backendStats, ${nRows} rows (ms)`,
          figures.backendStatsMs.ours,
          figures.backendStatsMs.bareScan,
          figures.backendStatsMs.ratio,
          '',
        ],
        [
          'recentLatencyP50(backend), last 200 (ms)',
          figures.recentLatencyP50Ms,
          figures.backendStatsMs.ours,
          round(recentMs / statsMs, 4),
          'use per routing decision',
        ],
        ['report month by day (ms)', figures.reportMonthByDayMs, '', '', ''],
        ['timeseries all (ms)', figures.timeseriesMs, '', '', ''],
        ['estimate() (us/call)', figures.estimateUs, '', '', ''],
        ['HTML report render (ms / KB)', `${figures.htmlRender.ms} / ${Math.round(html.length / 1024)}`, '', '', ''],
        [
          `net USD/call, pasted 2000->200 tok (${prices.hostModel})`,
          economics.pastedText2000to200.netUsd,
          economics.pastedText2000to200.cloudUsd,
          '',
          'cloud cost as baseline',
        ],
        [
          'net USD/call, tool reads file 2000->200 tok',
          economics.fileReadByTool2000to200.netUsd,
          economics.fileReadByTool2000to200.cloudUsd,
          '',
          '',
        ],
        ['net USD/call, generate 100->1500 tok', economics.generate100to1500.netUsd, economics.generate100to1500.cloudUsd, '', ''],
        ...tasks.flatMap((t) => [
          [
            `${t.task} (${t.materialKB} KB): net USD/call by reference (baseline: by value)`,
            t.byReference.netUsd,
            t.byValue.netUsd,
            '',
            '> 0 by reference',
          ],
          [
            `  host tokens in/out: itself; by value; by reference`,
            `${t.self.inputTokens}/${t.self.outputTokens}; ${t.byValue.delegated.inputTokens}/${t.byValue.delegated.outputTokens}; ${t.byReference.delegated.inputTokens}/${t.byReference.delegated.outputTokens}`,
            '',
            '',
            '',
          ],
        ]),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
