/**
 * The router: one decision per task (privacy scan, complexity, health, learned
 * evidence, strategy, constraints: synchronous steps), persisted through the
 * decisions repository, and outcomes reported on decisions that feed the learner.
 *
 * Never sends sensitive work to the cloud unless the caller forces it (recorded, with a warning).
 * The task text itself is never stored: only the decision, its reason codes, the privacy
 * categories and a hashed feature vector of the *redacted* text.
 */
import type { CounterDelta, DecisionRef, DecisionsRepo } from '../store/decisions-repo.js';
import type { LearnedOutcome, OutcomeRow, OutcomesRepo } from '../store/outcomes-repo.js';
import { logger } from '../log.js';
import { ENGINE_DEFAULTS } from '../defaults.js';
import { CallerError } from '../errors.js';
import { scanPrivacy } from '../privacy/privacy.js';
import { scanRouteInput, type ScanStep } from './scan.js';
import { assessTask, type AssessStep } from './assess.js';
import { choosePolicy, type PolicyResult } from './policy.js';
import { HealthRegistry, type HealthOptions } from '../models/health.js';
import { defaultFeaturize, REPLAY_OUTCOMES, type Evidence, type Learner, type LearnerOptions } from './learner.js';
import { KnnLearner } from './knn-learner.js';
import { newDecisionId } from './decision-id.js';
import { assessCapability, parseCapabilitySetting, type Capability, type CapabilityTier } from './capability.js';
import {
  STRATEGIES,
  type CostEstimator,
  type LocalSide,
  type OutcomeReport,
  type Route,
  type RouteDecision,
  type RouteInput,
  type Strategy,
} from './types.js';

const log = logger('router');

export { migrations } from '../store/sqlite/migrations-router.js';

/** An outcome seen outside route_task: a task done on a route, and how it went (e.g. a stored reasoning pattern). */
/** What reportOutcome resolves to. */
export interface OutcomeResult {
  decisionId: string;
  recorded: true;
  route: Route;
}

/** A checked outcome report and its decision, not written yet (Router.prepareOutcome). */
export interface PreparedOutcome {
  report: OutcomeReport;
  decision: DecisionRef;
  /** The decision's route (the outcome's counters are kept by route). */
  route: string;
  /** The outcome as the outcomes repository writes it. */
  row: OutcomeRow;
}

export interface Observation {
  task: string;
  route: 'local' | 'cloud';
  success: boolean;
  /** 0..1; a success without one counts as 1. */
  quality?: number | null;
  /** Where it came from, e.g. "pattern:<id>". */
  source: string;
  /** The local model it ran on (local route); evidence is kept per model. */
  model?: string | null;
}

/**
 * Every count in RouterStats comes from router_counters: rows updated in the same transaction as the decision, outcome
 * or observation they count, so a read is one small query whatever the history, and it includes every process
 * writing the database. They count everything recorded since the counters began (seeded from the rows held then):
 * rolling old decisions up by day (the ledger's retention) does not lower them.
 */
export interface RouterStats {
  /** Decisions recorded (same as `decisions`). */
  total: number;
  decisions: number;
  byRoute: Record<string, number>;
  /** Reason codes (a decision can carry several): sensitive, forced_cloud_sensitive, complexity_high, learned_escalation, ... */
  byReason: Record<string, number>;
  byComplexity: Record<string, number>;
  byStrategy: Record<string, number>;
  /** Decisions with at least one finding of the category. */
  privacyCatches: Record<string, number>;
  sensitiveDecisions: number;
  forced: number;
  forcedCloudWithSensitive: number;
  estimatedSavingUsd: number;
  outcomes: {
    total: number;
    success: number;
    failure: number;
    byRoute: Record<string, { total: number; success: number; meanQuality: number | null }>;
  };
  learned: {
    enabled: boolean;
    localSamples: number;
    cloudSamples: number;
    patterns: number;
    /** Outcomes learned from outside route_task (stored patterns with a route), kept in SQLite. */
    observations: number;
    /** Observations waiting to be learned (learning runs between requests). */
    observationsPending: number;
    /** Observations that arrived faster than they could be learned; learned at the next start's replay. */
    observationsDeferred: number;
  };
}

export interface RouterOptions {
  /** The decision record and counters (a Store's `decisions`; SQLite: store/sqlite/decisions.ts). */
  decisions: DecisionsRepo;
  /** Outcomes and observations (a Store's `outcomes`). */
  outcomes: OutcomesRepo;
  defaultStrategy?: Strategy;
  local: () => LocalSide;
  estimate: CostEstimator;
  /** Task features for similarity (sync). Default: hashed word n-grams + complexity features, 128 dims. */
  featurize?: (text: string) => Float32Array;
  /** Learn from reported outcomes. Default true. */
  learning?: boolean;
  now?: () => number;
  /** Circuit breaker settings for Router.health (when no registry is given). */
  health?: HealthOptions;
  /** The backends' health registry (models/health.ts), shared with the completion path; default a new one. */
  backendHealth?: HealthRegistry;
  /**
   * Cloud latency estimate in ms for a given number of output tokens. Default 700 + 12 × tokens
   * (≈0.7 s to first token, ≈80 tokens/s: typical hosted frontier-model figures).
   */
  cloudLatencyMs?: (outputTokens: number) => number;
  /** Local latency estimate when no measured median exists. Default 300 + 50 × tokens (≈20 tokens/s on CPU). */
  localLatencyMs?: (outputTokens: number) => number;
  /** Cosine similarity a past task needs to count as evidence. Default 0.6. */
  minSimilarity?: number;
  /** Recent outcomes the learner keeps per route and per local model. Default 4096. */
  maxHistory?: number;
  /**
   * Observations kept in SQLite (oldest pruned, checked every 1,000). Default 200 000. Decisions (and their outcomes) are
   * not pruned here: they are the ledger's too, and age out by its day rollup (--ledger-retention-days).
   */
  retainObservations?: number;
  /** --model-capability: a tier for every model ("large") or per model id or name ("ollama:qwen2.5:32b=large"). */
  modelCapability?: string;
  /** The learner holding the outcomes. Default: the nearest-neighbour vote (KnnLearner); the bench injects its baselines here. */
  learnerFactory?: (opts: LearnerOptions) => Learner;
}

/** Most recent outcomes replayed into the learner at start. */
const REBUILD_OUTCOMES = REPLAY_OUTCOMES;

/**
 * Learning from observations: turns of at most LEARN_SLICE_MS (an add to the learner's graph takes about 0.1 ms, so a turn
 * rarely runs over), each followed by a pause of LEARN_PAUSE_FACTOR times what it took (at least
 * LEARN_EVERY_MS): learning takes at most ~10% of the thread however fast stores arrive, and lags behind a flood.
 */
const LEARN_SLICE_MS = 2;
const LEARN_EVERY_MS = 8;
const LEARN_PAUSE_FACTOR = 9;
/** Observations waiting to be learned; older ones wait for the next start's replay. */
const OBSERVE_QUEUE_MAX = 8192;

/** How often other processes' outcomes are looked for, and at most how many are taken per look. */
const EXTERNAL_EVERY_MS = 500;
const EXTERNAL_BATCH = 2048;

/** Largest task the router accepts, in characters (about 500k tokens). */
export const MAX_TASK_CHARS = 2_000_000;

/** Checks a route input; the strategy defaults to the router's. */
function validateRouteInput(input: RouteInput, defaultStrategy: Strategy) {
  const task = input?.task;
  if (typeof task !== 'string' || task.trim().length === 0) throw new Error('task must be a non-empty string describing the work to route');
  if (task.length > MAX_TASK_CHARS)
    throw new Error(
      `task is ${task.length} characters; the router accepts at most ${MAX_TASK_CHARS}. Pass large material as contextTokens instead of inline text`,
    );
  const strategy = input.strategy ?? defaultStrategy;
  if (!STRATEGIES.includes(strategy)) throw new Error(`unknown strategy "${String(strategy)}"; use one of ${STRATEGIES.join(', ')}`);
  const messages = input.messages ?? [];
  if (!Array.isArray(messages)) throw new Error('messages must be an array of { role, content }');
  let totalChars = task.length;
  for (const m of messages) totalChars += typeof m?.content === 'string' ? m.content.length : 0;
  if (totalChars > MAX_TASK_CHARS)
    throw new Error(
      `task and messages hold ${totalChars} characters; the router accepts at most ${MAX_TASK_CHARS}. Pass large material as contextTokens instead of inline text`,
    );
  if (input.force !== undefined && input.force !== 'local' && input.force !== 'cloud')
    throw new Error(`force must be "local" or "cloud", got ${JSON.stringify(input.force)}`);
  const c0 = input.constraints ?? {};
  for (const key of ['maxCostUsd', 'maxLatencyMs', 'minQuality'] as const) {
    const v = c0[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0))
      throw new Error(`constraints.${key} must be a non-negative number, got ${String(v)}`);
  }
  if (c0.minQuality !== undefined && c0.minQuality > 1)
    throw new Error(`constraints.minQuality is a quality between 0 and 1, got ${c0.minQuality}`);
  const contextTokens = input.contextTokens ?? 0;
  if (!(Number.isFinite(contextTokens) && contextTokens >= 0))
    throw new Error(`contextTokens must be a non-negative number, got ${contextTokens}`);

  return { task, strategy, messages, contextTokens };
}

export class Router {
  readonly health: HealthRegistry;
  /** Resolves when the outcomes stored by earlier runs have been replayed into the learner. */
  readonly learningReady: Promise<void>;
  private readonly defaultStrategy: Strategy;
  private readonly localSide: () => LocalSide;
  private readonly estimateCost: CostEstimator;
  private readonly featurize: (text: string) => Float32Array;
  private readonly learning: boolean;
  private readonly now: () => number;
  private readonly cloudLatency: (t: number) => number;
  private readonly localLatency: (t: number) => number;
  private readonly learner: Learner | null;
  /** The one decision record and the stats counters (store/decisions-repo.ts). */
  private readonly decisions: DecisionsRepo;
  /** Outcomes of decisions and observations (store/outcomes-repo.ts). */
  private readonly outcomes: OutcomesRepo;
  private readonly retain: number;
  private sincePrune = 0;
  /** Observations recorded but not yet learned (see observe). */
  private observeQueue: { route: 'local' | 'cloud'; vec: Float32Array; quality: number; model: string | null }[] = [];
  /** Observations not yet written to SQLite (written by the next timer turn, in one transaction). */
  private toRecord: (Observation & { quality: number | null; at: number })[] = [];
  private observeTimer: NodeJS.Timeout | null = null;
  /** A timer turn is running (its write awaited): nothing schedules another meanwhile. */
  private turnRunning = false;
  /** The observation write in flight (one at a time: close() waits for a turn's write, then writes what is left). */
  private flushing: Promise<void> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private observeIdle: (() => void)[] = [];
  private observationsDeferred = 0;
  private readonly capabilitySetting: (modelId: string | null, name?: string) => CapabilityTier | undefined;
  /** The last model's capability (the active model rarely changes; routing is a hot path). */
  private capabilityMemo: { key: string; cap: Capability } | null = null;
  /**
   * Other processes on this database: outcome rows (rowid) and observations (id) up to these marks have been
   * seen; the ones this process wrote (learned when written) are skipped. Looked at every EXTERNAL_EVERY_MS.
   */
  private seenOutcome = 0;
  private seenObservation = 0;
  private readonly ownOutcomes = new Set<number>();
  private readonly ownObservations = new Set<number>();
  private lastExternal = 0;
  private externalLearned = 0;
  /** The start step (the replay's marks) has completed; see start(). */
  private started = false;
  private startPromise: Promise<void> | null = null;

  constructor(opts: RouterOptions) {
    this.defaultStrategy = opts.defaultStrategy ?? ENGINE_DEFAULTS.strategy;
    if (!STRATEGIES.includes(this.defaultStrategy))
      throw new Error(`unknown default strategy "${String(opts.defaultStrategy)}"; use one of ${STRATEGIES.join(', ')}`);
    this.localSide = opts.local;
    this.estimateCost = opts.estimate;
    this.featurize = opts.featurize ?? defaultFeaturize;
    this.learning = opts.learning ?? ENGINE_DEFAULTS.learning;
    this.now = opts.now ?? Date.now;
    this.health = opts.backendHealth ?? new HealthRegistry({ now: this.now, ...opts.health });
    this.cloudLatency = opts.cloudLatencyMs ?? ((t) => 700 + 12 * t);
    this.localLatency = opts.localLatencyMs ?? ((t) => 300 + 50 * t);
    this.retain = opts.retainObservations ?? 200_000;
    this.capabilitySetting = parseCapabilitySetting(opts.modelCapability);
    if (!(Number.isInteger(this.retain) && this.retain >= 1))
      throw new Error(`retainObservations must be a positive integer, got ${opts.retainObservations}`);

    if (!opts.decisions || !opts.outcomes)
      throw new Error('Router needs its repositories { decisions, outcomes } (a Store has them: store/store.ts)');
    this.decisions = opts.decisions;
    this.outcomes = opts.outcomes;
    if (this.learning) {
      const probe = this.featurize('probe');
      if (!(probe instanceof Float32Array)) throw new Error('featurize must return a Float32Array');
      const lopts = { dim: probe.length, minSimilarity: opts.minSimilarity, maxHistory: opts.maxHistory };
      this.learner = opts.learnerFactory ? opts.learnerFactory(lopts) : new KnnLearner(lopts);
      // The marks first, then the replay, both asked for now (SQLite reads both right here, before anything else can
      // write): a row written in between is learned twice at worst, never missed.
      const started = this.start();
      const replay = this.outcomes.recent(REBUILD_OUTCOMES);
      this.learningReady = Promise.all([started, replay])
        .then(([, rows]) => this.rebuild(rows))
        .catch((e: Error) => log.error('rebuilding the routing learner failed', { error: e.message }));
    } else {
      this.learner = null;
      this.learningReady = Promise.resolve();
    }
  }

  /**
   * The start step: reads the marks of the start-up replay (outcomes and observations at or below them are in the
   * replay; later ones are caught up as other processes' reports). Asked for by the constructor when learning is on;
   * catchUp(), and so decide(), awaits it the first time (a failed read is tried again by the next call).
   */
  private start(): Promise<void> {
    return (this.startPromise ??= this.outcomes.marks().then(
      (m) => {
        this.seenOutcome = m.outcome;
        this.seenObservation = m.observation;
        this.started = true;
      },
      (e: Error) => {
        this.startPromise = null;
        throw e;
      },
    ));
  }

  /**
   * Replays the most recent stored outcomes (`rows`, read at start) into the learner, 256 at a time between
   * event-loop turns (an add costs ~0.1 ms), so start-up is not blocked; decisions made meanwhile use what has been
   * replayed so far. `learningReady` resolves when it is done.
   */
  private async rebuild(rows: LearnedOutcome[]): Promise<void> {
    if (!this.learner) return;
    let used = 0;
    let skipped = 0;
    const learner = this.learner;
    const CHUNK = 256;
    for (let i = 0; i < rows.length; i += CHUNK) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const r of rows.slice(i, i + CHUNK)) {
        const vec = r.features;
        if (!vec || vec.length !== learner.dim) {
          skipped++;
          continue;
        }
        learner.add(r.route === 'cloud' ? 'cloud' : 'local', vec, outcomeQuality(r.success, r.quality), r.model);
        used++;
      }
    }
    if (rows.length) log.info('rebuilt routing learner from stored outcomes', { outcomes: used, skipped });
  }

  /** The capability the policy assumes for the local model (setting, size label, name, file size; see capability.ts). */
  capabilityOf(local: Pick<LocalSide, 'modelId' | 'model'>): Capability {
    const m = local.model ?? (local.modelId ? { id: local.modelId, name: local.modelId } : null);
    const key = m ? `${m.id}\u0000${m.name}\u0000${m.parameters ?? ''}\u0000${m.sizeBytes ?? ''}\u0000${m.quantization ?? ''}` : '';
    const memo = this.capabilityMemo;
    if (memo && memo.key === key) return memo.cap;
    const cap = assessCapability(m, this.capabilitySetting(m?.id ?? null, m?.name));
    this.capabilityMemo = { key, cap };
    return cap;
  }

  /**
   * Queues for learning what other processes on this database reported (outcomes, observations) since the last
   * look, at most every EXTERNAL_EVERY_MS: routing in each process learns from every session's reports. Learned
   * in the same paced turns as observations. The engine calls it before its routing transaction (learning never
   * runs while the write lock is held); a router used on its own looks from decide().
   */
  async catchUp(): Promise<void> {
    if (!this.learner) return;
    if (!this.started) await this.start();
    const now = Date.now();
    if (now - this.lastExternal < EXTERNAL_EVERY_MS) return;
    this.lastExternal = now;
    let queued = 0;
    const take = (rows: LearnedOutcome[], own: Set<number>): number => {
      let mark = 0;
      for (const r of rows) {
        mark = r.mark;
        if (own.delete(r.mark) || !r.features) continue;
        const vec = r.features;
        if (vec.length !== this.learner!.dim) continue;
        const route = r.route === 'cloud' ? 'cloud' : 'local';
        this.observeQueue.push({ route, vec, quality: outcomeQuality(r.success, r.quality), model: route === 'local' ? r.model : null });
        queued++;
      }
      return mark;
    };
    const found = await this.outcomes.since(this.seenOutcome, this.seenObservation, EXTERNAL_BATCH);
    const o = found.filter((r) => r.kind === 'outcome');
    if (o.length) this.seenOutcome = take(o, this.ownOutcomes);
    const b = found.filter((r) => r.kind === 'observation');
    if (b.length) this.seenObservation = take(b, this.ownObservations);
    // own rows at or below the marks will not be listed again
    for (const r of this.ownOutcomes) if (r <= this.seenOutcome) this.ownOutcomes.delete(r);
    for (const r of this.ownObservations) if (r <= this.seenObservation) this.ownObservations.delete(r);
    if (!queued) return;
    this.externalLearned += queued;
    if (this.observeQueue.length > OBSERVE_QUEUE_MAX) {
      this.observationsDeferred += this.observeQueue.length - OBSERVE_QUEUE_MAX;
      this.observeQueue.splice(0, this.observeQueue.length - OBSERVE_QUEUE_MAX);
    }
    this.kickObserved();
    log.debug('learning outcomes reported by other processes', { outcomes: queued });
  }

  /** Outcomes and observations of other processes queued for learning since start. */
  get learnedFromOthers(): number {
    return this.externalLearned;
  }

  /**
   * One routing decision, in four steps: scan (privacy findings in the task, messages and files), assess (complexity,
   * size, the local model's capability), policy (what is up, learned evidence, strategy and constraints: policy.ts)
   * and record (the one decision record and its counters, one transaction).
   */
  async decide(input: RouteInput): Promise<RouteDecision> {
    const t0 = performance.now();
    await this.catchUp();
    const { task, strategy, messages, contextTokens } = validateRouteInput(input, this.defaultStrategy);
    const scanned = scanRouteInput(task, messages, input.files);
    const assessed = assessTask(task, scanned, contextTokens, messages.length);
    const { policy, cost, vec, localEv, local, cap } = this.policyStep(input, strategy, scanned, assessed);
    return this.record(input, t0, strategy, scanned, assessed, policy, cost, vec, localEv, local, cap);
  }

  /** What is up, what the learner knows of similar tasks, and the policy's choice. */
  private policyStep(input: RouteInput, strategy: Strategy, scanned: ScanStep, assessed: AssessStep) {
    const { inputTokens, outputTokens } = assessed;
    const cost = this.estimateCost(inputTokens, outputTokens);
    const local = this.localSide();
    const backendUp = local.backend ? this.health.isUp(local.backend) : true;
    const fits =
      local.contextTokens === undefined ||
      inputTokens + outputTokens <= local.contextTokens ||
      // Files beyond the context are read in parts (map-reduce) up to the caller's cap.
      (scanned.fileTokens > 0 &&
        input.mapReduceTokens !== undefined &&
        scanned.fileTokens <= input.mapReduceTokens &&
        inputTokens - scanned.fileTokens + outputTokens <= local.contextTokens);
    const cap = local.available ? this.capabilityOf(local) : null;
    let vec: Float32Array | null = null;
    let localEv: Evidence = { samples: 0, successRate: null };
    let cloudEv: Evidence = { samples: 0, successRate: null };
    if (this.learner) {
      vec = this.featurize(scanned.scan.redacted);
      localEv = this.learner.evidence('local', vec, local.modelId);
      // cloud outcomes only matter for a minQuality constraint
      if (input.constraints?.minQuality !== undefined) cloudEv = this.learner.evidence('cloud', vec);
    }
    const policy = choosePolicy({
      strategy,
      force: input.force,
      constraints: input.constraints,
      sensitive: scanned.sensitive,
      categories: scanned.categories,
      complexity: assessed.complexity,
      inputTokens,
      outputTokens,
      cost,
      local: { available: local.available, backend: local.backend, contextTokens: local.contextTokens, backendUp, fits },
      cloudUp: this.health.isUp('cloud'),
      health: this.health,
      cap,
      localEv,
      cloudEv,
      localLatency: local.latencyP50Ms ?? this.health.latencyP50(local.backend ?? '') ?? this.localLatency(outputTokens),
      cloudLatency: this.health.latencyP50('cloud') ?? this.cloudLatency(outputTokens),
    });
    return { policy, cost, vec, localEv, local, cap };
  }

  /** The decision as returned, and its record (the row the router and the ledger share, and the counters) in one transaction. */
  private async record(
    input: RouteInput,
    t0: number,
    strategy: Strategy,
    scanned: ScanStep,
    assessed: AssessStep,
    policy: PolicyResult,
    cost: ReturnType<CostEstimator>,
    vec: Float32Array | null,
    localEv: Evidence,
    local: LocalSide,
    cap: Capability | null,
  ): Promise<RouteDecision> {
    const { route, forced, reasons, codes } = policy;
    const confidence = policy.confidence;
    const { complexity, inputTokens, outputTokens } = assessed;
    const { scan, findings, sensitive, categories, redactedMessages } = scanned;
    const decisionId = newDecisionId();
    const savingUsd = route === 'cloud' ? 0 : Math.max(0, cost.cloudUsd - cost.localUsd);
    const decision: RouteDecision = {
      decisionId,
      route,
      strategy,
      complexity: { level: complexity.level, score: complexity.score, taskType: complexity.taskType },
      privacy: { sensitive, findings },
      // Only when something was redacted: echoing an unchanged task back would cost the host its size again in context.
      ...(scan.findings.length > 0 ? { redactedTask: scan.redacted } : {}),
      ...(redactedMessages.length > 0 ? { redactedMessages } : {}),
      localModel: route === 'cloud' ? null : local.modelId,
      estimate: {
        inputTokens,
        outputTokens,
        localUsd: cost.localUsd,
        cloudUsd: cost.cloudUsd,
        savingUsd,
        cloudModel: cost.cloudModel,
      },
      confidence: Math.round(confidence * 1000) / 1000,
      reasons,
      reasonCodes: codes,
      forced,
      ...(this.learner
        ? {
            learned: {
              samples: localEv.samples,
              localSuccessRate: localEv.successRate === null ? null : Math.round(localEv.successRate * 1000) / 1000,
            },
          }
        : {}),
      ...(cap ? { capability: { tier: cap.tier, paramsB: cap.paramsB, source: cap.source, reason: cap.reason } } : {}),
    };
    const counts: CounterDelta[] = [
      ['decisions', '', 1, savingUsd],
      ['route', route, 1, 0],
      ['complexity', complexity.level, 1, 0],
      ['strategy', strategy, 1, 0],
    ];
    for (const code of codes) counts.push(['reason', code, 1, 0]);
    for (const cat of categories) counts.push(['category', cat, 1, 0]);
    if (sensitive) counts.push(['sensitive', '', 1, 0]);
    if (forced) counts.push(['forced', '', 1, 0]);
    if (forced && sensitive && route === 'cloud') counts.push(['forced_cloud_sensitive', '', 1, 0]);
    await this.decisions.insert(
      {
        id: decisionId,
        createdAt: this.now(),
        route,
        strategy,
        level: complexity.level,
        score: complexity.score,
        taskType: complexity.taskType,
        sensitive,
        categories,
        reasonCodes: codes,
        reasons,
        forced,
        localModel: decision.localModel,
        inputTokens,
        outputTokens,
        localUsd: cost.localUsd,
        cloudUsd: cost.cloudUsd,
        savingUsd,
        confidence: decision.confidence,
        agentId: input.agentId ?? null,
        features: vec,
        latencyMs: performance.now() - t0,
      },
      counts,
    );
    return decision;
  }

  /**
   * Deletes the oldest observations beyond retainObservations. Returns how many were removed. Decisions are not
   * pruned by count: the one decision record ages out by the ledger's day rollup (Ledger.rollup).
   */
  async prune(): Promise<number> {
    const removed = await this.outcomes.pruneObservations(this.retain);
    if (removed) log.info('pruned old routing observations', { removed, kept: this.retain });
    return removed;
  }

  /** Checks and records an outcome (one transaction), then learns from it. Resolves after the commit. */
  async reportOutcome(o: OutcomeReport): Promise<OutcomeResult> {
    const p = await this.prepareOutcome(o);
    const mark = await this.outcomes.insertOutcome(p.row, p.route);
    return this.outcomeRecorded(p, mark);
  }

  /**
   * Checks an outcome report and reads its decision, writing nothing: for a caller that records the outcome
   * together with other writes (the engine's outcome unit of work, store/unit-of-work.ts) and then calls
   * `outcomeRecorded` once that committed.
   */
  async prepareOutcome(o: OutcomeReport): Promise<PreparedOutcome> {
    const id = o?.decisionId;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) throw new Error('decisionId must be the id returned by route_task');
    if (typeof o.success !== 'boolean') throw new Error('success must be true or false');
    if (o.quality !== undefined && !(typeof o.quality === 'number' && o.quality >= 0 && o.quality <= 1))
      throw new Error(`quality must be a number between 0 and 1, got ${String(o.quality)}`);
    if (o.notes !== undefined && (typeof o.notes !== 'string' || o.notes.length > 4000))
      throw new Error('notes must be a string of at most 4000 characters');
    if (o.failure !== undefined && o.failure !== 'quality' && o.failure !== 'unavailable')
      throw new CallerError(`failure must be "quality" or "unavailable", got ${JSON.stringify(o.failure)}`);
    const decision = await this.decisions.get(id);
    if (!decision) throw new Error(`unknown decision id "${id}": report outcomes with the decisionId returned by route_task`);
    const prior = await this.outcomes.reportedAt(id);
    if (prior !== null) throw this.alreadyReported(id, prior);
    return {
      report: o,
      decision,
      route: decision.route,
      row: { decisionId: id, success: o.success, quality: o.quality ?? null, notes: o.notes ?? null, reportedAt: this.now() },
    };
  }

  /** The error for a decision whose outcome is recorded already. */
  alreadyReported(decisionId: string, reportedAt: number): Error {
    return new Error(`an outcome for decision "${decisionId}" was already reported at ${new Date(reportedAt).toISOString()}`);
  }

  /** After a prepared outcome committed (its mark): the cloud's breaker and the learner take it. */
  outcomeRecorded(p: PreparedOutcome, mark: number): OutcomeResult {
    const { report: o, decision: row } = p;
    const id = row.id;
    this.ownOutcomes.add(mark);
    // The host is the only one who sees a cloud call: its report of a cloud route feeds the cloud's breaker
    // (only the decision id is kept as the last error: notes may hold anything).
    // A poor answer says nothing about whether the cloud is up; only a call that could not be made counts.
    if (row.route === 'cloud') {
      if (o.success) this.health.recordSuccess('cloud', NaN);
      else if (o.failure === 'unavailable') this.health.recordFailure('cloud', `the host reported the cloud unavailable (decision ${id})`);
    }
    if (this.learner && row.features) {
      const vec = row.features;
      if (vec.length === this.learner.dim)
        this.learner.add(row.route === 'cloud' ? 'cloud' : 'local', vec, outcomeQuality(o.success, o.quality ?? null), row.localModel);
    }
    return { decisionId: id, recorded: true, route: row.route as Route };
  }

  /**
   * Learns from a task done outside route_task (e.g. a reasoning pattern stored with the route it ran on
   * and how it went): similar tasks then escalate or stay local the way a reported outcome would make them.
   * Only features of the redacted task are kept, as for decisions. Returns false when learning is off.
   */
  observe(o: Observation): boolean {
    if (typeof o?.task !== 'string' || o.task.trim().length === 0) throw new Error('observe: task must be a non-empty string');
    if (o.route !== 'local' && o.route !== 'cloud')
      throw new Error(`observe: route must be "local" or "cloud", got ${JSON.stringify(o.route)}`);
    if (typeof o.success !== 'boolean') throw new Error('observe: success must be true or false');
    const q = o.quality ?? null;
    if (q !== null && !(typeof q === 'number' && q >= 0 && q <= 1))
      throw new Error(`observe: quality must be between 0 and 1, got ${String(q)}`);
    if (!this.learner) return false;
    // A local observation that names no model counts for the model serving now (evidence is kept per model).
    if (o.route === 'local' && o.model === undefined) o = { ...o, model: this.localSide().modelId };
    // Observations can come with every stored pattern, so none of the work is done inside the store: a timer
    // records what arrived (features of the redacted task, one SQLite transaction for all of it) and then learns
    // (~0.1 ms an outcome) in paced turns (see LEARN_SLICE_MS).
    this.toRecord.push({ ...o, quality: q, at: this.now() });
    this.kickObserved();
    return true;
  }

  /** Schedules a turn now unless one is scheduled or running (that one schedules the next) or the router is closed. */
  private kickObserved(): void {
    if (!this.observeTimer && !this.turnRunning && !this.closed) this.scheduleObserved(0);
  }

  // Not unref'd: someone may be awaiting observationsLearned(); the queue drains in milliseconds, and close() stops it.
  private scheduleObserved(ms: number): void {
    this.observeTimer = setTimeout(() => void this.learnObserved(), ms);
  }

  /** Runs recordObserved after any write in flight (one write at a time). */
  private flushObserved(): Promise<void> {
    const run = (this.flushing ?? Promise.resolve()).catch(() => undefined).then(() => this.recordObserved());
    this.flushing = run;
    const clear = () => {
      if (this.flushing === run) this.flushing = null;
    };
    run.then(clear, clear);
    return run;
  }

  /** Writes the observations that arrived since the last call (one transaction) and queues them for learning. */
  private async recordObserved(): Promise<void> {
    if (!this.toRecord.length) return;
    const batch = this.toRecord;
    const rows = batch.map((o) => {
      const text = o.task.length > MAX_TASK_CHARS ? o.task.slice(0, MAX_TASK_CHARS) : o.task;
      return { o, vec: this.featurize(scanPrivacy(text).redacted) };
    });
    // If the write fails (e.g. a full disk) the batch stays queued for the next turn.
    const ids = await this.outcomes.insertObservations(
      rows.map(({ o, vec }) => ({
        createdAt: o.at,
        route: o.route,
        success: o.success,
        quality: o.quality,
        source: String(o.source).slice(0, 200),
        features: vec,
        model: o.route === 'local' ? (o.model ?? null) : null,
      })),
    );
    for (const id of ids) this.ownObservations.add(id);
    this.toRecord = this.toRecord.slice(batch.length);
    for (const { o, vec } of rows)
      this.observeQueue.push({
        route: o.route,
        vec,
        quality: outcomeQuality(o.success, o.quality),
        model: o.route === 'local' ? (o.model ?? null) : null,
      });
    // Past OBSERVE_QUEUE_MAX waiting, the oldest are left to the next start's replay (they are in SQLite).
    if (this.observeQueue.length > OBSERVE_QUEUE_MAX) {
      this.observationsDeferred += this.observeQueue.length - OBSERVE_QUEUE_MAX;
      this.observeQueue.splice(0, this.observeQueue.length - OBSERVE_QUEUE_MAX);
    }
    this.sincePrune += rows.length;
    if (this.sincePrune >= 1000) {
      this.sincePrune = 0;
      await this.prune();
    }
  }

  /**
   * Records what is queued (nothing observed is dropped at a clean close: a turn's write in flight is awaited, then
   * the rest is written), stops learning the rest and releases waiters. Resolves once the last write settled; the
   * store may be closed after.
   */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      this.closed = true;
      if (this.observeTimer) clearTimeout(this.observeTimer);
      this.observeTimer = null;
      try {
        await this.flushObserved();
      } catch (e) {
        log.error('recording routing observations at close failed', { error: (e as Error).message });
      }
      this.observeQueue = [];
      for (const resolve of this.observeIdle.splice(0)) resolve();
    })());
  }

  /** One timer turn: write what arrived (awaited), then learn for at most LEARN_SLICE_MS. */
  private async learnObserved(): Promise<void> {
    this.observeTimer = null;
    const learner = this.learner;
    if (!learner || this.closed) return;
    this.turnRunning = true;
    try {
      await this.flushObserved();
    } catch (e) {
      // e.g. the disk is full: keep them for the next turn rather than lose them
      log.error('recording routing observations failed; retrying', { error: (e as Error).message });
      if (!this.closed) this.scheduleObserved(LEARN_EVERY_MS * 10);
      return;
    } finally {
      this.turnRunning = false;
    }
    if (this.closed) return;
    const t0 = performance.now();
    let i = 0;
    while (i < this.observeQueue.length && performance.now() - t0 < LEARN_SLICE_MS) {
      const o = this.observeQueue[i++];
      learner.add(o.route, o.vec, o.quality, o.model);
    }
    this.observeQueue.splice(0, i);
    const took = performance.now() - t0;
    if (this.observeQueue.length || this.toRecord.length) this.scheduleObserved(Math.max(LEARN_EVERY_MS, LEARN_PAUSE_FACTOR * took));
    else for (const resolve of this.observeIdle.splice(0)) resolve();
  }

  /** Resolves when every observation so far has been recorded and learned. */
  observationsLearned(): Promise<void> {
    if (!this.observeQueue.length && !this.toRecord.length) return Promise.resolve();
    return new Promise((resolve) => this.observeIdle.push(resolve));
  }

  async stats(): Promise<RouterStats> {
    // One read of a small table (a few dozen rows): no scan of the decisions, whatever the history.
    const by: Record<string, Record<string, number>> = {};
    const sums: Record<string, Record<string, number>> = {};
    for (const r of await this.decisions.counters()) {
      (by[r.metric] ??= {})[r.key] = r.n;
      (sums[r.metric] ??= {})[r.key] = r.v;
    }
    const one = (metric: string) => by[metric]?.[''] ?? 0;
    const byRoute: RouterStats['outcomes']['byRoute'] = {};
    let total = 0;
    let success = 0;
    for (const [route, n] of Object.entries(by.outcome ?? {})) {
      const ok = sums.outcome[route];
      const qn = by.outcome_quality?.[route] ?? 0;
      const q = qn > 0 ? sums.outcome_quality[route] / qn : null;
      byRoute[route] = { total: n, success: ok, meanQuality: q === null ? null : Math.round(q * 1000) / 1000 };
      total += n;
      success += ok;
    }
    const ls = this.learner?.stats();
    const nonZero = (m: Record<string, number> | undefined) => Object.fromEntries(Object.entries(m ?? {}).filter(([, n]) => n > 0));
    return {
      total: one('decisions'),
      decisions: one('decisions'),
      byRoute: nonZero(by.route),
      byReason: nonZero(by.reason),
      byComplexity: nonZero(by.complexity),
      byStrategy: nonZero(by.strategy),
      privacyCatches: nonZero(by.category),
      sensitiveDecisions: one('sensitive'),
      forced: one('forced'),
      forcedCloudWithSensitive: one('forced_cloud_sensitive'),
      estimatedSavingUsd: Math.round((sums.decisions?.[''] ?? 0) * 1e6) / 1e6,
      outcomes: { total, success, failure: total - success, byRoute },
      learned: {
        enabled: this.learner !== null,
        localSamples: ls?.local ?? 0,
        cloudSamples: ls?.cloud ?? 0,
        patterns: ls?.patterns ?? 0,
        observations: one('observations') + this.toRecord.length,
        observationsPending: this.observeQueue.length + this.toRecord.length,
        observationsDeferred: this.observationsDeferred,
      },
    };
  }
}

function outcomeQuality(success: boolean, quality: number | null): number {
  return success ? (quality ?? 1) : 0;
}
