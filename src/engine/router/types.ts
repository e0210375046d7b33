import type { ReasonCode } from './reasons.js';
/** Contract of the routing module (src/engine/router). No MCP types here. */

export type Strategy = 'cost_optimized' | 'latency_optimized' | 'quality_optimized' | 'balanced' | 'privacy_first';
export const STRATEGIES: Strategy[] = ['cost_optimized', 'latency_optimized', 'quality_optimized', 'balanced', 'privacy_first'];

export type { PrivacyFinding, PrivacyScan } from '../privacy/types.js';
import type { PrivacyFinding } from '../privacy/types.js';

export type ComplexityLevel = 'low' | 'medium' | 'high';

export interface ComplexityAssessment {
  score: number;
  level: ComplexityLevel;
  taskType: string;
  features: Record<string, number>;
  reasons: string[];
}

export interface RouteConstraints {
  maxCostUsd?: number;
  maxLatencyMs?: number;
  minQuality?: number;
}

export interface RouteInput {
  task: string;
  messages?: { role: string; content: string }[];
  contextTokens?: number;
  strategy?: Strategy;
  constraints?: RouteConstraints;
  /** Caller's explicit override; recorded with the decision. */
  force?: 'local' | 'cloud';
  agentId?: string;
  /**
   * Material read by reference (file contents): scanned for privacy (or `findings` given, when
   * the caller scanned it already) and sized like context, never echoed back (findings carry
   * `source: file:<path>`, no redacted copy).
   */
  files?: { source: string; text?: string; tokens?: number; findings?: PrivacyFinding[] }[];
  /** Tokens of files the local side can still read by map-reduce when they exceed its context. */
  mapReduceTokens?: number;
}

export type Route = 'local' | 'cloud' | 'local_required';

export interface RouteDecision {
  decisionId: string;
  route: Route;
  strategy: Strategy;
  complexity: { level: ComplexityLevel; score: number; taskType: string };
  privacy: { sensitive: boolean; findings: PrivacyFinding[] };
  /** The task with each finding replaced by `[REDACTED:<category>]`; absent when nothing in the task needed redacting (the task is safe to send as it is, and is not echoed back). */
  redactedTask?: string;
  /** The messages that had findings, redacted the same way (index into `messages`); absent when none had any. */
  redactedMessages?: { index: number; content: string }[];
  localModel: string | null;
  estimate: {
    inputTokens: number;
    outputTokens: number;
    localUsd: number;
    cloudUsd: number;
    savingUsd: number;
    cloudModel: string;
  };
  confidence: number;
  /** Why, in words (carries scores and latencies). */
  reasons: string[];
  /** Why, as codes (one per reason, same order; the set is REASON_CODES in reasons.ts): what stats and reports group by. */
  reasonCodes: ReasonCode[];
  forced: boolean;
  learned?: { samples: number; localSuccessRate: number | null };
  /** What the router assumed the local model can do, and why (absent when no local model is available). */
  capability?: { tier: 'small' | 'medium' | 'large'; paramsB: number | null; source: string; reason: string };
}

export interface OutcomeReport {
  decisionId: string;
  success: boolean;
  quality?: number;
  notes?: string;
  /**
   * What a failure was: 'quality' (the default: an answer came but was not good enough, which the learner uses)
   * or 'unavailable' (the route could not be used: the call errored, timed out or was refused). Only a cloud
   * route reported 'unavailable' counts against the cloud's circuit breaker.
   */
  failure?: 'quality' | 'unavailable';
}

/** Backend health types live with the models (models/health.ts); re-exported here for existing importers. */
export type { BreakerState, BackendHealth } from '../models/health.js';

/** What the router needs to know about the local side, supplied by the engine. */
export interface LocalSide {
  available: boolean;
  modelId: string | null;
  /** Measured median latency of local completions, if any. */
  latencyP50Ms: number | null;
  /** The backend serving the local model; when given, its circuit breaker in Router.health is consulted too. */
  backend?: string;
  /** The local model's context window in tokens, when known; bigger tasks cannot run locally. */
  contextTokens?: number;
  /** What the model says about itself (size label, file size, quantisation), read for its capability. */
  model?: { id: string; name: string; parameters?: string; sizeBytes?: number; quantization?: string };
}

/** What the router needs to estimate money, supplied by the ledger's price table. */
export interface CostEstimator {
  (inputTokens: number, outputTokens: number): { localUsd: number; cloudUsd: number; cloudModel: string };
}
