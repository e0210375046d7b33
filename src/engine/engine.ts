/**
 * The engine facade: composes the store, local models, router, pattern bank and
 * ledger, and owns the flows that cross modules (a completion is recorded in the
 * ledger and feeds backend health; a routing decision is recorded; a pattern
 * stored with a decision id reports that decision's outcome). No MCP types here:
 * this is a library usable in process.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { DB } from './store/db.js';
import type { Store, StoreStats } from './store/store.js';
import type { OutcomeUnitOfWork } from './store/unit-of-work.js';
import { openSqliteStore, type SqliteStore } from './store/sqlite/store.js';
import { dataPaths, type DataPaths } from './store/paths.js';
import { logger } from './log.js';
import { CallerError, errorKind, RetryableError } from './errors.js';
import { ENGINE_DEFAULTS as D } from './defaults.js';
import { ESTIMATE_METHOD, estimateTokens } from './tokens.js';
import { ModelManager, HealthRegistry, type BackendHealthDetail, type PoolOptions } from './models/index.js';
import type { CompleteRequest, CompleteResult, ModelInfo, ModelsStatus, SwapResult, SwapTarget } from './models/types.js';
import { Router, scanPrivacy, type RouterStats, type OutcomeResult } from './router/index.js';
import type { OutcomeReport, RouteDecision, RouteInput, Strategy } from './router/types.js';
import { PatternBank, createEmbedder, patternQualityAfter } from './patterns/index.js';
import type { FindQuery, FindResult, Pattern, PatternChange, PatternInput, StoreResult, PatternBankStats } from './patterns/types.js';
import { Ledger, loadPriceTable, renderHtmlReport, type CostReport } from './ledger/index.js';
import { startPrivacyWarmUp, type WarmUp } from './privacy/warm-up.js';
import type { GroupBy, Period, PriceTable } from './ledger/types.js';
import {
  allowedRoots,
  readInputs,
  planInputs,
  runOffload,
  estimateParts,
  guardResult,
  hasFindings,
  inputFindings,
  type KnownValue,
  type AllowedRoots,
  type InputSet,
  type InputSummary,
  type InputLimits,
  type OffloadModel,
  type OffloadProgress,
  type RedactOutput,
  type GuardReport,
} from './inputs/index.js';

const log = logger('engine');

/** How the overhead tokens of a tool call are counted (the host's tokenizer is not available here). */
export const OVERHEAD_TOKEN_METHOD = ESTIMATE_METHOD;
const PRUNE_EVERY_MS = 24 * 3600 * 1000;

/** A completion refused because the local backend's circuit breaker is open: retryable once it lets a probe through. */
export class BreakerOpenError extends RetryableError {
  override name = 'BreakerOpenError';
}

export interface EngineOptions {
  dataDir: string;
  /**
   * The store to build on (store/store.ts), already open; the engine owns it from then on (Engine.close closes it).
   * Default: the SQLite store in dataDir (openSqliteStore).
   */
  store?: Store;
  modelsDir?: string;
  model?: string;
  modelDirs?: string[];
  scanDefaultDirs?: boolean;
  servers?: string[];
  threads?: number;
  gpu?: 'auto' | 'off';
  contextSize?: number;
  parallel?: number;
  queueLimit?: number;
  timeoutMs?: number;
  allowAnyModelPath?: boolean;
  /** Let hot_swap_model's baseUrl point at any server, not only configured and loopback ones. */
  allowRemoteServers?: boolean;
  enableRuvllm?: boolean;
  /** Warm the privacy scanner up in the background after start (privacy/warm-up.ts). Default true. */
  privacyWarmUp?: boolean;
  strategy?: Strategy;
  learning?: boolean;
  /** What the local model can do: "small", "medium", "large", or per model ("gguf:x=large,ollama:y=small"); default read from the model. */
  modelCapability?: string;
  embedder?: string;
  /** Run the pattern index in a worker thread (see PatternBankOptions.indexThread). Default false. */
  indexThread?: boolean;
  hostModel?: string;
  prices?: string;
  localCostPerHour?: number;
  /** Ledger rows older than this many days are rolled up by UTC day, at start and daily (0 = never). Default 90. */
  ledgerRetentionDays?: number;
  /** Folders files may be read from besides the working directory (and the MCP client's roots). */
  allowDirs?: string[];
  /** Working directory for relative file paths and the implicit root (default process.cwd()). */
  cwd?: string;
  /** Most tokens of files one call may read (map-reduce beyond the context, refused past this). */
  maxInputTokens?: number;
  /** File count and size limits of one call. */
  inputLimits?: Partial<InputLimits>;
  /** Timing of a pool of servers (cooldowns, health checks, first-token timeout); defaults in ENGINE_DEFAULTS. */
  pool?: Pick<PoolOptions, 'cooldownMs' | 'maxCooldownMs' | 'healthIntervalMs' | 'healthTimeoutMs' | 'firstTokenTimeoutMs'>;
}

/** How a tool call reads files by reference (see Engine.offload and Engine.routeFiles). */
export interface InputOptions {
  files?: string[];
  /** Paths of the MCP client's roots (file:// URIs already turned into paths). */
  clientRoots?: string[];
  /** Lowers the engine's maxInputTokens for this call. */
  maxInputTokens?: number;
  signal?: AbortSignal;
}

/** Metadata of a completion that came through a tool call, for the ledger. */
export interface CallMeta {
  agentId?: string;
  decisionId?: string;
  strategy?: string;
  /** Tokens of the tool call's arguments and result that still pass through the host's model. */
  overheadTokensIn?: number;
  overheadTokensOut?: number;
  /** Tokens the caller's model spends reading the result, known only once the result is (added to overheadTokensIn). */
  resultOverhead?: (res: CompleteResult) => number;
  /** How the material came: written into the call by the host ('value') or read by the server from files ('reference'). */
  inputMode?: 'value' | 'reference';
  /** Reference calls: tokens of the files' text the host did not read (estimateTokens of the text), shown as avoided host input. */
  avoidedHostInputTokens?: number;
}

export interface EngineStats {
  routing: RouterStats;
  /** What the backend figures cover: calls and errors since the start; percentiles over the newest successful calls within a week. */
  backendsWindow: string;
  backends: Awaited<ReturnType<Ledger['backendStats']>>;
  health: BackendHealthDetail[];
  models: ModelsStatus;
  patterns: PatternBankStats | { ready: false };
  /** The store's figures (Store.stats); SQLite: WAL checkpoints in a background thread, or SQLite's automatic ones if that thread could not run. */
  storage: StoreStats;
  generatedAt: string;
}

export type EngineEvent = { type: 'patterns'; change: PatternChange } | { type: 'stats' } | { type: 'models' };

/** The engine's parts, for white-box tests and benchmarks only (see Engine.internalsForTests). */
export interface EngineInternals {
  store: Store;
  /** The SQLite connection (throws for another store). */
  db: DB;
  models: ModelManager;
  health: HealthRegistry;
  router: Router;
  ledger: Ledger;
  patterns: () => Promise<PatternBank>;
}

/** Cost report query, as cost_report and `ruvllm-mcp report` take it. */
export type CostReportQuery = { period?: Period; from?: string; to?: string; groupBy?: GroupBy; hostModel?: string };

export class Engine {
  readonly paths: DataPaths;
  readonly prices: PriceTable;
  // The parts are private: tools, resources and the CLI call the methods below (a narrow surface).
  /** Every repository, built on one database (store/store.ts). */
  private readonly store: Store;
  private readonly models: ModelManager;
  /** Backend health (circuit breakers, latency medians): a property of the models, read by the router. */
  private readonly health: HealthRegistry;
  private readonly router: Router;
  /** A reported outcome and the patterns of its decision, written together (store/unit-of-work.ts). */
  private readonly outcomeWork: OutcomeUnitOfWork;
  private readonly ledger: Ledger;
  private readonly events = new EventEmitter();
  private bankPromise: Promise<PatternBank> | null = null;
  private bank: PatternBank | null = null;
  private closed = false;
  private latencyCache: { backend: string; at: number; p50: number | null } | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private ledgerTimer: NodeJS.Timeout | null = null;
  /** Stops listening to the store's word of other processes' commits. */
  private readonly offExternal: () => void;

  constructor(readonly options: EngineOptions) {
    this.paths = dataPaths(options.dataDir, options.modelsDir);
    mkdirSync(this.paths.dataDir, { recursive: true });
    mkdirSync(this.paths.modelsDir, { recursive: true });
    this.prices = loadPriceTable(options.prices, options.hostModel ? { hostModel: options.hostModel } : undefined);
    this.store = options.store ?? openSqliteStore(this.paths);
    this.ledger = new Ledger({
      repo: this.store.ledger,
      prices: this.prices,
      localCost: { usdPerHour: options.localCostPerHour ?? D.localCostPerHour },
    });
    // Another process committed (SQLite: its data_version moved): stats subscribers are told, as for this process's
    // writes, and the ledger's snapshot (what routing reads of other processes' completions) is reloaded.
    this.offExternal = this.store.onExternalChange(() => {
      if (this.closed) return;
      void this.ledger.refreshSnapshot();
      this.emit({ type: 'stats' });
    });
    this.models = new ModelManager({
      repo: this.store.models,
      modelsDir: this.paths.modelsDir,
      modelDirs: options.modelDirs ?? [...D.modelDirs],
      scanDefaultDirs: options.scanDefaultDirs ?? D.scanDefaultDirs,
      defaultModel: options.model ?? D.model,
      servers: options.servers ?? [...D.servers],
      threads: options.threads ?? D.threads,
      gpu: (options.gpu ?? D.gpu) === 'off' ? false : 'auto',
      contextSize: options.contextSize ?? D.contextSize,
      parallel: options.parallel ?? D.parallel,
      queueLimit: options.queueLimit ?? D.queueLimit,
      timeoutMs: options.timeoutMs ?? D.timeoutMs,
      allowAnyPath: options.allowAnyModelPath ?? D.allowAnyModelPath,
      allowRemoteServers: options.allowRemoteServers ?? D.allowRemoteServers,
      enableRuvllm: options.enableRuvllm ?? D.enableRuvllm,
      pool: options.pool,
    });
    this.health = new HealthRegistry();
    this.outcomeWork = this.store.outcomeWork;
    this.router = new Router({
      decisions: this.store.decisions,
      outcomes: this.store.outcomes,
      backendHealth: this.health,
      defaultStrategy: options.strategy ?? D.strategy,
      learning: options.learning ?? D.learning,
      modelCapability: options.modelCapability,
      estimate: (i, o) => this.ledger.estimate(i, o),
      local: () => {
        const s = this.models.status();
        const backend = s.active?.backend;
        // The router checks the backend's breaker itself (isUp, which leaves the half-open probe to a real call).
        return {
          available: s.available,
          modelId: s.active?.id ?? null,
          latencyP50Ms: backend ? this.localLatencyP50(backend) : null,
          backend,
          contextTokens: s.active?.contextLength,
          model: s.active ?? undefined,
        };
      },
    });
  }

  /** Median latency of the last local completions on a backend (the ledger's snapshot), re-read at most once a second (routing's hot path). */
  private localLatencyP50(backend: string): number | null {
    const now = Date.now();
    const c = this.latencyCache;
    if (c && c.backend === backend && now - c.at < 1000) return c.p50;
    const p50 = this.ledger.recentLatencyP50(backend);
    this.latencyCache = { backend, at: now, p50 };
    return p50;
  }

  /** Background start: model discovery and load, pattern index load. Never blocks the caller. */
  start(): void {
    this.models.start();
    const days = this.options.ledgerRetentionDays ?? D.ledgerRetentionDays;
    if (days > 0) {
      void this.rollupLedger(days);
      this.ledgerTimer = setInterval(() => void this.rollupLedger(days), PRUNE_EVERY_MS);
      this.ledgerTimer.unref();
    }
    void this.patterns().catch((e) => log.error('pattern bank failed to open', { error: (e as Error).message }));
    if (this.options.privacyWarmUp ?? D.privacyWarmUp) this.warmUp = startPrivacyWarmUp();
  }

  /** The privacy scanner's warm-up, once start() began it (stopped by close()). */
  warmUp: WarmUp | null = null;

  /** Rolls up ledger rows older than `days`, one UTC day per transaction, yielding between days so requests go on. */
  private async rollupLedger(days: number): Promise<void> {
    const total = { days: 0, completions: 0, decisions: 0 };
    try {
      for (;;) {
        if (this.closed) return;
        const r = await this.ledger.rollup({ olderThanDays: days, maxDays: 1 });
        total.days += r.days;
        total.completions += r.completions;
        total.decisions += r.decisions;
        if (!r.more) break;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (total.days) log.info('rolled up old ledger rows by day', { olderThanDays: days, ...total });
    } catch (e) {
      // e.g. the database is busy or full: the rows stay as they are until the next daily run
      log.warn('rolling up the ledger failed; retried tomorrow', { error: (e as Error).message, ...total });
    }
  }

  on(listener: (ev: EngineEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(ev: EngineEvent): void {
    this.events.emit('event', ev);
  }

  /** The pattern bank, opened on first use (loads the persisted index). */
  private patterns(): Promise<PatternBank> {
    if (!this.bankPromise) {
      this.bankPromise = (async () => {
        const t0 = performance.now();
        const bank = await PatternBank.open({
          // the store's patterns repository: SQLite's, or a fleet's PgPatternsRepo (whose change feed wakes the replica)
          repo: this.store.patterns,
          indexPath: this.paths.patternIndex,
          embedder: createEmbedder(this.options.embedder ?? D.embedder),
          indexThread: this.options.indexThread ?? D.indexThread,
        });
        bank.onChange((change) => {
          this.emit({ type: 'patterns', change });
          this.emit({ type: 'stats' });
        });
        this.bank = bank;
        // Lifecycle: prune patterns that keep failing or are never used, once at start and daily; counted in stats.
        const prune = async () => {
          const r = await bank.prune();
          if (r.pruned) log.notice('pruned patterns', { pruned: r.pruned });
        };
        await prune();
        this.pruneTimer = setInterval(
          () => void prune().catch((e: Error) => log.error('pattern prune failed', { error: e.message })),
          PRUNE_EVERY_MS,
        );
        this.pruneTimer.unref();
        log.info('pattern bank ready', { ms: Math.round(performance.now() - t0), ...(await bank.stats()) });
        return bank;
      })();
      this.bankPromise.catch(() => {
        this.bankPromise = null;
      });
    }
    return this.bankPromise;
  }

  /** @param run what produces the result (default: one completion of `req`; map-reduce passes its own run). */
  async complete(
    req: CompleteRequest,
    meta: CallMeta = {},
    run: () => Promise<CompleteResult> = () => this.models.complete(req),
  ): Promise<CompleteResult> {
    const active = this.models.status().active;
    const t0 = performance.now();
    const entry = {
      overheadTokensOut: meta.overheadTokensOut ?? 0,
      overheadTokenMethod: OVERHEAD_TOKEN_METHOD,
      strategy: meta.strategy,
      route: 'local',
      agentId: meta.agentId,
      decisionId: meta.decisionId,
      inputMode: meta.inputMode,
      avoidedHostInputTokens: meta.avoidedHostInputTokens,
    };
    let res: CompleteResult;
    try {
      // An open breaker fails fast; in half-open this call is the one probe let through.
      if (active && !this.health.canUse(active.backend)) {
        const h = this.health.all().find((b) => b.backend === active.backend);
        // Open: until it lets a probe through. Half-open with the probe in flight: about a second.
        const waitMs = h?.retryAt ? Math.max(100, h.retryAt - Date.now()) : 1000;
        throw new BreakerOpenError(
          `local backend ${active.backend} (${active.id}) is failing (last error: ${h?.lastError ?? 'unknown'}); ` +
            `it is tried again in ${Math.ceil(waitMs / 1000)} s${h?.retryAt ? ` (${new Date(h.retryAt).toISOString()})` : ''}, or switch with hot_swap_model`,
          waitMs,
        );
      }
      res = await run();
    } catch (e) {
      const err = e as Error;
      // Only a backend fault counts against the backend: a caller's mistake (too long for the context, a bad
      // schema) or a retryable condition (busy queue, open breaker) says nothing about its health. An error
      // without a kind was not foreseen where it arose: it is counted as a fault (the breaker is there for the
      // unforeseen), and logged so that the place can be given a kind.
      const kind = errorKind(err);
      if (active && (kind === 'backend' || kind === undefined)) {
        if (kind === undefined)
          log.warn('completion failed with an error of no kind; counted as a backend fault', {
            backend: active.backend,
            error: err.message?.slice(0, 200),
          });
        this.health.recordFailure(active.backend, err.message);
      } else if (active && !(err instanceof BreakerOpenError)) this.health.release(active.backend);
      // The failed call still cost the host its arguments and the error it reads back.
      await this.ledger.recordCompletion({
        ...entry,
        model: active?.id ?? 'none',
        backend: active?.backend ?? 'none',
        promptTokens: 0,
        completionTokens: 0,
        tokenCountMethod: 'none',
        latencyMs: performance.now() - t0,
        ttftMs: null,
        tokensPerSecond: 0,
        overheadTokensIn: (meta.overheadTokensIn ?? 0) + estimateTokens(err.message),
        ok: false,
        error: err.message.slice(0, 500),
      });
      this.emit({ type: 'stats' });
      throw e;
    }
    // A generation that started (it has a prompt count; a call cancelled while queued has none) and got no
    // token before the configured time limit: the backend hangs, a fault like a crash. Any token means it
    // answers. Stopped without a token by the caller (cancel, its own timeoutMs): no verdict either way.
    const noToken = res.completionTokens === 0 && res.ttftMs === null;
    if (res.finishReason === 'timeout' && noToken && req.timeoutMs === undefined && res.promptTokens > 0)
      this.health.recordFailure(res.backend, `no token within the configured ${this.options.timeoutMs ?? D.timeoutMs} ms`);
    else if ((res.finishReason === 'timeout' || res.finishReason === 'cancelled') && noToken) this.health.release(res.backend);
    else this.health.recordSuccess(res.backend, res.latencyMs);
    // awaited: a completion is in the ledger before it is returned
    await this.ledger.recordCompletion({
      ...entry,
      model: res.model,
      backend: res.backend,
      promptTokens: res.promptTokens,
      completionTokens: res.completionTokens,
      tokenCountMethod: res.tokenCountMethod,
      latencyMs: res.latencyMs,
      ttftMs: res.ttftMs,
      tokensPerSecond: res.tokensPerSecond,
      overheadTokensIn: (meta.overheadTokensIn ?? 0) + (meta.resultOverhead?.(res) ?? 0),
      ok: true,
    });
    this.emit({ type: 'stats' });
    return res;
  }

  async route(input: RouteInput): Promise<RouteDecision> {
    await this.ledger.ready(); // the policy step's cost and latency figures come from the ledger's snapshot, loaded at start
    await this.router.catchUp(); // other processes' outcomes, queued for learning outside the write transaction
    // One decision record (router_decisions, read by the ledger's reports): the router writes it and its counters in
    // one transaction, and resolves once that committed.
    const d = await this.router.decide(input);
    this.emit({ type: 'stats' });
    return d;
  }

  // ---------------------------------------------------------------- inputs by reference

  /** The folders files may be read from in this call (the client's roots added). */
  inputRoots(clientRoots: string[] = []): Promise<AllowedRoots> {
    return allowedRoots({ cwd: this.options.cwd, allowDirs: this.options.allowDirs ?? D.allowDirs }, clientRoots);
  }

  /** Reads files, folders and globs inside the allowed roots (CallerError when refused). */
  async readFiles(files: string[], o: Pick<InputOptions, 'clientRoots' | 'signal'> = {}): Promise<InputSet> {
    const roots = await this.inputRoots(o.clientRoots);
    return readInputs(files, { roots, limits: this.options.inputLimits, signal: o.signal });
  }

  /** The active model as map-reduce sees it: its tokenizer (or an estimate) and the context one request holds. */
  private async offloadModel(): Promise<OffloadModel> {
    let s = this.models.status();
    if (!s.active && s.loading) {
      await this.models.ready().catch(() => undefined);
      s = this.models.status();
    }
    const ctxOpt = this.options.contextSize ?? D.contextSize;
    const gguf = s.active?.backend === 'gguf';
    return {
      complete: (r) => this.models.complete(r),
      countTokens: (t) => this.models.countTokens(t),
      tokenCountMethod: gguf ? 'tokenizer' : 'estimate',
      // In process the context is the configured size capped at the model's; a server's own limit is unknown, so the same cap is assumed.
      contextTokens: Math.max(64, Math.min(ctxOpt, s.active?.contextLength ?? ctxOpt)),
      parallel: s.queue.parallel,
    };
  }

  private maxInputTokens(o: InputOptions): number {
    const cap = this.options.maxInputTokens ?? D.maxInputTokens;
    return o.maxInputTokens !== undefined ? Math.min(cap, o.maxInputTokens) : cap;
  }

  /**
   * A completion that may read files by reference and whose result passes the output guard.
   * With `files`, `req.prompt` is the instruction: the files are read here (never by the host),
   * directly or by map-reduce when they exceed the local context. The guard (redactOutput
   * auto: on when files were read or the inputs carry findings) replaces findings in the
   * model's output by [REDACTED:<category>] and lists them by category and position; while it
   * is on, onToken events carry counts only, never text.
   */
  async offload(
    req: CompleteRequest,
    o: InputOptions & { redactOutput?: RedactOutput; onProgress?: (p: OffloadProgress) => void } = {},
    meta: CallMeta = {},
  ): Promise<CompleteResult & { input?: InputSummary; guard: GuardReport }> {
    const byRef = Boolean(o.files && o.files.length);
    const mode = o.redactOutput ?? 'auto';
    const byValue = [req.prompt, req.system, ...(req.messages ?? []).map((m) => m.content)];
    // the inputs' identifier and secret values, kept back wherever the output repeats them (files: after reading)
    let known: KnownValue[] = [];
    let guardOn: boolean;
    let why: string;
    if (mode === 'always') [guardOn, why] = [true, 'redactOutput is always'];
    else if (mode === 'never') [guardOn, why] = [false, 'redactOutput is never'];
    else if (byRef) [guardOn, why] = [true, 'the inputs came from files'];
    else if (hasFindings(byValue)) [guardOn, why] = [true, 'the inputs carry private data'];
    else [guardOn, why] = [false, 'no files and no private data in the inputs'];
    const onToken = req.onToken;
    const guardedReq: CompleteRequest = guardOn && onToken ? { ...req, onToken: (ev) => onToken({ ...ev, chunk: '' }) } : req;

    let res: CompleteResult & { input?: InputSummary };
    if (!byRef) {
      if (guardOn) known = (await inputFindings(byValue)).known;
      res = await this.complete(guardedReq, { inputMode: 'value', ...meta });
    } else {
      if (req.prompt === undefined || req.messages !== undefined)
        throw new CallerError(
          'with files, give the instruction as "prompt" (not "messages"): the files are read and given to the model with it',
        );
      const inputs = await this.readFiles(o.files!, o);
      if (guardOn) known = (await inputFindings([req.prompt, req.system, ...inputs.files.map((f) => f.text)])).known;
      const model = await this.offloadModel();
      const plan = await planInputs(inputs, req.prompt, req.maxTokens ?? 512, model, this.maxInputTokens(o), {
        onProgress: o.onProgress,
        signal: o.signal,
      });
      let out: (CompleteResult & { input: InputSummary }) | undefined;
      await this.complete(
        guardedReq,
        // The host did not read the files: the same chars/4 estimate as every other host-side count.
        { inputMode: 'reference', avoidedHostInputTokens: estimateTokens(plan.material), ...meta },
        async () => (out = await runOffload({ ...guardedReq, prompt: req.prompt!, onProgress: o.onProgress }, plan, inputs, model)),
      );
      res = out!;
    }
    if (!guardOn) return { ...res, guard: { applied: false, why, redactions: [] } };
    const g = guardResult(res, known);
    return { ...g.result, guard: { applied: true, why, redactions: g.redactions } };
  }

  /**
   * Routes a task whose material is in files: their content is scanned for private data and
   * sized against the local context (map-reduce counted in), and none of it is returned.
   */
  async routeFiles(input: RouteInput, o: InputOptions): Promise<RouteDecision & { input: InputSummary }> {
    const inputs = await this.readFiles(o.files ?? [], o);
    const model = await this.offloadModel();
    const cap = this.maxInputTokens(o);
    // Scanned here, outside the routing transaction (a large file must not hold the database's write lock).
    const files = inputs.files.map((f) => ({ source: f.path, tokens: model.countTokens(f.text), findings: scanPrivacy(f.text).findings }));
    let summary: InputSummary;
    let mapReduceTokens: number | undefined = cap;
    try {
      const plan = await planInputs(inputs, input.task, 512, model, cap);
      summary = {
        files: inputs.files.length,
        bytes: inputs.bytes,
        tokens: plan.tokens,
        tokenCountMethod: model.tokenCountMethod,
        mode: plan.mode,
        parts: estimateParts(plan),
        ...(inputs.skipped.length ? { skipped: inputs.skipped } : {}),
        ...(inputs.ignored ? { ignored: inputs.ignored } : {}),
      };
    } catch (e) {
      if (!(e instanceof CallerError)) throw e;
      // Too large even for map-reduce: the router sees it does not fit locally.
      mapReduceTokens = undefined;
      const tokens = files.reduce((n, f) => n + f.tokens, 0);
      summary = {
        files: inputs.files.length,
        bytes: inputs.bytes,
        tokens,
        tokenCountMethod: model.tokenCountMethod,
        mode: 'map-reduce',
        parts: 0,
      };
    }
    const d = await this.route({ ...input, files, mapReduceTokens });
    return { ...d, input: summary };
  }

  /**
   * How a routed task went: the router learns from it, and patterns stored with
   * that decision id have their success rate (and quality) follow it.
   */
  async reportOutcome(o: OutcomeReport): Promise<OutcomeResult & { patternsUpdated: number }> {
    const bank = await this.patterns();
    const p = await this.router.prepareOutcome(o);
    // the outcome and the patterns it updates commit together (a failure leaves neither, and a retry works)
    const w = await this.outcomeWork.reportOutcome(p.row, p.route, patternQualityAfter(o.quality));
    if ('reportedAt' in w) throw this.router.alreadyReported(p.row.decisionId, w.reportedAt);
    const result = this.router.outcomeRecorded(p, w.mark); // committed: now the learner
    bank.outcomeRecorded(w.patterns);
    this.emit({ type: 'stats' });
    return { ...result, patternsUpdated: w.patterns.length };
  }

  /**
   * Stores a pattern; a success flag counts on the pattern, and with a decision id it also
   * reports that decision's outcome, in the pattern's transaction: an unknown or already-reported
   * decision stores nothing, and a store that fails leaves no outcome behind (a retry succeeds).
   */
  async storePattern(input: PatternInput, outcome?: { success: boolean }): Promise<StoreResult & { outcomeRecorded: boolean }> {
    const bank = await this.patterns();
    const reportNow = Boolean(input.decisionId && outcome);
    let res: StoreResult;
    if (reportNow) {
      // The stored quality already counts this report: only the success/failure tally moves. The pattern is checked
      // first, then the decision (as when both ran inside the store's transaction).
      bank.checkInput(input, { success: outcome!.success });
      const p = await this.router.prepareOutcome({ decisionId: input.decisionId!, success: outcome!.success, quality: input.quality });
      const w = await this.outcomeWork.storeWithOutcome(
        p.row,
        p.route,
        (at) => this.router.alreadyReported(p.row.decisionId, at),
        (inStore) => bank.store(input, { success: outcome!.success, inTransaction: inStore }),
      );
      this.router.outcomeRecorded(p, w.mark); // committed: now the learner
      res = w.result;
    } else res = await bank.store(input, { success: outcome?.success });
    const pattern = res.pattern;
    // A pattern that says which route it ran on and how it went teaches the router like a reported outcome
    // (with a decision id the outcome belongs to that decision instead, and was reported above or will be).
    const route = input.route === 'local' || input.route === 'local_required' ? 'local' : input.route === 'cloud' ? 'cloud' : null;
    const observed =
      route !== null &&
      !input.decisionId &&
      this.router.observe({
        task: input.task,
        route,
        success: outcome?.success ?? (input.converged !== false && input.quality >= 0.5),
        quality: input.quality,
        source: `pattern:${res.id}`,
        // evidence is kept per local model: the one the caller names (else the router takes the one serving now)
        model: input.model,
      });
    if (reportNow || observed) this.emit({ type: 'stats' });
    return { ...res, pattern, outcomeRecorded: reportNow };
  }

  /** Resolves when the routing learner has replayed stored outcomes and learned every observation so far. */
  async learningSettled(): Promise<void> {
    await this.router.learningReady;
    await this.router.observationsLearned();
  }

  async findPatterns(q: FindQuery): Promise<FindResult> {
    return (await this.patterns()).find(q);
  }

  /** One pattern; an unknown id throws an Error naming it. */
  async getPattern(id: string): Promise<Pattern> {
    return (await this.patterns()).get(id);
  }

  async costReport(q: CostReportQuery = {}): Promise<CostReport> {
    return this.ledger.report(q);
  }

  /** A cost report as CSV (one row per group, then the totals). */
  costReportCsv(report: CostReport): string {
    return this.ledger.toCsv(report);
  }

  /** A self-contained HTML report (charts included) of a period, with the figures it shows. */
  async htmlReport(q: Omit<CostReportQuery, 'groupBy'> & { title?: string } = {}): Promise<{ html: string; report: CostReport }> {
    const data = await this.ledger.reportData(q);
    return { html: renderHtmlReport(data), report: data.report };
  }

  async swap(target: SwapTarget): Promise<SwapResult> {
    // The model manager checks a caller's baseUrl (models/server-address.ts), at swap time and at every connection.
    const r = await this.models.swap(target);
    this.emit({ type: 'models' });
    this.emit({ type: 'stats' });
    return r;
  }

  async listModels(refresh = false): Promise<{ models: ModelInfo[]; status: ModelsStatus }> {
    const models = await this.models.discover(refresh);
    return { models, status: this.models.status() };
  }

  /** The active model, loading state and queue, without discovery. */
  modelStatus(): ModelsStatus {
    return this.models.status();
  }

  /** Resolves when the first model load (started by start()) has settled; rejects if it failed. */
  modelReady(): Promise<void> {
    return this.models.ready();
  }

  /** Each backend's circuit breaker and latency median ("cloud" included once the host reports cloud outcomes). */
  backendHealth(): BackendHealthDetail[] {
    return this.health.all();
  }

  // ---------------------------------------------------------------- patterns

  /** Opens the pattern bank now (it opens on first use otherwise). */
  async patternsReady(): Promise<void> {
    await this.patterns();
  }

  async patternStats(): Promise<PatternBankStats> {
    return (await this.patterns()).stats();
  }

  /** One page of stored patterns in the order they were stored, with the bank's total. */
  async listPatterns(
    o: { cursor?: string | null; limit?: number } = {},
  ): Promise<{ total: number; items: Pattern[]; nextCursor: string | null }> {
    const bank = await this.patterns();
    const { items, nextCursor } = await bank.list(o);
    return { total: (await bank.stats()).total, items, nextCursor };
  }

  /** Every pattern as a bundle (msgpack or JSON) that importPatterns reads back. */
  async exportPatterns(format: 'msgpack' | 'json' = 'msgpack'): Promise<{ bundle: Buffer; patterns: number }> {
    const bank = await this.patterns();
    return { bundle: await bank.exportBundle(format), patterns: (await bank.stats()).total };
  }

  /** Merges a bundle into the bank (near-duplicates merge, invalid entries are skipped). */
  async importPatterns(bundle: Buffer): Promise<{ imported: number; merged: number; skipped: number }> {
    return (await this.patterns()).importBundle(bundle);
  }

  /**
   * The engine's parts, for white-box tests and benchmarks that inject faults or read tables directly.
   * Not part of the library API: tools, resources and the CLI use the methods above.
   */
  internalsForTests(): EngineInternals {
    const store = this.store;
    const sqliteDb = () => this.sqliteDb();
    return {
      store,
      get db() {
        return sqliteDb();
      },
      models: this.models,
      health: this.health,
      router: this.router,
      ledger: this.ledger,
      patterns: () => this.patterns(),
    };
  }

  async stats(): Promise<EngineStats> {
    await this.router.catchUp(); // learned counts include what other processes reported
    return {
      routing: await this.router.stats(),
      // Counters and the newest calls by index: a read costs the same at any history size.
      backendsWindow: 'calls and errors: since the start; percentiles: newest 500 successful calls per backend and model within 7 days',
      backends: await this.ledger.liveBackendStats(),
      health: this.health.all(),
      models: this.models.status(),
      patterns: this.bank ? await this.bank.stats() : { ready: false },
      storage: this.store.stats(),
      generatedAt: new Date().toISOString(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offExternal();
    this.warmUp?.stop();
    try {
      if (this.pruneTimer) clearInterval(this.pruneTimer);
      if (this.ledgerTimer) clearInterval(this.ledgerTimer);
      // Saves the vector index and the batched usage counts (else the next start replays the log).
      if (this.bankPromise) await (await this.bankPromise.catch(() => null))?.close();
    } finally {
      // the router writes its queued observations before the store closes
      await this.router.close().catch((e: Error) => log.error('closing the router failed', { error: e.message }));
      await this.models.close();
      await this.ledger.close(); // a snapshot load in flight finishes before the store closes
      await this.store.close();
    }
  }

  /** The SQLite connection of a SQLite store (white-box tests read it). */
  private sqliteDb(): DB {
    if (this.store.kind !== 'sqlite') throw new Error(`the ${this.store.kind} store has no SQLite connection`);
    return (this.store as SqliteStore).db;
  }
}
