import type { CompletionRow } from '../../src/engine/store/ledger-repo.js';

/** A stored routing decision for repository tests (src/devtools/decision-record.ts, shared with the benchmarks). */
export { decisionRecord } from '../../src/devtools/decision-record.js';

/** The repository tests' first day (UTC midnight), the default time of completionRow. */
export const LEDGER_T0 = Date.parse('2026-11-01T00:00:00Z');

/** A stored local completion for repository tests: a successful call on model m (backend gguf), fields overridable. */
export const completionRow = (over: Partial<CompletionRow> = {}): CompletionRow => ({
  ts: LEDGER_T0,
  model: 'm',
  backend: 'gguf',
  promptTokens: 100,
  completionTokens: 50,
  tokenCountMethod: 'tokenizer',
  latencyMs: 1000,
  ttftMs: 20,
  tokensPerSecond: 40,
  overheadIn: 10,
  overheadOut: 5,
  strategy: null,
  route: null,
  agentId: null,
  decisionId: null,
  ok: true,
  error: null,
  overheadTokenMethod: null,
  inputMode: null,
  avoidedIn: 0,
  ...over,
});
