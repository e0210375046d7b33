// The SQLite decision record column by column: every field of a DecisionRecord lands in its own column (the insert
// binds its parameters by position, so a field out of order would land in its neighbour's column).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../src/engine/store/db.js';
import { migrations as routerMigrations } from '../../src/engine/store/sqlite/migrations-router.js';
import { SqliteDecisionsRepo } from '../../src/engine/store/sqlite/decisions.js';
import { decisionRecord } from '../helpers/decisions.js';
import { tempDir } from '../helpers/tmp.js';

describe('SQLite decision record', () => {
  it('stores every field of a decision in its own column', async () => {
    const db = openDatabase(join(tempDir(), 'd.db'), routerMigrations);
    const repo = new SqliteDecisionsRepo(db);
    // a distinct value in every field, none equal to a neighbour's
    const d = decisionRecord('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', {
      createdAt: 1_700_000_000_123,
      route: 'local_required',
      strategy: 'privacy_first',
      level: 'medium',
      score: 0.53,
      taskType: 'debug',
      sensitive: true,
      categories: ['secret', 'pii'],
      reasonCodes: ['sensitive', 'complexity_medium'],
      reasons: ['a finding of category secret', 'complexity 0.53 (medium, debug)'],
      forced: true,
      localModel: 'gguf:tiny',
      inputTokens: 2048,
      outputTokens: 1200,
      localUsd: 0.0001,
      cloudUsd: 0.024,
      savingUsd: 0.0239,
      confidence: 0.71,
      agentId: 'agent-7',
      features: new Float32Array([0.25, -0.5, 1.5]),
      latencyMs: 0.62,
    });
    await repo.insert(d, [['decisions', '', 1, d.savingUsd]]);
    const row = db.prepare('SELECT * FROM router_decisions').get() as Record<string, unknown>;
    expect({ ...row, features: new Float32Array(new Uint8Array(row.features as Buffer).buffer) }).toEqual({
      id: d.id,
      created_at: 1_700_000_000_123,
      route: 'local_required',
      strategy: 'privacy_first',
      level: 'medium',
      score: 0.53,
      task_type: 'debug',
      sensitive: 1,
      categories: '["secret","pii"]',
      reason_codes: '["sensitive","complexity_medium"]',
      reasons: '["a finding of category secret","complexity 0.53 (medium, debug)"]',
      forced: 1,
      local_model: 'gguf:tiny',
      input_tokens: 2048,
      output_tokens: 1200,
      local_usd: 0.0001,
      cloud_usd: 0.024,
      saving_usd: 0.0239,
      confidence: 0.71,
      agent_id: 'agent-7',
      features: new Float32Array([0.25, -0.5, 1.5]),
      latency_ms: 0.62,
    });
    // absent values are NULL, booleans 0
    await repo.insert(decisionRecord('b', { localModel: null, agentId: null, features: null, latencyMs: null }), []);
    expect(
      db.prepare("SELECT local_model, agent_id, features, latency_ms, sensitive, forced FROM router_decisions WHERE id = 'b'").get(),
    ).toEqual({
      local_model: null,
      agent_id: null,
      features: null,
      latency_ms: null,
      sensitive: 0,
      forced: 0,
    });
    db.close();
  });
});
