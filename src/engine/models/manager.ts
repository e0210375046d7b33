/**
 * ModelManager: the LocalModels implementation. Discovery, the active model, a
 * bounded queue per model, hot swap (load + check before release, drain the old),
 * TRM refinement, and memory of the last active model across restarts.
 */
import { join, resolve } from 'node:path';
import { logger } from '../log.js';
import { BackendError, CallerError, errorKind, RetryableError } from '../errors.js';
import { estimateTokens, type GenerateResult, type LoadedModel } from './backend.js';
import { checkModelPath, defaultModelDirs, defaultOllamaStore, discoverModels } from './discovery.js';
import { chooseThreads, getSharedLlama, loadGgufModel, readGgufModelInfo } from './gguf.js';
import { containedRealPath, outsideError } from './model-paths.js';
import { checkServerAddress, connectionKind, pinnedLoopbackFetch, type HostLookup, type ServerAddressRules } from './server-address.js';
import { loadServerModel, normalizeBaseUrl, type FetchImpl } from './openai.js';
import { EndpointPool, loadPool, type PoolOptions } from './pool.js';
import { ModelQueue } from './queue.js';
import { assertValidSchema, checkJson } from './schema.js';
import { runTrm } from './trm.js';
import type {
  ChatMessage,
  CompleteRequest,
  CompleteResult,
  LocalModels,
  ModelInfo,
  ModelManagerOptions,
  ModelsStatus,
  SwapResult,
  SwapTarget,
  TokenEvent,
} from './types.js';

const log = logger('models');

export { migrations } from '../store/sqlite/migrations-models.js';

export const RUVLLM_REFUSAL =
  '@ruvector/ruvllm is experimental and cannot serve completions: on this platform its engine cannot load model weights and produces random text. ' +
  'Use a GGUF model (--model <file.gguf>) or a local server (Ollama, LM Studio) instead.';

interface Active {
  info: ModelInfo;
  model: LoadedModel & { threads?: number };
  queue: ModelQueue;
}

interface SavedActive {
  target: SwapTarget;
  id: string;
  defaultModel: string;
}

export interface ModelManagerExtraOptions {
  /** fetch used for servers (tests). */
  fetchImpl?: FetchImpl;
  /** Ollama's model store to read GGUF blobs from (default ~/.ollama/models when scanDefaultDirs). */
  ollamaStore?: string | null;
  /** Home folder used for the default model folders (default os.homedir()). */
  home?: string;
  /** Resolver for server host names (tests: so no traffic leaves the machine). Default dns.promises.lookup. */
  lookup?: HostLookup;
  /** Balancing, cooldown and health-check settings of pools of servers (tests shorten them). */
  pool?: PoolOptions;
}

const DEFAULT_MAX_TOKENS = 512;
/** Discovery results are reused for this long unless a refresh is asked for. */
const DISCOVERY_TTL_MS = 30_000;

export class ModelManager implements LocalModels {
  private active: Active | null = null;
  private loading = false;
  private startPromise: Promise<void> | null = null;
  private swapChain: Promise<unknown> = Promise.resolve();
  private discovered: ModelInfo[] | null = null;
  private discoveredAt = 0;
  private discovering: Promise<ModelInfo[]> | null = null;
  private lastError: string | null = null;
  private retiring = new Set<Active>();
  private gpuName: string | false | null = null;
  private closed = false;
  private lastSwap: ModelsStatus['lastSwap'] = undefined;
  private readonly opts: ModelManagerOptions & ModelManagerExtraOptions;

  constructor(opts: ModelManagerOptions & ModelManagerExtraOptions) {
    if (!opts.repo) throw new Error('ModelManager needs its repository (options.repo: a Store has it, store/store.ts)');
    if (!(opts.parallel >= 1)) throw new Error(`parallel must be >= 1, got ${opts.parallel}`);
    if (!(opts.queueLimit >= 0)) throw new Error(`queueLimit must be >= 0, got ${opts.queueLimit}`);
    this.opts = { ...opts, modelsDir: resolve(opts.modelsDir) };
  }

  /** Discovered models and the saved swap (store/models-repo.ts). */
  private get repo() {
    return this.opts.repo;
  }

  /** Folders GGUF files are discovered in and swap paths must lie in. */
  modelFolders(): string[] {
    const dirs = [this.opts.modelsDir, ...this.opts.modelDirs.map((d) => resolve(d))];
    if (this.opts.scanDefaultDirs) dirs.push(...defaultModelDirs(this.opts.home));
    return [...new Set(dirs)];
  }

  /** Ollama's model store read by discovery, or null. */
  private ollamaStore(): string | null {
    return this.opts.ollamaStore !== undefined
      ? this.opts.ollamaStore
      : this.opts.scanDefaultDirs
        ? defaultOllamaStore(this.opts.home)
        : null;
  }

  /** Folders a discovered model file must lie in: the model folders and Ollama's blobs. */
  private fileRoots(): string[] {
    const store = this.ollamaStore();
    return store ? [...this.modelFolders(), join(store, 'blobs')] : this.modelFolders();
  }

  // ---------------------------------------------------------------- lifecycle

  start(): void {
    if (this.startPromise) return;
    this.loading = true;
    // The swap queue is held (synchronously, here) until the start has read the saved swap and made its first load:
    // a swap asked for right after start() queues behind the start's own load, as it did when that read was synchronous.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const before = this.swapChain;
    this.swapChain = before.catch(() => {}).then(() => held);
    this.startPromise = this.initialLoad(before, release)
      .catch((err) => {
        this.lastError = (err as Error).message;
        log.warn('no model loaded at start', { error: this.lastError });
      })
      .finally(() => {
        release();
        this.loading = false;
      });
  }

  /** Resolves when the background start (discovery + initial load) has finished. */
  ready(): Promise<void> {
    return this.startPromise ?? Promise.resolve();
  }

  /**
   * @param before the swap queue as it was at start() (awaited before the first load)
   * @param release lets the swap queue go on (held by start() until the first load settled)
   */
  private async initialLoad(before: Promise<unknown>, release: () => void): Promise<void> {
    let saved: SavedActive | null;
    const def = this.opts.defaultModel.trim();
    const errors: string[] = [];
    try {
      await before.catch(() => {});
      saved = await this.loadSaved();
      // The model the user configured at start always comes first: a swap saved by an earlier run
      // (perhaps asked for by a prompt-injected tool call) never silently replaces it.
      if (def) {
        try {
          // run here, at the head of the held queue (not through swapInternal, which would wait for the hold)
          await this.doSwap(targetFromString(def), { trusted: true, persist: true });
          if (saved && this.active?.info.id !== saved.id)
            this.noteLastSwap(saved, 'ignored', `--model ${def} was given at start and wins over the last hot swap`);
          return;
        } catch (err) {
          errors.push(`configured model: ${(err as Error).message}`);
          log.warn('could not load model at start', { why: 'configured model', error: (err as Error).message });
        }
      }
    } finally {
      release();
    }
    if (saved && !this.closed && !this.active) {
      // Restored only under the rules a tool call meets today (model folders, server addresses).
      try {
        if (saved.target.baseUrl) await checkServerAddress(saved.target.baseUrl, this.addressRules());
        await this.swapInternal(saved.target, { trusted: false, persist: false });
        this.noteLastSwap(saved, 'restored', def ? `the configured model ${def} could not be loaded` : 'no --model was given at start');
        return;
      } catch (err) {
        const why = (err as Error).message;
        errors.push(`last active model: ${why}`);
        this.noteLastSwap(saved, 'ignored', why);
      }
    }
    const models = await this.discover();
    const order = (m: ModelInfo) =>
      m.source === 'file' ? 0 : m.source === 'pool' ? 1 : m.source === 'ollama' ? 2 : m.source === 'lmstudio' ? 3 : 4;
    const usable = models.filter((m) => m.backend !== 'ruvllm').sort((a, b) => order(a) - order(b));
    for (const m of usable) {
      if (this.closed || this.active) return;
      try {
        await this.swapInternal({ id: m.id }, { trusted: true, persist: false });
        return;
      } catch (err) {
        errors.push(`${m.id}: ${(err as Error).message}`);
      }
    }
    if (errors.length) throw new Error(errors.join('; '));
    throw new Error(
      `no GGUF file in ${this.modelFolders().join(', ')}` +
        (this.opts.servers.length ? ` and no model on the servers ${this.opts.servers.join(', ')}` : ' and no model servers configured'),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.startPromise?.catch(() => {});
    await this.swapChain.catch(() => {});
    const all = [...this.retiring, ...(this.active ? [this.active] : [])];
    this.active = null;
    for (const a of all) await a.model.dispose().catch((e) => log.warn('dispose failed', { error: (e as Error).message }));
    this.retiring.clear();
  }

  // ---------------------------------------------------------------- discovery

  async discover(refresh = false): Promise<ModelInfo[]> {
    const fresh = this.discovered && performance.now() - this.discoveredAt < DISCOVERY_TTL_MS;
    if (this.discovered && fresh && !refresh) return this.withActive(this.discovered);
    if (!this.discovering) {
      this.discovering = discoverModels({
        dirs: this.modelFolders(),
        ollamaStore: this.ollamaStore(),
        servers: this.opts.servers,
        probeTimeoutMs: this.opts.probeTimeoutMs ?? 300,
        enableRuvllm: this.opts.enableRuvllm,
        fetchImpl: this.opts.fetchImpl,
      })
        .then(async (list) => {
          this.discovered = list;
          this.discoveredAt = performance.now();
          await this.remember(list);
          return list;
        })
        .finally(() => {
          this.discovering = null;
        });
    }
    return this.withActive(await this.discovering);
  }

  private withActive(list: ModelInfo[]): ModelInfo[] {
    const active = this.active;
    if (!active) return list;
    // a pool's members change as configured servers join it: list its live membership, not the one discovery saw
    const pool = active.model instanceof EndpointPool ? active.model : null;
    const a = pool ? { ...active.info, endpoints: pool.state().map((e) => e.url) } : active.info;
    if (!list.some((m) => m.id === a.id)) return [a, ...list];
    return pool ? list.map((m) => (m.id === a.id ? { ...m, endpoints: a.endpoints } : m)) : list;
  }

  private async remember(list: ModelInfo[]): Promise<void> {
    try {
      await this.repo.upsertModels(
        list.map((m) => ({
          id: m.id,
          name: m.name,
          backend: m.backend,
          source: m.source,
          path: m.path ?? null,
          baseUrl: m.baseUrl ?? null,
          info: JSON.stringify(m),
        })),
      );
    } catch (err) {
      log.warn('could not record discovered models', { error: (err as Error).message });
    }
  }

  /** Models seen by earlier discoveries (including ones not present now), most recent first. */
  async rememberedModels(): Promise<(ModelInfo & { lastSeen: string })[]> {
    return (await this.repo.rememberedModels()).map((r) => ({ ...(JSON.parse(r.info) as ModelInfo), lastSeen: r.lastSeen }));
  }

  /** The swap saved by an earlier run (read by the start while it holds the swap queue), or null. */
  private async loadSaved(): Promise<SavedActive | null> {
    const value = await this.repo.getState('active');
    if (value === null) return null;
    try {
      return JSON.parse(value) as SavedActive;
    } catch {
      return null;
    }
  }

  /** Saves the swap (awaited before the new model is made active: a swap whose save failed changes nothing). */
  private async saveActive(target: SwapTarget, id: string): Promise<void> {
    const v: SavedActive = { target, id, defaultModel: this.opts.defaultModel.trim() };
    await this.repo.setState('active', JSON.stringify(v));
  }

  // ---------------------------------------------------------------- status

  status(): ModelsStatus {
    const a = this.active;
    return {
      active: a?.info ?? null,
      loading: this.loading,
      available: a !== null,
      unavailableReason: a ? undefined : this.noModelMessage(),
      queue: a ? a.queue.status() : { running: 0, waiting: 0, parallel: this.opts.parallel, limit: this.opts.queueLimit },
      threads: a?.model.threads ?? chooseThreads(this.opts.threads, a?.info.sizeBytes ?? 1 << 30),
      gpu: this.gpuName ?? false,
      ...(a?.model instanceof EndpointPool ? { endpoints: a.model.state() } : {}),
      ...(this.lastSwap ? { lastSwap: this.lastSwap } : {}),
    };
  }

  private noModelMessage(): string {
    const why = this.loading ? 'a model is still loading' : this.lastError ? this.lastError : 'none was found';
    return (
      `no local model is available (${why}). Add one: point --model at a GGUF file, put a .gguf file in ${this.opts.modelsDir}, ` +
      "run `ruvllm-mcp models pull <https URL or hf:owner/repo/file.gguf>`, or start Ollama (`ollama serve`, then `ollama pull <model>`) or LM Studio's local server"
    );
  }

  countTokens(text: string): number {
    return this.active?.model.countTokens(text) ?? estimateTokens(text);
  }

  // ---------------------------------------------------------------- completion

  async complete(req: CompleteRequest): Promise<CompleteResult> {
    const t0 = performance.now();
    if (this.closed) throw new Error('the model manager is closed');
    const messages = buildMessages(req);
    const maxTokens = req.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new CallerError(`maxTokens must be a positive integer, got ${req.maxTokens}`);
    if (req.jsonSchema) assertValidSchema(req.jsonSchema);
    if (!this.active && this.startPromise && this.loading) await this.startPromise;
    const act = this.active;
    if (!act) throw new CallerError(this.noModelMessage());
    if (act.info.backend === 'ruvllm') throw new CallerError(RUVLLM_REFUSAL);

    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs;
    const ac = new AbortController();
    let timedOut = false;
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), ac.abort()), timeoutMs) : null;
    const onAbort = () => ac.abort();
    if (req.signal?.aborted) ac.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const finishAborted = (): CompleteResult['finishReason'] => (timedOut ? 'timeout' : 'cancelled');

    try {
      return await act.queue.run(
        async () => {
          let firstAt: number | null = null;
          // Token counts in events are cumulative over the whole call (all TRM phases), so that
          // progress only ever increases. Phases whose text is not part of the answer (TRM score and
          // critique) send throttled heartbeat events with an empty chunk to keep clients alive.
          let tokensBefore = 0;
          let lastBeat = 0;
          const emit = (ev: TokenEvent) => {
            try {
              req.onToken?.(ev);
            } catch (err) {
              log.warn('onToken callback threw', { error: (err as Error).message });
            }
          };
          const gen = async (
            msgs: ChatMessage[],
            jsonSchema: Record<string, unknown> | undefined,
            phase: TokenEvent['phase'] | undefined,
            iteration: number | undefined,
            over?: { maxTokens?: number; temperature?: number },
          ): Promise<GenerateResult> => {
            const stream = phase === undefined || phase === 'draft' || phase === 'refine';
            const extra = { ...(iteration !== undefined ? { iteration } : {}), ...(phase !== undefined ? { phase } : {}) };
            const r = await act.model.generate({
              messages: msgs,
              maxTokens: over?.maxTokens ?? maxTokens,
              temperature: over?.temperature ?? req.temperature,
              topP: req.topP,
              stop: req.stop,
              jsonSchema,
              signal: ac.signal,
              onText: !req.onToken
                ? stream
                  ? () => {
                      if (firstAt === null) firstAt = performance.now();
                    }
                  : undefined
                : stream
                  ? (chunk, tokens) => {
                      if (firstAt === null) firstAt = performance.now();
                      emit({ chunk, tokens: tokensBefore + tokens, ...extra });
                    }
                  : (_chunk, tokens) => {
                      const now = performance.now();
                      if (now - lastBeat < 500) return;
                      lastBeat = now;
                      emit({ chunk: '', tokens: tokensBefore + tokens, ...extra });
                    },
            });
            tokensBefore += r.completionTokens;
            return r;
          };

          let text: string;
          let promptTokens = 0;
          let completionTokens = 0;
          let method: CompleteResult['tokenCountMethod'];
          let stopReason: GenerateResult['stopReason'];
          let trm: CompleteResult['trm'];
          let genMs = 0;
          if (req.trm) {
            const run = await runTrm({ messages, jsonSchema: req.jsonSchema }, req.trm, (a) =>
              gen(a.messages, a.jsonSchema, a.phase, a.iteration, {
                maxTokens: a.maxTokens,
                temperature: a.temperature,
              }),
            );
            text = run.text;
            for (const c of run.calls) {
              promptTokens += c.promptTokens;
              completionTokens += c.completionTokens;
              genMs += c.generationMs;
            }
            method = run.calls.every((c) => c.tokenCountMethod === run.calls[0].tokenCountMethod)
              ? run.calls[0].tokenCountMethod
              : 'estimate';
            stopReason = run.aborted ? 'abort' : run.stopReason;
            trm = run.trm;
          } else {
            const r = await gen(messages, req.jsonSchema, undefined, undefined);
            text = r.text;
            promptTokens = r.promptTokens;
            completionTokens = r.completionTokens;
            method = r.tokenCountMethod;
            stopReason = r.stopReason;
            genMs = r.generationMs;
          }
          const tEnd = performance.now();
          const result: CompleteResult = {
            text,
            model: act.info.id,
            backend: act.info.backend,
            promptTokens,
            completionTokens,
            tokenCountMethod: method,
            latencyMs: round(tEnd - t0),
            ttftMs: firstAt === null ? null : round(firstAt - t0),
            // completion tokens over the time spent generating them (queue wait and bookkeeping excluded)
            tokensPerSecond: completionTokens > 0 && genMs > 0 ? round((completionTokens * 1000) / genMs) : 0,
            finishReason: stopReason === 'abort' ? finishAborted() : stopReason,
          };
          if (trm) result.trm = trm;
          if (req.jsonSchema && stopReason !== 'abort') {
            const c = checkJson(req.jsonSchema, text);
            if (c.ok) result.json = c.value;
            else result.jsonError = c.error;
          }
          return result;
        },
        ac.signal,
        () => ({
          text: '',
          model: act.info.id,
          backend: act.info.backend,
          promptTokens: 0,
          completionTokens: 0,
          tokenCountMethod: act.info.backend === 'gguf' ? 'tokenizer' : 'estimate',
          latencyMs: round(performance.now() - t0),
          ttftMs: null,
          tokensPerSecond: 0,
          finishReason: finishAborted(),
        }),
      );
    } finally {
      if (timer) clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  // ---------------------------------------------------------------- swap

  async swap(target: SwapTarget): Promise<SwapResult> {
    if (this.closed) throw new Error('the model manager is closed');
    // A caller's server address is checked before anything is sent (server-address.ts).
    if (target.baseUrl) await checkServerAddress(target.baseUrl, this.addressRules());
    return this.swapInternal(target, { trusted: false, persist: true });
  }

  private addressRules(): ServerAddressRules {
    return { servers: this.opts.servers, allowRemote: this.opts.allowRemoteServers ?? false, lookup: this.opts.lookup };
  }

  /** Records (for the models status) and logs what this start did with the swap saved by an earlier run. */
  private noteLastSwap(saved: SavedActive, action: 'restored' | 'ignored', reason: string): void {
    this.lastSwap = { target: saved.target, model: saved.id, action, reason };
    if (action === 'restored') log.notice('restored the last hot swap', { model: saved.id, reason });
    else log.warn('ignored the last hot swap', { model: saved.id, reason });
  }

  private swapInternal(target: SwapTarget, o: { trusted: boolean; persist: boolean }): Promise<SwapResult> {
    const run = this.swapChain.catch(() => {}).then(() => this.doSwap(target, o));
    this.swapChain = run;
    return run;
  }

  private async resolveTarget(target: SwapTarget, trusted: boolean): Promise<{ info: ModelInfo; target: SwapTarget }> {
    const given = [target.id, target.path, target.serverModel].filter((x) => x !== undefined && x !== '').length;
    if (given !== 1)
      throw new CallerError('give exactly one of: id (from the models list), path (a GGUF file) or serverModel (a model name on a server)');
    if (target.id) {
      if (target.id.startsWith('ruvllm:')) throw new CallerError(RUVLLM_REFUSAL);
      let list = await this.discover();
      let m = list.find((x) => x.id === target.id);
      if (!m) {
        list = await this.discover(true);
        m = list.find((x) => x.id === target.id);
      }
      if (!m) {
        const ids = list.filter((x) => x.backend !== 'ruvllm').map((x) => x.id);
        throw new CallerError(
          `unknown model id "${target.id}"; known models: ${ids.length ? ids.join(', ') : 'none (see how to add one in the models resource)'}`,
        );
      }
      if (m.backend === 'ruvllm') throw new CallerError(RUVLLM_REFUSAL);
      if (m.path) {
        // The file may have become a link to elsewhere since it was listed: the same rule again, on the real path.
        const real = await containedRealPath(m.path, this.fileRoots());
        if (!real) throw outsideError(m.path, this.modelFolders());
        return { info: { ...m, path: real }, target: { path: real } };
      }
      return { info: m, target: m.baseUrl ? { serverModel: m.name, baseUrl: m.baseUrl } : { id: m.id } };
    }
    if (target.path) {
      // A caller's relative path means a file in the models folder; the user's own config is relative to the working directory.
      const real = await checkModelPath(
        target.path,
        this.modelFolders(),
        trusted || this.opts.allowAnyPath,
        trusted ? process.cwd() : this.opts.modelsDir,
      );
      const info = await readGgufModelInfo(real);
      const known = (this.discovered ?? []).find((x) => x.path === real);
      return { info: known ? { ...info, id: known.id } : info, target: { path: real } };
    }
    const name = target.serverModel!;
    let base = target.baseUrl ? normalizeBaseUrl(target.baseUrl) : undefined;
    let known: ModelInfo | undefined;
    if (!base) {
      known = (await this.discover()).find((x) => x.backend === 'openai' && x.name === name);
      base = known?.baseUrl ?? (this.opts.servers[0] ? normalizeBaseUrl(this.opts.servers[0]) : undefined);
      if (!base) throw new CallerError(`no server given for model "${name}": pass baseUrl or configure --servers`);
    } else {
      known = (this.discovered ?? []).find((x) => x.backend === 'openai' && x.name === name && x.baseUrl === base);
    }
    const port = new URL(base).port;
    const info: ModelInfo = known ?? {
      id: port === '11434' ? `ollama:${name}` : port === '1234' ? `lmstudio:${name}` : `openai:${new URL(base).host}/${name}`,
      name,
      backend: 'openai',
      source: port === '11434' ? 'ollama' : port === '1234' ? 'lmstudio' : 'openai-server',
      baseUrl: base,
    };
    return { info, target: { serverModel: name, baseUrl: base } };
  }

  private async doSwap(target: SwapTarget, o: { trusted: boolean; persist: boolean }): Promise<SwapResult> {
    if (this.closed) throw new Error('the model manager is closed');
    const t0 = performance.now();
    const prev = this.active;
    this.loading = true;
    let loaded: (LoadedModel & { threads?: number }) | null = null;
    try {
      const { info, target: canonical } = await this.resolveTarget(target, o.trusted);
      const timeoutMs = this.opts.timeoutMs > 0 ? this.opts.timeoutMs : 120_000;
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), timeoutMs);
      try {
        if (info.backend === 'gguf') {
          loaded = await loadGgufModel(info, {
            gpu: this.opts.gpu,
            threads: this.opts.threads,
            contextSize: this.opts.contextSize,
            parallel: this.opts.parallel,
            signal: ac.signal,
          });
          const llama = await getSharedLlama(this.opts.gpu);
          this.gpuName = llama.gpu;
        } else if (info.backend === 'openai' && info.endpoints?.length) {
          // A pool: every endpoint passes the same address rules as a single server.
          const rules = this.addressRules();
          for (const url of info.endpoints) await checkServerAddress(url, rules);
          loaded = await loadPool(info, {
            ...this.opts.pool,
            fetchFor: (url) => (connectionKind(url, rules) === 'pinned' ? pinnedLoopbackFetch(rules) : this.opts.fetchImpl),
            listTimeoutMs: Math.min(timeoutMs, 5000),
            // configured servers down now (or serving other models) join when they serve this one
            candidates: this.opts.servers.map((u) => normalizeBaseUrl(u)).filter((u) => !info.endpoints!.includes(u)),
          });
        } else if (info.backend === 'openai') {
          // A host name that is not a configured server is resolved and checked again at every connection.
          const rules = this.addressRules();
          const fetchImpl = connectionKind(info.baseUrl ?? '', rules) === 'pinned' ? pinnedLoopbackFetch(rules) : this.opts.fetchImpl;
          loaded = await loadServerModel(info, { fetchImpl, listTimeoutMs: Math.min(timeoutMs, 5000) });
        } else {
          throw new CallerError(RUVLLM_REFUSAL);
        }
        await loaded.check(ac.signal);
        if (ac.signal.aborted) throw new BackendError(`model did not answer within ${timeoutMs} ms`);
      } finally {
        clearTimeout(timer);
      }
      // A pool runs --parallel calls per endpoint, counting the configured servers that may join it.
      const parallel = this.opts.parallel * (loaded instanceof EndpointPool ? loaded.capacity() : 1);
      const next: Active = { info: loaded.info, model: loaded, queue: new ModelQueue(loaded.info.id, parallel, this.opts.queueLimit) };
      if (this.closed) {
        await loaded.dispose();
        throw new Error('the model manager was closed during the swap');
      }
      if (o.persist) await this.saveActive(canonical, next.info.id);
      // no await from here on: the new model is active and the old one retiring in one step
      this.active = next;
      this.lastError = null;
      if (prev) this.retire(prev);
      const loadMs = round(performance.now() - t0);
      log.info('model active', { model: next.info.id, previous: prev?.info.id ?? null, loadMs });
      return { previous: prev?.info ?? null, current: next.info, loadMs };
    } catch (err) {
      if (loaded) await loaded.dispose().catch(() => {});
      const what = target.id ?? target.path ?? target.serverModel;
      const msg = `cannot switch to ${what}: ${(err as Error).message}` + (prev ? `; still serving ${prev.info.id}` : '');
      if (!prev) this.lastError = (err as Error).message;
      // The failed swap keeps the kind of what failed (a bad argument, a backend that would not load).
      const kind = errorKind(err);
      throw kind === 'caller'
        ? new CallerError(msg, { cause: err })
        : kind === 'retryable'
          ? new RetryableError(msg, (err as RetryableError).retryAfterMs, { cause: err })
          : kind === 'backend'
            ? new BackendError(msg, { cause: err })
            : new Error(msg, { cause: err });
    } finally {
      this.loading = false;
    }
  }

  /** Releases the old model once the requests it accepted have finished. */
  private retire(old: Active): void {
    this.retiring.add(old);
    void old.queue
      .drained()
      .then(() => old.model.dispose())
      .catch((err) => log.warn('could not unload old model', { model: old.info.id, error: (err as Error).message }))
      .finally(() => this.retiring.delete(old));
  }

  /** Models still draining after a swap (for tests and status pages). */
  retiringCount(): number {
    return this.retiring.size;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function targetFromString(s: string): SwapTarget {
  if (/\.gguf$/i.test(s) || s.includes('/') || s.includes('\\')) {
    if (/^(gguf|ollama|lmstudio|openai|pool|ruvllm):/.test(s)) return { id: s };
    return { path: s };
  }
  return { id: s };
}

function buildMessages(req: CompleteRequest): ChatMessage[] {
  const msgs: ChatMessage[] = [];
  if (req.system) msgs.push({ role: 'system', content: req.system });
  if (req.messages?.length) {
    for (const m of req.messages) {
      if (!m || typeof m.content !== 'string' || !['system', 'user', 'assistant'].includes(m.role))
        throw new CallerError('each message needs role "system", "user" or "assistant" and a string content');
      msgs.push(m);
    }
    if (req.prompt) msgs.push({ role: 'user', content: req.prompt });
  } else if (req.prompt !== undefined && req.prompt !== '') {
    msgs.push({ role: 'user', content: req.prompt });
  } else {
    throw new CallerError('nothing to complete: give a prompt or messages');
  }
  return msgs;
}
