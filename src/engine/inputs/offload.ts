/**
 * Work on material read by reference: when the instruction and the files fit the local model's
 * context, one completion reads them (direct); when they do not, the material is split with the
 * model's own tokenizer, each part is read on its own (map: notes for the instruction), and the
 * notes are combined (reduce; in rounds when even the notes do not fit). Progress is reported
 * per part; a cancel stops between and within parts.
 */
import { CallerError } from '../errors.js';
import type { CompleteRequest, CompleteResult } from '../models/types.js';
import type { InputSet } from './read.js';
import { splitByTokens, splitByTokensAsync, type Part } from './chunk.js';

export interface OffloadModel {
  complete(req: CompleteRequest): Promise<CompleteResult>;
  /** Tokens of a text with the model's tokenizer (or an estimate). */
  countTokens(text: string): number;
  tokenCountMethod: 'tokenizer' | 'estimate';
  /** Tokens one request may hold (prompt and answer together). */
  contextTokens: number;
  /** Completions the model runs at once (map parts are read that many at a time). */
  parallel?: number;
}

export interface InputSummary {
  files: number;
  bytes: number;
  tokens: number;
  tokenCountMethod: 'tokenizer' | 'estimate';
  mode: 'direct' | 'map-reduce';
  parts: number;
  /** Completions run to combine notes (map-reduce only). */
  reduceCalls?: number;
  skipped?: { path: string; reason: string }[];
  ignored?: number;
}

/**
 * Progress on one increasing scale: [0, 1) counting and splitting the material (no total yet),
 * then 1 + i for each part read, n + 1.5 while combining, n + 2 (the total) when done.
 */
export interface OffloadProgress {
  progress: number;
  total?: number;
  message: string;
}

/** Characters counted at a time, so a long material reports progress and can be cancelled while it is counted. */
const COUNT_SLICE = 128 * 1024;
const PREP_TICK_MS = 500;

/** Tokens of a long text, counted slice by slice (cut at line ends), ticking with the fraction done. */
async function countSliced(
  text: string,
  count: (s: string) => number,
  tick?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  if (text.length <= COUNT_SLICE) return count(text);
  let n = 0;
  for (let pos = 0; pos < text.length;) {
    // Let other requests and the progress notifications through between slices.
    await new Promise((r) => setImmediate(r));
    signal?.throwIfAborted();
    let end = Math.min(text.length, pos + COUNT_SLICE);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl > pos) end = nl + 1;
    }
    n += count(text.slice(pos, end));
    pos = end;
    tick?.(pos / text.length);
  }
  return n;
}

/** A throttled progress reporter for the preparation phase. */
function prepTicker(onProgress: ((p: OffloadProgress) => void) | undefined, from: number, span: number, message: string) {
  let last = performance.now();
  return (fraction: number) => {
    const now = performance.now();
    if (!onProgress || now - last < PREP_TICK_MS) return;
    last = now;
    onProgress({ progress: from + span * Math.min(0.999, fraction), message });
  };
}

/** Template, role markers and the like, kept free in every request. */
const SLACK = 64;
/** Tokens of notes one part may produce. */
const NOTE_TOKENS_MAX = 256;
/** Smallest useful part. */
const MIN_PART_TOKENS = 128;
const MAX_REDUCE_ROUNDS = 8;

const MAP_SYSTEM =
  'You read one part of a longer material for an instruction. Write short notes with everything in this part that the instruction needs ' +
  '(facts, numbers, names of files and things, errors, dates); write "nothing relevant" if there is none. Do not answer beyond this part.';
const COMBINE_SYSTEM = 'Combine the notes below into one shorter set of notes for the instruction. Keep every fact the instruction needs.';

/** The material as the model reads it: each file under a header with its path. */
export function formatMaterial(inputs: InputSet): { text: string; spans: { path: string; start: number; end: number }[] } {
  let text = '';
  const spans: { path: string; start: number; end: number }[] = [];
  for (const f of inputs.files) {
    const start = text.length;
    text += `=== file: ${f.path} ===\n${f.text}${f.text.endsWith('\n') ? '' : '\n'}`;
    spans.push({ path: f.path, start, end: text.length });
  }
  return { text, spans };
}

function filesIn(spans: { path: string; start: number; end: number }[], p: Part): string {
  const names = spans.filter((s) => s.start < p.end && s.end > p.start).map((s) => s.path);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

export interface Plan {
  material: string;
  spans: { path: string; start: number; end: number }[];
  tokens: number;
  mode: 'direct' | 'map-reduce';
  /** Tokens of material per part (map-reduce). */
  partBudget: number;
  noteTokens: number;
}

/**
 * Sizes the material against the model's context: direct or map-reduce, refused past
 * `maxInputTokens`. Counts with the model's tokenizer (one pass over the material).
 */
export async function planInputs(
  inputs: InputSet,
  instruction: string,
  maxTokens: number,
  model: OffloadModel,
  maxInputTokens: number,
  o: { onProgress?: (p: OffloadProgress) => void; signal?: AbortSignal } = {},
): Promise<Plan> {
  const { text, spans } = formatMaterial(inputs);
  const tokens = await countSliced(text, (s) => model.countTokens(s), prepTicker(o.onProgress, 0, 0.5, 'counting tokens'), o.signal);
  if (tokens > maxInputTokens)
    throw new CallerError(
      `the files hold about ${tokens} tokens, more than maxInputTokens (${maxInputTokens}); name fewer or smaller files, or raise the cap with --max-input-tokens`,
    );
  const ctx = model.contextTokens;
  const instr = model.countTokens(instruction);
  // Notes cost generation, far slower per token than reading: about 1/32 of the context (64..256).
  const noteTokens = Math.max(64, Math.min(NOTE_TOKENS_MAX, Math.floor(ctx / 32)));
  if (instr + tokens + maxTokens + SLACK <= ctx) return { material: text, spans, tokens, mode: 'direct', partBudget: tokens, noteTokens };
  const partBudget = ctx - instr - noteTokens - SLACK - model.countTokens(MAP_SYSTEM) - 32;
  if (partBudget < MIN_PART_TOKENS)
    throw new CallerError(
      `the instruction (${instr} tokens) leaves too little of the local context (${ctx} tokens) to read the files in parts; shorten the prompt or use a model with a larger context`,
    );
  if (maxTokens + instr + SLACK + noteTokens * 2 > ctx)
    throw new CallerError(
      `maxTokens (${maxTokens}) leaves no room in the local context (${ctx} tokens) to combine notes from the files; lower maxTokens`,
    );
  return { material: text, spans, tokens, mode: 'map-reduce', partBudget, noteTokens };
}

/** How many parts map-reduce would read (for route_task, without running anything). */
export function estimateParts(plan: Plan): number {
  return plan.mode === 'direct' ? 1 : Math.max(1, Math.ceil(plan.tokens / Math.max(1, plan.partBudget * 0.92)));
}

export interface OffloadRequest extends CompleteRequest {
  prompt: string;
  onProgress?: (p: OffloadProgress) => void;
}

type Aggregate = { promptTokens: number; completionTokens: number; calls: number };

const cancelled = (signal?: AbortSignal) => Boolean(signal?.aborted);

/**
 * Runs the instruction over the files as planned. The final completion gets the caller's
 * maxTokens, jsonSchema, trm and onToken; map and combine calls get neither.
 */
export async function runOffload(
  req: OffloadRequest,
  plan: Plan,
  inputs: InputSet,
  model: OffloadModel,
): Promise<CompleteResult & { input: InputSummary }> {
  const t0 = performance.now();
  const summary = (parts: number, reduceCalls?: number): InputSummary => ({
    files: inputs.files.length,
    bytes: inputs.bytes,
    tokens: plan.tokens,
    tokenCountMethod: model.tokenCountMethod,
    mode: plan.mode,
    parts,
    ...(reduceCalls !== undefined ? { reduceCalls } : {}),
    ...(inputs.skipped.length ? { skipped: inputs.skipped } : {}),
    ...(inputs.ignored ? { ignored: inputs.ignored } : {}),
  });
  const { onProgress: report, prompt, ...base } = req;
  // A heartbeat while a part is read (a long prompt is evaluated without events): the last
  // progress nudged up by a thousandth, at least once a second, so clients see the work go on.
  let lastP = -1;
  let lastMsg = '';
  let lastTotal: number | undefined;
  let lastAt = performance.now();
  const onProgress = report
    ? (p: OffloadProgress) => {
        if (p.progress <= lastP) return;
        lastP = p.progress;
        lastMsg = p.message;
        lastTotal = p.total ?? lastTotal;
        lastAt = performance.now();
        report(p);
      }
    : undefined;
  const heartbeat = onProgress
    ? setInterval(() => {
        if (performance.now() - lastAt >= 900 && lastP >= 0)
          onProgress({
            progress: lastP + 0.001,
            total: lastTotal,
            message: `still working (${lastMsg.replace(/^still working \((.*)\)$/, '$1')})`,
          });
      }, 1000)
    : null;
  heartbeat?.unref();
  try {
    return await runPlanned();
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }

  async function runPlanned(): Promise<CompleteResult & { input: InputSummary }> {
    if (plan.mode === 'direct') {
      const res = await model.complete({ ...base, prompt: `${prompt}\n\n${plan.material}` });
      return { ...res, input: summary(1) };
    }

    const agg: Aggregate = { promptTokens: 0, completionTokens: 0, calls: 0 };
    let lastModel = '';
    let lastBackend: CompleteResult['backend'] = 'gguf';
    const sub = async (system: string, user: string, maxTokens: number, onTokens?: (n: number) => void): Promise<CompleteResult> => {
      const r = await model.complete({
        system,
        prompt: user,
        maxTokens,
        temperature: base.temperature ?? 0,
        timeoutMs: base.timeoutMs,
        signal: base.signal,
        onToken: onTokens ? (ev) => onTokens(ev.tokens) : undefined,
      });
      agg.promptTokens += r.promptTokens;
      agg.completionTokens += r.completionTokens;
      agg.calls++;
      return r;
    };
    const stopped = (parts: number, reduceCalls: number): CompleteResult & { input: InputSummary } => ({
      text: '',
      model: lastModel,
      backend: lastBackend,
      promptTokens: agg.promptTokens,
      completionTokens: agg.completionTokens,
      tokenCountMethod: model.tokenCountMethod === 'tokenizer' ? 'tokenizer' : 'estimate',
      latencyMs: Math.round(performance.now() - t0),
      ttftMs: null,
      tokensPerSecond: 0,
      finishReason: 'cancelled',
      input: summary(parts, reduceCalls),
    });

    const tickSplit = prepTicker(onProgress, 0.5, 0.5, 'splitting into parts');
    const parts = await splitByTokensAsync(plan.material, plan.partBudget, (s) => model.countTokens(s), {
      signal: base.signal,
      onPart: (p) => tickSplit(p.end / plan.material.length),
    });
    const n = parts.length;
    const total = n + 2;
    onProgress?.({ progress: 1, total, message: `reading ${inputs.files.length} file(s) in ${n} parts` });
    // Map: up to `parallel` parts at once (the model's queue runs that many; batched together they
    // share each decode). Notes keep the parts' order; progress counts parts done.
    const notes: string[] = new Array(n);
    let next = 0;
    let done = 0;
    let stop = false;
    let lastBeat = 0;
    const worker = async () => {
      while (!stop && next < n) {
        const i = next++;
        const p = parts[i];
        const user = `Instruction: ${prompt}\n\nPart ${i + 1} of ${n} (from ${filesIn(plan.spans, p)}):\n${p.text}`;
        const r = await sub(MAP_SYSTEM, user, plan.noteTokens, (tokens) => {
          const now = performance.now();
          if (now - lastBeat < 500) return;
          lastBeat = now;
          onProgress?.({ progress: 1 + done + Math.min(0.95, tokens / plan.noteTokens), total, message: `reading part ${done + 1}/${n}` });
        });
        lastModel = r.model;
        lastBackend = r.backend;
        if (r.finishReason === 'cancelled' || r.finishReason === 'timeout' || cancelled(base.signal)) {
          stop = true;
          return;
        }
        notes[i] = `### Part ${i + 1} (${filesIn(plan.spans, p)})\n${r.text.trim() || 'nothing relevant'}`;
        done++;
        onProgress?.({ progress: 1 + done, total, message: `read part ${done}/${n}` });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(model.parallel ?? 1, n)) }, worker));
    if (stop || cancelled(base.signal)) return stopped(n, 0);

    // Reduce: combine notes in rounds until they fit one request with the final answer.
    const ctx = model.contextTokens;
    const instr = model.countTokens(prompt);
    const finalRoom = ctx - instr - (base.maxTokens ?? 512) - SLACK - 48;
    let current = notes;
    let reduceCalls = 0;
    for (let round = 0; model.countTokens(current.join('\n\n')) > finalRoom; round++) {
      if (round >= MAX_REDUCE_ROUNDS) break;
      const groupRoom = ctx - instr - plan.noteTokens - SLACK - model.countTokens(COMBINE_SYSTEM) - 32;
      const groups: string[][] = [];
      let g: string[] = [];
      let gTokens = 0;
      for (const note of current) {
        const t = model.countTokens(note);
        if (g.length && gTokens + t > groupRoom) {
          groups.push(g);
          g = [];
          gTokens = 0;
        }
        // A note that alone is too long keeps only its start.
        g.push(t > groupRoom ? splitByTokens(note, groupRoom, (s) => model.countTokens(s))[0].text : note);
        gTokens += Math.min(t, groupRoom);
      }
      if (g.length) groups.push(g);
      if (groups.length === current.length && round > 0) break; // nothing merges any more
      const next: string[] = [];
      for (const grp of groups) {
        if (cancelled(base.signal)) return stopped(n, reduceCalls);
        // Combining sits between n + 1 and n + 1.5 on the progress scale, creeping toward it.
        const at = () => n + 1 + 0.5 * (1 - 1 / (2 + reduceCalls));
        onProgress?.({ progress: at(), total, message: `combining notes (round ${round + 1})` });
        let beat = performance.now();
        const r = await sub(COMBINE_SYSTEM, `Instruction: ${prompt}\n\n${grp.join('\n\n')}`, plan.noteTokens, (tokens) => {
          const now = performance.now();
          if (now - beat < 500) return;
          beat = now;
          onProgress?.({
            progress: at() + (0.5 / (2 + reduceCalls) - 0.5 / (3 + reduceCalls)) * Math.min(0.95, tokens / plan.noteTokens),
            total,
            message: `combining notes (round ${round + 1})`,
          });
        });
        reduceCalls++;
        if (r.finishReason === 'cancelled' || r.finishReason === 'timeout') return stopped(n, reduceCalls);
        next.push(r.text.trim());
      }
      current = next;
    }
    let joined = current.join('\n\n');
    if (model.countTokens(joined) > finalRoom) joined = splitByTokens(joined, Math.max(1, finalRoom), (s) => model.countTokens(s))[0].text;
    if (cancelled(base.signal)) return stopped(n, reduceCalls);
    onProgress?.({ progress: n + 1.5, total, message: `answering from the notes of ${n} parts` });
    const final = await model.complete({
      ...base,
      prompt: `${prompt}\n\nThe material was too long to read at once, so it was read in ${n} parts; the notes taken from each part follow, in order. Answer from them.\n\n${joined}`,
    });
    reduceCalls++;
    onProgress?.({ progress: total, total, message: 'done' });
    return {
      ...final,
      promptTokens: agg.promptTokens + final.promptTokens,
      completionTokens: agg.completionTokens + final.completionTokens,
      latencyMs: Math.round(performance.now() - t0),
      input: summary(n, reduceCalls),
    };
  }
}
