// Secrets and personal data a pattern must never hand back, and a bank written the way the code before
// redaction wrote it (schema up to patterns migration 4, task/approach/outcome kept word for word).
import { expect } from 'vitest';
import type { Embedder } from '../../src/engine/patterns/types.js';
import { vecToBlob } from '../../src/engine/patterns/bank.js';
import type { DB } from '../../src/engine/store/db.js';

export const AWS_KEY_ID = 'AKIAQ3EGRKWZLV7XJT4N';
export const AWS_SECRET = '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';
export const PASSWORD = 'Tr0ub4dor&3xq!';
export const EMAIL = 'maria.gonzalez@acme-corp.de';
export const PHONE = '+1 (646) 739-2841';
export const PEM_LINES = [
  'MIIEowIBAAKCAQEAx7gH2kQ9mZ3pL0vW8rT5yN1cB4dF6hJ8kL0mN2pQ4rS6tU8v',
  'W0xY2zA4bC6dE8fG0hI2jK4lM6nO8pQ0rS2tU4vW6xY8zA0bC2dE4fG6hI8jK0l',
];
export const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_LINES.join('\n')}\n-----END RSA PRIVATE KEY-----`;

/** Every value that must not appear; the phone number also without its formatting. */
export const SECRET_VALUES = [AWS_KEY_ID, AWS_SECRET, PASSWORD, EMAIL, PHONE, '739-2841', '6467392841', ...PEM_LINES];

/** Four patterns, each carrying secrets in task, approach and outcome. */
export const SECRET_PATTERNS = [
  {
    task: `Upload the nightly backup to S3 with aws_access_key_id=${AWS_KEY_ID} and aws_secret_access_key=${AWS_SECRET}`,
    approach: `export AWS_ACCESS_KEY_ID=${AWS_KEY_ID} then aws s3 sync with --storage-class GLACIER`,
    outcome: `worked; the key ${AWS_KEY_ID} needs s3:PutObject only`,
    tags: ['backup', AWS_KEY_ID],
  },
  {
    task: `Migrate the staging Postgres; connect with DB_PASSWORD=${PASSWORD} as admin`,
    approach: `pg_dump from the old host, restore with DB_PASSWORD=${PASSWORD} on the new one`,
    outcome: `done after setting password: ${PASSWORD} in .pgpass`,
    tags: ['postgres'],
  },
  {
    task: `Write a follow-up email to Maria Gonzalez (${EMAIL}, phone ${PHONE}) about the overdue invoice`,
    approach: `polite reminder, cc ${EMAIL}, offer a call on ${PHONE}`,
    outcome: `Maria answered from ${EMAIL}`,
    tags: ['email'],
  },
  {
    task: `Sign the release tarball with this key:\n${PEM}`,
    approach: `openssl dgst -sha256 -sign with the key\n${PEM}\nthen upload the .sig`,
    outcome: 'signature verified by the CI job',
    tags: ['release'],
  },
];

/** Asserts that no secret value occurs in a text (the raw text of a response, a file, a bundle). */
export function expectNoSecret(text: string | Buffer, where: string): void {
  const s = Buffer.isBuffer(text) ? text.toString('latin1') : text;
  for (const v of SECRET_VALUES) expect(s.includes(v), `${where} contains a secret value (${v.slice(0, 4)}…)`).toBe(false);
}

/**
 * Writes patterns the way the code before redaction did: text word for word, its vector, a change-log entry,
 * on a database whose patterns schema stops at migration 4.
 */
export async function writeOldPatterns(
  db: DB,
  embedder: Embedder,
  rows: { task: string; approach: string; outcome?: string; tags?: string[] }[],
): Promise<number[]> {
  const v = db.prepare("SELECT MAX(version) AS v FROM schema_migrations WHERE module = 'patterns'").get() as { v: number };
  expect(v.v).toBe(4);
  const meta = db.prepare('INSERT INTO pattern_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  meta.run('active_embedder', embedder.id);
  meta.run('active_dim', String(embedder.dim));
  const insert =
    db.prepare(`INSERT INTO patterns (id, task, approach, approach_key, outcome, quality, iterations, converged, model, backend, route, tags, domain, agent_id, decision_id,
    count, uses, successes, failures, embedder, created_at, updated_at, last_used_at)
    VALUES (@id, @task, @approach, @approach_key, @outcome, @quality, 0, 1, NULL, NULL, NULL, @tags, NULL, NULL, NULL, 1, 0, 0, 0, @embedder, @now, @now, NULL)`);
  const vecs = await embedder.embed(rows.map((r) => r.task));
  const seqs: number[] = [];
  const now = new Date().toISOString();
  db.transaction(() => {
    rows.forEach((r, i) => {
      const seq = Number(
        insert.run({
          id: `pat_old${i}`,
          task: r.task,
          approach: r.approach,
          approach_key: r.approach.toLowerCase().replace(/\s+/g, ' ').trim(),
          outcome: r.outcome ?? null,
          quality: 0.8,
          tags: JSON.stringify([...new Set(r.tags ?? [])].sort()),
          embedder: embedder.id,
          now,
        }).lastInsertRowid,
      );
      db.prepare('INSERT INTO pattern_vectors (seq, embedder, dim, vector) VALUES (?, ?, ?, ?)').run(
        seq,
        embedder.id,
        vecs[i].length,
        vecToBlob(vecs[i]),
      );
      db.prepare("INSERT INTO pattern_vec_log (seq, op) VALUES (?, 'upsert')").run(seq);
      seqs.push(seq);
    });
  })();
  return seqs;
}
