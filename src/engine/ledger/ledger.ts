/**
 * The cost ledger: every local completion in the store (the ledger repository), and reports over it and over the one
 * decision record (router_decisions), priced at report time against the host's cloud model. No prompt or completion
 * text is stored.
 *
 * One concern per file, layered: core.ts (options, windows, sums) < recording.ts (writes, listeners, rollup, the
 * in-memory snapshot of snapshot.ts)
 * < stats.ts (backend and decision stats, estimates) < reports.ts (cost report, CSV, timeseries, HTML data).
 */
import { LedgerReports } from './reports.js';

export { migrations } from '../store/sqlite/migrations-ledger.js';
export {
  PERIODS,
  GROUP_BYS,
  PERIOD_MS,
  DEFAULT_LATENCY_EDGES_MS,
  DEFAULT_LEDGER_RETENTION_DAYS,
  LIVE_STATS_SAMPLE,
  percentile,
  type DecisionEntry,
  type LedgerOptions,
  type DelegationTask,
  type DelegationEstimate,
  type Estimate,
  type RollupResult,
} from './core.js';

/**
 * The cost ledger: every local completion and routing decision in the store, priced at report time
 * against the host's cloud model. No prompt or completion text is stored.
 */
export class Ledger extends LedgerReports {}
