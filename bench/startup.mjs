// Start-up and a trivial round trip: `node dist/cli.js` next to a bare SDK server
// with one tool (bench/_bare-server.mjs), spawned alternately in the same run.
import { connectStdio, median, round, serverPath, tempDir, root } from './_util.mjs';
import { join } from 'node:path';

export async function run({ quick }) {
  const n = quick ? 5 : 15;
  const bare = [];
  const ours = [];
  const bareRt = [];
  const ready = [];
  const oursRt = [];
  for (let i = 0; i < n; i++) {
    const b = await connectStdio(join(root, 'bench', '_bare-server.mjs'));
    bare.push(b.connectMs);
    for (let j = 0; j < 20; j++) {
      const t = performance.now();
      await b.client.ping();
      bareRt.push(performance.now() - t);
    }
    await b.close();
    const dir = tempDir();
    const o = await connectStdio(serverPath, ['--data-dir', dir, '--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9']);
    ours.push(o.connectMs);
    // Steady state: the first tool call waits for the engine, which loads after initialize.
    const tReady = performance.now();
    await o.client.callTool({ name: 'cost_report', arguments: { period: 'all' } });
    ready.push(o.connectMs + performance.now() - tReady);
    for (let j = 0; j < 20; j++) {
      const t = performance.now();
      await o.client.ping();
      oursRt.push(performance.now() - t);
    }
    await o.close();
  }
  const figures = {
    initializeMs: {
      ours: round(median(ours), 1),
      bareSdk: round(median(bare), 1),
      ratio: round(median(ours) / median(bare), 2),
      samples: n,
    },
    pingMs: { ours: round(median(oursRt), 3), bareSdk: round(median(bareRt), 3) },
    engineReadyMs: round(median(ready), 1),
  };
  return {
    name: 'startup',
    figures,
    table: [
      [
        'initialize over stdio p50 (ms)',
        figures.initializeMs.ours,
        figures.initializeMs.bareSdk,
        figures.initializeMs.ratio,
        '<= 1.5x bare SDK',
      ],
      [
        'ping round trip p50, engine ready (ms)',
        figures.pingMs.ours,
        figures.pingMs.bareSdk,
        round(median(oursRt) / median(bareRt), 2),
        '',
      ],
      ['spawn to first tool answer p50 (ms)', figures.engineReadyMs, null, null, 'engine loads after initialize'],
    ],
  };
}
