/**
 * OpenAI-compatible local servers: Ollama, llama.cpp's server, LM Studio, vLLM.
 * Chat completions with SSE streaming; /v1/models; Ollama's native /api/tags for discovery.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { logger } from '../log.js';
import { estimateTokens, excerpt, networkErrorText, type GenerateRequest, type GenerateResult, type LoadedModel } from './backend.js';
import type { ModelInfo } from './types.js';
import { BackendError, CallerError, RetryableError } from '../errors.js';

const log = logger('models');

export type FetchImpl = typeof fetch;

/** "http://host:port/v1/" -> "http://host:port" (the /v1 prefix is added per endpoint). */
export function normalizeBaseUrl(url: string): string {
  let u = url.trim();
  if (!/^https?:\/\//i.test(u)) throw new CallerError(`server URL must start with http:// or https://, got "${url}"`);
  u = u.replace(/\/+$/, '');
  u = u.replace(/\/v1$/i, '');
  return u;
}

function timeoutSignal(ms: number, outer?: AbortSignal): { signal: AbortSignal; clear: () => void } {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(new Error(`timed out after ${ms} ms`)), ms);
  const onAbort = () => ac.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: ac.signal,
    clear: () => {
      clearTimeout(t);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * An HTTP error status from a model server, with its kind: 429 is retryable (after Retry-After); 408 and
 * 5xx are the server failing; 401, 403, 404 and 407 mean the server does not serve this model to this
 * process (no argument fixes that), so they count against the server too; any other 4xx is the request's
 * fault (longer than the context, a schema the server rejects).
 */
export function httpError(status: number, message: string, retryAfter?: string | null): Error {
  if (status === 429) return new RetryableError(message, retryAfterMs(retryAfter));
  if (status >= 400 && status < 500 && ![401, 403, 404, 407, 408].includes(status)) return new CallerError(message);
  return new BackendError(message);
}

/** A Retry-After header (seconds or an HTTP date) in ms, 1 s when absent, within [100 ms, 10 min]. */
function retryAfterMs(h: string | null | undefined): number {
  let ms = 1000;
  if (h && /^\d+$/.test(h.trim())) ms = Number(h.trim()) * 1000;
  else if (h && Number.isFinite(Date.parse(h))) ms = Date.parse(h) - Date.now();
  return Math.min(600_000, Math.max(100, Math.round(ms)));
}

/** GET a JSON document with a timeout; errors name the URL and what went wrong. */
export async function getJson(
  url: string,
  timeoutMs: number,
  fetchImpl: FetchImpl = fetch,
  headers?: Record<string, string>,
): Promise<unknown> {
  const { signal, clear } = timeoutSignal(timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetchImpl(url, { signal, headers: { accept: 'application/json', ...headers } });
    } catch (err) {
      if (signal.aborted) throw new BackendError(`GET ${url}: no answer within ${timeoutMs} ms`);
      throw new BackendError(`GET ${url}: cannot connect (${networkErrorText(err)})`);
    }
    const body = await res.text();
    if (!res.ok)
      throw httpError(res.status, `GET ${url} -> HTTP ${res.status} ${res.statusText}: ${excerpt(body)}`, res.headers.get('retry-after'));
    try {
      return JSON.parse(body);
    } catch {
      throw new BackendError(`GET ${url}: answer is not JSON: ${excerpt(body)}`);
    }
  } finally {
    clear();
  }
}

/** Model ids listed by GET {baseUrl}/v1/models. */
export async function listOpenAIModels(baseUrl: string, timeoutMs = 2000, fetchImpl: FetchImpl = fetch): Promise<string[]> {
  const j = (await getJson(`${normalizeBaseUrl(baseUrl)}/v1/models`, timeoutMs, fetchImpl)) as { data?: unknown } | null;
  if (!j || !Array.isArray(j.data))
    throw new BackendError(`GET ${baseUrl}/v1/models: expected {"data": [...]}, got ${excerpt(JSON.stringify(j))}`);
  return j.data.map((m: { id?: unknown } | null) => String(m?.id ?? '')).filter(Boolean);
}

/** One entry of Ollama's /api/tags as read here: server JSON, so a field may be missing or of another type. */
interface OllamaTagWire {
  name?: unknown;
  model?: unknown;
  size?: unknown;
  details?: { family?: string; parameter_size?: string; quantization_level?: string; format?: string };
}

export interface OllamaTag {
  name: string;
  size?: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
  format?: string;
}

/** Models listed by Ollama's native GET {baseUrl}/api/tags. */
export async function listOllamaTags(baseUrl: string, timeoutMs = 2000, fetchImpl: FetchImpl = fetch): Promise<OllamaTag[]> {
  const j = (await getJson(`${normalizeBaseUrl(baseUrl)}/api/tags`, timeoutMs, fetchImpl)) as { models?: unknown } | null;
  if (!j || !Array.isArray(j.models))
    throw new BackendError(`GET ${baseUrl}/api/tags: expected {"models": [...]}, got ${excerpt(JSON.stringify(j))}`);
  return j.models
    .map((m: OllamaTagWire | null) => ({
      name: String(m?.name ?? m?.model ?? ''),
      size: typeof m?.size === 'number' ? m.size : undefined,
      family: m?.details?.family,
      parameterSize: m?.details?.parameter_size,
      quantization: m?.details?.quantization_level,
      format: m?.details?.format,
    }))
    .filter((m: OllamaTag) => m.name);
}

export interface OpenAIModelOptions {
  fetchImpl?: FetchImpl;
  headers?: Record<string, string>;
}

/**
 * A chat completion as read here, whole (message) or one streamed chunk (delta): server JSON, so any
 * field may be missing or of another type; text is checked or converted where it is used.
 */
interface CompletionWire {
  error?: unknown;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  choices?: { message?: { content?: unknown }; delta?: { content?: unknown }; text?: unknown; finish_reason?: string | null }[];
}

class OpenAIModel implements LoadedModel {
  readonly backend = 'openai' as const;
  private readonly baseUrl: string;
  private readonly model: string;
  private readonly fetchImpl: FetchImpl;

  constructor(
    readonly info: ModelInfo,
    private readonly opts: OpenAIModelOptions,
  ) {
    if (!info.baseUrl) throw new Error(`model ${info.id} has no server URL`);
    this.baseUrl = normalizeBaseUrl(info.baseUrl);
    this.model = info.name;
    this.fetchImpl = opts.fetchImpl ?? fetch;
  }

  countTokens(): null {
    return null;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const url = `${this.baseUrl}/v1/chat/completions`;
    const body: Record<string, unknown> = {
      model: this.model,
      messages: req.messages,
      max_tokens: req.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    };
    if (req.temperature !== undefined) body.temperature = req.temperature;
    if (req.topP !== undefined) body.top_p = req.topP;
    if (req.stop?.length) body.stop = req.stop;
    if (req.jsonSchema)
      body.response_format = { type: 'json_schema', json_schema: { name: 'output', strict: true, schema: req.jsonSchema } };

    const t0 = performance.now();
    let firstChunkMs: number | null = null;
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    let usage: { prompt_tokens?: number; completion_tokens?: number } | null = null;
    let done = false;
    let failure: Error | null = null;

    const result = (stopReason: GenerateResult['stopReason']): GenerateResult => {
      const promptEstimate = estimateTokens(req.messages.map((m) => m.content).join('\n'));
      const hasUsage = typeof usage?.completion_tokens === 'number' && typeof usage?.prompt_tokens === 'number';
      return {
        text,
        promptTokens: hasUsage ? usage!.prompt_tokens! : promptEstimate,
        completionTokens: hasUsage ? usage!.completion_tokens! : estimateTokens(text),
        tokenCountMethod: hasUsage ? 'server' : 'estimate',
        firstChunkMs,
        stopReason,
        generationMs: performance.now() - t0,
      };
    };

    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...this.opts.headers },
        body: JSON.stringify(body),
        signal: req.signal,
      });
    } catch (err) {
      if (req.signal.aborted) return result('abort');
      throw new BackendError(
        `cannot reach model server ${this.baseUrl} (POST /v1/chat/completions): ${networkErrorText(err)}; is the server running?`,
      );
    }
    if (!res.ok) {
      const errBody = await res.text().catch(() => '');
      throw httpError(
        res.status,
        `model server ${this.baseUrl}: POST /v1/chat/completions (model "${this.model}") -> HTTP ${res.status} ${res.statusText}: ${excerpt(errBody) || '(empty body)'}`,
        res.headers.get('retry-after'),
      );
    }
    const ctype = res.headers.get('content-type') ?? '';
    if (!ctype.includes('text/event-stream')) {
      // A server that ignored stream:true and answered with one JSON document.
      const raw = await res.text();
      let j: CompletionWire | null;
      try {
        j = JSON.parse(raw);
      } catch {
        throw new BackendError(`model server ${this.baseUrl}: expected an SSE stream or JSON, got "${ctype}": ${excerpt(raw)}`);
      }
      text = String(j?.choices?.[0]?.message?.content ?? '');
      usage = j?.usage ?? null;
      finish = j?.choices?.[0]?.finish_reason ?? 'stop';
      if (text) {
        firstChunkMs = performance.now() - t0;
        req.onText?.(text, estimateTokens(text));
      }
      return result(finish === 'length' ? 'length' : 'stop');
    }

    const parser = createParser({
      onEvent: (ev: EventSourceMessage) => {
        if (done || failure) return;
        const data = ev.data.trim();
        if (data === '[DONE]') {
          done = true;
          return;
        }
        if (!data) return;
        let j: CompletionWire | null;
        try {
          j = JSON.parse(data);
        } catch {
          failure = new BackendError(`malformed SSE event from model server ${this.baseUrl}: data is not JSON: ${excerpt(data, 120)}`);
          return;
        }
        if (j?.error) {
          failure = new BackendError(
            `model server ${this.baseUrl} reported an error mid-stream: ${excerpt(typeof j.error === 'string' ? j.error : JSON.stringify(j.error))}`,
          );
          return;
        }
        if (j?.usage) usage = j.usage;
        const choice = j?.choices?.[0];
        if (!choice) return;
        const piece = choice.delta?.content ?? choice.text ?? '';
        if (typeof piece === 'string' && piece.length) {
          if (firstChunkMs === null) firstChunkMs = performance.now() - t0;
          text += piece;
          chunks++;
          req.onText?.(piece, chunks);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      },
    });

    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done: eof } = await reader.read();
        if (eof) break;
        parser.feed(decoder.decode(value, { stream: true }));
        if (failure) break;
        if (done) break;
      }
      parser.feed(decoder.decode());
    } catch (err) {
      if (req.signal.aborted) return result('abort');
      throw new BackendError(`model server ${this.baseUrl}: stream broke off: ${networkErrorText(err)}`);
    } finally {
      reader.cancel().catch(() => {});
    }
    if (failure) throw failure;
    if (req.signal.aborted) return result('abort');
    if (!done && !finish)
      throw new BackendError(`model server ${this.baseUrl}: stream ended before the completion finished (no finish_reason and no [DONE])`);
    return result(finish === 'length' ? 'length' : 'stop');
  }

  async check(signal?: AbortSignal): Promise<void> {
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await this.generate({ messages: [{ role: 'user', content: 'hello' }], maxTokens: 1, temperature: 0, signal: ac.signal });
      if (r.stopReason === 'abort') throw new BackendError(`check of ${this.info.id} at ${this.baseUrl} was aborted`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async dispose(): Promise<void> {
    /* nothing held locally; the server manages its own memory */
  }
}

/** A model on an OpenAI-compatible server, without asking the server anything yet. */
export function serverModel(info: ModelInfo, opts: OpenAIModelOptions = {}): LoadedModel {
  return new OpenAIModel({ ...info, baseUrl: normalizeBaseUrl(info.baseUrl ?? '') }, opts);
}

/**
 * Connects to a model on an OpenAI-compatible server. When the server lists its
 * models (/v1/models) the name must be among them.
 */
export async function loadServerModel(info: ModelInfo, opts: OpenAIModelOptions & { listTimeoutMs?: number } = {}): Promise<LoadedModel> {
  const base = normalizeBaseUrl(info.baseUrl ?? '');
  let names: string[] | null = null;
  try {
    names = await listOpenAIModels(base, opts.listTimeoutMs ?? 3000, opts.fetchImpl);
  } catch (err) {
    const msg = (err as Error).message;
    if (/cannot connect|no answer within/.test(msg)) throw new BackendError(`model server ${base} is unreachable: ${msg}`);
    log.debug('server does not list models; trying the model directly', { baseUrl: base, error: msg });
  }
  if (names && names.length && !names.includes(info.name)) {
    throw new CallerError(`model "${info.name}" is not on ${base}; it has: ${names.slice(0, 20).join(', ')}`);
  }
  return new OpenAIModel({ ...info, baseUrl: base }, opts);
}
