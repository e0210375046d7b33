/**
 * The routing policy: given what the scan, the assessment, the health registry and the learner found, which route
 * and why. A pure function (no database, no clock): every branch writes a reason text and its code (reasons.ts).
 */
import { logger } from '../log.js';
import type { Capability } from './capability.js';
import type { Evidence } from './learner.js';
import type { ReasonCode } from './reasons.js';
import type { ComplexityAssessment, Route, RouteConstraints, Strategy } from './types.js';

const log = logger('router');

/** Complexity score at and above which each strategy prefers the cloud. */
const CLOUD_AT: Record<Exclude<Strategy, 'latency_optimized' | 'privacy_first'>, number> = {
  cost_optimized: 0.7,
  balanced: 0.45,
  quality_optimized: 0.3,
};
/** Above this, a small local model is unlikely to do the task well whatever the strategy wants. */
const LOCAL_QUALITY_LIMIT = 0.7;
/** Prior quality of the cloud model when no outcomes say otherwise. */
const CLOUD_QUALITY_PRIOR = 0.95;

type LocalRoute = Exclude<Route, 'cloud'>;

export interface PolicyInput {
  strategy: Strategy;
  force?: 'local' | 'cloud';
  constraints?: RouteConstraints;
  sensitive: boolean;
  categories: string[];
  complexity: Pick<ComplexityAssessment, 'score' | 'level' | 'taskType'>;
  inputTokens: number;
  outputTokens: number;
  cost: { localUsd: number; cloudUsd: number };
  /** The local side: whether a model is available, its backend's breaker, whether the task fits its context. */
  local: { available: boolean; backend?: string; contextTokens?: number; backendUp: boolean; fits: boolean };
  cloudUp: boolean;
  /** A backend's breaker state in words (open, half_open, closed), for the reasons. */
  health: { state(backend: string): string };
  cap: Capability | null;
  localEv: Evidence;
  cloudEv: Evidence;
  localLatency: number;
  cloudLatency: number;
}

export interface PolicyResult {
  route: Route;
  forced: boolean;
  confidence: number;
  reasons: string[];
  codes: ReasonCode[];
}

export function choosePolicy(p: PolicyInput): PolicyResult {
  const {
    strategy,
    sensitive,
    categories,
    complexity,
    inputTokens,
    outputTokens,
    cost,
    local,
    cloudUp,
    health,
    cap,
    localEv,
    cloudEv,
    localLatency,
    cloudLatency,
  } = p;
  const input = { force: p.force, constraints: p.constraints };
  const localBackendUp = local.backendUp;
  const localFits = local.fits;
  const localOk = local.available && localBackendUp && localFits;
  const shift = cap?.thresholdShift ?? 0;
  const onModel = cap ? ` on a ${cap.tier} local model` : '';
  const reasons: string[] = [];
  const codes: ReasonCode[] = [];
  const why = (code: ReasonCode, text: string) => {
    codes.push(code);
    reasons.push(text);
  };
  const catList = categories.join(', ');
  let route: Route;
  let forced = false;
  let confidence: number;

  const localOrRequired = (): LocalRoute => (localOk ? 'local' : 'local_required');
  const localDownReason = () =>
    !local.available
      ? 'no local model is available'
      : !localBackendUp
        ? `local backend "${local.backend}" circuit breaker is ${health.state(local.backend!)}`
        : `task needs ~${inputTokens + outputTokens} tokens, more than the local context of ${local.contextTokens}`;

  if (input.force === 'cloud') {
    forced = true;
    route = 'cloud';
    confidence = 1;
    if (sensitive) {
      why(
        'forced_cloud_sensitive',
        `WARNING: forced to cloud by the caller although the task contains ${catList}; send redactedTask, not the original`,
      );
      log.warn('caller forced sensitive task to cloud', { categories });
    } else why('forced', 'forced to cloud by the caller');
    if (!cloudUp) why('cloud_breaker_open', `cloud circuit breaker is ${health.state('cloud')}`);
  } else if (input.force === 'local') {
    forced = true;
    route = localOrRequired();
    confidence = 1;
    why('forced', 'forced to local by the caller');
    if (route === 'local_required') why('local_unavailable', `${localDownReason()}; the caller required local`);
  } else if (sensitive) {
    route = localOrRequired();
    confidence = 0.99;
    why('sensitive', `contains ${catList}: kept local under every strategy`);
    if (route === 'local_required')
      why('local_unavailable', `${localDownReason()}; the task must stay local, so it waits for a healthy local model`);
  } else if (strategy === 'privacy_first') {
    if (localOk) {
      route = 'local';
      confidence = 0.9;
      why('privacy_first', 'privacy_first strategy keeps work local while a local model is healthy');
    } else {
      route = 'cloud';
      confidence = 0.7;
      why('local_unavailable', `${localDownReason()}; no sensitive data found, so the cloud is allowed`);
    }
  } else if (!localOk) {
    route = 'cloud';
    confidence = 0.85;
    why(localFits ? 'local_unavailable' : 'context_too_large', localDownReason());
  } else {
    // Learned adjustment: blend the rule's score with the observed local failure rate of similar tasks,
    // trusting the evidence more as it accumulates (w = n / (n + 2), at most 0.9). Similar tasks that failed
    // locally push toward the cloud, successes toward local; each strategy's threshold then reads as
    // "escalate when local is likely to fail" (balanced: > 45%, cost_optimized: > 70%).
    let adjusted = complexity.score;
    let learnedShift = 0;
    if (localEv.successRate !== null && localEv.samples >= 1) {
      const w = Math.min(0.9, localEv.samples / (localEv.samples + 2));
      adjusted = Math.max(0, Math.min(1, (1 - w) * complexity.score + w * (1 - localEv.successRate)));
      learnedShift = adjusted - complexity.score;
    }
    const expectedLocalQuality =
      localEv.successRate !== null && localEv.samples >= 2
        ? localEv.successRate
        : Math.max(0.05, Math.min(0.95, 0.95 - 0.9 * (complexity.score - shift)));
    const expectedCloudQuality = cloudEv.successRate !== null && cloudEv.samples >= 2 ? cloudEv.successRate : CLOUD_QUALITY_PRIOR;
    const learnedNote =
      localEv.successRate !== null
        ? ` (${localEv.samples} similar local outcome(s), success ${(localEv.successRate * 100).toFixed(0)}%)`
        : '';
    if (strategy === 'latency_optimized') {
      const limit = LOCAL_QUALITY_LIMIT + shift;
      if (adjusted >= limit) {
        route = 'cloud';
        why(
          learnedShift > 0 && complexity.score < limit ? 'learned_escalation' : 'complexity_high',
          `complexity ${adjusted.toFixed(2)} is beyond what the${cap ? ' ' + cap.tier : ''} local model does well${learnedNote}`,
        );
      } else if (localLatency <= cloudLatency) {
        route = 'local';
        why('latency_local_faster', `local ~${Math.round(localLatency)} ms vs cloud ~${Math.round(cloudLatency)} ms`);
      } else {
        route = 'cloud';
        why('latency_cloud_faster', `cloud ~${Math.round(cloudLatency)} ms vs local ~${Math.round(localLatency)} ms`);
      }
      confidence = 0.6 + Math.min(0.35, Math.abs(localLatency - cloudLatency) / Math.max(localLatency, cloudLatency, 1));
    } else {
      const base = CLOUD_AT[strategy];
      const at = Math.round(Math.max(0.15, Math.min(0.9, base + shift)) * 1000) / 1000;
      if (adjusted >= at) {
        route = 'cloud';
        if (complexity.score < at) why('learned_escalation', `similar tasks did poorly locally${learnedNote}: escalated`);
        else
          why(
            'complexity_high',
            `complexity ${complexity.score.toFixed(2)} (${complexity.level}, ${complexity.taskType}) ≥ ${at} for ${strategy}${onModel}`,
          );
        if (complexity.score >= at && complexity.score < base)
          why('capability_small', `a ${cap!.tier} local model (${cap!.reason}) keeps only simpler work`);
      } else {
        route = 'local';
        if (complexity.score >= at) why('learned_keep_local', `similar tasks went well locally${learnedNote}: kept local`);
        else
          why(
            'complexity_low',
            `complexity ${complexity.score.toFixed(2)} (${complexity.level}, ${complexity.taskType}) < ${at} for ${strategy}${onModel}`,
          );
        if (complexity.score < at && complexity.score >= base)
          why('capability_large', `a ${cap!.tier} local model (${cap!.reason}) keeps this work`);
      }
      confidence = 0.55 + Math.min(0.4, Math.abs(adjusted - at) * 1.2);
    }

    // constraints
    const c = input.constraints ?? {};
    if (c.maxCostUsd !== undefined && route === 'cloud' && cost.cloudUsd > c.maxCostUsd) {
      route = 'local';
      why('constraint_cost', `cloud estimate $${cost.cloudUsd.toFixed(5)} exceeds maxCostUsd $${c.maxCostUsd}`);
    }
    if (c.minQuality !== undefined && route === 'local' && expectedLocalQuality < c.minQuality) {
      if (c.maxCostUsd !== undefined && cost.cloudUsd > c.maxCostUsd) {
        why(
          'constraints_conflict',
          `expected local quality ${expectedLocalQuality.toFixed(2)} < minQuality ${c.minQuality}, but the cloud exceeds maxCostUsd: stayed local`,
        );
      } else if (expectedCloudQuality >= c.minQuality || expectedCloudQuality > expectedLocalQuality) {
        route = 'cloud';
        why(
          'constraint_quality',
          `expected local quality ${expectedLocalQuality.toFixed(2)} < minQuality ${c.minQuality} (cloud ~${expectedCloudQuality.toFixed(2)})`,
        );
      }
    }
    if (c.minQuality !== undefined && route === 'cloud' && expectedCloudQuality < c.minQuality) {
      why(
        'constraint_quality_unmet',
        `no route is expected to reach minQuality ${c.minQuality} (cloud ~${expectedCloudQuality.toFixed(2)})`,
      );
    }
    if (c.maxLatencyMs !== undefined) {
      const mine = route === 'cloud' ? cloudLatency : localLatency;
      const other = route === 'cloud' ? localLatency : cloudLatency;
      if (mine > c.maxLatencyMs) {
        const costBlocks = route === 'local' && c.maxCostUsd !== undefined && cost.cloudUsd > c.maxCostUsd;
        if (other <= c.maxLatencyMs && !costBlocks) {
          route = route === 'cloud' ? 'local' : 'cloud';
          why(
            'constraint_latency',
            `estimated ${Math.round(mine)} ms exceeds maxLatencyMs ${c.maxLatencyMs}; the other route takes ~${Math.round(other)} ms`,
          );
        } else {
          why(
            'constraint_latency_unmet',
            `no route is expected within maxLatencyMs ${c.maxLatencyMs} (local ~${Math.round(localLatency)} ms, cloud ~${Math.round(cloudLatency)} ms)`,
          );
        }
      }
    }
    if (route === 'cloud' && !cloudUp) {
      route = 'local';
      why('cloud_unavailable', `cloud circuit breaker is ${health.state('cloud')}: ran locally instead`);
      confidence = Math.min(confidence, 0.6);
    }
    if (localEv.samples > 0) confidence = Math.min(0.99, confidence + Math.min(0.05, localEv.samples * 0.01));
  }

  if (route === 'cloud' && !cloudUp && !codes.includes('cloud_breaker_open'))
    why('cloud_breaker_open', `cloud circuit breaker is ${health.state('cloud')} and no local route is possible: the cloud call may fail`);
  return { route, forced, confidence, reasons, codes };
}
