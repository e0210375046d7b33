/**
 * GGUF models in process through node-llama-cpp.
 * node-llama-cpp is imported lazily so that the MCP server's startup never waits for it.
 */
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { logger } from '../log.js';
import { GgufHeaderError, readGgufHeader } from './gguf-header.js';
import { BackendError, CallerError, ContextOverflowError, errorKind, RetryableError } from '../errors.js';
import type { GenerateRequest, GenerateResult, LoadedModel } from './backend.js';
import type { ChatMessage, ModelInfo } from './types.js';

const log = logger('models');

type NLC = typeof import('node-llama-cpp');
type Llama = import('node-llama-cpp').Llama;
type LlamaModel = import('node-llama-cpp').LlamaModel;
type LlamaContext = import('node-llama-cpp').LlamaContext;
type LlamaContextSequence = import('node-llama-cpp').LlamaContextSequence;
type GbnfJsonSchema = import('node-llama-cpp').GbnfJsonSchema;
/** A grammar for a caller's JSON schema; its parse() types are of no use for a schema known only at run time. */
type LlamaGrammar = import('node-llama-cpp').LlamaGrammar;
type ChatHistoryItem = import('node-llama-cpp').ChatHistoryItem;

let nlcPromise: Promise<NLC> | null = null;
/** The node-llama-cpp module, imported once on first use. */
export function nodeLlamaCpp(): Promise<NLC> {
  nlcPromise ??= import('node-llama-cpp');
  return nlcPromise;
}

const llamas = new Map<string, Promise<Llama>>();

/**
 * One Llama instance per process (per GPU setting). `maxThreads` is set to the
 * machine's cores: node-llama-cpp's default (max(cores, 4)) oversubscribes small machines.
 */
export function getSharedLlama(gpu: 'auto' | false): Promise<Llama> {
  const key = String(gpu);
  let p = llamas.get(key);
  if (!p) {
    p = (async () => {
      const { getLlama, LlamaLogLevel } = await nodeLlamaCpp();
      const t0 = performance.now();
      let llama: Llama;
      try {
        llama = await getLlama({
          gpu,
          maxThreads: availableParallelism(),
          // Never compile llama.cpp from source at runtime: use a local build or the prebuilt binary.
          build: 'never',
          progressLogs: false,
          logLevel: LlamaLogLevel.error,
          logger: (level, message) => {
            const m = message.trim();
            if (m) log.debug('llama.cpp', { level, message: m });
          },
        });
      } catch (err) {
        throw new BackendError(
          `node-llama-cpp could not start llama.cpp on this machine (${(err as Error).message}); ` +
            'retry when the machine is less busy, reinstall node-llama-cpp, or use a local server (Ollama, LM Studio) instead',
        );
      }
      log.info('llama.cpp ready', { gpu: llama.gpu, ms: Math.round(performance.now() - t0), cpuMathCores: llama.cpuMathCores });
      return llama;
    })();
    p.catch(() => llamas.delete(key));
    llamas.set(key, p);
  }
  return p;
}

/**
 * CPU threads for a model: the configured number, or (0 = auto) one thread for
 * small models (< 64 MB, where thread sync costs more than it saves) and
 * cores - 1 otherwise (leaving a core for the server and the OS).
 * Measured on a 2-core box: tiny model 40 tokens 22 ms with 1 thread vs 1,064 ms with 2.
 */
export function chooseThreads(configured: number, modelBytes?: number, cores = availableParallelism()): number {
  if (configured > 0) return Math.floor(configured);
  if (modelBytes !== undefined && modelBytes < 64 * 1024 * 1024) return 1;
  return Math.max(1, Math.min(cores - 1, 16));
}

/**
 * Throws a clear error unless `file` is a GGUF file whose header the bounded reader accepts
 * (gguf-header.ts); returns its size. Every file goes through this before node-llama-cpp sees it.
 */
export async function assertGgufFile(file: string): Promise<number> {
  return (await readGgufHeader(file)).fileBytes;
}

/** The metadata keys a ModelInfo is made of (the architecture's context length is `<arch>.context_length`). */
const INFO_KEY = /^general\.(architecture|name|file_type|size_label)$|^[a-z0-9_-]+\.context_length$/;

/** Reads a GGUF file's metadata into a ModelInfo (id is derived from the file name; discovery may rename it). */
export async function readGgufModelInfo(file: string): Promise<ModelInfo> {
  const header = await readGgufHeader(file, { keep: (k) => INFO_KEY.test(k) });
  const meta = header.metadata;
  const architecture = meta.get('general.architecture');
  if (typeof architecture !== 'string' || !architecture)
    throw new GgufHeaderError(
      `cannot read GGUF metadata of ${file}: general.architecture is missing (the file may be truncated or corrupt)`,
    );
  const fileTypeNum = meta.get('general.file_type');
  let fileType: string | undefined;
  if (typeof fileTypeNum === 'number') {
    const { GgufFileType } = await nodeLlamaCpp();
    fileType = (GgufFileType as Record<number, string>)[fileTypeNum];
  }
  const name = meta.get('general.name');
  const sizeLabel = meta.get('general.size_label');
  const ctx = meta.get(`${architecture}.context_length`);
  const stem = basename(file).replace(/\.gguf$/i, '');
  return {
    id: `gguf:${stem}`,
    name: typeof name === 'string' && name ? name : stem,
    backend: 'gguf',
    source: 'file',
    path: file,
    sizeBytes: await splitModelSize(file, header.fileBytes),
    architecture,
    contextLength: typeof ctx === 'number' ? ctx : undefined,
    quantization: fileType ? fileType.replace(/^MOSTLY_/, '') : undefined,
    parameters: typeof sizeLabel === 'string' ? sizeLabel : undefined,
  };
}

/** The files of a split model (name-00001-of-0000N.gguf), or just `file`. */
function splitParts(file: string): string[] {
  const m = /^(.*)-00001-of-(\d{5})\.gguf$/i.exec(file);
  if (!m) return [file];
  return Array.from({ length: Number(m[2]) }, (_, i) => `${m[1]}-${String(i + 1).padStart(5, '0')}-of-${m[2]}.gguf`);
}

/** Total size of a split model (name-00001-of-0000N.gguf), or `size` for a single file. */
async function splitModelSize(file: string, size: number): Promise<number> {
  const parts = splitParts(file);
  if (parts.length === 1) return size;
  let total = 0;
  for (const part of parts) {
    try {
      total += (await stat(part)).size;
    } catch {
      /* a missing part: loading will report it */
    }
  }
  return total;
}

export interface GgufLoadOptions {
  gpu: 'auto' | false;
  /** 0 = auto (see chooseThreads). */
  threads: number;
  /** Tokens per sequence; 0 = the model's training context capped at 4096. */
  contextSize: number;
  /** Parallel sequences in the shared context. */
  parallel: number;
  signal?: AbortSignal;
}

function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const h: ChatHistoryItem[] = [];
  for (const m of messages) {
    if (m.role === 'system') h.push({ type: 'system', text: m.content });
    else if (m.role === 'user') h.push({ type: 'user', text: m.content });
    else h.push({ type: 'model', response: [m.content] });
  }
  // The response to generate.
  h.push({ type: 'model', response: [] });
  return h;
}

class GgufModel implements LoadedModel {
  readonly backend = 'gguf' as const;
  /** Idle sequences of the shared context, each with its LlamaChat (reused: the chat template is resolved once). */
  private free: { seq: LlamaContextSequence; chat: import('node-llama-cpp').LlamaChat }[];
  private grammars = new Map<string, Promise<LlamaGrammar>>();
  private disposed = false;

  constructor(
    readonly info: ModelInfo,
    private readonly nlc: NLC,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    readonly threads: number,
  ) {
    this.free = [];
    for (let i = 0; i < context.totalSequences; i++) {
      const seq = context.getSequence();
      this.free.push({ seq, chat: new nlc.LlamaChat({ contextSequence: seq, autoDisposeSequence: false }) });
    }
  }

  countTokens(text: string): number {
    return this.model.tokenize(text).length;
  }

  private grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let g = this.grammars.get(key);
    if (!g) {
      g = (async () => {
        try {
          return await this.llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema as GbnfJsonSchema);
        } catch (err) {
          // The caller's schema (already checked by ajv) is what the grammar builder could not handle.
          throw new CallerError(`jsonSchema cannot be turned into a grammar: ${(err as Error).message}; simplify the schema`);
        }
      })();
      g.catch(() => this.grammars.delete(key));
      if (this.grammars.size > 64) this.grammars.clear();
      this.grammars.set(key, g);
    }
    return g;
  }

  /** The prompt as the chat template renders it for this model, in tokens. */
  private promptTokenList(chat: import('node-llama-cpp').LlamaChat, history: ChatHistoryItem[]) {
    const state = chat.chatWrapper.generateContextState({ chatHistory: history });
    return state.contextText.tokenize(this.model.tokenizer);
  }

  private promptTokens(chat: import('node-llama-cpp').LlamaChat, history: ChatHistoryItem[]): number {
    return this.promptTokenList(chat, history).length;
  }

  /**
   * Evaluates all but the last token of a long prompt ahead of generation, one batch at a time,
   * checking the signal between batches: node-llama-cpp evaluates a prompt to its end once it has
   * started, so without this a cancel would wait for a whole context of prompt. The tokens the
   * sequence already holds (the same template and system prompt as the last request) are kept;
   * the chat then finds the prompt evaluated and decodes only its last token and the answer.
   */
  private async prefill(seq: LlamaContextSequence, tokens: import('node-llama-cpp').Token[], signal: AbortSignal): Promise<void> {
    const upto = tokens.length - 1;
    const step = Math.max(1, this.context.batchSize);
    if (upto <= step) return;
    await seq.adaptStateToTokens(tokens.slice(0, upto), false);
    for (let i = seq.nextTokenIndex; i < upto && !signal.aborted; i += step)
      await seq.evaluateWithoutGeneratingNewTokens(tokens.slice(i, Math.min(upto, i + step)));
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    if (this.disposed)
      throw new RetryableError(`model ${this.info.id} was unloaded (a swap replaced it); retry to use the active model`, 100);
    const slot = this.free.pop();
    if (!slot)
      throw new Error(`internal: no free sequence on ${this.info.id} (queue must limit concurrency to ${this.context.totalSequences})`);
    const t0 = performance.now();
    let firstChunkMs: number | null = null;
    let tokens = 0;
    const { chat } = slot;
    try {
      const history = toHistory(req.messages);
      const ctx = this.context.contextSize;
      // Every token covers at least one byte of text (template special tokens are covered by the
      // slack), so when this bound plus maxTokens fits the context nothing can overflow and the
      // prompt is counted after generation, keeping tokenization off the time to first token.
      const bound = req.messages.reduce((n, m) => n + Buffer.byteLength(m.content) + 16, 256);
      const countFirst = bound + req.maxTokens > ctx;
      // A prompt longer than a batch is rendered first: to count it, and to evaluate it in batches
      // that a cancel can stop between (see prefill).
      const long = countFirst || bound > this.context.batchSize;
      const rendered = long ? this.promptTokenList(chat, history) : null;
      let promptTokens = rendered ? rendered.length : -1;
      if (promptTokens >= ctx)
        throw new ContextOverflowError(
          `prompt is ${promptTokens} tokens but ${this.info.id}'s context holds ${ctx} per request; ` +
            `shorten the prompt or raise the context size (--context-size, the model supports up to ${this.model.trainContextSize})`,
        );
      const grammar = req.jsonSchema ? await this.grammarFor(req.jsonSchema) : undefined;
      // Never let generation run past the context: node-llama-cpp would shift the context and drop
      // the start of the prompt (or fail). The answer ends with finishReason 'length' instead.
      const maxTokens = countFirst ? Math.max(1, Math.min(req.maxTokens, ctx - promptTokens)) : req.maxTokens;
      if (rendered) await this.prefill(slot.seq, rendered, req.signal);
      req.signal.throwIfAborted();
      const res = await chat.generateResponse(history, {
        maxTokens,
        temperature: req.temperature,
        topP: req.topP,
        customStopTriggers: req.stop && req.stop.length ? req.stop : undefined,
        grammar,
        signal: req.signal,
        stopOnAbortSignal: true,
        onToken: (t) => {
          tokens += t.length;
        },
        onTextChunk: (text) => {
          if (firstChunkMs === null) firstChunkMs = performance.now() - t0;
          req.onText?.(text, tokens);
        },
      });
      const generationMs = performance.now() - t0;
      const reason = res.metadata.stopReason;
      if (promptTokens < 0) promptTokens = this.promptTokens(chat, history);
      return {
        text: res.response,
        promptTokens,
        completionTokens: tokens,
        tokenCountMethod: 'tokenizer',
        firstChunkMs,
        stopReason: reason === 'abort' ? 'abort' : reason === 'maxTokens' ? 'length' : 'stop',
        generationMs,
      };
    } catch (err) {
      if (!req.signal.aborted) {
        // A caller's mistake found on the way (context, grammar) keeps its kind; anything else is the backend failing.
        if (errorKind(err)) throw err;
        throw new BackendError(`generation failed on ${this.info.id}: ${(err as Error).message}`, { cause: err });
      }
      let promptTokens = 0;
      try {
        promptTokens = this.promptTokens(chat, toHistory(req.messages));
      } catch {
        /* counting is best effort here */
      }
      return {
        text: '',
        promptTokens,
        completionTokens: tokens,
        tokenCountMethod: 'tokenizer',
        firstChunkMs,
        stopReason: 'abort',
        generationMs: performance.now() - t0,
      };
    } finally {
      if (!slot.seq.disposed && !chat.disposed) this.free.push(slot);
    }
  }

  async check(signal?: AbortSignal): Promise<void> {
    const n = this.countTokens('hello');
    if (n < 1) throw new Error(`model ${this.info.id} tokenized "hello" into 0 tokens; the tokenizer looks broken`);
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await this.generate({ messages: [{ role: 'user', content: 'hello' }], maxTokens: 1, temperature: 0, signal: ac.signal });
      if (r.stopReason === 'abort') throw new Error(`check of ${this.info.id} was aborted`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const { chat } of this.free) chat.dispose({ disposeSequence: false });
    this.free = [];
    await this.context.dispose();
    await this.model.dispose();
    log.info('model unloaded', { model: this.info.id });
  }
}

/** Loads a GGUF file in process and returns it ready to generate (not yet checked). */
export async function loadGgufModel(info: ModelInfo, opts: GgufLoadOptions): Promise<LoadedModel & { threads: number }> {
  if (!info.path) throw new Error(`model ${info.id} has no file path`);
  // node-llama-cpp's own header parser is unbounded: every part must pass ours first.
  const size = await assertGgufFile(info.path);
  for (const part of splitParts(info.path).slice(1)) await assertGgufFile(part);
  const nlc = await nodeLlamaCpp();
  const llama = await getSharedLlama(opts.gpu);
  const threads = chooseThreads(opts.threads, size);
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: info.path, loadSignal: opts.signal });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'InsufficientMemoryError' || /out of memory|insufficient memory|failed to allocate/i.test(e.message))
      throw new BackendError(
        `not enough memory to load ${info.path} (${(size / 2 ** 30).toFixed(2)} GiB): ${e.message}; pick a smaller model or quantization`,
      );
    throw new BackendError(
      `cannot load GGUF model ${info.path}: ${e.message} (the file may be corrupt, truncated, or of an architecture this llama.cpp build does not support)`,
    );
  }
  const train = model.trainContextSize || info.contextLength || 2048;
  const contextSize = Math.max(64, Math.min(opts.contextSize > 0 ? opts.contextSize : 4096, train));
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize,
      sequences: Math.max(1, opts.parallel),
      threads: { ideal: threads, min: 1 },
      createSignal: opts.signal,
    });
  } catch (err) {
    await model.dispose().catch(() => {});
    throw new BackendError(
      `cannot create a context of ${contextSize} tokens x ${opts.parallel} sequences for ${info.path}: ${(err as Error).message}; lower contextSize or parallel`,
    );
  }
  log.info('model loaded', { model: info.id, contextSize, sequences: opts.parallel, threads, gpu: llama.gpu });
  return new GgufModel({ ...info, contextLength: info.contextLength ?? train, sizeBytes: size }, nlc, llama, model, context, threads);
}
