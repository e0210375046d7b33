// Files by reference (issue 12): a long log summarised through MCP (a spawned `node dist/cli.js`
// over stdio, real SDK client) on a generated GGUF, read by map-reduce. Measured in the same run:
// - the model's own prompt-processing rate (node-llama-cpp called directly, same GGUF, context and
//   threads) on the map's own prompts (see promptRate): the baseline for map-reduce throughput
//   (input tokens of the files per second of the call); the earlier fixed 3,496-token baseline beside it;
// - the longest gap between two progress notifications (from the call's start to its end);
// - how fast a cancel frees the model: two one-token calls sent right after the cancel (one per
//   slot of --parallel 2), against the same pair on an idle server (the difference is the time the
//   cancelled work kept the model).
// - where the time goes: preparation (counting and splitting), the map (parts read), combining the
//   notes, the answer, from the progress messages' times.
// Full: a 2 MB log; --quick: 200 KB. BENCH_INPUTS_BASE=<other build>/dist/cli.js runs the same
// measures on that build too, alternating with this one (BENCH_INPUTS_RUNS rounds, default 1), each
// run's ratio against the prompt-processing rate measured just before and after it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { connectStdio, median, round, serverPath, tempDir } from './_util.mjs';
import { writeTinyGguf } from '../dist/devtools/tiny-gguf.js';
import { formatMaterial, mapRequest, planInputs } from '../dist/engine/inputs/offload.js';
import { splitByTokens } from '../dist/engine/inputs/chunk.js';

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

const PROMPT = 'Summarise this log: error count, slowest paths, anything unusual.';
const MAX_TOKENS = 64;

/**
 * The model's own prompt-processing rate, node-llama-cpp called directly on the same GGUF with the
 * same context size and threads, on prompts of two lengths (each evaluated from an empty sequence,
 * a batch of 512 at a time as the server does; every token of the prompt counted):
 * - `map`: the map's own prompts, as the server renders them (chat template, map instruction, the
 *   caller's instruction, the part), so the baseline reads what map-reduce reads, at the same
 *   context fill; map-reduce counts only the material's tokens, so the instruction before each
 *   part is its overhead;
 * - `fixed`: 3,496-token slices of the log, the baseline of the earlier runs: shorter than a map
 *   prompt (about 4,060 tokens here), so cheaper per token on a 32-d model, whose cost per token
 *   grows with its position (attention).
 */
async function promptRate(model, text, file) {
  const { getLlama, LlamaChat } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false });
  const m = await llama.loadModel({ modelPath: model });
  const ctx = await m.createContext({ contextSize: CONTEXT, threads: THREADS });
  const seq = ctx.getSequence();
  const chat = new LlamaChat({ contextSequence: seq, autoDisposeSequence: false });
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const evaluate = async (prompt) => {
    await seq.clearHistory();
    const t0 = performance.now();
    const c0 = cpuMs();
    for (let i = 0; i < prompt.length; i += 512) await seq.evaluateWithoutGeneratingNewTokens(prompt.slice(i, i + 512));
    return { wall: (prompt.length * 1000) / (performance.now() - t0), cpu: (prompt.length * 1000) / (cpuMs() - c0) };
  };
  // The map's prompts of the first parts, planned and split as the server does.
  const offloadModel = { countTokens: (t) => m.tokenize(t).length, tokenCountMethod: 'tokenizer', contextTokens: CONTEXT };
  const head = text.slice(0, 200_000);
  const inputs = {
    files: [{ path: file, realPath: file, text: head, bytes: head.length, encoding: 'utf-8' }],
    bytes: head.length,
    skipped: [],
    ignored: 0,
  };
  const plan = await planInputs(
    { ...inputs, files: [{ ...inputs.files[0], text }], bytes: text.length },
    PROMPT,
    MAX_TOKENS,
    offloadModel,
    1e9,
  );
  const { text: material } = formatMaterial(inputs);
  const parts = splitByTokens(material, plan.partBudget, offloadModel.countTokens).slice(0, 6);
  const count = Math.ceil(plan.tokens / (plan.partBudget * 0.95));
  const mapPrompts = parts.map((p, i) => {
    const { system, user } = mapRequest(PROMPT, i, count, file, p.text);
    const history = [
      { type: 'system', text: system },
      { type: 'user', text: user },
      { type: 'model', response: [] },
    ];
    return chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(m.tokenizer);
  });
  const tokens = m.tokenize(text.slice(0, 400_000));
  const fixed = Array.from({ length: 6 }, (_, k) => tokens.slice(k * 3496, (k + 1) * 3496));
  // The two kinds alternate, so that both see the same load; the first of each warms up.
  const seen = { map: [], fixed: [] };
  for (let k = 0; k < Math.min(mapPrompts.length, fixed.length); k++) {
    const a = await evaluate(mapPrompts[k]);
    const b = await evaluate(fixed[k]);
    if (k === 0) continue;
    seen.map.push(a);
    seen.fixed.push(b);
  }
  const out = {
    map: median(seen.map.map((r) => r.wall)),
    fixed: median(seen.fixed.map((r) => r.wall)),
    mapCpu: median(seen.map.map((r) => r.cpu)),
    fixedCpu: median(seen.fixed.map((r) => r.cpu)),
    mapPromptTokens: median(mapPrompts.map((p) => p.length)),
  };
  chat.dispose();
  await ctx.dispose();
  await m.dispose();
  return out;
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

  const servers = [{ label: 'this build', path: serverPath }];
  if (process.env.BENCH_INPUTS_BASE) servers.push({ label: 'base', path: process.env.BENCH_INPUTS_BASE });
  const rounds = Math.max(1, Number(process.env.BENCH_INPUTS_RUNS ?? 1));
  // The baseline is measured before and after each MCP run (the machine's load drifts); each run is
  // compared with the mean of the two around it.
  let pp = await promptRate(model, text, file);
  const runs = [];
  for (let k = 0; k < rounds; k++) {
    // Alternate which build goes first.
    const order = k % 2 ? [...servers].reverse() : servers;
    for (const srv of order) {
      const load = loadavg()[0];
      const r = await mcpRun(srv.path, { dir, model, project, file });
      const ppAfter = await promptRate(model, text, file);
      const ppRate = (pp.map + ppAfter.map) / 2;
      const ppFixed = (pp.fixed + ppAfter.fixed) / 2;
      const ppCpu = (pp.mapCpu + ppAfter.mapCpu) / 2;
      runs.push({
        label: srv.label,
        ...r,
        load: [round(load, 1), round(loadavg()[0], 1)],
        mapPromptTokens: pp.mapPromptTokens,
        ppBeforeAfter: [round(pp.map, 0), round(ppAfter.map, 0)],
        ppRate,
        ratio: r.mrRate / ppRate,
        ppFixed,
        ratioFixed: r.mrRate / ppFixed,
        ppCpu,
        ratioCpu: r.mrCpuRate / ppCpu,
      });
      pp = ppAfter;
    }
  }
  const mine = runs.filter((r) => r.label === 'this build');
  const med = (rs, f) => median(rs.map(f));
  const summary = (rs) => ({
    runs: rs.length,
    throughputRatio: round(
      med(rs, (r) => r.ratio),
      3,
    ),
    throughputRatios: rs.map((r) => round(r.ratio, 3)),
    // Against the earlier baseline (3,496-token slices from position 0, shorter than a map prompt).
    throughputRatioFixedBaseline: round(
      med(rs, (r) => r.ratioFixed),
      3,
    ),
    throughputRatiosFixedBaseline: rs.map((r) => round(r.ratioFixed, 3)),
    mapPromptTokens: rs[0]?.mapPromptTokens,
    // In CPU time (the server's process against the baseline's), less bent by the other work on a shared machine.
    throughputRatioCpu: round(
      med(rs, (r) => r.ratioCpu),
      3,
    ),
    throughputRatiosCpu: rs.map((r) => round(r.ratioCpu, 3)),
    loadAverage: rs.map((r) => r.load),
    mapReduceInputTokensPerSecond: round(
      med(rs, (r) => r.mrRate),
      0,
    ),
    promptProcessingTokensPerSecond: round(
      med(rs, (r) => r.ppRate),
      0,
    ),
    maxProgressGapMs: round(Math.max(...rs.map((r) => r.maxGap)), 0),
    cancelFreedMs: round(
      med(rs, (r) => r.freedMs ?? NaN),
      1,
    ),
    cancelFreedMsEach: rs.map((r) => round(r.freedMs, 1)),
    phasesSeconds: rs.map((r) => r.phases),
  });
  const last = mine[mine.length - 1];
  const figures = {
    model: `generated llama GGUF (32-d, 2 blocks), context ${CONTEXT}, threads ${THREADS}, parallel ${PARALLEL}`,
    logBytes: text.length,
    input: last.input,
    totalSeconds: round(last.totalMs / 1000, 1),
    progressNotifications: last.notifications,
    promptTokensProcessed: last.promptTokens,
    completionTokensGenerated: last.completionTokens,
    ...summary(mine),
    cancel: { oneTokenCallAfterCancelMs: round(last.after, 1), oneTokenCallIdleMs: round(last.idle, 1) },
    runsDetail: runs.map((r) => ({
      label: r.label,
      ratio: round(r.ratio, 3),
      ratioFixedBaseline: round(r.ratioFixed, 3),
      ratioCpu: round(r.ratioCpu, 3),
      ppBeforeAfter: r.ppBeforeAfter,
      load: r.load,
      totalSeconds: round(r.totalMs / 1000, 1),
      phases: r.phases,
      freedMs: round(r.freedMs, 1),
      maxGapMs: round(r.maxGap, 0),
    })),
    ...(servers.length > 1 ? { base: summary(runs.filter((r) => r.label === 'base')) } : {}),
  };
  const table = [
    [
      `map-reduce input tokens/s (${(text.length / 1e6).toFixed(1)} MB log, ${last.input.parts} parts)`,
      figures.mapReduceInputTokensPerSecond,
      figures.promptProcessingTokensPerSecond,
      figures.throughputRatio,
      ">= 0.8x the model's prompt processing (on the map's own prompts)",
    ],
    ['the same against 3,496-token prompts (the earlier baseline)', null, null, figures.throughputRatioFixedBaseline, 'for comparison'],
    ['the same in CPU time (server process against the baseline, map prompts)', null, null, figures.throughputRatioCpu, 'for comparison'],
    ['longest gap between progress notifications (ms)', figures.maxProgressGapMs, null, null, '<= 2000'],
    [
      'model freed after cancel (ms; two one-token calls after cancel minus idle)',
      figures.cancelFreedMs,
      figures.cancel.oneTokenCallIdleMs,
      null,
      '<= 100',
    ],
  ];
  if (figures.base)
    table.push(
      ['base build: map-reduce throughput ratio (same run)', figures.base.throughputRatio, null, null, 'before'],
      ['base build: longest progress gap (ms)', figures.base.maxProgressGapMs, null, null, 'before'],
      ['base build: model freed after cancel (ms)', figures.base.cancelFreedMs, null, null, 'before'],
    );
  return { name: 'inputs', figures, table };
}

async function mcpRun(server, { dir, model, project, file }) {
  const s = await connectStdio(server, [
    '--data-dir',
    join(dir, `data-${Math.random().toString(36).slice(2)}`),
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
    const marks = { prepared: null, mapped: null, answering: null };
    const t0 = performance.now();
    const cpu0 = cpuSeconds(s.pid);
    const r = await s.client.callTool(
      {
        name: 'local_complete',
        arguments: {
          prompt: PROMPT,
          files: [file],
          maxTokens: MAX_TOKENS,
          temperature: 0,
        },
      },
      undefined,
      {
        onprogress: (p) => {
          const now = performance.now();
          times.push(now);
          const m = p.message ?? '';
          if (marks.prepared === null && /^reading \d+ file/.test(m)) marks.prepared = now;
          const rp = /^read part (\d+)\/(\d+)$/.exec(m);
          if (rp && rp[1] === rp[2]) marks.mapped = now;
          if (/^answering from the notes/.test(m)) marks.answering = now;
        },
        timeout: 3_600_000,
        resetTimeoutOnProgress: true,
      },
    );
    const totalMs = performance.now() - t0;
    const cpuUsed = cpuSeconds(s.pid) - cpu0;
    if (r.isError) throw new Error(r.content[0].text);
    const input = r.structuredContent.input;
    const all = [t0, ...times, t0 + totalMs];
    let maxGap = 0;
    for (let i = 1; i < all.length; i++) maxGap = Math.max(maxGap, all[i] - all[i - 1]);
    const sec = (a, b) => (a !== null && b !== null ? round((b - a) / 1000, 1) : null);
    const phases = {
      prepare: sec(t0, marks.prepared),
      map: sec(marks.prepared, marks.mapped),
      combine: sec(marks.mapped, marks.answering),
      answer: sec(marks.answering, t0 + totalMs),
    };

    // 2. Cancel after the third part, then a one-token call.
    const ac = new AbortController();
    let reads = 0;
    let abortedAt = 0;
    await s.client
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
    const after = await pair();
    return {
      input,
      totalMs,
      mrRate: (input.tokens * 1000) / totalMs,
      mrCpuRate: input.tokens / cpuUsed,
      maxGap,
      notifications: times.length,
      phases,
      promptTokens: r.structuredContent.promptTokens,
      completionTokens: r.structuredContent.completionTokens,
      after,
      idle: median(idle),
      freedMs: abortedAt ? after - median(idle) : null,
    };
  } finally {
    await s.close();
  }
}

/** CPU seconds (user and system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 a second on Linux)
}
