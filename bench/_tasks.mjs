// Realistic delegated tasks for the ledger's economics benchmark (bench/ledger.mjs): each has generated material of a
// plausible size (the files a host would otherwise read), the instruction the host writes, and a realistic answer
// computed from the material (so result sizes follow the material, not a guess). Deterministic (seeded).

function lcg(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const pad = (n, w = 2) => String(n).padStart(w, '0');

/** A service log: 1,200 lines over a day, INFO/DEBUG noise, a few WARN and ERROR bursts. */
function logFile() {
  const r = lcg(11);
  const lines = [];
  const paths = ['/api/orders', '/api/orders/:id', '/api/cart', '/api/login', '/healthz', '/api/payments'];
  const errs = [
    'upstream payments-gw timed out after 5000 ms',
    'pool exhausted waiting=12 total=10 idle=0',
    'deadlock detected on table order_items',
    'JWT signature invalid for kid=2024-07',
  ];
  let t = Date.parse('2026-11-20T00:00:00Z');
  for (let i = 0; i < 1200; i++) {
    t += Math.floor(r() * 70_000);
    const ts = new Date(t).toISOString();
    const x = r();
    const reqId = Math.floor(r() * 1e8).toString(16);
    if (x < 0.03) lines.push(`${ts} ERROR [orders-api] req=${reqId} ${pick(r, errs)} route=${pick(r, paths)}`);
    else if (x < 0.1)
      lines.push(`${ts} WARN  [orders-api] req=${reqId} slow request route=${pick(r, paths)} latency_ms=${1000 + Math.floor(r() * 4000)}`);
    else if (x < 0.35)
      lines.push(`${ts} DEBUG [orders-api] req=${reqId} cache ${r() < 0.7 ? 'hit' : 'miss'} key=order:${Math.floor(r() * 90000)}`);
    else
      lines.push(
        `${ts} INFO  [orders-api] req=${reqId} ${pick(r, ['GET', 'POST', 'PUT'])} ${pick(r, paths)} ${pick(r, [200, 200, 200, 201, 204, 304, 404])} ${Math.floor(r() * 300)}ms`,
      );
  }
  const text = lines.join('\n') + '\n';
  const count = (re) => lines.filter((l) => re.test(l)).length;
  const byErr = errs.map((e) => [e, lines.filter((l) => l.includes(e)).length]).sort((a, b) => b[1] - a[1]);
  const answer =
    `Summary of app.log (${lines.length} lines, ${lines[0].slice(0, 19)} to ${lines.at(-1).slice(0, 19)}): ` +
    `${count(/ ERROR /)} errors and ${count(/ WARN /)} slow-request warnings among ${count(/ INFO /)} requests. Errors by cause:\n` +
    byErr.map(([e, n]) => `- ${n}x ${e}`).join('\n') +
    `\nThe payment gateway timeouts and pool exhaustion cluster together, which points at the payments-gw dependency holding connections; ` +
    `the JWT failures are a separate key-rotation issue (kid=2024-07). Suggested next steps: add a timeout budget per upstream call, ` +
    `raise the pool only after fixing the slow upstream, and rotate the signing key set.`;
  return {
    name: 'summarise a log file',
    files: ['logs/app-2026-11-20.log'],
    instruction: 'Summarise this log: what failed, how often, and the likely causes.',
    material: text,
    answer,
  };
}

/** An invoice export: 400 rows of a CSV with 9 columns. */
function csvFile() {
  const r = lcg(22);
  const customers = [
    'Acme GmbH',
    'Northwind Traders',
    'Globex SARL',
    'Initech Ltd',
    'Umbrella BV',
    'Stark Industries',
    'Wayne Enterprises',
    'Tyrell Corp',
  ];
  const rows = ['invoice_id,issued,customer,customer_vat,currency,net,vat_rate,total,status'];
  const totals = {};
  for (let i = 0; i < 400; i++) {
    const c = pick(r, customers);
    const net = Math.round(r() * 500000) / 100;
    const rate = pick(r, [0.19, 0.2, 0.21, 0.07]);
    const total = Math.round(net * (1 + rate) * 100) / 100;
    const status = pick(r, ['paid', 'paid', 'paid', 'open', 'overdue']);
    rows.push(
      `INV-2026-${pad(i + 1, 5)},2026-${pad(1 + Math.floor(r() * 11))}-${pad(1 + Math.floor(r() * 28))},"${c}",EU${Math.floor(r() * 1e9)},EUR,${net.toFixed(2)},${rate},${total.toFixed(2)},${status}`,
    );
    const t = (totals[c] ??= { invoices: 0, total: 0, overdue: 0 });
    t.invoices++;
    t.total += total;
    if (status === 'overdue') t.overdue++;
  }
  const answer = JSON.stringify(
    Object.entries(totals).map(([customer, t]) => ({
      customer,
      invoices: t.invoices,
      totalEur: Math.round(t.total * 100) / 100,
      overdue: t.overdue,
    })),
  );
  return {
    name: 'extract fields from a CSV',
    files: ['exports/invoices-2026.csv'],
    instruction: 'From this invoice export, return JSON: per customer the number of invoices, the total in EUR and how many are overdue.',
    material: rows.join('\n') + '\n',
    answer,
  };
}

/** A unified diff touching 6 files, about 420 lines. */
function diffFile() {
  const r = lcg(33);
  const files = [
    'src/orders/service.ts',
    'src/orders/repository.ts',
    'src/payments/client.ts',
    'src/config.ts',
    'test/orders.test.ts',
    'README.md',
  ];
  const out = [];
  for (const f of files) {
    out.push(
      `diff --git a/${f} b/${f}`,
      `index ${Math.floor(r() * 1e7).toString(16)}..${Math.floor(r() * 1e7).toString(16)} 100644`,
      `--- a/${f}`,
      `+++ b/${f}`,
    );
    for (let h = 0; h < 4; h++) {
      const at = 10 + h * 40 + Math.floor(r() * 20);
      out.push(`@@ -${at},12 +${at},14 @@ export class ${pick(r, ['OrderService', 'OrderRepository', 'PaymentsClient', 'Config'])} {`);
      for (let k = 0; k < 16; k++) {
        const x = r();
        const code = pick(r, [
          'const timeoutMs = config.payments.timeoutMs ?? 5000;',
          'await this.pool.query("SELECT * FROM orders WHERE id = $1", [id]);',
          'if (!order) throw new NotFoundError(`order ${id} not found`);',
          'return this.client.post("/charges", { amount, currency, idempotencyKey });',
          'const controller = new AbortController();',
          'setTimeout(() => controller.abort(), timeoutMs);',
          'this.cache.set(id, order, { ttlMs: 30_000 });',
          'expect(await service.get("o-1")).toEqual(order);',
        ]);
        out.push(x < 0.25 ? `-    ${code}` : x < 0.55 ? `+    ${code}` : `     ${code}`);
      }
    }
  }
  const answer =
    'This change bounds every call to the payments gateway with a timeout (config.payments.timeoutMs, default 5 s) through an AbortController, ' +
    'adds an idempotency key to charges so a retried POST cannot charge twice, caches orders for 30 s after a read, and returns a NotFoundError ' +
    'instead of undefined for unknown ids. Risks: the cache can serve an order up to 30 s stale after an update (invalidate it in update()), ' +
    'and the abort timer is not cleared on success, so it keeps the event loop busy until it fires. Tests cover the cache hit and the not-found ' +
    'path but not the timeout; add one that stubs a slow gateway.';
  return {
    name: 'explain a diff',
    files: ['changes/orders-timeouts.diff'],
    instruction: 'Explain what this diff changes, and any risk it introduces.',
    material: out.join('\n') + '\n',
    answer,
  };
}

/** A source folder: 28 TypeScript files of ~100 lines, with TODO and FIXME comments here and there. */
function todoFolder() {
  const r = lcg(44);
  const files = [];
  const todos = [];
  const notes = [
    'handle the retry budget',
    'remove once v2 clients are gone',
    'this is O(n^2) on large carts',
    'validate currency codes',
    'log the request id',
    'move to config',
    'add a test for the empty case',
    'race with the cache invalidation',
  ];
  for (let f = 0; f < 28; f++) {
    const name = `src/${pick(r, ['orders', 'payments', 'cart', 'users', 'shared'])}/${pick(r, ['service', 'handler', 'mapper', 'util', 'client', 'store'])}-${f}.ts`;
    const lines = [`import { logger } from '../shared/log';`, ''];
    for (let i = 0; i < 100; i++) {
      if (r() < 0.025) {
        const tag = r() < 0.8 ? 'TODO' : 'FIXME';
        const note = pick(r, notes);
        lines.push(`  // ${tag}: ${note}`);
        todos.push(`${name}:${lines.length} ${tag} ${note}`);
      } else
        lines.push(
          pick(r, [
            '  const items = await this.store.list(userId);',
            '  if (!items.length) return [];',
            '  return items.map((x) => this.mapper.toDto(x));',
            '}',
            `export function f${i}(x: number): number {`,
            '  return x * 2;',
            '  logger.debug("cart updated", { userId });',
          ]),
        );
    }
    files.push({ name, text: lines.join('\n') + '\n' });
  }
  const material = files.map((f) => `// file: ${f.name}\n${f.text}`).join('\n');
  const answer = `${todos.length} TODO/FIXME comments:\n` + todos.map((t) => `- ${t}`).join('\n');
  return {
    name: 'list the TODOs in a folder',
    files: ['src/'],
    instruction: 'List every TODO and FIXME in this folder with file and line.',
    material,
    answer,
  };
}

/** A project README of about 14 KB, and a question about it. */
function readmeFile() {
  const r = lcg(55);
  const sections = [
    'Install',
    'Quick start',
    'Configuration',
    'Environment variables',
    'Deployment',
    'Troubleshooting',
    'Contributing',
    'License',
  ];
  const out = ['# orders-api', '', 'The orders service of the shop: REST API, Postgres storage, payments through the gateway.', ''];
  for (const s of sections) {
    out.push(`## ${s}`, '');
    for (let p = 0; p < 5; p++) {
      const words = [];
      for (let w = 0; w < 55; w++)
        words.push(
          pick(r, [
            'the',
            'service',
            'reads',
            'config',
            'from',
            'environment',
            'orders',
            'database',
            'pool',
            'size',
            'timeout',
            'payments',
            'gateway',
            'retries',
            'deploy',
            'container',
            'health',
            'check',
            'port',
            'logs',
            'metrics',
            'and',
            'with',
            'to',
            'a',
            'is',
          ]),
        );
      out.push(words.join(' ') + '.', '');
    }
    if (s === 'Environment variables')
      out.push(
        '| variable | default | meaning |',
        '|---|---|---|',
        '| `PAYMENTS_TIMEOUT_MS` | `5000` | time limit of one gateway call |',
        '| `DB_POOL_SIZE` | `10` | Postgres connections |',
        '| `CACHE_TTL_MS` | `30000` | order cache lifetime |',
        '',
      );
  }
  const answer =
    'Set PAYMENTS_TIMEOUT_MS (default 5000 ms): it is the time limit of one payments gateway call; raise it in the environment of the container, e.g. PAYMENTS_TIMEOUT_MS=8000.';
  return {
    name: 'answer a question about a README',
    files: ['README.md'],
    instruction: 'How do I change the payments gateway timeout, and what is the default?',
    material: out.join('\n') + '\n',
    answer,
  };
}

export const TASKS = [logFile, csvFile, diffFile, todoFolder, readmeFile].map((f) => f());
