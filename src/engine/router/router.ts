/**
 * The router: one synchronous decision per task (privacy scan, complexity,
 * health, learned evidence, strategy, constraints), persisted in SQLite, and
 * outcomes reported on decisions that feed the learner.
 *
 * Never sends sensitive work to the cloud unless the caller forces it (recorded, with a warning).
 * The task text itself is never stored: only the decision, its reason codes, the privacy
 * categories and a hashed feature vector of the *redacted* text.
 */
import { randomUUID } from 'node:crypto';
import { writeTx, type DB, type Migration } from '../store/db.js';
import { logger } from '../log.js';
import { CallerError } from '../errors.js';
import { scanPrivacy } from '../privacy/privacy.js';
import { assessComplexity, estimateTokens } from './complexity.js';
import { HealthRegistry, type HealthOptions } from './health.js';
import { defaultFeaturize, type Learner, type LearnerOptions } from './learner.js';
import { KnnLearner } from './knn-learner.js';
import { assessCapability, parseCapabilitySetting, type Capability, type CapabilityTier } from './capability.js';
import {
  STRATEGIES,
  type ComplexityAssessment,
  type CostEstimator,
  type LocalSide,
  type OutcomeReport,
  type PrivacyFinding,
  type Route,
  type RouteDecision,
  type RouteInput,
  type Strategy,
} from './types.js';

const log = logger('router');

export const migrations: Migration[] = [
  {
    module: 'router',
    version: 1,
    description: 'routing decisions and reported outcomes',
    up: `
      CREATE TABLE router_decisions (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        route TEXT NOT NULL,
        strategy TEXT NOT NULL,
        level TEXT NOT NULL,
        score REAL NOT NULL,
        task_type TEXT NOT NULL,
        sensitive INTEGER NOT NULL,
        categories TEXT NOT NULL,
        reason_codes TEXT NOT NULL,
        reasons TEXT NOT NULL,
        forced INTEGER NOT NULL,
        local_model TEXT,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        local_usd REAL NOT NULL,
        cloud_usd REAL NOT NULL,
        saving_usd REAL NOT NULL,
        confidence REAL NOT NULL,
        agent_id TEXT,
        features BLOB
      );
      CREATE INDEX router_decisions_created ON router_decisions(created_at);
      CREATE TABLE router_outcomes (
        decision_id TEXT PRIMARY KEY REFERENCES router_decisions(id) ON DELETE CASCADE,
        success INTEGER NOT NULL,
        quality REAL,
        notes TEXT,
        reported_at INTEGER NOT NULL
      );
    `,
  },
  {
    module: 'router',
    version: 2,
    description: 'outcomes observed outside route_task (patterns stored with a route and a result)',
    up: `
      CREATE TABLE router_observations (
        id INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        route TEXT NOT NULL,
        success INTEGER NOT NULL,
        quality REAL,
        source TEXT NOT NULL,
        features BLOB NOT NULL
      );
    `,
  },
  {
    module: 'router',
    version: 3,
    description: 'stats counters, updated in the transaction of each decision, outcome and observation (seeded from the rows held)',
    up: `
      CREATE TABLE router_counters (
        metric TEXT NOT NULL,
        key TEXT NOT NULL,
        n INTEGER NOT NULL DEFAULT 0,
        v REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (metric, key)
      ) WITHOUT ROWID;
      INSERT INTO router_counters (metric, key, n, v) SELECT 'decisions', '', count(*), coalesce(sum(saving_usd), 0) FROM router_decisions;
      INSERT INTO router_counters (metric, key, n) SELECT 'sensitive', '', coalesce(sum(sensitive), 0) FROM router_decisions;
      INSERT INTO router_counters (metric, key, n) SELECT 'forced', '', coalesce(sum(forced), 0) FROM router_decisions;
      INSERT INTO router_counters (metric, key, n)
        SELECT 'forced_cloud_sensitive', '', count(*) FROM router_decisions WHERE forced = 1 AND sensitive = 1 AND route = 'cloud';
      INSERT INTO router_counters (metric, key, n) SELECT 'route', route, count(*) FROM router_decisions GROUP BY route;
      INSERT INTO router_counters (metric, key, n) SELECT 'complexity', level, count(*) FROM router_decisions GROUP BY level;
      INSERT INTO router_counters (metric, key, n) SELECT 'strategy', strategy, count(*) FROM router_decisions GROUP BY strategy;
      INSERT INTO router_counters (metric, key, n)
        SELECT 'reason', j.value, count(*) FROM router_decisions, json_each(router_decisions.reason_codes) j GROUP BY j.value;
      INSERT INTO router_counters (metric, key, n)
        SELECT 'category', j.value, count(*) FROM router_decisions, json_each(router_decisions.categories) j GROUP BY j.value;
      INSERT INTO router_counters (metric, key, n, v)
        SELECT 'outcome', d.route, count(*), coalesce(sum(o.success), 0) FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id GROUP BY d.route;
      INSERT INTO router_counters (metric, key, n, v)
        SELECT 'outcome_quality', d.route, count(o.quality), coalesce(sum(o.quality), 0)
        FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id WHERE o.quality IS NOT NULL GROUP BY d.route;
      INSERT INTO router_counters (metric, key, n) SELECT 'observations', '', count(*) FROM router_observations;
    `,
  },
  {
    module: 'router',
    version: 4,
    description: 'the local model an observation ran on (learned evidence is kept per model)',
    up: `ALTER TABLE router_observations ADD COLUMN model TEXT;`,
  },
];

/** An outcome seen outside route_task: a task done on a route, and how it went (e.g. a stored reasoning pattern). */
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
 * pruning old rows (retainDecisions) does not lower them.
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
  db: DB;
  defaultStrategy?: Strategy;
  local: () => LocalSide;
  estimate: CostEstimator;
  /** Task features for similarity (sync). Default: hashed word n-grams + complexity features, 128 dims. */
  featurize?: (text: string) => Float32Array;
  /** Learn from reported outcomes. Default true. */
  learning?: boolean;
  now?: () => number;
  /** Circuit breaker settings for Router.health. */
  health?: HealthOptions;
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
  /** Decisions kept in SQLite (oldest pruned with their outcomes, checked every 1,000 decisions). Default 200 000. */
  retainDecisions?: number;
  /** --model-capability: a tier for every model ("large") or per model id or name ("ollama:qwen2.5:32b=large"). */
  modelCapability?: string;
  /** The learner holding the outcomes. Default: the nearest-neighbour vote (KnnLearner); the bench injects its baselines here. */
  learnerFactory?: (opts: LearnerOptions) => Learner;
}

/** Most recent outcomes replayed into the learner at start. */
const REBUILD_OUTCOMES = 8192;

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

/** Complexity score at and above which each strategy prefers the cloud. */
const CLOUD_AT: Record<Exclude<Strategy, 'latency_optimized' | 'privacy_first'>, number> = {
  cost_optimized: 0.7,
  balanced: 0.45,
  quality_optimized: 0.3,
};
/** Above this, a small local model is unlikely to do the task well whatever the strategy wants. */
const LOCAL_QUALITY_LIMIT = 0.7;
/** Prior quality of the cloud model when no outcomes say otherwise. */
const CLOUD_QUALITY_PRIOR = 0.95;

/** Output tokens expected per task type (input-proportional for transformations). */
function outputTokensFor(c: ComplexityAssessment, inputTokens: number): number {
  switch (c.taskType) {
    case 'classify':
      return 20;
    case 'extract':
      return Math.min(800, 60 + Math.round(inputTokens * 0.2));
    case 'summarize':
      return Math.min(600, 60 + Math.round(inputTokens * 0.15));
    case 'translate':
    case 'format':
    case 'rewrite':
      return Math.min(4000, Math.max(30, Math.round(inputTokens * 1.1)));
    case 'qa':
      return 150;
    case 'generate':
    case 'code_simple':
      return 350;
    case 'explain':
      return 500;
    default:
      return 1200;
  }
}

type LocalRoute = Exclude<Route, 'cloud'>;

export class Router {
  readonly health: HealthRegistry;
  /** Resolves when the outcomes stored by earlier runs have been replayed into the learner. */
  readonly learningReady: Promise<void>;
  private readonly db: DB;
  private readonly defaultStrategy: Strategy;
  private readonly localSide: () => LocalSide;
  private readonly estimateCost: CostEstimator;
  private readonly featurize: (text: string) => Float32Array;
  private readonly learning: boolean;
  private readonly now: () => number;
  private readonly cloudLatency: (t: number) => number;
  private readonly localLatency: (t: number) => number;
  private readonly learner: Learner | null;
  private readonly insertDecision;
  private readonly getDecision;
  private readonly getOutcome;
  private readonly insertOutcome;
  private readonly insertObservation;
  private readonly bump;
  private readonly readCounters;
  /** decide()'s row and its counters in one transaction (a savepoint inside the engine's). */
  private readonly recordDecisionTx: (row: Record<string, unknown>, counts: [string, string, number, number][]) => void;
  private readonly retain: number;
  private sincePrune = 0;
  /** Observations recorded but not yet learned (see observe). */
  private observeQueue: { route: 'local' | 'cloud'; vec: Float32Array; quality: number; model: string | null }[] = [];
  /** Observations not yet written to SQLite (written by the next timer turn, in one transaction). */
  private toRecord: (Observation & { quality: number | null; at: number })[] = [];
  private observeTimer: NodeJS.Timeout | null = null;
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
  private newOutcomes;
  private newObservations;

  constructor(opts: RouterOptions) {
    this.db = opts.db;
    this.defaultStrategy = opts.defaultStrategy ?? 'balanced';
    if (!STRATEGIES.includes(this.defaultStrategy))
      throw new Error(`unknown default strategy "${String(opts.defaultStrategy)}"; use one of ${STRATEGIES.join(', ')}`);
    this.localSide = opts.local;
    this.estimateCost = opts.estimate;
    this.featurize = opts.featurize ?? defaultFeaturize;
    this.learning = opts.learning ?? true;
    this.now = opts.now ?? Date.now;
    this.health = new HealthRegistry({ now: this.now, ...opts.health });
    this.cloudLatency = opts.cloudLatencyMs ?? ((t) => 700 + 12 * t);
    this.localLatency = opts.localLatencyMs ?? ((t) => 300 + 50 * t);
    this.retain = opts.retainDecisions ?? 200_000;
    this.capabilitySetting = parseCapabilitySetting(opts.modelCapability);
    if (!(Number.isInteger(this.retain) && this.retain >= 1)) throw new Error(`retainDecisions must be a positive integer, got ${opts.retainDecisions}`);

    this.insertDecision = this.db.prepare(`INSERT INTO router_decisions
      (id, created_at, route, strategy, level, score, task_type, sensitive, categories, reason_codes, reasons, forced, local_model,
       input_tokens, output_tokens, local_usd, cloud_usd, saving_usd, confidence, agent_id, features)
      VALUES (@id, @created_at, @route, @strategy, @level, @score, @task_type, @sensitive, @categories, @reason_codes, @reasons, @forced, @local_model,
       @input_tokens, @output_tokens, @local_usd, @cloud_usd, @saving_usd, @confidence, @agent_id, @features)`);
    this.getDecision = this.db.prepare('SELECT id, route, features, local_model FROM router_decisions WHERE id = ?');
    this.getOutcome = this.db.prepare('SELECT reported_at FROM router_outcomes WHERE decision_id = ?');
    this.insertOutcome = this.db.prepare(
      'INSERT INTO router_outcomes (decision_id, success, quality, notes, reported_at) VALUES (?, ?, ?, ?, ?)',
    );

    this.insertObservation = this.db.prepare(
      'INSERT INTO router_observations (created_at, route, success, quality, source, features, model) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.bump = this.db.prepare(
      'INSERT INTO router_counters (metric, key, n, v) VALUES (?, ?, ?, ?) ON CONFLICT(metric, key) DO UPDATE SET n = n + excluded.n, v = v + excluded.v',
    );
    this.readCounters = this.db.prepare('SELECT metric, key, n, v FROM router_counters');
    this.recordDecisionTx = writeTx(this.db, (row: Record<string, unknown>, counts: [string, string, number, number][]) => {
      this.insertDecision.run(row);
      for (const c of counts) this.bump.run(c);
    });

    this.newOutcomes = this.db.prepare(
      `SELECT o.rowid AS r, d.route AS route, d.local_model AS model, d.features AS features, o.success AS success, o.quality AS quality
       FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id WHERE o.rowid > ? ORDER BY o.rowid LIMIT ${EXTERNAL_BATCH}`,
    );
    this.newObservations = this.db.prepare(
      `SELECT id AS r, route, model, features, success, quality FROM router_observations WHERE id > ? ORDER BY id LIMIT ${EXTERNAL_BATCH}`,
    );
    // everything written before this point is in the start-up replay (rebuild reads it below, synchronously)
    this.seenOutcome = (this.db.prepare('SELECT coalesce(max(rowid), 0) AS m FROM router_outcomes').get() as { m: number }).m;
    this.seenObservation = (this.db.prepare('SELECT coalesce(max(id), 0) AS m FROM router_observations').get() as { m: number }).m;
    if (this.learning) {
      const probe = this.featurize('probe');
      if (!(probe instanceof Float32Array)) throw new Error('featurize must return a Float32Array');
      const lopts = { dim: probe.length, minSimilarity: opts.minSimilarity, maxHistory: opts.maxHistory };
      this.learner = opts.learnerFactory ? opts.learnerFactory(lopts) : new KnnLearner(lopts);
      this.learningReady = this.rebuild().catch((e: Error) => log.error('rebuilding the routing learner failed', { error: e.message }));
    } else {
      this.learner = null;
      this.learningReady = Promise.resolve();
    }
  }

  /**
   * Replays the most recent stored outcomes into the learner, 256 at a time between event-loop turns
   * (an add costs ~0.1 ms), so start-up is not blocked; decisions made
   * meanwhile use what has been replayed so far. `learningReady` resolves when it is done.
   */
  private async rebuild(): Promise<void> {
    if (!this.learner) return;
    const rows = this.db
      .prepare(
        `SELECT route, model, features, success, quality FROM (
           SELECT d.route AS route, d.local_model AS model, d.features AS features, o.success AS success, o.quality AS quality, o.reported_at AS t, 0 AS src, o.rowid AS r
           FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id
           UNION ALL
           SELECT route, model, features, success, quality, created_at AS t, 1 AS src, id AS r FROM router_observations)
         ORDER BY t DESC, src DESC, r DESC LIMIT ?`,
      )
      .all(REBUILD_OUTCOMES) as { route: string; model: string | null; features: Buffer | null; success: number; quality: number | null }[];
    rows.reverse();
    let used = 0;
    let skipped = 0;
    const learner = this.learner;
    const CHUNK = 256;
    for (let i = 0; i < rows.length; i += CHUNK) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const r of rows.slice(i, i + CHUNK)) {
        const vec = r.features ? toVec(r.features) : null;
        if (!vec || vec.length !== learner.dim) {
          skipped++;
          continue;
        }
        learner.add(r.route === 'cloud' ? 'cloud' : 'local', vec, outcomeQuality(r.success === 1, r.quality), r.model);
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
  catchUp(): void {
    if (!this.learner) return;
    const now = Date.now();
    if (now - this.lastExternal < EXTERNAL_EVERY_MS) return;
    this.lastExternal = now;
    let queued = 0;
    type Row = { r: number; route: string; model: string | null; features: Buffer | null; success: number; quality: number | null };
    const take = (rows: Row[], own: Set<number>): number => {
      let mark = 0;
      for (const r of rows) {
        mark = r.r;
        if (own.delete(r.r) || !r.features) continue;
        const vec = toVec(r.features);
        if (vec.length !== this.learner!.dim) continue;
        const route = r.route === 'cloud' ? 'cloud' : 'local';
        this.observeQueue.push({ route, vec, quality: outcomeQuality(r.success === 1, r.quality), model: route === 'local' ? r.model : null });
        queued++;
      }
      return mark;
    };
    const o = this.newOutcomes.all(this.seenOutcome) as Row[];
    if (o.length) this.seenOutcome = take(o, this.ownOutcomes);
    const b = this.newObservations.all(this.seenObservation) as Row[];
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
    if (!this.observeTimer) this.scheduleObserved(0);
    log.debug('learning outcomes reported by other processes', { outcomes: queued });
  }

  /** Outcomes and observations of other processes queued for learning since start. */
  get learnedFromOthers(): number {
    return this.externalLearned;
  }

  decide(input: RouteInput): RouteDecision {
    if (!this.db.inTransaction) this.catchUp();
    const task = input?.task;
    if (typeof task !== 'string' || task.trim().length === 0) throw new Error('task must be a non-empty string describing the work to route');
    if (task.length > MAX_TASK_CHARS) throw new Error(`task is ${task.length} characters; the router accepts at most ${MAX_TASK_CHARS}. Pass large material as contextTokens instead of inline text`);
    const strategy = input.strategy ?? this.defaultStrategy;
    if (!STRATEGIES.includes(strategy)) throw new Error(`unknown strategy "${String(strategy)}"; use one of ${STRATEGIES.join(', ')}`);
    const messages = input.messages ?? [];
    if (!Array.isArray(messages)) throw new Error('messages must be an array of { role, content }');
    let totalChars = task.length;
    for (const m of messages) totalChars += typeof m?.content === 'string' ? m.content.length : 0;
    if (totalChars > MAX_TASK_CHARS) throw new Error(`task and messages hold ${totalChars} characters; the router accepts at most ${MAX_TASK_CHARS}. Pass large material as contextTokens instead of inline text`);
    if (input.force !== undefined && input.force !== 'local' && input.force !== 'cloud')
      throw new Error(`force must be "local" or "cloud", got ${JSON.stringify(input.force)}`);
    const c0 = input.constraints ?? {};
    for (const key of ['maxCostUsd', 'maxLatencyMs', 'minQuality'] as const) {
      const v = c0[key];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new Error(`constraints.${key} must be a non-negative number, got ${String(v)}`);
    }
    if (c0.minQuality !== undefined && c0.minQuality > 1) throw new Error(`constraints.minQuality is a quality between 0 and 1, got ${c0.minQuality}`);
    const contextTokens = input.contextTokens ?? 0;
    if (!(Number.isFinite(contextTokens) && contextTokens >= 0)) throw new Error(`contextTokens must be a non-negative number, got ${contextTokens}`);

    // --- privacy: the task and every message
    const scan = scanPrivacy(task);
    const findings: PrivacyFinding[] = [...scan.findings];
    let messageChars = 0;
    const redactedMessages: { index: number; content: string }[] = [];
    messages.forEach((m, i) => {
      const content = typeof m?.content === 'string' ? m.content : '';
      messageChars += content.length;
      if (!content) return;
      const ms = scanPrivacy(content);
      if (ms.findings.length === 0) return;
      for (const f of ms.findings) findings.push({ ...f, source: `messages[${i}]` });
      redactedMessages.push({ index: i, content: ms.redacted });
    });
    // Files read by reference: scanned like messages, but no redacted copy goes back (the host never saw them).
    let fileTokens = 0;
    for (const f of input.files ?? []) {
      fileTokens += f.tokens ?? estimateTokens(f.text ?? '');
      for (const x of f.findings ?? scanPrivacy(f.text ?? '').findings) findings.push({ ...x, source: `file:${f.source}` });
    }
    const sensitive = findings.length > 0;
    const categories = [...new Set(findings.map((f) => f.category))];

    // --- complexity and size
    const complexity = assessComplexity(task, { contextTokens: contextTokens + fileTokens + estimateTokens(' '.repeat(messageChars)), messages: messages.length });
    const inputTokens = estimateTokens(task) + Math.ceil(messageChars / 4) + Math.ceil(contextTokens) + fileTokens;
    const outputTokens = outputTokensFor(complexity, inputTokens);
    const cost = this.estimateCost(inputTokens, outputTokens);

    // --- what is up
    const local = this.localSide();
    const localBackendUp = local.backend ? this.health.isUp(local.backend) : true;
    const localUp = local.available && localBackendUp;
    const cloudUp = this.health.isUp('cloud');
    const localFits =
      local.contextTokens === undefined ||
      inputTokens + outputTokens <= local.contextTokens ||
      // Files beyond the context are read in parts (map-reduce) up to the caller's cap.
      (fileTokens > 0 && input.mapReduceTokens !== undefined && fileTokens <= input.mapReduceTokens && inputTokens - fileTokens + outputTokens <= local.contextTokens);
    const localOk = localUp && localFits;
    const cap = local.available ? this.capabilityOf(local) : null;
    const shift = cap?.thresholdShift ?? 0;
    const onModel = cap ? ` on a ${cap.tier} local model` : '';

    // --- learned evidence
    let vec: Float32Array | null = null;
    let localEv: { samples: number; successRate: number | null } = { samples: 0, successRate: null };
    let cloudEv: { samples: number; successRate: number | null } = { samples: 0, successRate: null };
    if (this.learner) {
      vec = this.featurize(scan.redacted);
      localEv = this.learner.evidence('local', vec, local.modelId);
      // cloud outcomes only matter for a minQuality constraint
      if (input.constraints?.minQuality !== undefined) cloudEv = this.learner.evidence('cloud', vec);
    }

    const reasons: string[] = [];
    const codes: string[] = [];
    const why = (code: string, text: string) => {
      codes.push(code);
      reasons.push(text);
    };
    const localLatency = local.latencyP50Ms ?? this.health.latencyP50(local.backend ?? '') ?? this.localLatency(outputTokens);
    const cloudLatency = this.health.latencyP50('cloud') ?? this.cloudLatency(outputTokens);
    const catList = categories.join(', ');
    let route: Route;
    let forced = false;
    let confidence: number;

    const localOrRequired = (): LocalRoute => (localOk ? 'local' : 'local_required');
    const localDownReason = () =>
      !local.available
        ? 'no local model is available'
        : !localBackendUp
          ? `local backend "${local.backend}" circuit breaker is ${this.health.state(local.backend!)}`
          : `task needs ~${inputTokens + outputTokens} tokens, more than the local context of ${local.contextTokens}`;

    if (input.force === 'cloud') {
      forced = true;
      route = 'cloud';
      confidence = 1;
      if (sensitive) {
        why('forced_cloud_sensitive', `WARNING: forced to cloud by the caller although the task contains ${catList}; send redactedTask, not the original`);
        log.warn('caller forced sensitive task to cloud', { categories });
      } else why('forced', 'forced to cloud by the caller');
      if (!cloudUp) why('cloud_breaker_open', `cloud circuit breaker is ${this.health.state('cloud')}`);
    } else if (input.force === 'local') {
      forced = true;
      route = localOrRequired();
      confidence = 1;
      why('forced', 'forced to local by the caller');
      if (route === 'local_required') why('local_unavailable', `${localDownReason()}; the caller required local`);
    } else if (sensitive) {
      route = localOrRequired();
      confidence = 0.99;
      why('sensitive', `contains ${catList}: kept local under every strategy`);
      if (route === 'local_required') why('local_unavailable', `${localDownReason()}; the task must stay local, so it waits for a healthy local model`);
    } else if (strategy === 'privacy_first') {
      if (localOk) {
        route = 'local';
        confidence = 0.9;
        why('privacy_first', 'privacy_first strategy keeps work local while a local model is healthy');
      } else {
        route = 'cloud';
        confidence = 0.7;
        why('local_unavailable', `${localDownReason()}; no sensitive data found, so the cloud is allowed`);
      }
    } else if (!localOk) {
      route = 'cloud';
      confidence = 0.85;
      why(localFits ? 'local_unavailable' : 'context_too_large', localDownReason());
    } else {
      // Learned adjustment: blend the rule's score with the observed local failure rate of similar tasks,
      // trusting the evidence more as it accumulates (w = n / (n + 2), at most 0.9). Similar tasks that failed
      // locally push toward the cloud, successes toward local; each strategy's threshold then reads as
      // "escalate when local is likely to fail" (balanced: > 45%, cost_optimized: > 70%).
      let adjusted = complexity.score;
      let learnedShift = 0;
      if (localEv.successRate !== null && localEv.samples >= 1) {
        const w = Math.min(0.9, localEv.samples / (localEv.samples + 2));
        adjusted = Math.max(0, Math.min(1, (1 - w) * complexity.score + w * (1 - localEv.successRate)));
        learnedShift = adjusted - complexity.score;
      }
      const expectedLocalQuality =
        localEv.successRate !== null && localEv.samples >= 2 ? localEv.successRate : Math.max(0.05, Math.min(0.95, 0.95 - 0.9 * (complexity.score - shift)));
      const expectedCloudQuality = cloudEv.successRate !== null && cloudEv.samples >= 2 ? cloudEv.successRate : CLOUD_QUALITY_PRIOR;
      const learnedNote = localEv.successRate !== null
        ? ` (${localEv.samples} similar local outcome(s), success ${(localEv.successRate * 100).toFixed(0)}%)`
        : '';
      if (strategy === 'latency_optimized') {
        const limit = LOCAL_QUALITY_LIMIT + shift;
        if (adjusted >= limit) {
          route = 'cloud';
          why(learnedShift > 0 && complexity.score < limit ? 'learned_escalation' : 'complexity_high', `complexity ${adjusted.toFixed(2)} is beyond what the${cap ? ' ' + cap.tier : ''} local model does well${learnedNote}`);
        } else if (localLatency <= cloudLatency) {
          route = 'local';
          why('latency_local_faster', `local ~${Math.round(localLatency)} ms vs cloud ~${Math.round(cloudLatency)} ms`);
        } else {
          route = 'cloud';
          why('latency_cloud_faster', `cloud ~${Math.round(cloudLatency)} ms vs local ~${Math.round(localLatency)} ms`);
        }
        confidence = 0.6 + Math.min(0.35, Math.abs(localLatency - cloudLatency) / Math.max(localLatency, cloudLatency, 1));
      } else {
        const base = CLOUD_AT[strategy];
        const at = Math.round(Math.max(0.15, Math.min(0.9, base + shift)) * 1000) / 1000;
        if (adjusted >= at) {
          route = 'cloud';
          if (complexity.score < at) why('learned_escalation', `similar tasks did poorly locally${learnedNote}: escalated`);
          else why('complexity_high', `complexity ${complexity.score.toFixed(2)} (${complexity.level}, ${complexity.taskType}) ≥ ${at} for ${strategy}${onModel}`);
          if (complexity.score >= at && complexity.score < base) why('capability_small', `a ${cap!.tier} local model (${cap!.reason}) keeps only simpler work`);
        } else {
          route = 'local';
          if (complexity.score >= at) why('learned_keep_local', `similar tasks went well locally${learnedNote}: kept local`);
          else why('complexity_low', `complexity ${complexity.score.toFixed(2)} (${complexity.level}, ${complexity.taskType}) < ${at} for ${strategy}${onModel}`);
          if (complexity.score < at && complexity.score >= base) why('capability_large', `a ${cap!.tier} local model (${cap!.reason}) keeps this work`);
        }
        confidence = 0.55 + Math.min(0.4, Math.abs(adjusted - at) * 1.2);
      }

      // constraints
      const c = input.constraints ?? {};
      if (c.maxCostUsd !== undefined && route === 'cloud' && cost.cloudUsd > c.maxCostUsd) {
        route = 'local';
        why('constraint_cost', `cloud estimate $${cost.cloudUsd.toFixed(5)} exceeds maxCostUsd $${c.maxCostUsd}`);
      }
      if (c.minQuality !== undefined && route === 'local' && expectedLocalQuality < c.minQuality) {
        if (c.maxCostUsd !== undefined && cost.cloudUsd > c.maxCostUsd) {
          why('constraints_conflict', `expected local quality ${expectedLocalQuality.toFixed(2)} < minQuality ${c.minQuality}, but the cloud exceeds maxCostUsd: stayed local`);
        } else if (expectedCloudQuality >= c.minQuality || expectedCloudQuality > expectedLocalQuality) {
          route = 'cloud';
          why('constraint_quality', `expected local quality ${expectedLocalQuality.toFixed(2)} < minQuality ${c.minQuality} (cloud ~${expectedCloudQuality.toFixed(2)})`);
        }
      }
      if (c.minQuality !== undefined && route === 'cloud' && expectedCloudQuality < c.minQuality) {
        why('constraint_quality_unmet', `no route is expected to reach minQuality ${c.minQuality} (cloud ~${expectedCloudQuality.toFixed(2)})`);
      }
      if (c.maxLatencyMs !== undefined) {
        const mine = route === 'cloud' ? cloudLatency : localLatency;
        const other = route === 'cloud' ? localLatency : cloudLatency;
        if (mine > c.maxLatencyMs) {
          const costBlocks = route === 'local' && c.maxCostUsd !== undefined && cost.cloudUsd > c.maxCostUsd;
          if (other <= c.maxLatencyMs && !costBlocks) {
            route = route === 'cloud' ? 'local' : 'cloud';
            why('constraint_latency', `estimated ${Math.round(mine)} ms exceeds maxLatencyMs ${c.maxLatencyMs}; the other route takes ~${Math.round(other)} ms`);
          } else {
            why('constraint_latency_unmet', `no route is expected within maxLatencyMs ${c.maxLatencyMs} (local ~${Math.round(localLatency)} ms, cloud ~${Math.round(cloudLatency)} ms)`);
          }
        }
      }
      if (route === 'cloud' && !cloudUp) {
        route = 'local';
        why('cloud_unavailable', `cloud circuit breaker is ${this.health.state('cloud')}: ran locally instead`);
        confidence = Math.min(confidence, 0.6);
      }
      if (localEv.samples > 0) confidence = Math.min(0.99, confidence + Math.min(0.05, localEv.samples * 0.01));
    }

    if (route === 'cloud' && !cloudUp && !codes.includes('cloud_breaker_open'))
      why('cloud_breaker_open', `cloud circuit breaker is ${this.health.state('cloud')} and no local route is possible: the cloud call may fail`);

    const decisionId = randomUUID();
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
      forced,
      ...(this.learner ? { learned: { samples: localEv.samples, localSuccessRate: localEv.successRate === null ? null : Math.round(localEv.successRate * 1000) / 1000 } } : {}),
      ...(cap ? { capability: { tier: cap.tier, paramsB: cap.paramsB, source: cap.source, reason: cap.reason } } : {}),
    };
    const counts: [string, string, number, number][] = [
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
    this.recordDecisionTx({
      id: decisionId,
      created_at: this.now(),
      route,
      strategy,
      level: complexity.level,
      score: complexity.score,
      task_type: complexity.taskType,
      sensitive: sensitive ? 1 : 0,
      categories: JSON.stringify(categories),
      reason_codes: JSON.stringify(codes),
      reasons: JSON.stringify(reasons),
      forced: forced ? 1 : 0,
      local_model: decision.localModel,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      local_usd: cost.localUsd,
      cloud_usd: cost.cloudUsd,
      saving_usd: savingUsd,
      confidence: decision.confidence,
      agent_id: input.agentId ?? null,
      features: vec ? Buffer.from(vec.buffer, vec.byteOffset, vec.byteLength) : null,
    }, counts);
    if (++this.sincePrune >= 1000) {
      this.sincePrune = 0;
      this.prune();
    }
    return decision;
  }

  /** Deletes the oldest decisions (and their outcomes) beyond retainDecisions. Returns how many were removed. */
  prune(): number {
    const { o } = this.db.prepare('SELECT count(*) AS o FROM router_observations').get() as { o: number };
    if (o > this.retain) {
      const r = this.db.prepare('DELETE FROM router_observations WHERE id IN (SELECT id FROM router_observations ORDER BY id LIMIT ?)').run(o - this.retain);
      log.info('pruned old routing observations', { removed: r.changes, kept: this.retain });
    }
    const { n } = this.db.prepare('SELECT count(*) AS n FROM router_decisions').get() as { n: number };
    if (n <= this.retain) return 0;
    const r = this.db
      .prepare('DELETE FROM router_decisions WHERE id IN (SELECT id FROM router_decisions ORDER BY created_at, rowid LIMIT ?)')
      .run(n - this.retain);
    log.info('pruned old routing decisions', { removed: r.changes, kept: this.retain });
    return r.changes;
  }

  reportOutcome(o: OutcomeReport): { decisionId: string; recorded: true; route: Route } {
    const w = this.writeOutcome(o);
    w.learn();
    return w.result;
  }

  /**
   * Checks and writes an outcome row without teaching the learner: for a caller that writes it inside a larger
   * transaction (a stored pattern carrying the outcome) and calls `learn` once that committed.
   */
  writeOutcome(o: OutcomeReport): { result: { decisionId: string; recorded: true; route: Route }; learn: () => void } {
    const id = o?.decisionId;
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) throw new Error('decisionId must be the id returned by route_task');
    if (typeof o.success !== 'boolean') throw new Error('success must be true or false');
    if (o.quality !== undefined && !(typeof o.quality === 'number' && o.quality >= 0 && o.quality <= 1))
      throw new Error(`quality must be a number between 0 and 1, got ${String(o.quality)}`);
    if (o.notes !== undefined && (typeof o.notes !== 'string' || o.notes.length > 4000)) throw new Error('notes must be a string of at most 4000 characters');
    if (o.failure !== undefined && o.failure !== 'quality' && o.failure !== 'unavailable')
      throw new CallerError(`failure must be "quality" or "unavailable", got ${JSON.stringify(o.failure)}`);
    const row = this.getDecision.get(id) as { id: string; route: Route; features: Buffer | null; local_model: string | null } | undefined;
    if (!row) throw new Error(`unknown decision id "${id}": report outcomes with the decisionId returned by route_task`);
    const prior = this.getOutcome.get(id) as { reported_at: number } | undefined;
    if (prior) throw new Error(`an outcome for decision "${id}" was already reported at ${new Date(prior.reported_at).toISOString()}`);
    // the outcome and its counters commit together (a savepoint when the caller's transaction is open)
    const rowid = writeTx(this.db, () => {
      const r = Number(this.insertOutcome.run(id, o.success ? 1 : 0, o.quality ?? null, o.notes ?? null, this.now()).lastInsertRowid);
      this.bump.run('outcome', row.route, 1, o.success ? 1 : 0);
      if (o.quality !== undefined) this.bump.run('outcome_quality', row.route, 1, o.quality);
      return r;
    })();
    const learn = () => {
      this.ownOutcomes.add(rowid);
      // The host is the only one who sees a cloud call: its report of a cloud route feeds the cloud's breaker
      // (only the decision id is kept as the last error: notes may hold anything).
      // A poor answer says nothing about whether the cloud is up; only a call that could not be made counts.
      if (row.route === 'cloud') {
        if (o.success) this.health.recordSuccess('cloud', NaN);
        else if (o.failure === 'unavailable') this.health.recordFailure('cloud', `the host reported the cloud unavailable (decision ${id})`);
      }
      if (this.learner && row.features) {
        const vec = toVec(row.features);
        if (vec.length === this.learner.dim) this.learner.add(row.route === 'cloud' ? 'cloud' : 'local', vec, outcomeQuality(o.success, o.quality ?? null), row.local_model);
      }
    };
    return { result: { decisionId: id, recorded: true, route: row.route }, learn };
  }

  /**
   * Learns from a task done outside route_task (e.g. a reasoning pattern stored with the route it ran on
   * and how it went): similar tasks then escalate or stay local the way a reported outcome would make them.
   * Only features of the redacted task are kept, as for decisions. Returns false when learning is off.
   */
  observe(o: Observation): boolean {
    if (typeof o?.task !== 'string' || o.task.trim().length === 0) throw new Error('observe: task must be a non-empty string');
    if (o.route !== 'local' && o.route !== 'cloud') throw new Error(`observe: route must be "local" or "cloud", got ${JSON.stringify(o.route)}`);
    if (typeof o.success !== 'boolean') throw new Error('observe: success must be true or false');
    const q = o.quality ?? null;
    if (q !== null && !(typeof q === 'number' && q >= 0 && q <= 1)) throw new Error(`observe: quality must be between 0 and 1, got ${String(q)}`);
    if (!this.learner) return false;
    // A local observation that names no model counts for the model serving now (evidence is kept per model).
    if (o.route === 'local' && o.model === undefined) o = { ...o, model: this.localSide().modelId };
    // Observations can come with every stored pattern, so none of the work is done inside the store: a timer
    // records what arrived (features of the redacted task, one SQLite transaction for all of it) and then learns
    // (~0.1 ms an outcome) in paced turns (see LEARN_SLICE_MS).
    this.toRecord.push({ ...o, quality: q, at: this.now() });
    if (!this.observeTimer) this.scheduleObserved(0);
    return true;
  }

  // Not unref'd: someone may be awaiting observationsLearned(); the queue drains in milliseconds, and close() stops it.
  private scheduleObserved(ms: number): void {
    this.observeTimer = setTimeout(() => this.learnObserved(), ms);
  }

  /** Writes the observations that arrived since the last call (one transaction) and queues them for learning. */
  private recordObserved(): void {
    if (!this.toRecord.length) return;
    const batch = this.toRecord;
    const rows = batch.map((o) => {
      const text = o.task.length > MAX_TASK_CHARS ? o.task.slice(0, MAX_TASK_CHARS) : o.task;
      return { o, vec: this.featurize(scanPrivacy(text).redacted) };
    });
    // If the write fails (e.g. a full disk) the batch stays queued for the next turn.
    const ids: number[] = [];
    writeTx(this.db, () => {
      for (const { o, vec } of rows)
        ids.push(Number(this.insertObservation.run(o.at, o.route, o.success ? 1 : 0, o.quality, String(o.source).slice(0, 200), Buffer.from(vec.buffer, vec.byteOffset, vec.byteLength), o.route === 'local' ? (o.model ?? null) : null).lastInsertRowid));
      this.bump.run('observations', '', rows.length, 0);
    })();
    for (const id of ids) this.ownObservations.add(id);
    this.toRecord = this.toRecord.slice(batch.length);
    for (const { o, vec } of rows) this.observeQueue.push({ route: o.route, vec, quality: outcomeQuality(o.success, o.quality), model: o.route === 'local' ? (o.model ?? null) : null });
    // Past OBSERVE_QUEUE_MAX waiting, the oldest are left to the next start's replay (they are in SQLite).
    if (this.observeQueue.length > OBSERVE_QUEUE_MAX) {
      this.observationsDeferred += this.observeQueue.length - OBSERVE_QUEUE_MAX;
      this.observeQueue.splice(0, this.observeQueue.length - OBSERVE_QUEUE_MAX);
    }
    this.sincePrune += rows.length;
    if (this.sincePrune >= 1000) {
      this.sincePrune = 0;
      this.prune();
    }
  }

  /** Records what is queued (nothing observed is dropped at a clean close), stops learning the rest and releases waiters. */
  close(): void {
    if (this.observeTimer) clearTimeout(this.observeTimer);
    this.observeTimer = null;
    try {
      this.recordObserved();
    } catch (e) {
      log.error('recording routing observations at close failed', { error: (e as Error).message });
    }
    this.observeQueue = [];
    for (const resolve of this.observeIdle.splice(0)) resolve();
  }

  private learnObserved(): void {
    this.observeTimer = null;
    const learner = this.learner;
    if (!learner) return;
    try {
      this.recordObserved();
    } catch (e) {
      // e.g. the disk is full: keep them for the next turn rather than lose them
      log.error('recording routing observations failed; retrying', { error: (e as Error).message });
      this.scheduleObserved(LEARN_EVERY_MS * 10);
      return;
    }
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

  stats(): RouterStats {
    // One read of a small table (a few dozen rows): no scan of the decisions, whatever the history.
    const by: Record<string, Record<string, number>> = {};
    const sums: Record<string, Record<string, number>> = {};
    for (const r of this.readCounters.all() as { metric: string; key: string; n: number; v: number }[]) {
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

function toVec(buf: Buffer): Float32Array {
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float32Array(copy.buffer, 0, Math.floor(buf.byteLength / 4));
}
