/**
 * Configuration: embedded defaults < config file < environment < CLI flags.
 * One table (OPTIONS) defines every option's flag, env var, config-file key,
 * type, default and help line, so `--help`, the README and the parser agree.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultDataDir } from './engine/store/paths.js';
import { ENGINE_DEFAULTS as D } from './engine/defaults.js';
import { parseCapabilitySetting } from './engine/router/capability.js';
import { isPostgresUrl } from './engine/store/postgres/url.js';
import { HTTP_DEFAULTS as H } from './transports/defaults.js';
import { readTokenFile } from './token-file.js';

type Kind = 'string' | 'int' | 'number' | 'bool' | 'list';

interface OptionSpec {
  key: string;
  flag: string;
  env: string;
  kind: Kind;
  help: string;
  /**
   * Shown in --help where the default is not a plain value (e.g. "per-user data dir"); otherwise
   * --help shows the schema's default, read from ENGINE_DEFAULTS / HTTP_DEFAULTS (the one place each is written).
   */
  def?: string;
  /** Short flag letter. */
  short?: string;
}

export const OPTIONS: OptionSpec[] = [
  { key: 'config', flag: 'config', env: 'RUVLLM_MCP_CONFIG', kind: 'string', help: 'JSON config file (keys as in the README)', short: 'c' },
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'RUVLLM_MCP_DATA_DIR',
    kind: 'string',
    help: 'data directory (database, pattern index, models/)',
    def: 'per-user data dir',
  },
  {
    key: 'store',
    flag: 'store',
    env: 'RUVLLM_MCP_STORE',
    kind: 'string',
    help: 'where patterns, decisions, outcomes and the ledger live: sqlite (the data dir) or postgres://user:pass@host:5432/db (shared by a fleet)',
  },
  {
    key: 'modelsDir',
    flag: 'models-dir',
    env: 'RUVLLM_MCP_MODELS_DIR',
    kind: 'string',
    help: 'folder for GGUF models',
    def: '<data dir>/models',
  },
  {
    key: 'model',
    flag: 'model',
    env: 'RUVLLM_MCP_MODEL',
    kind: 'string',
    help: 'model to load first: a model id, a GGUF path, or empty for the first found',
  },
  {
    key: 'modelDirs',
    flag: 'model-dirs',
    env: 'RUVLLM_MCP_MODEL_DIRS',
    kind: 'list',
    help: 'extra folders scanned for GGUF files (comma-separated)',
  },
  {
    key: 'scanDefaultDirs',
    flag: 'scan-default-dirs',
    env: 'RUVLLM_MCP_SCAN_DEFAULT_DIRS',
    kind: 'bool',
    help: 'also scan the usual model folders (LM Studio, llama.cpp cache, ~/models)',
  },
  {
    key: 'servers',
    flag: 'servers',
    env: 'RUVLLM_MCP_SERVERS',
    kind: 'list',
    help: 'OpenAI-compatible servers to probe (comma-separated base URLs)',
  },
  {
    key: 'poolCooldownMs',
    flag: 'pool-cooldown-ms',
    env: 'RUVLLM_MCP_POOL_COOLDOWN_MS',
    kind: 'int',
    help: 'a pool endpoint that failed is skipped this long, doubling with each further failure',
  },
  {
    key: 'poolMaxCooldownMs',
    flag: 'pool-max-cooldown-ms',
    env: 'RUVLLM_MCP_POOL_MAX_COOLDOWN_MS',
    kind: 'int',
    help: 'longest cooldown of a pool endpoint (at least --pool-cooldown-ms)',
  },
  {
    key: 'poolHealthIntervalMs',
    flag: 'pool-health-interval-ms',
    env: 'RUVLLM_MCP_POOL_HEALTH_INTERVAL_MS',
    kind: 'int',
    help: "health check period of a pool's endpoints (GET /v1/models; 0 = none)",
  },
  {
    key: 'poolHealthTimeoutMs',
    flag: 'pool-health-timeout-ms',
    env: 'RUVLLM_MCP_POOL_HEALTH_TIMEOUT_MS',
    kind: 'int',
    help: "a pool endpoint's health check not answered after this long counts as a failure",
  },
  {
    key: 'poolFirstTokenTimeoutMs',
    flag: 'pool-first-token-timeout-ms',
    env: 'RUVLLM_MCP_POOL_FIRST_TOKEN_TIMEOUT_MS',
    kind: 'int',
    help: 'a pooled call with no first token after this long moves to another endpoint (0 = never)',
  },
  {
    key: 'threads',
    flag: 'threads',
    env: 'RUVLLM_MCP_THREADS',
    kind: 'int',
    help: 'CPU threads for in-process inference (0 = chosen from the cores)',
  },
  { key: 'gpu', flag: 'gpu', env: 'RUVLLM_MCP_GPU', kind: 'string', help: 'GPU use for GGUF models: auto or off' },
  {
    key: 'contextSize',
    flag: 'context-size',
    env: 'RUVLLM_MCP_CONTEXT_SIZE',
    kind: 'int',
    help: "context size in tokens for in-process models (capped at the model's)",
  },
  { key: 'parallel', flag: 'parallel', env: 'RUVLLM_MCP_PARALLEL', kind: 'int', help: 'completions run at once per model' },
  {
    key: 'queueLimit',
    flag: 'queue-limit',
    env: 'RUVLLM_MCP_QUEUE_LIMIT',
    kind: 'int',
    help: 'completions waiting per model before "busy" errors',
  },
  { key: 'timeoutMs', flag: 'timeout-ms', env: 'RUVLLM_MCP_TIMEOUT_MS', kind: 'int', help: 'default time limit of one completion' },
  {
    key: 'allowAnyModelPath',
    flag: 'allow-any-model-path',
    env: 'RUVLLM_MCP_ALLOW_ANY_MODEL_PATH',
    kind: 'bool',
    help: 'let hot_swap_model load GGUF files outside the model folders',
  },
  {
    key: 'allowRemoteServers',
    flag: 'allow-remote-servers',
    env: 'RUVLLM_MCP_ALLOW_REMOTE_SERVERS',
    kind: 'bool',
    help: 'let hot_swap_model use servers that are neither configured nor on this machine (they then count as local for routing)',
  },
  {
    key: 'privacyWarmUp',
    flag: 'privacy-warm-up',
    env: 'RUVLLM_MCP_PRIVACY_WARM_UP',
    kind: 'bool',
    help: 'warm the privacy scanner up in the background 1 s after the server starts (about 1-2 s of one core, once)',
  },
  {
    key: 'enableRuvllm',
    flag: 'enable-ruvllm',
    env: 'RUVLLM_MCP_ENABLE_RUVLLM',
    kind: 'bool',
    help: 'EXPERIMENTAL: list the @ruvector/ruvllm engine (cannot load weights; never used for completions)',
  },
  {
    key: 'strategy',
    flag: 'strategy',
    env: 'RUVLLM_MCP_STRATEGY',
    kind: 'string',
    help: 'default routing strategy: cost_optimized, latency_optimized, quality_optimized, balanced, privacy_first',
  },
  { key: 'learning', flag: 'learning', env: 'RUVLLM_MCP_LEARNING', kind: 'bool', help: 'learn routing from reported outcomes' },
  {
    key: 'modelCapability',
    flag: 'model-capability',
    env: 'RUVLLM_MCP_MODEL_CAPABILITY',
    kind: 'string',
    help: "what the local model can do: small, medium or large, or per model (id=tier,...); default read from the model's size",
    def: 'from the model',
  },
  {
    key: 'embedder',
    flag: 'embedder',
    env: 'RUVLLM_MCP_EMBEDDER',
    kind: 'string',
    help: 'pattern embedder: default, gguf:<path>, openai:<baseUrl>#<model>, ollama:<baseUrl>#<model>',
  },
  {
    key: 'indexThread',
    flag: 'index-thread',
    env: 'RUVLLM_MCP_INDEX_THREAD',
    kind: 'bool',
    help: 'run the pattern index in a worker thread: about 2x store throughput, but every find crosses threads',
  },
  {
    key: 'hostModel',
    flag: 'host-model',
    env: 'RUVLLM_MCP_HOST_MODEL',
    kind: 'string',
    help: 'the cloud model offloading replaces (for savings)',
    def: 'from the price table',
  },
  { key: 'prices', flag: 'prices', env: 'RUVLLM_MCP_PRICES', kind: 'string', help: 'JSON file overriding or adding cloud prices' },
  {
    key: 'localCostPerHour',
    flag: 'local-cost-per-hour',
    env: 'RUVLLM_MCP_LOCAL_COST_PER_HOUR',
    kind: 'number',
    help: 'USD per hour of local compute, subtracted from savings',
  },
  {
    key: 'ledgerRetentionDays',
    flag: 'ledger-retention-days',
    env: 'RUVLLM_MCP_LEDGER_RETENTION_DAYS',
    kind: 'int',
    help: 'cost ledger rows older than this are rolled up by day, totals kept (0 = never)',
  },
  {
    key: 'allowDirs',
    flag: 'allow-dirs',
    env: 'RUVLLM_MCP_ALLOW_DIRS',
    kind: 'list',
    help: "folders whose files tools may read by reference, besides the working directory and the client's roots (comma-separated)",
  },
  {
    key: 'maxInputTokens',
    flag: 'max-input-tokens',
    env: 'RUVLLM_MCP_MAX_INPUT_TOKENS',
    kind: 'int',
    help: 'most tokens of files one call may read (beyond the context they are read in parts)',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'RUVLLM_MCP_LOG_LEVEL',
    kind: 'string',
    help: 'stderr log level: debug, info, notice, warning, error',
  },
  {
    key: 'http',
    flag: 'http',
    env: 'RUVLLM_MCP_HTTP',
    kind: 'bool',
    help: 'serve Streamable HTTP (/mcp) and legacy SSE (/sse) instead of stdio',
  },
  { key: 'host', flag: 'host', env: 'RUVLLM_MCP_HOST', kind: 'string', help: 'HTTP bind address (anything but loopback needs a token)' },
  { key: 'port', flag: 'port', env: 'RUVLLM_MCP_PORT', kind: 'int', help: 'HTTP port (0 = any free port)' },
  {
    key: 'token',
    flag: 'token',
    env: 'RUVLLM_MCP_TOKEN',
    kind: 'string',
    help: 'bearer token required on every HTTP request (as a flag it shows in the process list: prefer the env var or --token-file)',
  },
  {
    key: 'tokenFile',
    flag: 'token-file',
    env: 'RUVLLM_MCP_TOKEN_FILE',
    kind: 'string',
    help: 'file holding the bearer token (private to its owner: chmod 600)',
  },
  {
    key: 'allowedOrigins',
    flag: 'allowed-origins',
    env: 'RUVLLM_MCP_ALLOWED_ORIGINS',
    kind: 'list',
    help: 'browser origins allowed over HTTP besides its own (comma-separated)',
  },
  {
    key: 'allowedHosts',
    flag: 'allowed-hosts',
    env: 'RUVLLM_MCP_ALLOWED_HOSTS',
    kind: 'list',
    help: 'extra Host header values allowed over HTTP (comma-separated)',
  },
  { key: 'stateless', flag: 'stateless', env: 'RUVLLM_MCP_STATELESS', kind: 'bool', help: 'Streamable HTTP without sessions' },
  { key: 'maxSessions', flag: 'max-sessions', env: 'RUVLLM_MCP_MAX_SESSIONS', kind: 'int', help: 'HTTP sessions open at once' },
  {
    key: 'sessionIdleMs',
    flag: 'session-idle-ms',
    env: 'RUVLLM_MCP_SESSION_IDLE_MS',
    kind: 'int',
    help: 'close HTTP sessions idle this long',
  },
  { key: 'maxBodyBytes', flag: 'max-body-bytes', env: 'RUVLLM_MCP_MAX_BODY_BYTES', kind: 'int', help: 'largest HTTP request body' },
];

const MS_RANGE = 'must be between 100 and 3600000 (milliseconds)';
/** A period in ms where 0 turns the feature off. */
const msOrOff = (off: string) =>
  z
    .number()
    .int()
    .refine((v) => v === 0 || (v >= 100 && v <= 3_600_000), { message: `must be 0 (${off}) or between 100 and 3600000 (milliseconds)` });

const STRATEGY = z.enum(['cost_optimized', 'latency_optimized', 'quality_optimized', 'balanced', 'privacy_first']);

export const ConfigSchema = z
  .object({
    dataDir: z
      .string()
      .min(1)
      .default(() => defaultDataDir()),
    modelsDir: z.string().min(1).optional(),
    store: z
      .string()
      .min(1)
      .default(D.store)
      .refine((v) => v === 'sqlite' || isPostgresUrl(v), {
        message: 'store must be "sqlite" (the data directory) or a PostgreSQL URL like postgres://user:password@host:5432/database',
      }),
    model: z.string().default(D.model),
    modelDirs: z.array(z.string().min(1)).default(() => [...D.modelDirs]),
    scanDefaultDirs: z.boolean().default(D.scanDefaultDirs),
    servers: z.array(z.string().url('servers must be base URLs like http://127.0.0.1:11434')).default(() => [...D.servers]),
    poolCooldownMs: z.number().int().min(100, MS_RANGE).max(3_600_000, MS_RANGE).default(D.poolCooldownMs),
    poolMaxCooldownMs: z.number().int().min(100, MS_RANGE).max(3_600_000, MS_RANGE).default(D.poolMaxCooldownMs),
    poolHealthIntervalMs: msOrOff('no health checks').default(D.poolHealthIntervalMs),
    poolHealthTimeoutMs: z.number().int().min(100, MS_RANGE).max(3_600_000, MS_RANGE).default(D.poolHealthTimeoutMs),
    poolFirstTokenTimeoutMs: msOrOff('no first-token timeout').default(D.poolFirstTokenTimeoutMs),
    threads: z.number().int().min(0).max(256).default(D.threads),
    gpu: z.enum(['auto', 'off']).default(D.gpu),
    contextSize: z.number().int().min(128).max(1_048_576).default(D.contextSize),
    parallel: z.number().int().min(1).max(64).default(D.parallel),
    queueLimit: z.number().int().min(0).max(10_000).default(D.queueLimit),
    timeoutMs: z.number().int().min(100).max(3_600_000).default(D.timeoutMs),
    allowAnyModelPath: z.boolean().default(D.allowAnyModelPath),
    allowRemoteServers: z.boolean().default(D.allowRemoteServers),
    enableRuvllm: z.boolean().default(D.enableRuvllm),
    privacyWarmUp: z.boolean().default(D.privacyWarmUp),
    strategy: STRATEGY.default(D.strategy),
    learning: z.boolean().default(D.learning),
    modelCapability: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        try {
          parseCapabilitySetting(v);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }),
    embedder: z.string().min(1).default(D.embedder),
    indexThread: z.boolean().default(D.indexThread),
    hostModel: z.string().min(1).optional(),
    prices: z.string().optional(),
    localCostPerHour: z.number().min(0).default(D.localCostPerHour),
    ledgerRetentionDays: z.number().int().min(0).max(100_000).default(D.ledgerRetentionDays),
    allowDirs: z.array(z.string().min(1)).default(() => [...D.allowDirs]),
    maxInputTokens: z.number().int().min(1).max(1_000_000_000).default(D.maxInputTokens),
    logLevel: z.enum(['debug', 'info', 'notice', 'warning', 'error']).default('info'),
    http: z.boolean().default(false),
    host: z.string().min(1).default(H.host),
    port: z.number().int().min(0).max(65535).default(H.port),
    token: z.string().optional(),
    tokenFile: z.string().min(1).optional(),
    allowedOrigins: z.array(z.string()).default([]),
    allowedHosts: z.array(z.string()).default([]),
    stateless: z.boolean().default(false),
    maxSessions: z.number().int().min(1).max(100_000).default(H.maxSessions),
    sessionIdleMs: z.number().int().min(1000).default(H.sessionIdleMs),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(1 << 30)
      .default(H.maxBodyBytes),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.poolMaxCooldownMs < c.poolCooldownMs)
      ctx.addIssue({
        code: 'custom',
        path: ['poolMaxCooldownMs'],
        message: `must be at least poolCooldownMs (--pool-cooldown-ms), which is ${c.poolCooldownMs}: raise it or lower the cooldown`,
      });
  });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function convert(spec: OptionSpec, raw: string | boolean, origin: string): unknown {
  if (spec.kind === 'bool') {
    if (typeof raw === 'boolean') return raw;
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
    throw new ConfigError(`${origin}: expected true or false, got "${raw}"`);
  }
  const s = String(raw);
  if (spec.kind === 'int' || spec.kind === 'number') {
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n)))
      throw new ConfigError(`${origin}: expected ${spec.kind === 'int' ? 'a whole number' : 'a number'}, got "${raw}"`);
    return n;
  }
  if (spec.kind === 'list')
    return s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return s;
}

export interface LoadedConfig {
  config: Config;
  help: boolean;
  version: boolean;
  /** Positional arguments (subcommands for the CLI). */
  positionals: string[];
  /** Things to tell the user on stderr (e.g. a secret passed on the command line). */
  warnings: string[];
}

/** A default as --help shows it: lists comma-separated, nothing for an unset option. */
function showDefault(v: unknown): string {
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** Each option's default as --help shows it: its descriptive `def`, else the schema's default value. */
export function shownDefaults(): Record<string, string> {
  const schemaDefaults = ConfigSchema.parse({}) as Record<string, unknown>;
  return Object.fromEntries(OPTIONS.map((o) => [o.key, o.def ?? showDefault(schemaDefaults[o.key])]));
}

export function helpText(prog = 'ruvllm-mcp'): string {
  const defaults = shownDefaults();
  const lines = [
    `Usage: ${prog} [options]            serve MCP over stdio (or HTTP with --http)`,
    '',
    'Options (each also settable by its env var or a key of the --config JSON file):',
  ];
  for (const o of OPTIONS) {
    const flag = `--${o.flag}${o.kind === 'bool' ? '' : ' <' + (o.kind === 'list' ? 'a,b' : o.kind === 'string' ? 'value' : 'n') + '>'}`;
    const def = defaults[o.key];
    lines.push(`  ${(o.short ? `-${o.short}, ` : '    ') + flag.padEnd(34)} ${o.help}${def ? ` [${def}]` : ''}`);
    lines.push(`  ${' '.repeat(38)} env ${o.env}`);
  }
  lines.push('  -h, --help                             this help', '  -v, --version                          print the version');
  return lines.join('\n');
}

/** Parses flags and env, reads the config file, validates, and returns a typed Config. */
export function loadConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const parseOptions: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const o of OPTIONS) {
    parseOptions[o.flag] = { type: o.kind === 'bool' ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}) };
    if (o.kind === 'bool') parseOptions[`no-${o.flag}`] = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: parseOptions, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}; run with --help to list the options`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const merged: Record<string, unknown> = {};

  const configPath = (values.config as string | undefined) ?? env.RUVLLM_MCP_CONFIG;
  if (configPath) {
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read config file ${configPath}: ${(e as Error).message}`);
    }
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`config file ${configPath} is not valid JSON: ${(e as Error).message}`);
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ConfigError(`config file ${configPath} must hold a JSON object`);
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (k === 'config' || k === '$schema') continue;
      merged[k] = v;
    }
  }
  for (const o of OPTIONS) {
    if (o.key === 'config') continue;
    const e = env[o.env];
    if (e !== undefined && e !== '') merged[o.key] = convert(o, e, `env ${o.env}`);
  }
  for (const o of OPTIONS) {
    if (o.key === 'config') continue;
    const v = values[o.flag];
    if (v !== undefined) merged[o.key] = convert(o, v, `--${o.flag}`);
    if (o.kind === 'bool' && values[`no-${o.flag}`]) merged[o.key] = false;
  }
  const res = ConfigSchema.safeParse(merged);
  if (!res.success) {
    const issues = res.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const spec = OPTIONS.find((o) => o.key === key);
      const where = spec ? `${key} (--${spec.flag} / ${spec.env})` : key || 'config';
      return `${where}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration: ${issues.join('; ')}`);
  }
  const warnings: string[] = [];
  if (values.token !== undefined) {
    warnings.push(
      '--token on the command line is visible to other local users in the process list; pass the token in RUVLLM_MCP_TOKEN or in a file named by --token-file instead',
    );
  }
  if (res.data.tokenFile !== undefined) {
    if (res.data.token !== undefined) {
      throw new ConfigError(
        'the bearer token is given both as a value (--token / RUVLLM_MCP_TOKEN / token) and as a file (--token-file / RUVLLM_MCP_TOKEN_FILE / tokenFile); give one',
      );
    }
    try {
      res.data.token = readTokenFile(res.data.tokenFile);
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  return { config: res.data, help: Boolean(values.help), version: Boolean(values.version), positionals: parsed.positionals, warnings };
}
