/**
 * Exporting the bank as a bundle (bundle.ts is the file format) and importing one: every pattern with its
 * vector when the embedders match; text is checked for secrets on the way out and on the way in.
 */
import { logger } from '../log.js';
import { blobToVec } from '../store/float16.js';
import type { BankState } from './bank-state.js';
import { decodeBundle, encodeBundle, type BundlePattern } from './bundle.js';
import { toPattern, validateInput, type StoredInput } from './pattern-input.js';
import { mergeCategories, redactPatternText } from './redact.js';
import type { PatternInput } from './types.js';
import type { UsageCounter } from './usage.js';
import type { WriteQueue } from './write-queue.js';

const log = logger('patterns');

export async function exportBundle(s: BankState, usage: UsageCounter, format: 'msgpack' | 'json'): Promise<Buffer> {
  s.ensureOpen();
  await usage.flush();
  const embedder = s.activeId;
  const dim = s.activeDim;
  const rows = await s.repo.allRows();
  const vecs = format === 'msgpack' ? await s.repo.storedVectors(embedder) : new Map<number, Uint8Array>();
  const patterns: BundlePattern[] = rows.map((r) => {
    const p = toPattern(r);
    // Rows are redacted when stored and when the bank opens; a bundle leaves the machine, so it is checked
    // once more (a row another process wrote with an older scanner): text that changes loses its vector.
    const red = redactPatternText({ task: p.task, approach: p.approach, outcome: p.outcome, tags: p.tags });
    if (red.changed) {
      Object.assign(p, red.value, { privacyCategories: mergeCategories(p.privacyCategories, red.categories) });
      vecs.delete(r.seq);
    }
    return {
      id: p.id,
      task: p.task,
      approach: p.approach,
      outcome: p.outcome,
      quality: p.quality,
      iterations: p.iterations,
      converged: p.converged,
      model: p.model,
      backend: p.backend,
      route: p.route,
      tags: p.tags,
      domain: p.domain,
      agentId: p.agentId,
      count: p.count,
      uses: p.uses,
      successes: p.successes,
      failures: p.failures,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      privacyCategories: p.privacyCategories,
      vector: vecs.has(r.seq) ? new Uint8Array(vecs.get(r.seq)!) : undefined,
    };
  });
  return encodeBundle(format, { embedder, dim, exportedAt: new Date().toISOString(), patterns });
}

export async function importBundle(
  s: BankState,
  queue: WriteQueue,
  buf: Buffer,
): Promise<{ imported: number; merged: number; skipped: number }> {
  s.ensureOpen();
  const b = decodeBundle(buf);
  let imported = 0;
  let merged = 0;
  let skipped = 0;
  const reuse = b.embedder === s.activeId && b.dim === s.activeDim && !!s.embedder;
  const BATCH = 64;
  for (let i = 0; i < b.patterns.length; i += BATCH) {
    const batch: BundlePattern[] = [];
    for (const p of b.patterns.slice(i, i + BATCH)) {
      if (await s.repo.idTaken(p.id)) skipped++;
      else batch.push(p);
    }
    // a bundle's text is scanned like a store's; a vector it carries for text that had to be redacted is not kept
    const red = new Map(batch.map((p) => [p, redactPatternText({ task: p.task, approach: p.approach, outcome: p.outcome, tags: p.tags })]));
    const need = batch.filter(
      (p) =>
        red.get(p)!.changed || !(reuse && p.vector && (p.vector.byteLength === s.activeDim * 2 || p.vector.byteLength === s.activeDim * 4)),
    );
    const emb = need.length ? await s.embedFor(need.map((p) => red.get(p)!.value.task)) : { active: null, target: null };
    s.ensureOpen();
    for (const p of batch) {
      const ni = need.indexOf(p);
      const vec = ni >= 0 ? (emb.active?.[ni] ?? null) : blobToVec(p.vector!, s.activeDim);
      const tv = ni >= 0 ? (emb.target?.[ni] ?? null) : null;
      const input: PatternInput = {
        task: p.task,
        approach: p.approach,
        outcome: p.outcome ?? undefined,
        quality: p.quality,
        iterations: p.iterations,
        converged: p.converged,
        model: p.model ?? undefined,
        backend: p.backend ?? undefined,
        route: p.route ?? undefined,
        tags: p.tags,
        domain: p.domain ?? undefined,
        agentId: p.agentId ?? undefined,
      };
      validateInput(input);
      const r0 = red.get(p)!;
      const stored: StoredInput = {
        ...input,
        task: r0.value.task,
        approach: r0.value.approach,
        outcome: r0.value.outcome ?? undefined,
        tags: r0.value.tags,
        privacyCategories: mergeCategories(p.privacyCategories ?? [], r0.categories),
      };
      const targetVec = tv ?? (s.switching && ni < 0 ? (await s.switching.target.embed([stored.task]))[0] : null);
      const r = await queue.enqueue(stored, vec, targetVec, p);
      if (r.merged) merged++;
      else imported++;
    }
  }
  log.info('bundle imported', { imported, merged, skipped });
  return { imported, merged, skipped };
}
