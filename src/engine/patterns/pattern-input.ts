/**
 * A store's input as the bank accepts and keeps it: validation, normalised tags and approach key, new ids,
 * and the conversion of a stored row into the public Pattern.
 */
import { randomBytes } from 'node:crypto';
import type { PatternRow } from '../store/patterns-repo.js';
import { parseCategories } from './redact.js';
import type { Pattern, PatternInput } from './types.js';

/** A store's input as the bank keeps it: text redacted, with the categories redacted. */
export type StoredInput = PatternInput & { privacyCategories: string[] };

export const MAX_TEXT = 20_000;
const MAX_TAGS = 32;

export function approachKey(approach: string): string {
  return approach.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function newId(): string {
  return 'pat_' + randomBytes(9).toString('base64url');
}

export function validateInput(p: PatternInput): void {
  if (typeof p.task !== 'string' || !p.task.trim()) throw new Error('pattern task must be a non-empty string');
  if (typeof p.approach !== 'string' || !p.approach.trim()) throw new Error('pattern approach must be a non-empty string');
  if (p.task.length > MAX_TEXT || p.approach.length > MAX_TEXT || (p.outcome?.length ?? 0) > MAX_TEXT) {
    throw new Error(`pattern task, approach and outcome must each be at most ${MAX_TEXT} characters`);
  }
  if (typeof p.quality !== 'number' || !(p.quality >= 0 && p.quality <= 1))
    throw new Error(`pattern quality must be a number from 0 to 1, got ${String(p.quality)}`);
  if (p.iterations !== undefined && (!Number.isInteger(p.iterations) || p.iterations < 0))
    throw new Error(`pattern iterations must be a non-negative integer, got ${p.iterations}`);
  if (p.tags && (p.tags.length > MAX_TAGS || p.tags.some((t) => typeof t !== 'string' || t.length > 100))) {
    throw new Error(`pattern tags: at most ${MAX_TAGS} strings of at most 100 characters`);
  }
}

export function normTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))].sort();
}

export function toPattern(r: PatternRow): Pattern {
  const n = r.successes + r.failures;
  return {
    id: r.id,
    task: r.task,
    approach: r.approach,
    outcome: r.outcome,
    quality: r.quality,
    iterations: r.iterations,
    converged: r.converged === 1,
    model: r.model,
    backend: r.backend,
    route: r.route,
    tags: JSON.parse(r.tags) as string[],
    domain: r.domain,
    agentId: r.agent_id,
    count: r.count,
    uses: r.uses,
    successes: r.successes,
    failures: r.failures,
    successRate: n > 0 ? r.successes / n : null,
    embedder: r.embedder,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    privacyCategories: parseCategories(r.privacy_categories),
  };
}
