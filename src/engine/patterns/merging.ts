/**
 * Near-duplicate merging: a store whose approach matches an existing pattern's and whose task vector is within
 * the merge threshold adds to that pattern (count, averaged quality and iterations, union of tags) instead of
 * becoming a new one. Pure decisions; the repository applies them inside the store's transaction.
 */
import type { DuplicateCandidate, MergeUpdate, NewPatternRow, PatternRow, WritePolicy } from '../store/patterns-repo.js';
import type { BundlePattern } from './bundle.js';
import { approachKey as approachKeyOf, normTags, type StoredInput } from './pattern-input.js';
import { mergeCategories, parseCategories } from './redact.js';

/** Up to this many patterns with one approach, a store's near-duplicate check compares their vectors exactly. */
export const EXACT_DEDUP_LIMIT = 64;

/** What the merge policy needs to know about one store. */
export interface StoreItem {
  input: StoredInput;
  imported: BundlePattern | null;
  /** The outcome reported with the store: counted on the pattern, new or merged. */
  success?: boolean;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return d;
}

/** The store policy: threshold for merging, and the values a merge or a new pattern writes. */
export function writePolicy(mergeThreshold: number, maxBatch: number): WritePolicy<StoreItem> {
  return {
    exactScanLimit: EXACT_DEDUP_LIMIT + maxBatch,
    pickDuplicate(vec: Float32Array, candidates: DuplicateCandidate[]): number | null {
      let best = -1;
      let bestSim = -Infinity;
      for (const c of candidates) {
        const sim = c.vector ? dot(c.vector, vec) : c.sim!;
        if (sim > bestSim) {
          best = c.seq;
          bestSim = sim;
        }
      }
      // stored vectors are half floats: a vector's similarity to its own stored copy is just below 1
      if (best < 0 || bestSim < mergeThreshold - 1e-3) return null;
      return best;
    },
    mergeInto({ input, imported, success }: StoreItem, dup: PatternRow, now: string): MergeUpdate {
      const addCount = imported?.count ?? 1;
      const n = dup.count + addCount;
      return {
        count: n,
        quality: (dup.quality * dup.count + input.quality * addCount) / n,
        iterations: Math.round((dup.iterations * dup.count + (input.iterations ?? 0) * addCount) / n),
        converged: dup.converged === 1 || input.converged ? 1 : 0,
        outcome: input.outcome ?? null,
        model: input.model ?? null,
        backend: input.backend ?? null,
        route: input.route ?? null,
        tags: JSON.stringify(normTags([...(JSON.parse(dup.tags) as string[]), ...normTags(input.tags)])),
        domain: input.domain ?? null,
        agentId: input.agentId ?? null,
        addUses: imported?.uses ?? 0,
        addSuccesses: (imported?.successes ?? 0) + (success === true ? 1 : 0),
        addFailures: (imported?.failures ?? 0) + (success === false ? 1 : 0),
        updatedAt: now,
        privacyCategories: JSON.stringify(mergeCategories(parseCategories(dup.privacy_categories), input.privacyCategories)),
      };
    },
    newRow({ input, imported, success }: StoreItem, id: string, embedder: string, now: string): NewPatternRow {
      const won = success === true ? 1 : 0;
      const lost = success === false ? 1 : 0;
      return {
        id,
        task: input.task,
        approach: input.approach,
        approach_key: approachKeyOf(input.approach),
        outcome: input.outcome ?? null,
        quality: input.quality,
        iterations: input.iterations ?? 0,
        converged: input.converged ? 1 : 0,
        model: input.model ?? null,
        backend: input.backend ?? null,
        route: input.route ?? null,
        tags: JSON.stringify(normTags(input.tags)),
        domain: input.domain ?? null,
        agent_id: input.agentId ?? null,
        decision_id: input.decisionId ?? null,
        count: imported?.count ?? 1,
        uses: imported?.uses ?? 0,
        successes: (imported?.successes ?? 0) + won,
        failures: (imported?.failures ?? 0) + lost,
        embedder,
        created_at: imported?.createdAt ?? now,
        updated_at: now,
        last_used_at: won || lost ? now : null,
        privacy_categories: JSON.stringify(input.privacyCategories),
      };
    },
  };
}
