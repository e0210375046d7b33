/**
 * A pool of OpenAI-compatible endpoints serving the same model (several llama.cpp servers, vLLM or
 * Ollama instances named in --servers), balanced by the client:
 * - a call goes to the available endpoint with the fewest calls in flight, then the lowest recent
 *   latency (an EWMA of the time to the first token), then the one used least recently;
 * - an endpoint that fails (connection refused, HTTP 5xx, a broken stream, no first token within
 *   firstTokenTimeoutMs) cools down (cooldownMs, doubling with each failure after a cooldown up to
 *   maxCooldownMs) and is skipped meanwhile; a health check (GET /v1/models) every healthIntervalMs
 *   marks it healthy again once its cooldown is over and it answers (or starts a longer cooldown when
 *   it does not), and puts a healthy endpoint that stops answering into cooldown before calls find out;
 * - a call that failed before any text was streamed to the caller is retried once on another
 *   endpoint; a call that had streamed text is never replayed (the caller already has part of an
 *   answer): it fails with a BackendError;
 * - a caller's mistake (HTTP 400, a prompt too long) is neither an endpoint failure nor retried;
 *   a 429 (busy) is not a failure either, but the call moves to another endpoint once, and the busy endpoint is
 *   tried after the others until its Retry-After has passed (it is not skipped: when all are busy it is still tried).
 */
import { ENGINE_DEFAULTS as D } from '../defaults.js';
import { logger } from '../log.js';
import { BackendError, errorKind, RetryableError } from '../errors.js';
import type { GenerateRequest, GenerateResult, LoadedModel } from './backend.js';
import { listOpenAIModels, loadServerModel, normalizeBaseUrl, serverModel, type FetchImpl } from './openai.js';
import type { EndpointState, ModelInfo } from './types.js';

const log = logger('models');

export interface PoolOptions {
  /** fetch for each endpoint (a pinned loopback fetch for host names, see server-address.ts). */
  fetchFor?: (baseUrl: string) => FetchImpl | undefined;
  /** First cooldown after a failure (default 2000 ms, --pool-cooldown-ms); doubles per consecutive failure. */
  cooldownMs?: number;
  /** Longest cooldown (default 60 s, --pool-max-cooldown-ms). */
  maxCooldownMs?: number;
  /** Health check period (default 2000 ms, --pool-health-interval-ms; 0 = no timer, checks only through checkHealth()). */
  healthIntervalMs?: number;
  /** A call with no first token after this long moves to another endpoint (default 60 s, --pool-first-token-timeout-ms; 0 = never). */
  firstTokenTimeoutMs?: number;
  /** Timeout of one health check (default 2000 ms, --pool-health-timeout-ms). */
  healthTimeoutMs?: number;
  /**
   * Other configured servers (down when the pool was formed, or not serving the model then): the
   * health check asks each for its models and one that serves the pool's model joins the pool.
   */
  candidates?: string[];
}

/** Smoothing of the latency average: the newest call weighs 30%. */
const EWMA_ALPHA = 0.3;

interface Endpoint {
  url: string;
  model: LoadedModel;
  fetchImpl?: FetchImpl;
  inFlight: number;
  streaming: number;
  latencyMs: number | null;
  calls: number;
  failures: number;
  consecutiveFailures: number;
  cooldownUntil: number;
  /** Answered 429 (busy): ranked after the others until then (not a failure, no cooldown). */
  busyUntil: number;
  healthy: boolean;
  lastError: string | null;
  lastUsed: number;
  checking: boolean;
}

function endpoint(url: string, model: LoadedModel, fetchImpl?: FetchImpl): Endpoint {
  return {
    url,
    model,
    fetchImpl,
    inFlight: 0,
    streaming: 0,
    latencyMs: null,
    calls: 0,
    failures: 0,
    consecutiveFailures: 0,
    cooldownUntil: 0,
    busyUntil: 0,
    healthy: true,
    lastError: null,
    lastUsed: 0,
    checking: false,
  };
}

/** Aborting an attempt for want of a first token. */
class FirstTokenTimeout extends Error {}

export class EndpointPool implements LoadedModel {
  readonly backend = 'openai' as const;
  private readonly endpoints: Endpoint[];
  private readonly timer: NodeJS.Timeout | null = null;
  private readonly cooldownMs: number;
  private readonly maxCooldownMs: number;
  private readonly firstTokenTimeoutMs: number;
  private readonly healthTimeoutMs: number;
  private tick = 0;
  private disposed = false;
  private readonly candidates: Set<string>;
  private readonly fetchFor: PoolOptions['fetchFor'];
  private probing = false;

  constructor(
    readonly info: ModelInfo,
    members: { url: string; model: LoadedModel; fetchImpl?: FetchImpl }[],
    opts: PoolOptions = {},
  ) {
    if (members.length === 0) throw new Error(`pool ${info.id} has no endpoint`);
    this.endpoints = members.map((m) => endpoint(m.url, m.model, m.fetchImpl));
    this.fetchFor = opts.fetchFor;
    const have = new Set(this.endpoints.map((e) => e.url));
    this.candidates = new Set((opts.candidates ?? []).map(normalizeBaseUrl).filter((u) => !have.has(u)));
    this.cooldownMs = opts.cooldownMs ?? D.poolCooldownMs;
    this.maxCooldownMs = opts.maxCooldownMs ?? D.poolMaxCooldownMs;
    this.firstTokenTimeoutMs = opts.firstTokenTimeoutMs ?? D.poolFirstTokenTimeoutMs;
    this.healthTimeoutMs = opts.healthTimeoutMs ?? D.poolHealthTimeoutMs;
    const every = opts.healthIntervalMs ?? D.poolHealthIntervalMs;
    if (every > 0) {
      this.timer = setInterval(() => void this.checkHealth(), every);
      this.timer.unref();
    }
  }

  /** Endpoints now plus configured servers that may join: how many calls the pool may take at once, per server sequence. */
  capacity(): number {
    return this.endpoints.length + this.candidates.size;
  }

  countTokens(): null {
    return null;
  }

  /** Each endpoint's state, for the models resource. */
  state(): EndpointState[] {
    const now = Date.now();
    return this.endpoints.map((e) => ({
      url: e.url,
      healthy: e.healthy && e.cooldownUntil <= now,
      inFlight: e.inFlight,
      streaming: e.streaming,
      latencyMs: e.latencyMs === null ? null : Math.round(e.latencyMs * 10) / 10,
      calls: e.calls,
      failures: e.failures,
      consecutiveFailures: e.consecutiveFailures,
      cooldownUntil: e.cooldownUntil > now ? new Date(e.cooldownUntil).toISOString() : null,
      busyUntil: e.busyUntil > now ? new Date(e.busyUntil).toISOString() : null,
      lastError: e.lastError,
    }));
  }

  /**
   * Endpoints a call may go to now, best first: those not cooling down (one whose cooldown is over
   * takes calls again even before a health check saw it answer; a failure before any token is retried
   * elsewhere anyway). Never empty while endpoints remain: when all cool down, the one back soonest is tried.
   */
  private ranked(exclude: Set<Endpoint>): Endpoint[] {
    const now = Date.now();
    const candidates = this.endpoints.filter((e) => !exclude.has(e));
    const up = candidates.filter((e) => e.cooldownUntil <= now);
    const busy = (e: Endpoint) => (e.busyUntil > now ? 1 : 0);
    const order = (a: Endpoint, b: Endpoint) =>
      busy(a) - busy(b) || a.inFlight - b.inFlight || (a.latencyMs ?? 0) - (b.latencyMs ?? 0) || a.lastUsed - b.lastUsed;
    if (up.length) return up.sort(order);
    return candidates.sort((a, b) => a.cooldownUntil - b.cooldownUntil || order(a, b)).slice(0, 1);
  }

  private fail(e: Endpoint, err: unknown): void {
    e.failures++;
    e.healthy = false;
    e.lastError = (err as Error).message;
    // Calls that were in flight when it went down all fail at once: one outage, one step of the backoff.
    if (e.cooldownUntil > Date.now()) return;
    e.consecutiveFailures++;
    const wait = Math.min(this.maxCooldownMs, this.cooldownMs * 2 ** Math.min(20, e.consecutiveFailures - 1));
    e.cooldownUntil = Date.now() + wait;
    log.warn('pool endpoint failed; cooling down', { pool: this.info.id, endpoint: e.url, cooldownMs: wait, error: e.lastError });
  }

  /** A 429: the endpoint answers but has no room now; others go first until its Retry-After has passed. */
  private busy(e: Endpoint, err: unknown): void {
    if (err instanceof RetryableError) e.busyUntil = Date.now() + err.retryAfterMs;
  }

  private succeed(e: Endpoint, firstChunkMs: number | null): void {
    e.consecutiveFailures = 0;
    e.busyUntil = 0;
    e.healthy = true;
    e.cooldownUntil = 0;
    if (firstChunkMs !== null)
      e.latencyMs = e.latencyMs === null ? firstChunkMs : EWMA_ALPHA * firstChunkMs + (1 - EWMA_ALPHA) * e.latencyMs;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    if (this.disposed) throw new BackendError(`pool ${this.info.id} is closed`);
    const tried = new Set<Endpoint>();
    let lastErr: unknown = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      const e = this.ranked(tried)[0];
      if (!e) break;
      tried.add(e);
      const out = await this.attempt(e, req);
      if ('result' in out) return out.result;
      lastErr = out.error;
      if (!out.retry || req.signal.aborted) throw out.error;
      if (tried.size >= this.endpoints.length) break;
      log.info('retrying a call on another endpoint (nothing was streamed yet)', {
        pool: this.info.id,
        failed: e.url,
        error: (out.error as Error).message,
      });
    }
    throw lastErr;
  }

  /** One try on one endpoint: its result, or its error and whether another endpoint may take the call. */
  private async attempt(e: Endpoint, req: GenerateRequest): Promise<{ result: GenerateResult } | { error: unknown; retry: boolean }> {
    const ac = new AbortController();
    const onAbort = () => ac.abort(req.signal.reason);
    if (req.signal.aborted) ac.abort(req.signal.reason);
    req.signal.addEventListener('abort', onAbort, { once: true });
    let streamed = 0;
    let timedOut = false;
    const timer =
      this.firstTokenTimeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            ac.abort(new FirstTokenTimeout());
          }, this.firstTokenTimeoutMs)
        : null;
    e.inFlight++;
    e.calls++;
    e.lastUsed = ++this.tick;
    try {
      const r = await e.model.generate({
        ...req,
        signal: ac.signal,
        onText: (chunk, n) => {
          if (streamed++ === 0) {
            if (timer) clearTimeout(timer);
            e.streaming++;
          }
          req.onText?.(chunk, n);
        },
      });
      if (timedOut && streamed === 0) {
        const err = new BackendError(`model server ${e.url} sent no token within ${this.firstTokenTimeoutMs} ms`);
        this.fail(e, err);
        return { error: err, retry: true };
      }
      if (r.stopReason !== 'abort') this.succeed(e, r.firstChunkMs);
      return { result: r };
    } catch (err) {
      const kind = errorKind(err);
      if (kind === 'caller') return { error: err, retry: false };
      if (kind === 'retryable') {
        this.busy(e, err);
        return { error: err, retry: streamed === 0 };
      }
      this.fail(e, err);
      if (streamed > 0) {
        return {
          error: new BackendError(
            `${(err as Error).message} (after ${streamed} streamed chunk${streamed === 1 ? '' : 's'}; a call that has streamed text is not replayed on another endpoint)`,
            { cause: err },
          ),
          retry: false,
        };
      }
      return { error: kind === 'backend' ? err : new BackendError((err as Error).message, { cause: err }), retry: true };
    } finally {
      if (timer) clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      e.inFlight--;
      if (streamed > 0) e.streaming--;
    }
  }

  /**
   * Health check of every endpoint not busy being checked: a healthy endpoint that does not answer
   * GET /v1/models cools down; one whose cooldown is over comes back when it answers.
   */
  async checkHealth(): Promise<void> {
    if (this.disposed) return;
    const now = Date.now();
    const joining = this.probeCandidates();
    await Promise.all(
      this.endpoints
        .filter((e) => !e.checking && e.cooldownUntil <= now)
        .map(async (e) => {
          e.checking = true;
          try {
            await listOpenAIModels(e.url, this.healthTimeoutMs, e.fetchImpl);
            if (!e.healthy) log.info('pool endpoint is back', { pool: this.info.id, endpoint: e.url });
            e.healthy = true;
            e.consecutiveFailures = 0;
          } catch (err) {
            if (errorKind(err) === 'caller' || err instanceof RetryableError) return; // it answers: not down
            if (!this.disposed) this.fail(e, err);
          } finally {
            e.checking = false;
          }
        }),
    );
    await joining;
  }

  /** Configured servers not in the pool: one that now serves the pool's model joins it. */
  private async probeCandidates(): Promise<void> {
    if (this.probing || this.candidates.size === 0) return;
    this.probing = true;
    try {
      await Promise.all(
        [...this.candidates].map(async (url) => {
          const fetchImpl = this.fetchFor?.(url);
          let names: string[];
          try {
            names = await listOpenAIModels(url, this.healthTimeoutMs, fetchImpl);
          } catch {
            return; // still down, or not an OpenAI-compatible server
          }
          if (!names.includes(this.info.name) || this.disposed || !this.candidates.delete(url)) return;
          this.endpoints.push(endpoint(url, serverModel({ ...this.info, baseUrl: url, endpoints: undefined }, { fetchImpl }), fetchImpl));
          log.info('server joined the pool', { pool: this.info.id, endpoint: url });
        }),
      );
    } finally {
      this.probing = false;
    }
  }

  /**
   * The pool answers when at least one endpoint does; the others are checked too and cool down if they fail.
   * An endpoint that answers 429 (busy) answers: it is neither failed nor cooled down.
   */
  async check(signal?: AbortSignal): Promise<void> {
    const errors: string[] = [];
    await Promise.all(
      this.endpoints.map(async (e) => {
        try {
          await e.model.check(signal);
          this.succeed(e, null);
        } catch (err) {
          if (errorKind(err) === 'retryable' && !signal?.aborted) return this.busy(e, err);
          this.fail(e, err);
          errors.push(`${e.url}: ${(err as Error).message}`);
        }
      }),
    );
    if (errors.length === this.endpoints.length)
      throw new BackendError(`no endpoint of pool ${this.info.id} answers: ${errors.join('; ')}`);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    for (const e of this.endpoints) await e.model.dispose().catch(() => {});
  }
}

/**
 * Connects to every endpoint of a pool. An endpoint that cannot be reached now joins in cooldown
 * (health checks bring it in later); one that answers but does not serve the model is refused.
 */
export async function loadPool(info: ModelInfo, opts: PoolOptions & { listTimeoutMs?: number } = {}): Promise<EndpointPool> {
  const urls = [...new Set((info.endpoints ?? []).map(normalizeBaseUrl))];
  if (urls.length === 0) throw new BackendError(`pool ${info.id} names no endpoint`);
  const members = await Promise.all(
    urls.map(async (url) => {
      const fetchImpl = opts.fetchFor?.(url);
      const one = { ...info, baseUrl: url, endpoints: undefined };
      try {
        return { url, model: await loadServerModel(one, { fetchImpl, listTimeoutMs: opts.listTimeoutMs }), fetchImpl };
      } catch (err) {
        // Unreachable now: it joins the pool and cools down at the check; a server serving other models is refused.
        if (errorKind(err) !== 'backend') throw err;
        return { url, model: serverModel(one, { fetchImpl }), fetchImpl };
      }
    }),
  );
  return new EndpointPool(info, members, opts);
}
