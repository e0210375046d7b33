export * from './types.js';
export { Ledger, migrations, percentile, PERIODS, GROUP_BYS, PERIOD_MS, DEFAULT_LATENCY_EDGES_MS } from './ledger.js';
export type { DecisionEntry, LedgerOptions, Estimate, DelegationTask, DelegationEstimate, RollupResult } from './ledger.js';
export { loadPriceTable, validatePriceTable, findPrice, requirePrice, knownModels, DEFAULT_PRICES_PATH } from './prices.js';
export { renderHtmlReport } from './html.js';
