/** Routing module: privacy scan + redaction, complexity, strategies, health, learning from outcomes. */
export {
  Router,
  migrations,
  MAX_TASK_CHARS,
  type RouterOptions,
  type RouterStats,
  type OutcomeResult,
  type PreparedOutcome,
} from './router.js';
export { scanPrivacy, SECRETLINT_RULES } from '../privacy/privacy.js';
export { assessComplexity, estimateTokens, CLOUD_THRESHOLD, type ComplexityOptions } from './complexity.js';
export { HealthRegistry, type HealthOptions, type BackendHealthDetail } from '../models/health.js';
export { defaultFeaturize, DEFAULT_FEATURE_DIM, type Evidence, type Learner, type LearnerOptions } from './learner.js';
export { KnnLearner } from './knn-learner.js';
export * from './types.js';
export { REASON_CODES, reasonCodeOf, isReasonCode, type ReasonCode } from './reasons.js';
