// Through MCP over stdio, against a spawned `node dist/cli.js`:
// - route_task round trip on an 8 KB prompt vs a trivial tools/call on the same server
//   (a call the input schema rejects: the whole tools/call path, no engine work) and ping;
//   for the 8 KB prompt also against the same rejected call carrying the same 8 KB (what moving
//   the prompt through JSON-RPC over stdio costs by itself).
// store_trm_pattern throughput through MCP is in bench/stores-mcp.mjs.
import { connectStdio, median, percentile, round, serverPath, tempDir } from './_util.mjs';

function prompt8k(i) {
  const base = `Refactor module ${i}: the payment service retries failed charges but double-bills when the gateway times out. `;
  let s = '';
  while (s.length < 8192) s += base + `Step ${s.length}: check idempotency keys, log the request id, and keep the retry budget. `;
  return s.slice(0, 8192);
}

const SHORT_TASKS = [
  'Summarize the attached release notes in three bullet points.',
  'Rename the variable userList to users across this file and keep behaviour the same.',
  'Design a sharded, multi-region event store with exactly-once delivery and explain the failure modes.',
  'Extract every date in this paragraph and return them as ISO 8601 strings.',
  'My API key is sk_live_51Hx8aQ2Lk9TmZpR4vYc3NwE7 - why does the charge request fail?',
];

export async function run({ quick }) {
  const dir = tempDir();
  const s = await connectStdio(serverPath, [
    '--data-dir',
    dir,
    '--no-scan-default-dirs',
    '--servers',
    'http://127.0.0.1:9',
    '--log-level',
    'warning',
  ]);
  const { client } = s;
  const n = quick ? 200 : 1000;
  await client.callTool({ name: 'cost_report', arguments: { period: 'all' } }); // engine ready
  await client.callTool({ name: 'find_similar_patterns', arguments: { query: 'warm up' } }); // pattern bank ready
  // What is measured must be what it says: routes succeed, the baselines are rejected before any engine work.
  if ((await client.callTool({ name: 'route_task', arguments: { task: prompt8k(0) } })).isError)
    throw new Error('route_task failed in the benchmark');
  if (!(await client.callTool({ name: 'cost_report', arguments: { period: 'not-a-period' } })).isError)
    throw new Error('the trivial call was not rejected');
  if (!(await client.callTool({ name: 'route_task', arguments: { task: prompt8k(0), strategy: 'not-a-strategy' } })).isError)
    throw new Error('the 8 KB trivial call was not rejected');
  // Interleave them so machine noise hits them alike.
  const route = [];
  const routeShort = [];
  const trivial = [];
  const trivial8k = [];
  const ping = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await client.callTool({ name: 'route_task', arguments: { task: prompt8k(i) } });
    route.push(performance.now() - t);
    t = performance.now();
    await client.callTool({ name: 'route_task', arguments: { task: SHORT_TASKS[i % SHORT_TASKS.length] } });
    routeShort.push(performance.now() - t);
    t = performance.now();
    await client.callTool({ name: 'cost_report', arguments: { period: 'not-a-period' } });
    trivial.push(performance.now() - t);
    t = performance.now();
    await client.callTool({ name: 'route_task', arguments: { task: prompt8k(i), strategy: 'not-a-strategy' } });
    trivial8k.push(performance.now() - t);
    t = performance.now();
    await client.ping();
    ping.push(performance.now() - t);
  }

  await s.close();

  const figures = {
    routeTask8kRoundTripMs: { p50: round(median(route), 3), p99: round(percentile(route, 99), 3) },
    trivialToolCallMs: { p50: round(median(trivial), 3), p99: round(percentile(trivial, 99), 3) },
    trivial8kToolCallMs: { p50: round(median(trivial8k), 3), p99: round(percentile(trivial8k, 99), 3) },
    routeVsTrivial8kP50: round(median(route) / median(trivial8k), 2),
    pingMs: { p50: round(median(ping), 3) },
    routeVsTrivialP50: round(median(route) / median(trivial), 2),
    routeTaskShortRoundTripMs: { p50: round(median(routeShort), 3), p99: round(percentile(routeShort, 99), 3) },
    routeShortVsTrivialP50: round(median(routeShort) / median(trivial), 2),
    calls: n,
  };
  return {
    name: 'mcp',
    figures,
    table: [
      [
        'route_task typical task (<300 chars) round trip p50 (ms)',
        figures.routeTaskShortRoundTripMs.p50,
        figures.trivialToolCallMs.p50,
        figures.routeShortVsTrivialP50,
        '<= 1.5x trivial tool',
      ],
      [
        'route_task 8 KB round trip p50 (ms)',
        figures.routeTask8kRoundTripMs.p50,
        figures.trivialToolCallMs.p50,
        figures.routeVsTrivialP50,
        '<= 1.5x trivial tool',
      ],
      [
        'route_task 8 KB round trip p50 vs the rejected call carrying 8 KB (ms)',
        figures.routeTask8kRoundTripMs.p50,
        figures.trivial8kToolCallMs.p50,
        figures.routeVsTrivial8kP50,
        '',
      ],
      [
        'route_task 8 KB round trip p99 (ms)',
        figures.routeTask8kRoundTripMs.p99,
        figures.trivialToolCallMs.p99,
        round(figures.routeTask8kRoundTripMs.p99 / figures.trivialToolCallMs.p99, 2),
        '',
      ],
      ['ping p50 (ms)', figures.pingMs.p50, null, null, ''],
    ],
  };
}
