/** Internal contract shared by the backends (GGUF in process, OpenAI-compatible server, ruvllm). */
import type { BackendKind, ChatMessage, ModelInfo } from './types.js';

export interface GenerateRequest {
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  jsonSchema?: Record<string, unknown>;
  /** Aborts generation; the backend returns what it has with stopReason 'abort'. */
  signal: AbortSignal;
  onText?: (chunk: string, tokensSoFar: number) => void;
}

export interface GenerateResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  tokenCountMethod: 'tokenizer' | 'server' | 'estimate';
  /** ms since the start of generate() until the first text chunk (null when none came). */
  firstChunkMs: number | null;
  stopReason: 'stop' | 'length' | 'abort';
  /** ms spent generating (request start to last token), for tokens/s. */
  generationMs: number;
}

export interface LoadedModel {
  readonly info: ModelInfo;
  readonly backend: BackendKind;
  /** Exact token count with the model's tokenizer, or null when only an estimate is possible. */
  countTokens(text: string): number | null;
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /** Checks that the model really answers (used before a swap is committed). */
  check(signal?: AbortSignal): Promise<void>;
  dispose(): Promise<void>;
}

/** chars/4, the usual rough estimate when no tokenizer is at hand. */
import { estimateTokens } from '../tokens.js';
export { estimateTokens };

export function excerpt(s: string, n = 200): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n) + '…' : t;
}

/** Node's fetch wraps network errors in "fetch failed"; dig out the real code/message. */
export function networkErrorText(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
  const cause = e?.cause;
  if (cause?.code) return cause.code + (cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : '');
  if (cause?.errors?.length)
    return (
      cause.errors
        .map((x) => x.code)
        .filter(Boolean)
        .join(', ') || String(cause.message)
    );
  if (cause?.message) return cause.message;
  return e?.message ?? String(err);
}
