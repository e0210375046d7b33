// store_trm_pattern through MCP over stdio with several server processes on one data directory (what several Claude
// Code sessions on one machine do): total stores/s of three processes against one process, in the same run, each
// process with the same calls in flight for the same time, each on a fresh data directory. Also the failed calls
// (each one a store the user lost before the fix: "database is locked") and the call latency percentiles.
import { rmSync } from 'node:fs';
import { connectStdio, percentile, round, serverPath, tempDir } from './_util.mjs';

const WORDS =
  'parse render compile index migrate cache shard route queue retry backoff schema lexer token buffer stream socket invoice ledger report export import sort merge dedupe'.split(
    ' ',
  );

async function storesFor(processes, seconds, inflight) {
  const dir = tempDir('ruvllm-bench-multi-');
  const servers = await Promise.all(
    Array.from({ length: processes }, () =>
      connectStdio(serverPath, ['--data-dir', dir, '--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9', '--log-level', 'error']),
    ),
  );
  try {
    for (const s of servers) await s.client.callTool({ name: 'find_similar_patterns', arguments: { query: 'warm up' } }); // banks open
    let ok = 0;
    let errors = 0;
    let firstError = null;
    const lat = [];
    const deadline = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      servers.flatMap((s, p) =>
        Array.from({ length: inflight }, async (_, w) => {
          let seed = p * 7919 + w * 104729 + 1;
          const word = () => WORDS[(seed = (seed * 1103515245 + 12345) % 2147483648) % WORDS.length];
          for (let i = 0; performance.now() < deadline; i++) {
            const task = `p${p} w${w} i${i}: ${Array.from({ length: 8 }, word).join(' ')}`;
            const t = performance.now();
            const r = await s.client.callTool(
              { name: 'store_trm_pattern', arguments: { task, approach: `${word()} then ${word()} ${i}`, quality: 0.6 } },
              undefined,
              { timeout: 120_000 },
            );
            lat.push(performance.now() - t);
            if (r.isError) {
              errors++;
              firstError ??= r.content?.[0]?.text ?? null;
            } else ok++;
          }
        }),
      ),
    );
    const secs = (performance.now() - t0) / 1000;
    return {
      perSecond: round(ok / secs, 0),
      ok,
      errors,
      firstError,
      p50Ms: round(percentile(lat, 50), 1),
      p99Ms: round(percentile(lat, 99), 1),
    };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ quick } = {}) {
  const seconds = quick ? 8 : 30;
  const inflight = 16;
  const one = await storesFor(1, seconds, inflight);
  const three = await storesFor(3, seconds, inflight);
  return {
    name: 'stores-multi',
    figures: { seconds, inflightPerProcess: inflight, one, three },
    table: [
      [
        `store_trm_pattern stores/s, 3 processes on one data dir (${inflight} in flight each, ${seconds} s)`,
        three.perSecond,
        one.perSecond,
        round(three.perSecond / one.perSecond, 2),
        'baseline: 1 process, same run',
      ],
      ['failed stores, 3 processes / 1 process', `${three.errors} / ${one.errors}`, null, null, '0'],
      [
        'store latency p50 / p99 ms, 3 processes',
        `${three.p50Ms} / ${three.p99Ms}`,
        `${one.p50Ms} / ${one.p99Ms}`,
        null,
        'info; baseline: 1 process',
      ],
    ],
  };
}
