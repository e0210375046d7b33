// A pool of OpenAI-compatible endpoints against one endpoint under the same concurrent load, in the
// same run: aggregate tokens/s and p95 latency of ModelManager.complete. Each endpoint is a process
// running dist/devtools/openai-gguf-server.js (a generated GGUF through node-llama-cpp, threads=1,
// 2 sequences), so a real model sits behind the real protocol. Then one endpoint of the pool is
// killed (SIGKILL) mid-run while calls stream from it: failed calls that had not started streaming
// (target 0) and failed calls that had (these are never replayed).
// On a 2-core machine three llama.cpp endpoints share two cores: the pool cannot reach 3x.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { percentile, round, root, tempDir } from './_util.mjs';
import { writeBenchModel } from './models.mjs';
import { openDatabase } from '../dist/engine/store/db.js';
import { ModelManager, migrations } from '../dist/engine/models/index.js';
import { SqliteModelsRepo } from '../dist/engine/store/sqlite/models.js';

const SERVER = join(root, 'dist', 'devtools', 'openai-gguf-server.js');
const NAME = 'bench-pool';

async function spawnEndpoint(model, port = 0) {
  const proc = spawn(
    process.execPath,
    [SERVER, '--model', model, '--name', NAME, '--port', String(port), '--threads', '1', '--parallel', '2'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUVLLM_MCP_LOG_LEVEL: 'warn' },
    },
  );
  let err = '';
  proc.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
  const exited = new Promise((r) => proc.once('exit', r));
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout }).once('line', resolve);
    proc.once('exit', (c) => reject(new Error(`endpoint exited (${c}): ${err}`)));
  });
  const { url } = JSON.parse(line);
  return {
    url,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

function manager(dir, servers, defaultModel) {
  return new ModelManager({
    repo: new SqliteModelsRepo(openDatabase(join(dir, `bench-${servers.length}-${Math.random().toString(36).slice(2)}.db`), migrations)),
    modelsDir: join(dir, 'none'),
    modelDirs: [],
    scanDefaultDirs: false,
    defaultModel,
    servers,
    threads: 1,
    gpu: false,
    contextSize: 512,
    parallel: 2,
    queueLimit: 1000,
    timeoutMs: 300_000,
    allowAnyPath: false,
    enableRuvllm: false,
    pool: { healthIntervalMs: 500, cooldownMs: 1000 },
  });
}

/** `concurrency` workers, `calls` calls in all; every call records its latency, tokens, whether it streamed and how it ended. */
async function load(mm, { concurrency, calls, maxTokens, onProgress }) {
  const rows = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async (w) => {
    while (next < calls) {
      const i = next++;
      let streamed = 0;
      const s = performance.now();
      try {
        const r = await mm.complete({
          prompt: `Worker ${w} call ${i}: write a short note about local models.`,
          maxTokens,
          temperature: 0,
          onToken: (ev) => ev.chunk && streamed++,
        });
        rows.push({ ok: true, ms: performance.now() - s, tokens: r.completionTokens, streamed });
      } catch (e) {
        rows.push({
          ok: false,
          ms: performance.now() - s,
          tokens: 0,
          streamed,
          kind: e?.kind ?? 'unknown',
          error: String(e?.message ?? e),
        });
      }
      onProgress?.(rows.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const wallMs = performance.now() - t0;
  const ok = rows.filter((r) => r.ok);
  const tokens = ok.reduce((n, r) => n + r.tokens, 0);
  return {
    calls: rows.length,
    ok: ok.length,
    failed: rows.length - ok.length,
    failedBeforeStreaming: rows.filter((r) => !r.ok && r.streamed === 0).length,
    failedWhileStreaming: rows.filter((r) => !r.ok && r.streamed > 0).length,
    tokensPerSecond: round((tokens * 1000) / wallMs, 1),
    p50Ms: round(
      percentile(
        ok.map((r) => r.ms),
        50,
      ),
      1,
    ),
    p95Ms: round(
      percentile(
        ok.map((r) => r.ms),
        95,
      ),
      1,
    ),
    wallMs: round(wallMs, 0),
    errors: [...new Set(rows.filter((r) => !r.ok).map((r) => r.error.slice(0, 160)))].slice(0, 3),
  };
}

export async function run({ quick } = {}) {
  const calls = quick ? 24 : 90;
  const concurrency = 6;
  const maxTokens = quick ? 48 : 96;
  const dir = tempDir('ruvllm-bench-pool-');
  const model = writeBenchModel(join(dir, `${NAME}.gguf`), 21, NAME);
  const endpoints = await Promise.all([0, 1, 2].map(() => spawnEndpoint(model)));
  const figures = { cores: availableParallelism(), endpointThreads: 1, endpointSequences: 2, concurrency, calls, maxTokens };
  const table = [];
  const managers = [];
  try {
    const one = manager(dir, [endpoints[0].url], `openai:${new URL(endpoints[0].url).host}/${NAME}`);
    const pool = manager(
      dir,
      endpoints.map((e) => e.url),
      `pool:${NAME}`,
    );
    managers.push(one, pool);
    for (const mm of managers) {
      mm.start();
      await mm.ready();
      if (!mm.status().available) throw new Error(`bench model did not load: ${mm.status().unavailableReason}`);
      await load(mm, { concurrency, calls: concurrency, maxTokens }); // warm-up
    }
    // Same load, one after the other, twice in alternating order; the better of the two runs of each.
    const runs = { one: [], pool: [] };
    for (const order of [
      ['one', 'pool'],
      ['pool', 'one'],
    ])
      for (const k of order) runs[k].push(await load(k === 'one' ? one : pool, { concurrency, calls, maxTokens }));
    const best = (rs) => rs.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
    figures.oneEndpoint = best(runs.one);
    figures.pool3 = best(runs.pool);
    figures.allRuns = runs;
    table.push([
      'aggregate tokens/s, pool of 3 vs 1 endpoint',
      figures.pool3.tokensPerSecond,
      figures.oneEndpoint.tokensPerSecond,
      round(figures.pool3.tokensPerSecond / figures.oneEndpoint.tokensPerSecond, 2),
      '> 1 (2 cores: < 3)',
    ]);
    table.push([
      'p95 latency ms, pool of 3 vs 1 endpoint',
      figures.pool3.p95Ms,
      figures.oneEndpoint.p95Ms,
      round(figures.pool3.p95Ms / figures.oneEndpoint.p95Ms, 2),
      '< 1',
    ]);

    // One endpoint killed mid-run: once a third of the calls are done, at a moment a call streams from it.
    const victim = 1;
    let armed = false;
    let doneAtKill = 0;
    let done = 0;
    let killed = null;
    let streamingAtKill = 0;
    let inFlightAtKill = 0;
    const watch = setInterval(() => {
      if (killed || !armed) return;
      const st = pool.status().endpoints?.[victim];
      if (st && st.streaming >= 1) {
        doneAtKill = done;
        streamingAtKill = st.streaming;
        inFlightAtKill = st.inFlight;
        killed = endpoints[victim].kill();
      }
    }, 2);
    const fault = await load(pool, { concurrency, calls, maxTokens, onProgress: (n) => ((done = n), (armed ||= n >= calls / 3)) });
    clearInterval(watch);
    await killed;
    const after = pool.status().endpoints;
    figures.kill = {
      ...fault,
      callsDoneAtKill: doneAtKill,
      victimStreamingAtKill: streamingAtKill,
      victimInFlightAtKill: inFlightAtKill,
      victimState: after?.[victim],
    };
    table.push(['endpoint killed mid-run: failed calls that had not streamed', fault.failedBeforeStreaming, null, null, '0']);
    table.push([
      'endpoint killed mid-run: failed calls that were streaming from it (not replayed)',
      fault.failedWhileStreaming,
      null,
      null,
      `<= ${streamingAtKill} streaming at the kill`,
    ]);
    table.push(['endpoint killed mid-run: calls that succeeded', fault.ok, fault.calls, round(fault.ok / fault.calls, 3), '']);
  } finally {
    for (const mm of managers) await mm.close().catch(() => {});
    await Promise.all(endpoints.map((e) => e.kill()));
  }
  return { figures, table };
}
