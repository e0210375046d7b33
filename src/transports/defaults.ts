/**
 * Defaults of the HTTP transport's options: the one place they are written. The CLI's
 * configuration schema (src/config.ts) and startHttpServer (used as a library) both read them.
 */
export const HTTP_DEFAULTS = {
  host: '127.0.0.1',
  port: 3333,
  /** Largest request body. */
  maxBodyBytes: 4 * 1024 * 1024,
  /** Sessions open at once (Streamable HTTP + SSE). */
  maxSessions: 100,
  /** A session idle this long is closed. */
  sessionIdleMs: 30 * 60_000,
} as const;
