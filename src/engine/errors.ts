/**
 * Errors with a kind, decided where they arise (never by matching messages):
 * - CallerError: the caller's input is wrong (too long for the context, an invalid or recursive
 *   schema, a bad argument, a path outside the allowed roots). Fix the input; never a backend fault.
 * - BackendError: the model or server failed (load failure, crash, I/O, timeout, HTTP 5xx,
 *   refused connection). Only these feed a backend's circuit breaker.
 * - RetryableError: a transient condition a retry fixes (busy queue, locked database, open
 *   breaker, store unreachable); carries how long to wait.
 * Tools turn all of them into an isError result whose text says what to do; `kind` and
 * `retryAfterMs` let callers decide without parsing text.
 */
export type ErrorKind = 'caller' | 'backend' | 'retryable';

export class CallerError extends Error {
  override name = 'CallerError';
  readonly kind: ErrorKind = 'caller';
}

export class BackendError extends Error {
  override name = 'BackendError';
  readonly kind: ErrorKind = 'backend';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class RetryableError extends Error {
  override name = 'RetryableError';
  readonly kind: ErrorKind = 'retryable';
  constructor(
    message: string,
    /** How long to wait before retrying, in ms. */
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The kind of an error, or undefined for an error that carries none (an unexpected fault). */
export function errorKind(e: unknown): ErrorKind | undefined {
  const k = (e as { kind?: unknown } | null)?.kind;
  return k === 'caller' || k === 'backend' || k === 'retryable' ? k : undefined;
}

/** Only backend faults count against a backend's health. */
export function isBackendFault(e: unknown): boolean {
  return errorKind(e) === 'backend';
}

/** A prompt that does not fit the model's context: the caller shortens it (TRM ends its refinement instead). */
export class ContextOverflowError extends CallerError {
  override name = 'ContextOverflowError';
}
