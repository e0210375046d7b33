/** Contract of the cost ledger (src/engine/ledger). No MCP types here. */

export interface Price {
  model: string;
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export interface PriceTable {
  /** ISO date the prices were checked. */
  asOf: string;
  /** The cloud model the host would otherwise use (savings are counted against this one). */
  hostModel: string;
  prices: Price[];
}

export interface CompletionEntry {
  model: string;
  backend: string;
  promptTokens: number;
  completionTokens: number;
  tokenCountMethod: string;
  latencyMs: number;
  ttftMs: number | null;
  tokensPerSecond: number;
  /** Tokens of the tool call's arguments and result that still pass through the host's cloud model. */
  overheadTokensIn: number;
  overheadTokensOut: number;
  strategy?: string;
  route?: string;
  agentId?: string;
  decisionId?: string;
  ok: boolean;
  error?: string;
}

export type Period = 'hour' | 'day' | 'week' | 'month' | 'all';
export type GroupBy = 'model' | 'route' | 'strategy' | 'agent' | 'day' | 'none';
