/**
 * Embedders: the offline default, a GGUF embedding model through node-llama-cpp,
 * and OpenAI-compatible / Ollama embeddings endpoints.
 *
 * Spec strings accepted by createEmbedder():
 *   "default"                                  offline hashed WordNet embedder (512-d)
 *   "gguf:/abs/path/model.gguf"                GGUF embedding model via node-llama-cpp (loaded lazily)
 *   "openai:http://host:port/v1#model-name"    POST {base}/embeddings   (OpenAI-compatible; key from OPENAI_API_KEY or RUVLLM_MCP_EMBED_API_KEY)
 *   "ollama:http://127.0.0.1:11434#model-name" POST {base}/api/embed     (Ollama)
 */
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { logger } from '../log.js';
import { readGgufHeader } from '../models/gguf-header.js';
import { HashedWordNetEmbedder, l2normalize, type HashedEmbedderOptions } from './hashed-embedder.js';
import type { Embedder } from './types.js';

const log = logger('patterns');

/** An embedder that can also embed synchronously (the default one can; the router uses it). */
export interface SyncEmbedder extends Embedder {
  embedSync(text: string): Float32Array;
}

export function createDefaultEmbedder(opts?: HashedEmbedderOptions): SyncEmbedder {
  return new HashedWordNetEmbedder(opts);
}

export { l2normalize };

/**
 * Embedders whose dimension is only known after the first call. `dim` is 0 until then;
 * call `ready()` (PatternBank.open and switchEmbedder do) to learn it.
 */
export interface ProbingEmbedder extends Embedder {
  ready(): Promise<void>;
}

export function isProbing(e: Embedder): e is ProbingEmbedder {
  return typeof (e as Partial<ProbingEmbedder>).ready === 'function';
}

// ---------------------------------------------------------------------------
// GGUF through node-llama-cpp

export interface GgufEmbedderOptions {
  /** CPU threads for the embedding context (default: 1; embeddings are short). */
  threads?: number;
  /** Context size in tokens (default 512). Longer texts are truncated to fit. */
  contextSize?: number;
}

export class GgufEmbedder implements ProbingEmbedder {
  readonly id: string;
  private _dim = 0;
  private state: Promise<{
    ctx: {
      getEmbeddingFor(t: string | readonly number[]): Promise<{ vector: readonly number[] }>;
      calculateInputLength(t: readonly number[]): number;
    };
    tokenize: (t: string) => readonly number[];
    maxTokens: number;
    dispose: () => Promise<void>;
  }> | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly modelPath: string,
    private readonly opts: GgufEmbedderOptions = {},
  ) {
    if (!isAbsolute(modelPath)) modelPath = resolve(modelPath);
    this.modelPath = modelPath;
    if (!existsSync(modelPath) || !statSync(modelPath).isFile()) {
      throw new Error(`embedding model file not found: ${modelPath}; pass the absolute path of a .gguf embedding model`);
    }
    this.id = `gguf:${basename(modelPath)}`;
  }

  get dim(): number {
    return this._dim;
  }

  async ready(): Promise<void> {
    await this.load();
  }

  private load() {
    if (!this.state) {
      this.state = (async () => {
        const { getLlama } = await import('node-llama-cpp');
        const llama = await getLlama({ gpu: false, logLevel: 'error' as never, logger: () => {} });
        await readGgufHeader(this.modelPath); // node-llama-cpp's header parser is unbounded: ours first
        const model = await llama.loadModel({ modelPath: this.modelPath });
        const contextSize = Math.min(this.opts.contextSize ?? 512, model.trainContextSize);
        const ctx = await model.createEmbeddingContext({ contextSize, threads: this.opts.threads ?? 1 });
        this._dim = model.embeddingVectorSize;
        log.info('gguf embedder loaded', { model: this.modelPath, dim: this._dim });
        return {
          ctx: ctx as unknown as {
            getEmbeddingFor(t: string | readonly number[]): Promise<{ vector: readonly number[] }>;
            calculateInputLength(t: readonly number[]): number;
          },
          tokenize: (t: string) => model.tokenize(t) as unknown as readonly number[],
          maxTokens: contextSize,
          dispose: async () => {
            await ctx.dispose();
            await model.dispose();
          },
        };
      })();
      this.state.catch(() => {
        this.state = null;
      });
    }
    return this.state;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const { ctx, tokenize, maxTokens } = await this.load();
    // One context evaluates one sequence at a time: serialise calls.
    const run = this.chain.then(async () => {
      const out: Float32Array[] = [];
      for (const t of texts) {
        // texts longer than the context are truncated (their start carries the task)
        let tokens = tokenize(t.length ? t : ' ');
        const room = maxTokens - 1 - (ctx.calculateInputLength(tokens) - tokens.length); // BOS/EOS the model adds
        if (tokens.length > room) tokens = tokens.slice(0, Math.max(1, room));
        const e = await ctx.getEmbeddingFor(tokens);
        out.push(l2normalize(Float32Array.from(e.vector)));
      }
      return out;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (!this.state) return;
    const s = await this.state.catch(() => null);
    this.state = null;
    await s?.dispose();
  }
}

// ---------------------------------------------------------------------------
// HTTP: OpenAI-compatible and Ollama

export interface HttpEmbedderOptions {
  kind: 'openai' | 'ollama';
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Request timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Texts per request (default 64). */
  batchSize?: number;
}

export class HttpEmbedder implements ProbingEmbedder {
  readonly id: string;
  private _dim = 0;
  private readonly url: string;

  constructor(private readonly o: HttpEmbedderOptions) {
    let u: URL;
    try {
      u = new URL(o.baseUrl);
    } catch {
      throw new Error(`invalid embeddings base URL "${o.baseUrl}"; expected e.g. http://127.0.0.1:11434`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`embeddings base URL must be http(s), got "${o.baseUrl}"`);
    if (!o.model) throw new Error(`no embedding model named for ${o.baseUrl}; add "#<model>" to the spec`);
    const base = o.baseUrl.replace(/\/+$/, '');
    this.url = o.kind === 'openai' ? `${base}/embeddings` : `${base}/api/embed`;
    this.id = `${o.kind}:${o.model}`;
  }

  get dim(): number {
    return this._dim;
  }

  async ready(): Promise<void> {
    if (!this._dim) await this.embed(['dimension probe']);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const bs = this.o.batchSize ?? 64;
    for (let i = 0; i < texts.length; i += bs) out.push(...(await this.request(texts.slice(i, i + bs))));
    return out;
  }

  private async request(input: string[]): Promise<Float32Array[]> {
    if (input.length === 0) return [];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.o.apiKey) headers.authorization = `Bearer ${this.o.apiKey}`;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.o.model, input }),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      });
    } catch (e) {
      throw new Error(`embeddings request to ${this.url} failed: ${(e as Error).message}; is the server running?`, { cause: e });
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`embeddings endpoint ${this.url} answered ${res.status}: ${text.slice(0, 300)}`);
    let body: { data?: { embedding: number[]; index?: number }[]; embeddings?: number[][] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`embeddings endpoint ${this.url} returned non-JSON: ${text.slice(0, 200)}`);
    }
    let vecs: number[][];
    if (this.o.kind === 'openai') {
      if (!Array.isArray(body.data)) throw new Error(`embeddings endpoint ${this.url} returned no "data" array`);
      vecs = [...body.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
    } else {
      if (!Array.isArray(body.embeddings)) throw new Error(`Ollama endpoint ${this.url} returned no "embeddings" array`);
      vecs = body.embeddings;
    }
    if (vecs.length !== input.length)
      throw new Error(`embeddings endpoint ${this.url} returned ${vecs.length} vectors for ${input.length} inputs`);
    const dim = vecs[0]?.length ?? 0;
    if (!dim || vecs.some((v) => !Array.isArray(v) || v.length !== dim))
      throw new Error(`embeddings endpoint ${this.url} returned vectors of inconsistent or zero length`);
    if (this._dim && dim !== this._dim) throw new Error(`embedding model ${this.o.model} changed dimension from ${this._dim} to ${dim}`);
    this._dim = dim;
    return vecs.map((v) => l2normalize(Float32Array.from(v)));
  }
}

/** Builds an embedder from a spec string (see the file header for the formats). */
export function createEmbedder(spec: string, env: NodeJS.ProcessEnv = process.env): Embedder {
  const s = spec.trim();
  if (s === '' || s === 'default') return createDefaultEmbedder();
  const colon = s.indexOf(':');
  const kind = colon > 0 ? s.slice(0, colon) : '';
  const rest = s.slice(colon + 1);
  if (kind === 'gguf') return new GgufEmbedder(rest);
  if (kind === 'openai' || kind === 'ollama') {
    const hash = rest.lastIndexOf('#');
    if (hash < 0) throw new Error(`embedder spec "${spec}" names no model; use "${kind}:<baseUrl>#<model>"`);
    return new HttpEmbedder({
      kind,
      baseUrl: rest.slice(0, hash),
      model: rest.slice(hash + 1),
      apiKey: env.RUVLLM_MCP_EMBED_API_KEY || (kind === 'openai' ? env.OPENAI_API_KEY : undefined) || undefined,
    });
  }
  throw new Error(
    `unknown embedder spec "${spec}"; use "default", "gguf:/path/model.gguf", "openai:<baseUrl>#<model>" or "ollama:<baseUrl>#<model>"`,
  );
}
