/**
 * The open-time privacy rescan: rows stored before redaction existed, or checked with an older scanner
 * version, are redacted in place before the bank serves.
 */
import { logger } from '../log.js';
import type { BankState } from './bank-state.js';
import { advanceTo, noteChange } from './index-sync.js';
import { approachKey, normTags } from './pattern-input.js';
import { PRIVACY_SCAN_VERSION, mergeCategories, parseCategories, redactPatternText } from './redact.js';
import type { RedactionChange } from '../store/patterns-repo.js';

const log = logger('patterns');

/** Rows a privacy rescan reads (and writes, when any changed) in one transaction. */
const RESCAN_BATCH = 1000;

/**
 * Redacts in place the rows stored before redaction existed, or checked with an older scanner version
 * (pattern_meta privacy_scan: {version, after, done}), in batches of RESCAN_BATCH rows, each batch one
 * write transaction that also records how far the pass got (an interrupted pass resumes there). Text and
 * categories are updated (the FTS triggers follow); a row whose task changed gets the vector of its
 * redacted task (vectors of other embedders are dropped: a running switch re-embeds from the new text).
 * A row changed meanwhile by another process is read again. Afterwards the full-text index is optimised and
 * the WAL checkpointed, with secure_delete on, so the old text leaves the database files too.
 */
export async function rescanPrivacy(s: BankState): Promise<void> {
  const started = Date.now();
  const repo = s.repo;
  let state: { version?: number; after?: number; done?: boolean } = {};
  try {
    state = JSON.parse((await repo.getMeta('privacy_scan')) ?? '{}') as typeof state;
  } catch {
    /* unreadable: rescan from the start */
  }
  if (state.version === PRIVACY_SCAN_VERSION && state.done) return;
  let after = state.version === PRIVACY_SCAN_VERSION && Number.isInteger(state.after) ? state.after! : 0;
  const embedder = s.embedder && s.embedder.id === s.activeId ? s.embedder : null;
  let scanned = 0;
  let redacted = 0;
  let retries = 0;
  await repo.withSecureDelete(async () => {
    for (;;) {
      const rows = await repo.scanPage(after, RESCAN_BATCH);
      if (!rows.length) break;
      scanned += rows.length;
      const changed: (RedactionChange & { old: (typeof rows)[number] })[] = [];
      for (const r of rows) {
        const red = redactPatternText({ task: r.task, approach: r.approach, outcome: r.outcome, tags: JSON.parse(r.tags) as string[] });
        if (!red.changed) continue;
        const v = red.value;
        changed.push({
          seq: r.seq,
          old: r,
          task: v.task,
          approach: v.approach,
          key: approachKey(v.approach),
          outcome: v.outcome ?? null,
          tags: JSON.stringify(normTags(v.tags)),
          cats: JSON.stringify(mergeCategories(parseCategories(r.privacy_categories), red.categories)),
          vec: null,
        });
      }
      const reembed = changed.filter((c) => c.task !== c.old.task);
      if (embedder && reembed.length) {
        try {
          const vecs = await embedder.embed(reembed.map((c) => c.task));
          reembed.forEach((c, i) => (c.vec = vecs[i]?.length === s.activeDim ? vecs[i] : null));
        } catch (e) {
          log.warn('re-embedding redacted patterns failed; they are found by words until re-embedded', {
            patterns: reembed.length,
            error: (e as Error).message,
          });
        }
      }
      s.ensureOpen();
      const res = await repo.applyRedactions(changed, s.activeId, (stale) => {
        let retryFrom = stale.length ? Math.min(...stale) : Infinity;
        if (retryFrom !== Infinity && ++retries > 100) {
          log.warn('patterns keep changing during the privacy rescan; the next open checks them again', { seq: retryFrom });
          retryFrom = Infinity;
        }
        after = retryFrom !== Infinity ? retryFrom - 1 : rows[rows.length - 1].seq;
        return ['privacy_scan', JSON.stringify({ version: PRIVACY_SCAN_VERSION, after, done: false })];
      });
      redacted += res.applied;
      const applyLogged = () => {
        for (const x of res.logged) {
          if (x.vec) s.index.upsert(x.seq, x.vec);
          else s.index.remove(x.seq);
          noteChange(s);
        }
      };
      if (res.logged.length) await advanceTo(s, res.logged[0].lsn, res.logged[res.logged.length - 1].lsn, applyLogged);
      await new Promise((r) => setImmediate(r));
    }
    await repo.setMeta('privacy_scan', JSON.stringify({ version: PRIVACY_SCAN_VERSION, after, done: true }));
    if (redacted) await repo.purgeDeletedText();
  });
  if (redacted) {
    try {
      await repo.checkpoint();
    } catch (e) {
      log.warn('checkpoint after the privacy rescan failed', { error: (e as Error).message });
    }
  }
  s.privacyScan = { version: PRIVACY_SCAN_VERSION, scanned, redacted, ms: Date.now() - started };
  if (scanned) log.notice('patterns rescanned for secrets and personal data', { scanned, redacted, ms: s.privacyScan.ms });
}
