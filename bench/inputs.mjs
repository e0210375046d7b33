// Files by reference (issue 12): a long log summarised through MCP (a spawned `node dist/cli.js`
// over stdio, real SDK client) on a generated GGUF, read by map-reduce. Measured in the same run:
// - the model's own prompt-processing rate (node-llama-cpp called directly, same GGUF, context and
//   threads): the baseline for map-reduce throughput (input tokens of the files per second of the call);
// - the longest gap between two progress notifications (from the call's start to its end);
// - how fast a cancel frees the model: two one-token calls sent right after the cancel (one per
//   slot of --parallel 2), against the same pair on an idle server (the difference is the time the
//   cancelled work kept the model).
// Full: a 2 MB log; --quick: 200 KB.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectStdio, median, round, serverPath, tempDir } from './_util.mjs';
import { writeTinyGguf } from '../dist/devtools/tiny-gguf.js';

const CONTEXT = 4096;
const THREADS = 1; // on these 2 shared cores one thread is fastest (see ARCHITECTURE.md)
const PARALLEL = Number(process.env.BENCH_INPUTS_PARALLEL ?? 2); // map parts read at once (--parallel; 2 is the default)

function logText(bytes) {
  const lines = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const l = `2026-11-27T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}Z ${i % 13 === 0 ? 'ERROR' : 'INFO'} worker-${i % 7} request ${i} path=/api/v1/items/${(i * 31) % 997} took ${(i * 37) % 1000} ms`;
    lines.push(l);
    n += l.length + 1;
  }
  return lines.join('\n') + '\n';
}

async function promptRate(model, text) {
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false });
  const m = await llama.loadModel({ modelPath: model });
  const ctx = await m.createContext({ contextSize: CONTEXT, threads: THREADS });
  const seq = ctx.getSequence();
  const tokens = m.tokenize(text.slice(0, 400_000));
  const part = CONTEXT - 600; // about a map part
  const rates = [];
  for (let k = 0; k < 6 && (k + 1) * part <= tokens.length; k++) {
    await seq.clearHistory();
    const t0 = performance.now();
    await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(k * part, (k + 1) * part));
    if (k > 0) rates.push((part * 1000) / (performance.now() - t0)); // first one warms up
  }
  await ctx.dispose();
  await m.dispose();
  return median(rates);
}

export async function run({ quick }) {
  const bytes = quick ? 200_000 : 2_000_000;
  const dir = tempDir();
  const model = join(dir, 'tiny-inputs.gguf');
  writeTinyGguf(model, { name: 'tiny-inputs', seed: 7, contextLength: CONTEXT });
  const project = join(dir, 'project');
  mkdirSync(project);
  const text = logText(bytes);
  const file = join(project, 'app.log');
  writeFileSync(file, text);

  // The baseline is measured before and after the MCP runs (the machine's load drifts) and averaged.
  const ppBefore = await promptRate(model, text);

  const s = await connectStdio(serverPath, [
    '--data-dir',
    join(dir, 'data'),
    '--model',
    model,
    '--no-scan-default-dirs',
    '--servers',
    'http://127.0.0.1:9',
    '--threads',
    String(THREADS),
    '--context-size',
    String(CONTEXT),
    '--parallel',
    String(PARALLEL),
    '--allow-dirs',
    project,
    '--log-level',
    'warning',
  ]);
  try {
    const tiny = async () => {
      const t0 = performance.now();
      const r = await s.client.callTool({ name: 'local_complete', arguments: { prompt: 'hi', maxTokens: 1 } });
      if (r.isError) throw new Error(r.content[0].text);
      return performance.now() - t0;
    };
    // Two at once: with --parallel 2 both of the model's slots must be free for both to start.
    const pair = async () => Math.max(...(await Promise.all([tiny(), tiny()])));
    await pair();
    const idle = [];
    for (let i = 0; i < 5; i++) idle.push(await pair());

    // 1. The whole log by map-reduce, with progress.
    const times = [];
    const t0 = performance.now();
    const r = await s.client.callTool(
      {
        name: 'local_complete',
        arguments: {
          prompt: 'Summarise this log: error count, slowest paths, anything unusual.',
          files: [file],
          maxTokens: 64,
          temperature: 0,
        },
      },
      undefined,
      { onprogress: () => times.push(performance.now()), timeout: 3_600_000, resetTimeoutOnProgress: true },
    );
    const totalMs = performance.now() - t0;
    if (r.isError) throw new Error(r.content[0].text);
    const input = r.structuredContent.input;
    const marks = [t0, ...times, t0 + totalMs];
    let maxGap = 0;
    for (let i = 1; i < marks.length; i++) maxGap = Math.max(maxGap, marks[i] - marks[i - 1]);
    const mrRate = (input.tokens * 1000) / totalMs;

    // 2. Cancel after the third part, then a one-token call.
    const ac = new AbortController();
    let reads = 0;
    let abortedAt = 0;
    const cancelled = s.client
      .callTool({ name: 'local_complete', arguments: { prompt: 'Summarise this log.', files: [file], maxTokens: 64 } }, undefined, {
        signal: ac.signal,
        onprogress: (p) => {
          if (/^read part/.test(p.message ?? '') && ++reads === 3) {
            abortedAt = performance.now();
            ac.abort();
          }
        },
        timeout: 3_600_000,
        resetTimeoutOnProgress: true,
      })
      .catch(() => 'cancelled');
    await cancelled;
    const after = await pair();
    const freedMs = abortedAt ? after - median(idle) : null;

    await s.close();
    const ppAfter = await promptRate(model, text);
    const ppRate = (ppBefore + ppAfter) / 2;
    const figures = {
      model: `generated llama GGUF (32-d, 2 blocks), context ${CONTEXT}, threads ${THREADS}, parallel ${PARALLEL}`,
      logBytes: text.length,
      input,
      totalSeconds: round(totalMs / 1000, 1),
      progressNotifications: times.length,
      maxProgressGapMs: round(maxGap, 0),
      mapReduceInputTokensPerSecond: round(mrRate, 0),
      promptProcessingTokensPerSecond: round(ppRate, 0),
      promptProcessingBeforeAfter: [round(ppBefore, 0), round(ppAfter, 0)],
      throughputRatio: round(mrRate / ppRate, 3),
      promptTokensProcessed: r.structuredContent.promptTokens,
      completionTokensGenerated: r.structuredContent.completionTokens,
      cancel: { oneTokenCallAfterCancelMs: round(after, 1), oneTokenCallIdleMs: round(median(idle), 1), freedMs: round(freedMs, 1) },
    };
    return {
      name: 'inputs',
      figures,
      table: [
        [
          `map-reduce input tokens/s (${(text.length / 1e6).toFixed(1)} MB log, ${input.parts} parts)`,
          figures.mapReduceInputTokensPerSecond,
          figures.promptProcessingTokensPerSecond,
          figures.throughputRatio,
          ">= 0.8x the model's prompt processing",
        ],
        ['longest gap between progress notifications (ms)', figures.maxProgressGapMs, null, null, '<= 2000'],
        [
          'model freed after cancel (ms; two one-token calls after cancel minus idle)',
          figures.cancel.freedMs,
          figures.cancel.oneTokenCallIdleMs,
          null,
          '<= 100',
        ],
      ],
    };
  } finally {
    await s.close();
  }
}
