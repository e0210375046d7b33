/**
 * Reason codes: the machine-readable part of a routing reason, one per code path of the policy (policy.ts). A decision
 * carries one or more codes beside the human text; stats and reports group by code (the text carries scores and
 * latencies, so it differs between decisions of the same kind).
 */
export const REASON_CODES = [
  // the caller forced the route
  'forced',
  'forced_cloud_sensitive',
  // privacy: findings keep the task local; privacy_first keeps clean work local while a local model is healthy
  'sensitive',
  'privacy_first',
  // what is up and what fits
  'local_unavailable',
  'context_too_large',
  'cloud_unavailable',
  'cloud_breaker_open',
  // complexity against the strategy's threshold, shifted by the local model's capability
  'complexity_high',
  'complexity_low',
  'capability_small',
  'capability_large',
  // learned from outcomes of similar tasks
  'learned_escalation',
  'learned_keep_local',
  // latency_optimized
  'latency_local_faster',
  'latency_cloud_faster',
  // constraints
  'constraint_cost',
  'constraint_quality',
  'constraint_quality_unmet',
  'constraint_latency',
  'constraint_latency_unmet',
  'constraints_conflict',
  // a reason recorded before codes were kept whose text matches none of the above (migrated rows only)
  'unclassified',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * The code of a reason text written by the policy (for rows recorded before codes were stored beside the text:
 * the ledger's decisions and its daily rollup). Order matters: the more specific texts are tested first.
 */
const TEXT_CODES: [RegExp, ReasonCode][] = [
  [/^WARNING: forced to cloud by the caller/, 'forced_cloud_sensitive'],
  [/^forced to (cloud|local) by the caller/, 'forced'],
  [/: ran locally instead$/, 'cloud_unavailable'],
  [/^cloud circuit breaker is /, 'cloud_breaker_open'],
  [/^contains .*: kept local under every strategy/, 'sensitive'],
  [/^privacy_first strategy keeps/, 'privacy_first'],
  [/; (the caller required local|the task must stay local|no sensitive data found, so the cloud is allowed)/, 'local_unavailable'],
  [/^task needs ~\d+ tokens, more than the local context/, 'context_too_large'],
  [/^(no local model is available|local backend ".*" circuit breaker is )/, 'local_unavailable'],
  [/^similar tasks did poorly locally/, 'learned_escalation'],
  [/^similar tasks went well locally/, 'learned_keep_local'],
  [/^complexity [\d.]+ \(.*\) ≥ /, 'complexity_high'],
  [/^complexity [\d.]+ \(.*\) < /, 'complexity_low'],
  [/^complexity [\d.]+ is beyond what the/, 'complexity_high'],
  [/^local ~\d+ ms vs cloud ~/, 'latency_local_faster'],
  [/^cloud ~\d+ ms vs local ~/, 'latency_cloud_faster'],
  [/ local model \(.*\) keeps only simpler work$/, 'capability_small'],
  [/ local model \(.*\) keeps this work$/, 'capability_large'],
  [/^cloud estimate \$.* exceeds maxCostUsd/, 'constraint_cost'],
  [/but the cloud exceeds maxCostUsd: stayed local$/, 'constraints_conflict'],
  [/^expected local quality .* < minQuality/, 'constraint_quality'],
  [/^no route is expected to reach minQuality/, 'constraint_quality_unmet'],
  [/^estimated \d+ ms exceeds maxLatencyMs/, 'constraint_latency'],
  [/^no route is expected within maxLatencyMs/, 'constraint_latency_unmet'],
];

export function reasonCodeOf(text: string): ReasonCode {
  for (const [re, code] of TEXT_CODES) if (re.test(text)) return code;
  return 'unclassified';
}

export function isReasonCode(s: unknown): s is ReasonCode {
  return typeof s === 'string' && (REASON_CODES as readonly string[]).includes(s);
}
