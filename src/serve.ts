/**
 * Serving MCP: config, one engine per process, the transport (stdio, or HTTP with --http),
 * shutdown. Called by the entry point (src/cli.ts, the `ruvllm-mcp` bin) when no command is
 * given. Order matters for start-up time: the transport connects first; the engine (SQLite,
 * models, pattern index) is imported and started right after, so `initialize` never waits for it.
 */
import { writeRealStdout } from './stdout-guard.js';
import { helpText, loadConfig, type Config } from './config.js';
import { logger, setLogLevel } from './engine/log.js';
import { createServer } from './create-server.js';
import { assertDataDirWritable } from './data-dir-check.js';
import { VERSION } from './version.js';
import type { Engine } from './engine/engine.js';
import type { Store } from './engine/store/store.js';
import { errorKind } from './engine/errors.js';

const log = logger('server');

export function engineOptions(config: Config) {
  return {
    dataDir: config.dataDir,
    modelsDir: config.modelsDir,
    model: config.model,
    modelDirs: config.modelDirs,
    scanDefaultDirs: config.scanDefaultDirs,
    servers: config.servers,
    threads: config.threads,
    gpu: config.gpu,
    contextSize: config.contextSize,
    parallel: config.parallel,
    queueLimit: config.queueLimit,
    timeoutMs: config.timeoutMs,
    allowAnyModelPath: config.allowAnyModelPath,
    allowRemoteServers: config.allowRemoteServers,
    enableRuvllm: config.enableRuvllm,
    privacyWarmUp: config.privacyWarmUp,
    strategy: config.strategy,
    learning: config.learning,
    modelCapability: config.modelCapability,
    embedder: config.embedder,
    indexThread: config.indexThread,
    hostModel: config.hostModel,
    prices: config.prices,
    localCostPerHour: config.localCostPerHour,
    ledgerRetentionDays: config.ledgerRetentionDays,
    allowDirs: config.allowDirs,
    maxInputTokens: config.maxInputTokens,
    pool: {
      cooldownMs: config.poolCooldownMs,
      maxCooldownMs: config.poolMaxCooldownMs,
      healthIntervalMs: config.poolHealthIntervalMs,
      healthTimeoutMs: config.poolHealthTimeoutMs,
      firstTokenTimeoutMs: config.poolFirstTokenTimeoutMs,
    },
  };
}

/**
 * The PostgreSQL store named by --store (loaded only then: SQLite users never load the driver): patterns, decisions,
 * outcomes and the ledger in PostgreSQL, the models in the data directory's database (discovery is per machine).
 */
async function openSharedStore(config: Config): Promise<Store> {
  const [{ openPostgresStore }, { pgPatternsSlot }, { dataPaths }, { mkdirSync }] = await Promise.all([
    import('./engine/store/postgres/store.js'),
    import('./engine/store/postgres/patterns-repo.js'),
    import('./engine/store/paths.js'),
    import('node:fs'),
  ]);
  const paths = dataPaths(config.dataDir, config.modelsDir);
  mkdirSync(paths.dataDir, { recursive: true });
  return openPostgresStore(config.store, { database: paths.database, patterns: pgPatternsSlot });
}

/**
 * An engine on the store the configuration names (the data directory's SQLite files, or the fleet's PostgreSQL), not
 * started. Used by the server and by the command line (`patterns`, `report`), so both read and write the same state.
 * A constructor that throws after the PostgreSQL store was opened closes that store (its pool and listener).
 */
export async function openEngine(config: Config): Promise<Engine> {
  const m = await import('./engine/engine.js');
  const store = config.store === 'sqlite' ? undefined : await openSharedStore(config);
  try {
    return new m.Engine({ ...engineOptions(config), store });
  } catch (e) {
    // the engine never took the store over: close it here, or its pool and listener stay open
    // (holding PostgreSQL connections, and another each time a retryable failure is tried again)
    await store?.close().catch((ce) => log.warn('closing the store after a failed start failed', { error: (ce as Error).message }));
    throw e;
  }
}

/** Lazily creates and starts the one engine of this process. */
export function engineLoader(config: Config): { get: () => Promise<Engine>; close: () => Promise<void> } {
  let p: Promise<Engine> | null = null;
  const get = () => {
    if (!p) {
      p = openEngine(config).then(async (engine) => {
        try {
          engine.start();
        } catch (e) {
          await engine.close().catch(() => undefined); // closes the store it owns
          throw e;
        }
        log.info('engine ready', { dataDir: engine.paths.dataDir });
        return engine;
      });
      const started = p;
      // A start that failed for a retryable reason (e.g. PostgreSQL unreachable) is tried again by the next call,
      // so a node comes back by itself once its store is reachable; a caller error (bad configuration) stays.
      p.catch((e) => {
        log.error('engine failed to start', { error: (e as Error).message });
        if (errorKind(e) === 'retryable' && p === started) p = null;
      });
    }
    return p;
  };
  return { get, close: async () => (p ? (await p.catch(() => null))?.close() : undefined) };
}

export async function serve(argv = process.argv.slice(2)): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig(argv);
  } catch (e) {
    process.stderr.write(`ruvllm-mcp: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (loaded.help) return writeRealStdout(helpText() + '\n');
  if (loaded.version) return writeRealStdout(VERSION + '\n');
  if (loaded.positionals.length) {
    process.stderr.write(`ruvllm-mcp: unexpected argument "${loaded.positionals[0]}"; run with --help\n`);
    process.exitCode = 2;
    return;
  }
  const { config } = loaded;
  setLogLevel(config.logLevel);
  for (const w of loaded.warnings) log.warn(w);
  try {
    assertDataDirWritable(config.dataDir);
  } catch (e) {
    process.stderr.write(`ruvllm-mcp: cannot start: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const engine = engineLoader(config);

  process.on('unhandledRejection', (e) => log.error('unhandled rejection', { error: String((e as Error)?.stack ?? e) }));
  process.on('uncaughtException', (e) => log.error('uncaught exception', { error: String(e?.stack ?? e) }));

  let serving: Serving;
  try {
    serving = await startTransport(config, engine);
  } catch (e) {
    // Nothing is serving: say why and exit rather than hang.
    process.stderr.write(`ruvllm-mcp: cannot start: ${(e as Error).message}\n`);
    await engine.close().catch(() => undefined);
    process.exit(1);
  }

  let stopping = false;
  async function shutdown(why: string) {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { why });
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    try {
      await serving.stop();
      await engine.close();
    } catch (e) {
      log.error('error during shutdown', { error: (e as Error).message });
    }
    process.exit(0);
  }
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  void serving.closed?.then(() => shutdown('stdin closed'));
}

interface Serving {
  stop: () => Promise<void>;
  /** Resolves when the client went away (stdio: stdin closed). */
  closed?: Promise<void>;
}

/** Connects the transport the config asks for. */
async function startTransport(config: Config, engine: ReturnType<typeof engineLoader>): Promise<Serving> {
  if (config.http) {
    const { startHttpServer } = await import('./transports/http.js');
    const http = await startHttpServer({
      factory: () => createServer({ engine: engine.get }),
      host: config.host,
      port: config.port,
      token: config.token,
      allowedOrigins: config.allowedOrigins,
      allowedHosts: config.allowedHosts,
      stateless: config.stateless,
      maxBodyBytes: config.maxBodyBytes,
      maxSessions: config.maxSessions,
      sessionIdleMs: config.sessionIdleMs,
    });
    log.notice('serving MCP over HTTP', { url: http.url, sse: http.url.replace(/\/mcp$/, '/sse') });
    void engine.get();
    return { stop: () => http.close() };
  }
  const { serveStdio } = await import('./transports/stdio.js');
  const { server, cleanup } = createServer({ engine: engine.get });
  const { closed } = await serveStdio(server);
  void engine.get();
  return { stop: cleanup, closed };
}
