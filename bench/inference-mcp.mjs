// local_complete through MCP (a spawned `node dist/cli.js` over stdio, real SDK client)
// next to node-llama-cpp called directly on the same GGUF, alternating, in the same run.
// Tokens/s through MCP is measured at the client: completion tokens over the whole
// round trip (transport, validation, ledger write included). Time to first token through
// MCP is the time to the first progress notification carrying text.
import { join } from 'node:path';
import { connectStdio, median, round, serverPath, tempDir } from './_util.mjs';
import { BENCH_PROMPT, directCaller, writeBenchModel } from './models.mjs';

export async function run({ quick }) {
  const reps = quick ? 8 : 30;
  const maxTokens = 128;
  const dir = tempDir();
  const model = writeBenchModel(join(dir, 'bench-medium.gguf'), 21, 'bench-medium', 'medium');
  const direct = await directCaller(model, { maxTokens });
  const s = await connectStdio(serverPath, [
    '--data-dir',
    join(dir, 'data'),
    '--model',
    model,
    '--no-scan-default-dirs',
    '--servers',
    'http://127.0.0.1:9',
    '--threads',
    String(direct.threads),
    '--log-level',
    'warning',
  ]);
  const viaMcp = async (withProgress) => {
    const t0 = performance.now();
    let first = null;
    const r = await s.client.callTool(
      { name: 'local_complete', arguments: { prompt: BENCH_PROMPT, maxTokens, temperature: 0 } },
      undefined,
      withProgress
        ? {
            onprogress: (p) => {
              if (first === null && p.message) first = performance.now();
            },
          }
        : undefined,
    );
    if (r.isError) throw new Error(r.content[0].text);
    const total = performance.now() - t0;
    return { tokens: r.structuredContent.completionTokens, total, ttft: first === null ? null : first - t0 };
  };
  // warm both
  await direct.callOnce();
  await viaMcp(false);
  const d = { tps: [], ttft: [] };
  const m = { tps: [], ttft: [] };
  for (let i = 0; i < reps; i++) {
    const a = await direct.callOnce();
    d.tps.push((a.completionTokens * 1000) / a.genMs);
    if (a.ttftMs !== null) d.ttft.push(a.ttftMs);
    const b = await viaMcp(false);
    m.tps.push((b.tokens * 1000) / b.total);
    const c = await viaMcp(true);
    if (c.ttft !== null) m.ttft.push(c.ttft);
  }
  await s.close();
  await direct.dispose();
  const figures = {
    model: 'generated llama GGUF, 512-d, 8 blocks (~74 MB), random weights',
    maxTokens,
    reps,
    tokensPerSecond: { mcp: round(median(m.tps), 1), direct: round(median(d.tps), 1), ratio: round(median(m.tps) / median(d.tps), 3) },
    ttftMs: { mcp: round(median(m.ttft), 2), direct: round(median(d.ttft), 2), ratio: round(median(m.ttft) / median(d.ttft), 3) },
  };
  return {
    name: 'inference-mcp',
    figures,
    table: [
      [
        'local_complete tokens/s through MCP (client-side)',
        figures.tokensPerSecond.mcp,
        figures.tokensPerSecond.direct,
        figures.tokensPerSecond.ratio,
        '>= 0.9x direct node-llama-cpp',
      ],
      ['time to first token through MCP (ms)', figures.ttftMs.mcp, figures.ttftMs.direct, figures.ttftMs.ratio, 'direct = baseline'],
    ],
  };
}
