/** Contract of the cost ledger (src/engine/ledger). No MCP types here. */

export interface Price {
  model: string;
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  /** Other ids that name the same model (dated snapshots). */
  aliases?: string[];
  notes?: string;
}

export interface PriceTable {
  /** ISO date the prices were checked. */
  asOf: string;
  /** The cloud model the host would otherwise use (savings are counted against this one). */
  hostModel: string;
  prices: Price[];
  /** Where the prices come from (a sentence). */
  source?: string;
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
  /** How the overhead tokens were counted (e.g. "estimate:chars/4"); shown in the report. */
  overheadTokenMethod?: string;
  strategy?: string;
  route?: string;
  agentId?: string;
  decisionId?: string;
  ok: boolean;
  error?: string;
  /** How the material reached the local model: written into the call by the host ('value') or read by the server from files ('reference'). */
  inputMode?: 'value' | 'reference';
  /** Reference calls: tokens of the material the host did not have to read (estimated from the file text, chars/4). */
  avoidedHostInputTokens?: number;
}

export type Period = 'hour' | 'day' | 'week' | 'month' | 'all';
export type GroupBy = 'model' | 'route' | 'strategy' | 'agent' | 'day' | 'node' | 'none';

/** A price entry as a user writes it in config: cache prices default to 1.25x / 0.1x input. */
export interface PriceInput {
  model: string;
  input: number;
  output: number;
  cacheWrite?: number;
  cacheRead?: number;
  aliases?: string[];
  notes?: string;
}

/** What a user may override in config: entries in `prices` replace (by model id) or add models. */
export interface PriceOverrides {
  asOf?: string;
  hostModel?: string;
  source?: string;
  prices?: PriceInput[];
}

export interface LocalCostOptions {
  /** USD per hour of local compute (e.g. amortised hardware or a rented GPU box), charged per ms of latency. */
  usdPerHour?: number;
  /** Average power draw while generating, in watts (used with usdPerKwh). */
  watts?: number;
  /** Electricity price in USD per kWh. */
  usdPerKwh?: number;
}

export interface ReportQuery {
  period?: Period;
  /** ISO 8601 date or date-time, inclusive. */
  from?: string;
  /** ISO 8601 date or date-time, exclusive. */
  to?: string;
  groupBy?: GroupBy;
  /** The cloud model the offloaded work replaced; defaults to the price table's hostModel. */
  hostModel?: string;
}

export interface CostReportRow {
  group: string;
  calls: number;
  okCalls: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  overheadTokensIn: number;
  overheadTokensOut: number;
  localMs: number;
  grossUsd: number;
  overheadUsd: number;
  localCostUsd: number;
  netUsd: number;
  /** Tokens of material the host did not read (successful by-reference calls); already inside gross, shown apart. */
  avoidedHostInputTokens: number;
  avoidedHostInputUsd: number;
}

export interface CostReport {
  currency: 'USD';
  /** The named period, or 'range' when from/to were given. */
  period: Period | 'range';
  /** Window start (inclusive), null for 'all'. */
  from: string | null;
  /** Window end: exclusive for a from/to range; for a named period, the moment of the report (included). */
  to: string;
  groupBy: GroupBy;
  hostModel: string;
  hostPrice: Price;
  pricesAsOf: string;
  pricesSource: string | null;
  /** One paragraph saying exactly how the figures were computed. */
  method: string;
  /** How the token counts were obtained: method name -> completions counted with it. */
  tokenCountMethods: Record<string, number>;
  /** How the overhead tokens were counted: method -> completions with overhead counted that way. */
  overheadTokenMethods: Record<string, number>;
  localCost: { usdPerHour: number; watts: number; usdPerKwh: number; effectiveUsdPerHour: number };
  totals: CostReportRow;
  rows: CostReportRow[];
  /** Routing decisions in the window; byReason counts reason codes (a decision may carry several). */
  decisions: { total: number; byRoute: Record<string, number>; forced: number; sensitive: number; byReason: Record<string, number> };
  /** The same window's totals by how the input came: 'value', 'reference', and '(not given)' for calls recorded without a mode. */
  byInputMode: Record<string, CostReportRow>;
}

export interface BackendStat {
  backend: string;
  model: string;
  calls: number;
  errors: number;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
  ttftP50: number | null;
  tokensPerSecondP50: number | null;
}

export interface DecisionStats {
  total: number;
  forced: number;
  byRoute: Record<string, number>;
  byStrategy: Record<string, number>;
  byComplexity: Record<string, number>;
  /** Decisions by reason code (REASON_CODES in router/reasons.ts; a decision may carry several), most frequent first. */
  byReason: { code: string; count: number }[];
  privacyCatches: { total: number; byCategory: Record<string, number> };
  decisionLatencyP50Ms: number | null;
}

export interface TimeseriesPoint {
  t: string;
  calls: number;
  grossUsd: number;
  overheadUsd: number;
  localCostUsd: number;
  netUsd: number;
  cumulativeGrossUsd: number;
  cumulativeNetUsd: number;
}

export interface Timeseries {
  bucket: 'hour' | 'day';
  hostModel: string;
  points: TimeseriesPoint[];
  /** Decisions per bucket and route. */
  routes: { t: string; counts: Record<string, number> }[];
}

export interface LatencyHistogram {
  /** Bin edges in ms: bin i holds edges[i] <= latency < edges[i+1]; the last bin is open-ended. */
  edges: number[];
  backends: { backend: string; counts: number[] }[];
}

export interface HtmlReportData {
  title: string;
  generatedAt: string;
  report: CostReport;
  timeseries: Timeseries;
  routeMix: Record<string, number>;
  latency: LatencyHistogram;
  backendStats: BackendStat[];
  /** Routing decisions in the window (reasons, complexity, privacy catches); optional. */
  decisions?: DecisionStats;
}
