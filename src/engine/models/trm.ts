/**
 * TRM: test-time recursive refinement. draft -> score -> (critique -> refine -> score)*,
 * stopping when the score reaches the threshold, the answer stops changing, or
 * maxIterations is hit. The score comes from the model itself (a self-evaluation
 * whose answer is grammar/response_format-constrained JSON {"score": 0..10}) or,
 * when a JSON schema is given, from the schema validator. No length heuristics.
 */
import type { GenerateResult } from './backend.js';
import { checkJson } from './schema.js';
import { ContextOverflowError } from '../errors.js';
import type { ChatMessage, TrmOptions, TrmResult } from './types.js';

export const SCORE_SCHEMA = {
  type: 'object',
  properties: { score: { type: 'integer', enum: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } },
  required: ['score'],
  additionalProperties: false,
} as const;

export type TrmPhase = 'draft' | 'score' | 'critique' | 'refine';

export interface TrmGenerateArgs {
  messages: ChatMessage[];
  jsonSchema?: Record<string, unknown>;
  maxTokens?: number;
  temperature?: number;
  phase: TrmPhase;
  iteration: number;
}

export type TrmGenerate = (args: TrmGenerateArgs) => Promise<GenerateResult>;

export interface TrmRun {
  text: string;
  trm: TrmResult;
  /** All generations of the run (their token counts sum to the run's cost). */
  calls: GenerateResult[];
  /** True when a generation was aborted (cancel or timeout). */
  aborted: boolean;
  /** Stop reason of the draft that was returned. */
  stopReason: GenerateResult['stopReason'];
}

/** Texts quoted inside review prompts are clipped so that the prompts stay bounded. */
const CLIP_CHARS = 6000;
function clip(s: string): string {
  return s.length > CLIP_CHARS ? s.slice(0, CLIP_CHARS) + ' […]' : s;
}

function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content;
  return messages.map((m) => m.content).join('\n');
}

/** Reads the model's own score (0..10) from its constrained JSON answer. Returns null when there is none. */
export function parseScore(text: string): number | null {
  try {
    const j = JSON.parse(text);
    const s = typeof j === 'number' ? j : j?.score;
    if (typeof s === 'number' && Number.isFinite(s)) return Math.min(10, Math.max(0, s));
  } catch {
    /* a server that ignored response_format: take the number it wrote */
  }
  const m = /"?score"?\s*[:=]\s*(\d+(?:\.\d+)?)/i.exec(text) ?? /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*10)?\s*$/.exec(text);
  if (m) return Math.min(10, Math.max(0, Number(m[1])));
  return null;
}

export async function runTrm(
  task: { messages: ChatMessage[]; jsonSchema?: Record<string, unknown> },
  opts: TrmOptions,
  gen: TrmGenerate,
): Promise<TrmRun> {
  const maxIterations = Math.min(8, Math.max(1, Math.floor(opts.maxIterations)));
  const threshold = opts.threshold ?? 0.8;
  const scoreMethod: TrmResult['scoreMethod'] = task.jsonSchema ? 'schema' : 'self-eval';
  const question = lastUserText(task.messages);
  const calls: GenerateResult[] = [];
  const drafts: string[] = [];
  const stops: GenerateResult['stopReason'][] = [];
  const scores: number[] = [];
  let converged = false;
  let aborted = false;

  const call = async (a: TrmGenerateArgs): Promise<GenerateResult> => {
    const r = await gen(a);
    calls.push(r);
    if (r.stopReason === 'abort') aborted = true;
    return r;
  };
  /** Like call, but a review prompt that no longer fits the context ends the refinement (null) instead of failing it. */
  const tryCall = async (a: TrmGenerateArgs): Promise<GenerateResult | null> => {
    try {
      return await call(a);
    } catch (err) {
      if (err instanceof ContextOverflowError) return null;
      throw err;
    }
  };
  let stoppedBy: NonNullable<TrmResult['stoppedBy']> = 'maxIterations';

  const score = async (answer: string, iteration: number): Promise<number | null> => {
    if (task.jsonSchema) return checkJson(task.jsonSchema, answer).ok ? 1 : 0;
    const r = await tryCall({
      phase: 'score',
      iteration,
      temperature: 0,
      maxTokens: 24,
      jsonSchema: SCORE_SCHEMA as unknown as Record<string, unknown>,
      messages: [
        { role: 'system', content: 'You are a strict reviewer. You grade answers honestly.' },
        {
          role: 'user',
          content:
            `Task:\n${clip(question)}\n\nAnswer:\n${clip(answer)}\n\n` +
            'Rate how well the answer solves the task, from 0 (wrong or useless) to 10 (correct and complete). ' +
            'Reply only with JSON: {"score": <integer 0-10>}',
        },
      ],
    });
    if (!r) return null;
    const s = parseScore(r.text);
    return s === null ? 0 : s / 10;
  };

  let draft = await call({ phase: 'draft', iteration: 1, messages: task.messages, jsonSchema: task.jsonSchema });
  for (let it = 1; it <= maxIterations; it++) {
    drafts.push(draft.text);
    stops.push(draft.stopReason);
    if (aborted) {
      stoppedBy = 'cancelled';
      break;
    }
    const s = await score(draft.text, it);
    if (aborted) {
      stoppedBy = 'cancelled';
      break;
    }
    if (s === null) {
      stoppedBy = 'context';
      break;
    }
    scores.push(s);
    if (s >= threshold) {
      converged = true;
      stoppedBy = 'converged';
      break;
    }
    if (it === maxIterations) break;
    const critique = await tryCall({
      phase: 'critique',
      iteration: it,
      maxTokens: 256,
      messages: [
        { role: 'system', content: 'You review answers and point out concrete mistakes and omissions, briefly.' },
        { role: 'user', content: `Task:\n${clip(question)}\n\nAnswer:\n${clip(draft.text)}\n\nList the concrete problems of this answer.` },
      ],
    });
    if (aborted || !critique) {
      stoppedBy = aborted ? 'cancelled' : 'context';
      break;
    }
    const refined = await tryCall({
      phase: 'refine',
      iteration: it + 1,
      jsonSchema: task.jsonSchema,
      messages: [
        ...task.messages,
        { role: 'assistant', content: clip(draft.text) },
        {
          role: 'user',
          content: `A reviewer found these problems:\n${clip(critique.text)}\n\nWrite an improved, complete answer to the original task. Reply with the answer only.`,
        },
      ],
    });
    if (!refined) {
      stoppedBy = 'context';
      break;
    }
    if (refined.stopReason === 'abort') {
      stoppedBy = 'cancelled';
      break;
    }
    if (refined.text.trim() === draft.text.trim()) {
      // fixed point: refinement no longer changes the answer
      stoppedBy = 'unchanged';
      break;
    }
    draft = refined;
  }
  // Return the best-scored draft (the latest among equals); unscored drafts (aborted) only if nothing was scored.
  let best = drafts.length - 1;
  if (scores.length) {
    best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i] >= scores[best]) best = i;
  }
  return {
    text: drafts[best] ?? '',
    trm: { iterations: drafts.length, scores, converged, scoreMethod, drafts, stoppedBy },
    calls,
    aborted,
    stopReason: stops[best] ?? 'abort',
  };
}
