// store_trm_pattern throughput through MCP over stdio, against a spawned `node dist/server.js`,
// with requests pipelined (32 in flight).
import { connectStdio, round, serverPath, tempDir } from './_util.mjs';

export async function run({ quick }) {
  const dir = tempDir();
  const s = await connectStdio(serverPath, ['--data-dir', dir, '--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9', '--log-level', 'warning']);
  const { client } = s;
  await client.callTool({ name: 'find_similar_patterns', arguments: { query: 'warm up' } }); // pattern bank ready
  const stores = quick ? 2000 : 10000;
  const inflight = 32;
  let next = 0;
  const t0 = performance.now();
  let errors = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < stores) {
        const i = next++;
        const r = await client.callTool({
          name: 'store_trm_pattern',
          arguments: {
            task: `Task ${i}: convert CSV export number ${i} of region ${i % 97} into a JSON report grouped by ${['month', 'team', 'product'][i % 3]}`,
            approach: `parse with a streaming reader, group by key ${i % 13}, emit sorted JSON`,
            quality: (i % 10) / 10,
            tags: [`t${i % 7}`],
          },
        });
        if (r.isError) errors++;
      }
    }),
  );
  const storeSec = (performance.now() - t0) / 1000;
  await s.close();
  const figures = { storesPerSecondThroughMcp: round(stores / storeSec, 0), storeErrors: errors, stores };
  return {
    name: 'stores-mcp',
    figures,
    table: [
      ['store_trm_pattern through MCP (stores/s, 32 in flight)', figures.storesPerSecondThroughMcp, null, null, '>= 1000/s'],
      ['store errors', errors, null, null, '0'],
    ],
  };
}
