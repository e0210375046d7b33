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
  /** Completions run to combine notes and answer from them (map-reduce only). */
  reduceCalls?: number;
  /** Most tokens of notes each part could produce (map-reduce only): shorter when there are many parts. */
  noteTokens?: number;
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
/** Longest silence between progress notifications while a part is read (a client may give up after a few seconds of none). */
const HEARTBEAT_MS = 500;

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
/** Tokens of the final request's own wording around the notes. */
const FINAL_WORDING = 48;
/**
 * Tokens of notes one part may produce: at most 1/32 of the context (and 256), so that a part is
 * mostly material; at least 16, a line. Notes cost generation, one token of which costs as much
 * as reading 5 to 50 (on the models measured), and the answer reads at most one context of them:
 * with many parts each part's notes are shorter (see notesBudget).
 */
const NOTE_TOKENS_MAX = 256;
const NOTE_TOKENS_MIN = 16;
/** Smallest useful part. */
const MIN_PART_TOKENS = 128;
const MAX_REDUCE_ROUNDS = 8;
/** The splitter fills parts to about this share of their budget (it cuts at line ends). */
const PART_FILL = 0.95;

/**
 * Kept short: it sits before every part, so each of its tokens pushes the part's tokens one
 * position further (their attention reads one more) and takes a token of room from the part.
 */
const MAP_SYSTEM =
  'Take short notes on this part of a longer text for the instruction: every fact it needs (numbers, names, errors, dates), ' +
  'or "nothing relevant". Stay within this part.';

/**
 * The map request of part `index` (0-based) of `count`: the map instruction as the system prompt,
 * then the caller's instruction, then the part, so that everything before the part is the same for
 * every part (a backend that keeps an evaluated prefix, node-llama-cpp per sequence or a server's
 * prompt cache, reads it once).
 */
export function mapRequest(
  instruction: string,
  index: number,
  count: number,
  files: string,
  text: string,
): { system: string; user: string } {
  return { system: MAP_SYSTEM, user: `Instruction: ${instruction}\n\nPart ${index + 1} of ${count} (from ${files}):\n${text}` };
}
const COMBINE_SYSTEM = 'Combine the notes below into one shorter set of notes for the instruction. Keep every fact the instruction needs.';

/** Tokens of notes the final request can read beside the instruction and the answer. */
export function finalNotesRoom(contextTokens: number, instructionTokens: number, maxTokens: number): number {
  return contextTokens - instructionTokens - maxTokens - SLACK - FINAL_WORDING;
}

/**
 * The notes budget of each part and the part size it leaves. Notes beyond what the final request
 * can read (`finalRoom`) would only be combined away again at the price of more generation, so
 * the budget is the share of that room each part gets, between NOTE_TOKENS_MIN and the cap (1/32
 * of the context, at most NOTE_TOKENS_MAX). Only past about finalRoom / NOTE_TOKENS_MIN parts do
 * the notes need combining before the answer. `fixed` is what every map request holds besides
 * the part and the notes (instruction, wording, template).
 */
export function notesBudget(
  tokens: number,
  contextTokens: number,
  fixed: number,
  finalRoom: number,
  noteHeader = 8,
): { noteTokens: number; partBudget: number; parts: number } {
  const cap = Math.max(NOTE_TOKENS_MIN, Math.min(NOTE_TOKENS_MAX, Math.floor(contextTokens / 32)));
  let noteTokens = cap;
  let partBudget = contextTokens - fixed - noteTokens;
  let parts = Math.max(1, Math.ceil(tokens / Math.max(1, partBudget * PART_FILL)));
  // Shorter notes leave room for longer parts (fewer of them, each with a larger share): a few
  // steps settle it.
  for (let step = 0; step < 4; step++) {
    const next = notesFor(parts, finalRoom, noteHeader, cap);
    if (next === noteTokens) break;
    noteTokens = next;
    partBudget = contextTokens - fixed - noteTokens;
    parts = Math.max(1, Math.ceil(tokens / Math.max(1, partBudget * PART_FILL)));
  }
  return { noteTokens, partBudget, parts };
}

/** Each of `parts` notes' share of the final room (a header each), within [NOTE_TOKENS_MIN, cap]. */
function notesFor(parts: number, finalRoom: number, noteHeader: number, cap: number): number {
  return Math.max(NOTE_TOKENS_MIN, Math.min(cap, Math.floor(finalRoom / Math.max(1, parts)) - noteHeader));
}

/** Notes taken from parts first..last (1-based) of the files named. */
interface Note {
  first: number;
  last: number;
  /** Offsets in the material of what the notes cover. */
  start: number;
  end: number;
  files: string;
  text: string;
}

/** Notes under short headers; the files are named only where they change. */
function renderNotes(notes: Note[]): string {
  let prev = '';
  return notes
    .map((note) => {
      const label = note.first === note.last ? `Part ${note.first}` : `Parts ${note.first}-${note.last}`;
      const from = note.files !== prev ? ` (${note.files})` : '';
      prev = note.files;
      return `### ${label}${from}\n${note.text}`;
    })
    .join('\n\n');
}

/**
 * Groups of consecutive notes to combine in one round: as many groups as it takes for each to fit
 * one request beside its output, with outputs that together fill the final request (`finalRoom`);
 * groups about equal in size. `usable` is a combine request's room for notes and output together.
 */
function packNotes(notes: Note[], sizes: number[], usable: number, finalRoom: number, header: number): { notes: Note[]; tokens: number }[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  let count = Math.max(2, Math.ceil((sum + finalRoom) / Math.max(1, usable)));
  for (;;) {
    const room = usable - combineBudget(count, finalRoom, header, usable);
    const target = Math.min(room, Math.ceil(sum / count));
    const groups: { notes: Note[]; tokens: number }[] = [];
    let g: { notes: Note[]; tokens: number } = { notes: [], tokens: 0 };
    for (let i = 0; i < notes.length; i++) {
      const t = Math.min(sizes[i], room);
      if (g.notes.length && g.tokens + t > room) {
        groups.push(g);
        g = { notes: [], tokens: 0 };
      }
      g.notes.push(notes[i]);
      g.tokens += t;
      // A group closes once it holds its share: `count` groups at most, unless the room forces more.
      if (g.tokens >= target) {
        groups.push(g);
        g = { notes: [], tokens: 0 };
      }
    }
    if (g.notes.length) groups.push(g);
    // Rounding may leave one group more than planned: its outputs must still fit.
    if (groups.length <= count || count >= notes.length) return groups;
    count = groups.length;
  }
}

/** Tokens each of `groups` combined notes may have: its share of the final room, within [NOTE_TOKENS_MIN, NOTE_TOKENS_MAX] and `room`. */
function combineBudget(groups: number, finalRoom: number, header: number, room: number): number {
  return Math.max(1, Math.min(room, Math.max(NOTE_TOKENS_MIN, Math.min(NOTE_TOKENS_MAX, Math.floor(finalRoom / groups) - header))));
}

/**
 * Runs job(0..count-1) with up to `parallel` at once, in order of index; stops starting new ones
 * once a job returns false or the signal is aborted (a cancel that came while a job reported its
 * progress). Resolves true when every job returned true.
 */
async function inTurn(
  count: number,
  parallel: number | undefined,
  signal: AbortSignal | undefined,
  job: (i: number) => Promise<boolean>,
): Promise<boolean> {
  let next = 0;
  let ok = true;
  const worker = async () => {
    while (ok && next < count && !cancelled(signal)) {
      const i = next++;
      if (!(await job(i))) ok = false;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel ?? 1, count)) }, worker));
  return ok;
}

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

function filesIn(spans: { path: string; start: number; end: number }[], p: Pick<Part, 'start' | 'end'>): string {
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
  /** Most tokens of notes one part may produce (the room kept for them beside each part; 0 when direct). */
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
  if (instr + tokens + maxTokens + SLACK <= ctx)
    return { material: text, spans, tokens, mode: 'direct', partBudget: tokens, noteTokens: 0 };
  const fixed = instr + SLACK + model.countTokens(MAP_SYSTEM) + 32;
  const { noteTokens, partBudget } = notesBudget(tokens, ctx, fixed, finalNotesRoom(ctx, instr, maxTokens));
  if (partBudget < MIN_PART_TOKENS)
    throw new CallerError(
      `the instruction (${instr} tokens) leaves too little of the local context (${ctx} tokens) to read the files in parts; shorten the prompt or use a model with a larger context`,
    );
  if (maxTokens + instr + SLACK + NOTE_TOKENS_MIN * 2 > ctx)
    throw new CallerError(
      `maxTokens (${maxTokens}) leaves no room in the local context (${ctx} tokens) to combine notes from the files; lower maxTokens`,
    );
  return { material: text, spans, tokens, mode: 'map-reduce', partBudget, noteTokens };
}

/** How many parts map-reduce would read (for route_task, without running anything). */
export function estimateParts(plan: Plan): number {
  return plan.mode === 'direct' ? 1 : Math.max(1, Math.ceil(plan.tokens / Math.max(1, plan.partBudget * PART_FILL)));
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
  const summary = (parts: number, reduceCalls?: number, noteTokens?: number): InputSummary => ({
    files: inputs.files.length,
    bytes: inputs.bytes,
    tokens: plan.tokens,
    tokenCountMethod: model.tokenCountMethod,
    mode: plan.mode,
    parts,
    ...(reduceCalls !== undefined ? { reduceCalls } : {}),
    ...(noteTokens !== undefined ? { noteTokens } : {}),
    ...(inputs.skipped.length ? { skipped: inputs.skipped } : {}),
    ...(inputs.ignored ? { ignored: inputs.ignored } : {}),
  });
  const { onProgress: report, prompt, ...base } = req;
  // A heartbeat while a part is read (a long prompt is evaluated without events): the last
  // progress nudged up, by less each time (never a twentieth of a step in all), at least every
  // half second, so clients see the work go on.
  let lastP = -1;
  let lastReal = -1;
  let beats = 0;
  let lastMsg = '';
  let lastTotal: number | undefined;
  let lastAt = performance.now();
  const send = (p: OffloadProgress) => {
    if (p.progress <= lastP) return false;
    lastP = p.progress;
    lastTotal = p.total ?? lastTotal;
    lastAt = performance.now();
    report!(p);
    return true;
  };
  const onProgress = report
    ? (p: OffloadProgress) => {
        // Past the last real step but not past the heartbeats' nudges: sent just above them.
        if (p.progress > lastReal && p.progress <= lastP) p = { ...p, progress: lastP + 1e-6 };
        if (send(p)) {
          lastReal = p.progress;
          lastMsg = p.message;
          beats = 0;
        }
      }
    : undefined;
  const heartbeat = onProgress
    ? setInterval(() => {
        if (performance.now() - lastAt >= HEARTBEAT_MS - 20 && lastReal >= 0)
          send({ progress: lastReal + 0.05 * (1 - 0.999 ** ++beats), total: lastTotal, message: `still working (${lastMsg})` });
      }, HEARTBEAT_MS)
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
    const stopped = (parts: number, reduceCalls: number, noteTokens: number): CompleteResult & { input: InputSummary } => ({
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
      input: summary(parts, reduceCalls, noteTokens),
    });

    // Notes as they will be read: at most their budget (generated text can count more tokens
    // read back than it took to write, e.g. broken characters), 'nothing relevant' for none.
    const within = (text: string, budget: number): string => {
      const t = text.trim();
      if (!t) return 'nothing relevant';
      return model.countTokens(t) <= budget ? t : splitByTokens(t, budget, (x) => model.countTokens(x))[0].text.trim();
    };
    const tickSplit = prepTicker(onProgress, 0.5, 0.5, 'splitting into parts');
    const parts = await splitByTokensAsync(plan.material, plan.partBudget, (s) => model.countTokens(s), {
      signal: base.signal,
      onPart: (p) => tickSplit(p.end / plan.material.length),
    });
    const n = parts.length;
    const total = n + 2;
    const ctx = model.contextTokens;
    const instr = model.countTokens(prompt);
    const finalRoom = finalNotesRoom(ctx, instr, base.maxTokens ?? 512);
    const header = model.countTokens(`### Part ${n}\n\n`);
    // The notes of all parts share the final request's room (planned from an estimate of the parts;
    // now that they are counted, never more than the room kept beside each part).
    const noteTokens = notesFor(n, finalRoom, header, plan.noteTokens);
    onProgress?.({ progress: 1, total, message: `reading ${inputs.files.length} file(s) in ${n} parts` });

    // Map: up to `parallel` parts at once (the model's queue runs that many; node-llama-cpp batches
    // their decoding together). Notes keep the parts' order; progress counts parts done.
    const notes: Note[] = new Array(n);
    let done = 0;
    let lastBeat = 0;
    const mapped = await inTurn(n, model.parallel, base.signal, async (i) => {
      const p = parts[i];
      const files = filesIn(plan.spans, p);
      const { system, user } = mapRequest(prompt, i, n, files, p.text);
      const r = await sub(system, user, noteTokens, (tokens) => {
        const now = performance.now();
        if (now - lastBeat < 500) return;
        lastBeat = now;
        onProgress?.({ progress: 1 + done + Math.min(0.95, tokens / noteTokens), total, message: `reading part ${done + 1}/${n}` });
      });
      lastModel = r.model;
      lastBackend = r.backend;
      if (r.finishReason === 'cancelled' || r.finishReason === 'timeout' || cancelled(base.signal)) return false;
      notes[i] = { first: i + 1, last: i + 1, start: p.start, end: p.end, files, text: within(r.text, noteTokens) };
      done++;
      onProgress?.({ progress: 1 + done, total, message: `read part ${done}/${n}` });
      return true;
    });
    if (!mapped || cancelled(base.signal)) return stopped(n, 0, noteTokens);

    // Reduce: when the notes do not fit the final request, one round combines them in groups
    // whose outputs together fill it (a further round only when even that cannot fit).
    let current = notes;
    let reduceCalls = 0;
    const combineFixed = instr + SLACK + model.countTokens(COMBINE_SYSTEM) + 32;
    for (let round = 0; round < MAX_REDUCE_ROUNDS; round++) {
      if (model.countTokens(renderNotes(current)) <= finalRoom) break;
      const sizes = current.map((note) => model.countTokens(renderNotes([note])));
      // A combined note's header names its parts and files.
      const combinedHeader = model.countTokens(`### Parts ${n}-${n} (${filesIn(plan.spans, { start: 0, end: plan.material.length })})\n\n`);
      const groups = packNotes(current, sizes, ctx - combineFixed, finalRoom, combinedHeader);
      if (groups.length >= current.length) break; // nothing merges any more
      const outTokens = combineBudget(
        groups.length,
        finalRoom,
        combinedHeader,
        ctx - combineFixed - Math.max(...groups.map((g) => g.tokens)),
      );
      const next: Note[] = new Array(groups.length);
      let combined = 0;
      // Combining sits between n + 1 and n + 1.5 on the progress scale: round r in its own slice.
      const lo = n + 1 + 0.5 * (1 - 0.5 ** round);
      const at = (partial: number) => lo + 0.25 * 0.5 ** round * Math.min(0.99, (combined + partial) / groups.length);
      const message = `combining notes (round ${round + 1}, ${groups.length} groups)`;
      onProgress?.({ progress: at(0.001), total, message });
      const ok = await inTurn(groups.length, model.parallel, base.signal, async (k) => {
        const grp = groups[k].notes;
        let beat = performance.now();
        const r = await sub(COMBINE_SYSTEM, `Instruction: ${prompt}\n\n${renderNotes(grp)}`, outTokens, (tokens) => {
          const now = performance.now();
          if (now - beat < 500) return;
          beat = now;
          onProgress?.({ progress: at(Math.min(0.95, tokens / outTokens)), total, message });
        });
        reduceCalls++;
        if (r.finishReason === 'cancelled' || r.finishReason === 'timeout' || cancelled(base.signal)) return false;
        const [a, z] = [grp[0], grp[grp.length - 1]];
        next[k] = {
          first: a.first,
          last: z.last,
          start: a.start,
          end: z.end,
          files: filesIn(plan.spans, { start: a.start, end: z.end }),
          text: within(r.text, outTokens),
        };
        combined++;
        onProgress?.({ progress: at(0), total, message });
        return true;
      });
      if (!ok || cancelled(base.signal)) return stopped(n, reduceCalls, noteTokens);
      current = next;
    }
    let joined = renderNotes(current);
    if (model.countTokens(joined) > finalRoom) joined = splitByTokens(joined, Math.max(1, finalRoom), (s) => model.countTokens(s))[0].text;
    if (cancelled(base.signal)) return stopped(n, reduceCalls, noteTokens);
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
      input: summary(n, reduceCalls, noteTokens),
    };
  }
}
