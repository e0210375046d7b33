/**
 * Structured logging to stderr only: stdout belongs to JSON-RPC.
 * Each line is one JSON object. Sinks (for example the MCP logging capability)
 * can subscribe to receive the same records.
 */
export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, notice: 30, warning: 40, error: 50 };

export interface LogRecord {
  level: LogLevel;
  msg: string;
  module: string;
  time: string;
  [key: string]: unknown;
}

type Sink = (rec: LogRecord) => void;

const state: { level: LogLevel; sinks: Set<Sink>; write: (line: string) => void } = {
  level: (process.env.RUVLLM_MCP_LOG_LEVEL as LogLevel) in ORDER ? (process.env.RUVLLM_MCP_LOG_LEVEL as LogLevel) : 'info',
  sinks: new Set(),
  write: (line) => {
    process.stderr.write(line + '\n');
  },
};

export function setLogLevel(level: LogLevel): void {
  if (!(level in ORDER)) throw new Error(`unknown log level "${level}"; use one of ${Object.keys(ORDER).join(', ')}`);
  state.level = level;
}
export function getLogLevel(): LogLevel {
  return state.level;
}
export function isLogLevel(x: unknown): x is LogLevel {
  return typeof x === 'string' && x in ORDER;
}
export function addLogSink(sink: Sink): () => void {
  state.sinks.add(sink);
  return () => state.sinks.delete(sink);
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  notice(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function emit(module: string, level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  const rec: LogRecord = { time: new Date().toISOString(), level, module, msg, ...(fields ?? {}) };
  if (ORDER[level] >= ORDER[state.level]) {
    try {
      state.write(JSON.stringify(rec));
    } catch {
      /* stderr closed: nothing else we can do */
    }
  }
  for (const s of state.sinks) {
    try {
      s(rec);
    } catch {
      /* a failing sink must never break the caller */
    }
  }
}

export function logger(module: string): Logger {
  return {
    debug: (m, f) => emit(module, 'debug', m, f),
    info: (m, f) => emit(module, 'info', m, f),
    notice: (m, f) => emit(module, 'notice', m, f),
    warn: (m, f) => emit(module, 'warning', m, f),
    error: (m, f) => emit(module, 'error', m, f),
  };
}
