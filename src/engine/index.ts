/**
 * ruvllm-mcp's engine as a library (no MCP types): `new Engine({ dataDir })`, then
 * `engine.start()`, `engine.route(...)`, `engine.complete(...)`, `engine.storePattern(...)`,
 * `engine.findPatterns(...)`, `engine.costReport(...)`, `engine.swap(...)`, `engine.close()`;
 * files by reference: `engine.offload(req, { files })`, `engine.routeFiles(input, { files })`;
 * reports and state: `costReportCsv`, `htmlReport`, `stats`, `listModels`, `modelStatus`,
 * `backendHealth`, `listPatterns`, `exportPatterns`, `importPatterns`. The engine's parts are
 * not part of this API (internalsForTests() is for the project's own tests and benches).
 */
export { Engine, BreakerOpenError, OVERHEAD_TOKEN_METHOD } from './engine.js';
export type { EngineOptions, CallMeta, EngineStats, EngineEvent, InputOptions, CostReportQuery } from './engine.js';
export { allowedRoots, readInputs, isPathWithin, splitByTokens, guardResult } from './inputs/index.js';
export type {
  AllowedRoots,
  InputSet,
  InputFile,
  InputLimits,
  InputSummary,
  GuardReport,
  GuardFinding,
  RedactOutput,
} from './inputs/index.js';
export { ENGINE_DEFAULTS } from './defaults.js';
export { CallerError, BackendError, RetryableError, ContextOverflowError, errorKind, isBackendFault, type ErrorKind } from './errors.js';
export { scanPrivacy, assessComplexity } from './router/index.js';
export type * from './models/types.js';
export type * from './router/types.js';
export type * from './patterns/types.js';
export type { CostReport, CostReportRow, PriceTable, Price, Period, GroupBy } from './ledger/index.js';
