// Start-up and a trivial round trip: `node dist/server.js` next to a bare SDK server
// with one tool (bench/_bare-server.mjs), spawned alternately in the same run.
import { connectStdio, median, round, serverPath, tempDir, root } from './_util.mjs';
import { join } from 'node:path';

export async function run({ quick }) {
  const n = quick ? 5 : 15;
  const bare = [];
  const ours = [];
  const bareRt = [];
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
    for (let j = 0; j < 20; j++) {
      const t = performance.now();
      await o.client.ping();
      oursRt.push(performance.now() - t);
    }
    await o.close();
  }
  const figures = {
    initializeMs: { ours: round(median(ours), 1), bareSdk: round(median(bare), 1), ratio: round(median(ours) / median(bare), 2), samples: n },
    pingMs: { ours: round(median(oursRt), 3), bareSdk: round(median(bareRt), 3) },
  };
  return {
    name: 'startup',
    figures,
    table: [
      ['initialize over stdio p50 (ms)', figures.initializeMs.ours, figures.initializeMs.bareSdk, figures.initializeMs.ratio, '<= 1.5x bare SDK'],
      ['ping round trip p50 (ms)', figures.pingMs.ours, figures.pingMs.bareSdk, round(median(oursRt) / median(bareRt), 2), ''],
    ],
  };
}
