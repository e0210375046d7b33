/**
 * A stored routing decision for tests and benchmarks (development only; not in the package): a low-complexity local
 * route, fields overridable.
 */
import type { DecisionRecord } from '../engine/store/decisions-repo.js';

export const decisionRecord = (id: string, over: Partial<DecisionRecord> = {}): DecisionRecord => ({
  id,
  createdAt: 1000,
  route: 'local',
  strategy: 'balanced',
  level: 'low',
  score: 0.2,
  taskType: 'qa',
  sensitive: false,
  categories: [],
  reasonCodes: ['complexity_low'],
  reasons: ['complexity 0.20 (low, qa) < 0.45 for balanced'],
  forced: false,
  localModel: 'm',
  inputTokens: 10,
  outputTokens: 20,
  localUsd: 0,
  cloudUsd: 0.01,
  savingUsd: 0.01,
  confidence: 0.8,
  agentId: null,
  features: new Float32Array([0.5, -1, 2]),
  latencyMs: 0.3,
  ...over,
});
