// 8 KB prompts: the routing decision benchmark's (bench/router.mjs), and those timing the privacy scan
// (bench/privacy-eval.mjs --speed).
// `code`: the same code + log prompt as bench/router.mjs (harmless); `mixed`: prose with non-ASCII text,
// numbers, a base64 blob and a hex digest, so normalisation and decoding are exercised too.
/** The code + log lines of the 8 KB prompts (bench/router.mjs, bench/privacy-equivalence.mjs, buildPrompts). */
const CODE = [
  "import { Pool } from 'pg';",
  'export class OrderService {',
  '  constructor(private pool: Pool, private cache: Map<string, unknown>) {}',
  '  async get(id: string) {',
  '    const hit = this.cache.get(id);',
  '    if (hit) return hit;',
  "    const { rows } = await this.pool.query('SELECT * FROM orders WHERE id = $1', [id]);",
  '    this.cache.set(id, rows[0]);',
  '    return rows[0];',
  '  }',
  '}',
  '2024-05-02T10:11:09Z WARN pool exhausted waiting=12 total=10 idle=0 route=/orders/:id latency_ms=5012',
].join('\n');

/** The 8 KB prompt of the routing decision benchmark, without or with a live-looking secret. */
export function prompt8k(withSecret) {
  const head = 'Review this service module and its logs; explain why requests time out under load and propose a fix.\n\n```ts\n';
  const secret = withSecret ? 'const stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9f";\n' : 'const stripe = process.env.STRIPE_KEY;\n';
  let body = CODE + '\n' + secret;
  while (body.length < 8192) body += CODE + '\n';
  return (head + body).slice(0, 8192);
}

export function buildPrompts() {
  const code = CODE;
  let a =
    'Review this service module and its logs; explain why requests time out under load and propose a fix.\n\n```ts\nconst stripe = process.env.STRIPE_KEY;\n';
  while (a.length < 8192) a += code + '\n';
  const para = [
    'Résumé de la réunion du 2 mars : l’équipe a validé la migration vers PostgreSQL 16 — coût estimé 12 400 €.',
    'Die Übersetzung der Oberfläche ist zu 87 % fertig; offene Punkte stehen im Ticket #48213.',
    'Config snapshot (base64): eyJzZXJ2aWNlIjoiYmlsbGluZyIsInJldHJpZXMiOjMsInRpbWVvdXRNcyI6MjUwMH0=',
    'Artifact digest sha256:d89958cceebfa92af678c058993147742fe3501a4f5217023e5a776e4e7957fa, build 20240502.1, v2.3.14.',
    'Timings: p50 12.5 ms, p99 48 ms; 1 700 000 requests; ports 5432 and 6379; see https://example.com/docs?q=a%20b.',
  ].join('\n');
  let b = '';
  while (b.length < 8192) b += para + '\n';
  return { code: a.slice(0, 8192), mixed: b.slice(0, 8192) };
}
