import { connectStdio, serverPath, percentile } from './bench/_util.mjs';
const dir = process.argv[2];
const s = await connectStdio(serverPath, ['--data-dir', dir, '--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9', '--ledger-retention-days', '0', '--log-level', 'warning']);
await s.client.readResource({ uri: 'ruvllm://stats' });
await new Promise((r) => setTimeout(r, 3000));
for (const uri of ['ruvllm://stats', 'ruvllm://models']) {
  const t = [];
  for (let i = 0; i < 200; i++) { const t0 = performance.now(); await s.client.readResource({ uri }); t.push(performance.now() - t0); }
  console.log(uri, percentile(t, 50).toFixed(2), percentile(t, 99).toFixed(2));
}
const r = await s.client.readResource({ uri: 'ruvllm://stats' });
console.log(r.contents[0].text.length);
await s.close();
