import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanPrivacy } from '../../src/engine/router/privacy.js';

interface Row {
  text: string;
  sensitive: boolean;
  categories: string[];
  split: 'tune' | 'holdout';
  lookalike?: string;
}
const rows: Row[] = readFileSync(fileURLToPath(new URL('../../data/router/privacy-set.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Row);

describe('privacy set', () => {
  it('is a real labelled set: >= 100 prompts, both classes, every look-alike kind, a held-out part', () => {
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(rows.filter((r) => r.sensitive).length).toBeGreaterThan(40);
    expect(rows.filter((r) => !r.sensitive).length).toBeGreaterThan(40);
    expect(rows.filter((r) => r.split === 'holdout').length).toBeGreaterThan(30);
    const kinds = new Set(rows.map((r) => r.lookalike).filter(Boolean));
    for (const k of ['placeholder', 'doc_example_key', 'hash', 'uuid', 'luhn_invalid', 'base64', 'security_question']) expect(kinds).toContain(k);
  });

  it('flags every sensitive prompt (no leak), tune and holdout alike', () => {
    const leaks = rows.filter((r) => r.sensitive && !scanPrivacy(r.text).sensitive);
    expect(leaks.map((r) => `[${r.split}] ${r.categories.join(',')}: ${r.text.slice(0, 90)}`)).toEqual([]);
  });

  it('flags at most 5% of harmless prompts', () => {
    const harmless = rows.filter((r) => !r.sensitive);
    const flagged = harmless.filter((r) => scanPrivacy(r.text).sensitive);
    const detail = flagged.map((r) => `${r.lookalike}: ${JSON.stringify(scanPrivacy(r.text).findings.map((f) => f.rule))} ${r.text.slice(0, 80)}`);
    expect(flagged.length / harmless.length, detail.join('\n')).toBeLessThanOrEqual(0.05);
  });

  it('finds the labelled category (not just "something") on most sensitive prompts', () => {
    let hit = 0;
    let total = 0;
    for (const r of rows.filter((x) => x.sensitive)) {
      const cats = new Set(scanPrivacy(r.text).findings.map((f) => f.category));
      for (const c of r.categories) {
        total++;
        if (cats.has(c) || (c === 'credential' && cats.has('private_key')) || (c === 'private_key' && cats.has('credential'))) hit++;
      }
    }
    expect(hit / total).toBeGreaterThanOrEqual(0.9);
  });
});

describe('scanPrivacy', () => {
  it('never returns the secret value, only positions; redaction removes it', () => {
    const secret = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';
    const text = `token for CI: ${secret} thanks`;
    const scan = scanPrivacy(text);
    expect(scan.sensitive).toBe(true);
    expect(JSON.stringify(scan.findings)).not.toContain(secret.slice(4, 20));
    const f = scan.findings[0];
    expect(text.slice(f.start, f.end)).toContain(secret.slice(0, 10));
    expect(scan.redacted).not.toContain(secret);
    expect(scan.redacted).toMatch(/token for CI: \[REDACTED:credential\] thanks/);
  });

  it('redacts each category with its own marker and keeps the rest of the text', () => {
    const scan = scanPrivacy('Mail anna.berg@fastmail.se, card 4539 1488 0343 6467, IBAN DE89 3704 0044 0532 0130 00 today.');
    expect(scan.redacted).toBe('Mail [REDACTED:email], card [REDACTED:payment_card], IBAN [REDACTED:iban] today.');
    expect(scan.findings.map((f) => f.rule)).toEqual(['email-address', 'luhn-card', 'iban-mod97']);
  });

  it('checks cards with Luhn and IBANs with mod-97', () => {
    expect(scanPrivacy('card 4539 1488 0343 6467').sensitive).toBe(true);
    expect(scanPrivacy('card 4539 1488 0343 6468').sensitive).toBe(false);
    expect(scanPrivacy('iban GB82 WEST 1234 5698 7654 32').sensitive).toBe(true);
    expect(scanPrivacy('iban GB83 WEST 1234 5698 7654 32').sensitive).toBe(false);
  });

  it('respects SSN ranges and NINO prefixes', () => {
    expect(scanPrivacy('SSN 524-71-3398').findings[0]?.category).toBe('national_id');
    for (const bad of ['000-71-3398', '666-71-3398', '912-71-3398', '524-00-3398', '524-71-0000']) expect(scanPrivacy(`SSN ${bad}`).sensitive).toBe(false);
    expect(scanPrivacy('NI number JG 10 37 28 D').sensitive).toBe(true);
    expect(scanPrivacy('NI number QQ 12 34 56 C').sensitive).toBe(false);
  });

  it('uses the maintained secretlint rules (rule ids are reported)', () => {
    const scan = scanPrivacy('const slack = "xoxb-123456789012-123456789012-abcdefghijABCDEFGHIJ1234";');
    expect(scan.findings.some((f) => f.rule.startsWith('secretlint/slack'))).toBe(true);
  });

  it('does not flag documentation example keys, placeholders, hashes or UUIDs', () => {
    for (const t of [
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'API_KEY=your-api-key-here',
      'Authorization: Bearer <API_KEY>',
      'password: ${DB_PASSWORD}',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 and sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'id 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    ])
      expect(scanPrivacy(t).findings, t).toEqual([]);
  });

  it('finds phone numbers in the usual written forms (validated by libphonenumber)', () => {
    for (const t of ['Call me on +1 (212) 555-0187 tomorrow', 'my cell is 07911 123456', 'tel: 415.555.2671', 'Phone: +33 1 42 68 53 00', 'ring +44 7911 123456 after 6'])
      expect(scanPrivacy(t).findings.map((f) => f.category), t).toContain('phone');
  });

  it('covers more credential formats, identity numbers, short DOBs and continental addresses', () => {
    const cases: [string, string][] = [
      ['DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=' + 'q'.repeat(20) + 'Zx9Lm3Np7Rt2Vw5Yb8Dc1Fg4Hj6Kl0Qs3Ux7Az9Cv2Bn==;EndpointSuffix=core.windows.net', 'credential'],
      ['bot = telebot.TeleBot("5123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0")', 'credential'],
      ['Cookie: theme=dark; sessionid=8f2a9c1e7b4d6f3a0c5e9b2d7f1a4c6e', 'credential'],
      ['My passport number is 533380006, renewing next month', 'national_id'],
      ["driver's license: D123-4567-8901", 'national_id'],
      ['Aadhaar no. 2345 6789 0123 for the KYC form', 'national_id'],
      ['Patient Ana Ruiz, DOB 4/7/85, needs a refill letter', 'date_of_birth'],
      ['Bitte an Hauptstraße 12, 10115 Berlin schicken', 'postal_address'],
      ['Envoyer au 12 rue de Rivoli, 75001 Paris', 'postal_address'],
    ];
    for (const [t, cat] of cases) expect(scanPrivacy(t).findings.map((f) => f.category), t).toContain(cat);
    for (const t of ['Your passport number goes in field 7 of the form.', 'tax id: see section 4', 'the Hauptstraße is closed until 2025'])
      expect(scanPrivacy(t).findings, t).toEqual([]);
  });

  it('leaves ordinary code, logs and numbers alone', () => {
    for (const t of [
      'interface User { id: string; email: string; password: string; token?: string }',
      "const { email, password } = req.body; const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });",
      "const config = { port: 8080, host: '0.0.0.0', timeout: 30000, retries: 3, apiVersion: '2023-10-16' };",
      'def connect(): return psycopg2.connect(host=os.getenv("DB_HOST"), password=os.getenv("DB_PASSWORD"))',
      'Version 2.3.14 fixed issue #12345. Build 20240502.1 took 12.5 s. Order 100234 shipped.',
      "SELECT id FROM orders WHERE total > 1000 AND created_at > '2024-01-01' LIMIT 50;",
      'kubectl create secret generic db-creds --from-literal=password=${DB_PASSWORD}',
      'headers: { Authorization: `Bearer ${token}` }',
      'my_token_count = 5000\nmax_tokens: 4096\ntoken_limit = 128000',
      'Timestamps: 1700000000, 1700003600. Ports 5432 and 6379.',
      "What's the relationship between Jane Austen, born 16 December 1775, and the Regency era?",
      'Our patient scheduling app needs a cancer screening reminder feature. Write the user story.',
      'Call 911 in an emergency; for the helpdesk dial ext. 4455.',
    ])
      expect(scanPrivacy(t).findings, t).toEqual([]);
  });

  it('rejects non-string input with a clear error', () => {
    expect(() => scanPrivacy(42 as unknown as string)).toThrow(/expects a string/);
  });
});
