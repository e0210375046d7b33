// Load over HTTP: 50 concurrent MCP clients (real SDK Client + StreamableHTTPClientTransport, one
// session each) against `node dist/cli.js --http --port 0`, each making N mixed route_task /
// find_similar_patterns calls (N = 1000 full, 60 quick). Zero errors required (a thrown call or an
// isError result is an error). Baseline in the same run, same server, same clients, same concurrency:
// MCP `ping` requests (transport + SDK cost with no engine work; at most 200 a client).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { percentile, round, serverPath, tempDir } from './_util.mjs';

const TASKS = [
  'Summarise this meeting transcript into five bullet points',
  'Refactor the parseConfig function to use zod validation',
  'Translate the release notes into German',
  'Write a SQL query that counts orders per customer per month',
  'Explain why this recursive Fibonacci implementation is slow',
  'Classify these support tickets by urgency',
  'My API key is sk-live-51Habc and my email is jane@example.com, fix the config',
  'Design a distributed rate limiter for a multi-region API gateway with strong consistency',
  'Extract all dates from the following contract text',
  'Prove that the sum of two even numbers is even',
  'Draft a polite reply declining the meeting invitation',
  'Find the bug: for (let i = 0; i <= arr.length; i++) total += arr[i]',
];

function rssKb(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(s)?.[1] ?? NaN);
}

export async function spawnHttp(extraArgs = []) {
  const dir = tempDir('ruvllm-load-');
  const child = spawn(
    process.execPath,
    [
      serverPath,
      '--http',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--no-scan-default-dirs',
      '--servers',
      'http://127.0.0.1:9',
      '--log-level',
      'notice',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const url = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not print its URL in 60 s:\n${err.slice(-2000)}`)), 60_000);
    child.stderr.on('data', (c) => {
      err = (err + c).slice(-100_000);
      const m = /"url":"(http:\/\/[^"]+\/mcp)"/.exec(err);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`server exited (${code}) before listening:\n${err.slice(-2000)}`));
    });
  });
  return {
    url,
    pid: child.pid,
    child,
    stdout: () => out,
    stderr: () => err,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 8000);
        await done;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function connect(url) {
  const client = new Client({ name: 'load', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Runs `clients` workers each doing `perClient` calls of `op(client, worker, i)`; returns latencies and errors. */
async function phase(clients, perClient, op) {
  const lat = [];
  const errors = [];
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c, w) => {
      for (let i = 0; i < perClient; i++) {
        const t = performance.now();
        try {
          const r = await op(c, w, i);
          if (r && r.isError) errors.push(String(r.content?.[0]?.text ?? 'isError').slice(0, 200));
        } catch (e) {
          errors.push(String(e?.message ?? e).slice(0, 200));
        }
        lat.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    calls: lat.length,
    errors: errors.length,
    firstErrors: [...new Set(errors)].slice(0, 5),
    p50Ms: round(percentile(lat, 50), 2),
    p99Ms: round(percentile(lat, 99), 2),
    maxMs: round(Math.max(...lat), 1),
    perSecond: round(lat.length / seconds, 0),
    seconds: round(seconds, 1),
  };
}

export async function run({ quick } = {}) {
  const nClients = 50;
  const perClient = quick ? 60 : 1000;
  const srv = await spawnHttp(['--max-sessions', String(nClients + 10)]);
  try {
    const clients = await Promise.all(Array.from({ length: nClients }, () => connect(srv.url)));
    // a pattern bank to search: 100 stored patterns
    for (let i = 0; i < 100; i++) {
      const r = await clients[0].callTool({
        name: 'store_trm_pattern',
        arguments: {
          task: `${TASKS[i % TASKS.length]} (variant ${i})`,
          approach: `approach ${i}: split, solve, check`,
          quality: (i % 10) / 10,
          tags: [`t${i % 7}`],
        },
      });
      if (r.isError) throw new Error(`seeding patterns failed: ${JSON.stringify(r.content).slice(0, 300)}`);
    }
    // warm-up (JIT, SQLite caches), not measured
    await phase(clients, 5, (c, w, i) => c.callTool({ name: 'route_task', arguments: { task: TASKS[(w + i) % TASKS.length] } }));
    const rssBefore = rssKb(srv.pid);

    // the baseline's percentiles settle long before 1,000 calls a client: keep the module under ~3 min
    const baselinePerClient = Math.min(perClient, 200);
    const baseline = await phase(clients, baselinePerClient, (c) => c.ping());
    const mixed = await phase(clients, perClient, (c, w, i) =>
      i % 2 === 0
        ? c.callTool({ name: 'route_task', arguments: { task: `${TASKS[(w * 7 + i) % TASKS.length]} #${w}-${i}`, agentId: `agent-${w}` } })
        : c.callTool({
            name: 'find_similar_patterns',
            arguments: { query: TASKS[(w + i) % TASKS.length], k: 5, ...(i % 3 === 0 ? { tags: [`t${i % 7}`] } : {}) },
          }),
    );
    const rssAfter = rssKb(srv.pid);
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    if (srv.stdout()) throw new Error(`the server wrote to stdout in HTTP mode: ${srv.stdout().slice(0, 200)}`);

    const figures = {
      clients: nClients,
      callsPerClient: perClient,
      baselineCallsPerClient: baselinePerClient,
      mixed,
      pingBaseline: baseline,
      serverRssKb: { beforeLoad: rssBefore, afterLoad: rssAfter },
      zeroErrors: mixed.errors === 0 && baseline.errors === 0,
    };
    return {
      name: 'load',
      figures,
      table: [
        [
          `${nClients}x${perClient} route_task/find_similar_patterns p50 (ms)`,
          mixed.p50Ms,
          baseline.p50Ms,
          round(mixed.p50Ms / baseline.p50Ms, 2),
          '',
        ],
        [`${nClients}x${perClient} mixed p99 (ms)`, mixed.p99Ms, baseline.p99Ms, round(mixed.p99Ms / baseline.p99Ms, 2), ''],
        ['mixed throughput (calls/s)', mixed.perSecond, baseline.perSecond, round(mixed.perSecond / baseline.perSecond, 2), ''],
        ['errors', mixed.errors, baseline.errors, '', '0'],
        ['server RSS after load (MB)', round(rssAfter / 1024, 1), round(rssBefore / 1024, 1), round(rssAfter / rssBefore, 2), ''],
      ],
    };
  } finally {
    await srv.close();
  }
}

// `node bench/load.mjs [--quick]` runs this module alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(r, null, 2));
  if (!r.figures.zeroErrors) process.exitCode = 1;
}
