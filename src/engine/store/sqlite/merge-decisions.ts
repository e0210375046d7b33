/**
 * One decision record (router v5 / ledger v5): the ledger's ledger_decisions held the same decisions as the router's
 * router_decisions under other column names, and the router pruned at 200k rows while the ledger rolled up by day.
 * This moves the ledger's rows into router_decisions (which gains latency_ms, the decision latency the ledger kept)
 * and drops ledger_decisions; the daily reason counts, keyed by free text until now, are re-keyed by reason code.
 *
 * Migrations run in order of module name, so ledger v5 runs before router v5 when both are pending: whichever finds
 * both tables does the move, and it is idempotent (the second finds nothing left to move).
 */
import type { DB } from '../db.js';
import { isReasonCode, reasonCodeOf } from '../../router/reasons.js';

const hasTable = (db: DB, name: string) => Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));

export function mergeLedgerDecisions(db: DB): void {
  if (hasTable(db, 'ledger_decisions_daily')) {
    const re = db.prepare('UPDATE ledger_decisions_daily SET key = ? WHERE rowid = ?');
    for (const r of db.prepare("SELECT rowid AS id, key FROM ledger_decisions_daily WHERE kind = 'reason'").all() as {
      id: number;
      key: string;
    }[])
      if (!isReasonCode(r.key)) re.run(reasonCodeOf(r.key), r.id);
  }
  if (!hasTable(db, 'router_decisions')) return;
  const cols = (db.prepare('PRAGMA table_info(router_decisions)').all() as { name: string }[]).map((c) => c.name);
  if (!cols.includes('latency_ms')) db.exec('ALTER TABLE router_decisions ADD COLUMN latency_ms REAL');
  if (!hasTable(db, 'ledger_decisions')) return;
  // decisions both held: the ledger's latency
  db.exec(`UPDATE router_decisions SET latency_ms = (SELECT l.latency_ms FROM ledger_decisions l WHERE l.decision_id = router_decisions.id)
           WHERE latency_ms IS NULL AND id IN (SELECT decision_id FROM ledger_decisions)`);
  // decisions only the ledger held (the router had pruned them at its row cap): reason codes derived from the texts
  const ins = db.prepare(`INSERT INTO router_decisions
      (id, created_at, route, strategy, level, score, task_type, sensitive, categories, reason_codes, reasons, forced, local_model,
       input_tokens, output_tokens, local_usd, cloud_usd, saving_usd, confidence, agent_id, features, latency_ms)
      VALUES (?, ?, ?, ?, ?, ?, '(not recorded)', ?, ?, ?, ?, ?, NULL, ?, ?, 0, 0, 0, 0, ?, NULL, ?)`);
  type Row = {
    decision_id: string;
    ts: number;
    route: string;
    strategy: string;
    complexity_level: string;
    complexity_score: number;
    sensitive: number;
    privacy_categories: string;
    reasons: string;
    est_input_tokens: number;
    est_output_tokens: number;
    latency_ms: number;
    agent_id: string | null;
    forced: number;
  };
  // in batches (a statement cannot run while another one's iterator is open): each batch inserted is not listed again
  const next = db.prepare(
    'SELECT * FROM ledger_decisions l WHERE NOT EXISTS (SELECT 1 FROM router_decisions d WHERE d.id = l.decision_id) LIMIT 5000',
  );
  for (let batch = next.all() as Row[]; batch.length; batch = next.all() as Row[])
    for (const r of batch) {
      let texts: string[];
      try {
        texts = (JSON.parse(r.reasons) as unknown[]).map(String);
      } catch {
        texts = [];
      }
      const codes = [...new Set(texts.map(reasonCodeOf))];
      ins.run(
        r.decision_id,
        r.ts,
        r.route,
        r.strategy,
        r.complexity_level,
        r.complexity_score,
        r.sensitive,
        r.privacy_categories,
        JSON.stringify(codes),
        JSON.stringify(texts),
        r.forced,
        r.est_input_tokens,
        r.est_output_tokens,
        r.agent_id,
        r.latency_ms,
      );
    }
  db.exec('DROP TABLE ledger_decisions');
}
