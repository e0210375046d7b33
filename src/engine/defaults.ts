/**
 * Defaults of the engine's options: the one place they are written. The CLI's
 * configuration schema (src/config.ts) and the engine (used as a library) both read them.
 */
export const ENGINE_DEFAULTS = {
  /** 'sqlite' (the data directory's database) or a postgres:// URL shared by a fleet. */
  store: 'sqlite',
  modelDirs: [] as string[],
  scanDefaultDirs: true,
  model: '',
  servers: ['http://127.0.0.1:11434', 'http://127.0.0.1:1234'],
  threads: 0,
  gpu: 'auto' as 'auto' | 'off',
  contextSize: 4096,
  parallel: 2,
  queueLimit: 32,
  timeoutMs: 120_000,
  allowAnyModelPath: false,
  allowRemoteServers: false,
  enableRuvllm: false,
  /** Scan the warm-up texts (data/router/privacy-warm-up.json) 1 s after the server starts (privacy/warm-up.ts). */
  privacyWarmUp: true,
  strategy: 'balanced' as const,
  learning: true,
  embedder: 'default',
  indexThread: false,
  localCostPerHour: 0,
  /** Ledger rows older than this many days are rolled up by UTC day (0 = never). */
  ledgerRetentionDays: 90,
  allowDirs: [] as string[],
  maxInputTokens: 4_000_000,
  /** A pool of servers (models/pool.ts): first cooldown of a failed endpoint, doubling per further failure up to the max. */
  poolCooldownMs: 2000,
  poolMaxCooldownMs: 60_000,
  /** Health check period of a pool's endpoints (0 = no timer). */
  poolHealthIntervalMs: 2000,
  /** One health check of a pool's endpoint that has not answered after this long counts as a failure. */
  poolHealthTimeoutMs: 2000,
  /** A pooled call with no first token after this long moves to another endpoint (0 = never). */
  poolFirstTokenTimeoutMs: 60_000,
};
