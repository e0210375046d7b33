import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

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
    for (const k of ['placeholder', 'doc_example_key', 'hash', 'uuid', 'luhn_invalid', 'base64', 'security_question'])
      expect(kinds).toContain(k);
  });

  it('flags every sensitive prompt (no leak), tune and holdout alike', () => {
    const leaks = rows.filter((r) => r.sensitive && !scanPrivacy(r.text).sensitive);
    expect(leaks.map((r) => `[${r.split}] ${r.categories.join(',')}: ${r.text.slice(0, 90)}`)).toEqual([]);
  });

  it('flags at most 5% of harmless prompts', () => {
    const harmless = rows.filter((r) => !r.sensitive);
    const flagged = harmless.filter((r) => scanPrivacy(r.text).sensitive);
    const detail = flagged.map(
      (r) => `${r.lookalike}: ${JSON.stringify(scanPrivacy(r.text).findings.map((f) => f.rule))} ${r.text.slice(0, 80)}`,
    );
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
    const scan = scanPrivacy('Mail anna.berg@fastmail.se, card 4539 1488 0343 6467, IBAN DE66 1002 0030 4829 1635 07 today.');
    expect(scan.redacted).toBe('Mail [REDACTED:email], card [REDACTED:payment_card], IBAN [REDACTED:iban] today.');
    expect(scan.findings.map((f) => f.rule)).toEqual(['email-address', 'luhn-card', 'iban-mod97']);
  });

  it('checks cards with Luhn and IBANs with mod-97', () => {
    expect(scanPrivacy('card 4539 1488 0343 6467').sensitive).toBe(true);
    expect(scanPrivacy('card 4539 1488 0343 6468').sensitive).toBe(false);
    expect(scanPrivacy('iban GB78 MIDL 4005 1522 3346 71').sensitive).toBe(true);
    expect(scanPrivacy('iban GB79 MIDL 4005 1522 3346 71').sensitive).toBe(false);
  });

  it('respects SSN ranges and NINO prefixes', () => {
    expect(scanPrivacy('SSN 524-71-3398').findings[0]?.category).toBe('national_id');
    for (const bad of ['000-71-3398', '666-71-3398', '912-71-3398', '524-00-3398', '524-71-0000'])
      expect(scanPrivacy(`SSN ${bad}`).sensitive).toBe(false);
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
    for (const t of [
      'Call me on +1 (212) 847-0187 tomorrow',
      'my cell is 07911 123456',
      'tel: 415.555.2671',
      'Phone: +33 1 42 68 53 00',
      'ring +44 7911 123456 after 6',
    ])
      expect(
        scanPrivacy(t).findings.map((f) => f.category),
        t,
      ).toContain('phone');
  });

  it('covers more credential formats, identity numbers, short DOBs and continental addresses', () => {
    const cases: [string, string][] = [
      [
        'DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=' +
          'q'.repeat(20) +
          'Zx9Lm3Np7Rt2Vw5Yb8Dc1Fg4Hj6Kl0Qs3Ux7Az9Cv2Bn==;EndpointSuffix=core.windows.net',
        'credential',
      ],
      ['bot = telebot.TeleBot("5123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0")', 'credential'],
      ['Cookie: theme=dark; sessionid=8f2a9c1e7b4d6f3a0c5e9b2d7f1a4c6e', 'credential'],
      ['My passport number is 533380006, renewing next month', 'national_id'],
      ["driver's license: D123-4567-8901", 'national_id'],
      ['Aadhaar no. 2345 6789 0124 for the KYC form', 'national_id'], // Verhoeff-valid (0123 is not: a cued number must pass its check)
      ['Patient Ana Ruiz, DOB 4/7/85, needs a refill letter', 'date_of_birth'],
      ['Bitte an Hauptstraße 12, 10115 Berlin schicken', 'postal_address'],
      ['Envoyer au 12 rue de Rivoli, 75001 Paris', 'postal_address'],
    ];
    for (const [t, cat] of cases)
      expect(
        scanPrivacy(t).findings.map((f) => f.category),
        t,
      ).toContain(cat);
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

// ---------------------------------------------------------------- detection that generalises (issue 12)
// One test per class the scanner missed or wrongly flagged on prompts written by people who never saw it.
const cats = (t: string) => scanPrivacy(t).findings.map((f) => f.category);
const ZW = '\u200b';
const SHY = '\u00ad';

describe('normalisation before scanning', () => {
  it('finds a key split by an invisible character or spelt with look-alike letters, and redacts the original span', () => {
    const key = 'AKIAWJ3Q5MH' + ZW + 'BIY3WMEDB';
    const text = `Our deploy key is ${key}, rotate it after the audit.`;
    const scan = scanPrivacy(text);
    expect(scan.sensitive).toBe(true);
    const f = scan.findings.find((x) => x.category === 'credential')!;
    expect(text.slice(f.start, f.end)).toBe(key); // positions are in the original text, invisible character included
    expect(scan.redacted).toBe('Our deploy key is [REDACTED:credential], rotate it after the audit.');
    expect(cats('Our deploy key is AKIA' + SHY + 'WJ3Q5MHBIY3WMEDB today')).toContain('credential');
    // Cyrillic "а" in "password", fullwidth digits, bidi controls
    expect(cats('p\u0430ssword = "Wr7!kd92Lmq"  # prod db')).toContain('credential');
    expect(cats('token = "ghp_\u200daB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"')).toContain('credential');
    expect(cats('SSN \uff15\uff12\uff14-71-3398')).toContain('national_id');
    const bidi = 'card 4539\u202e 1488 0343 6467\u202c please';
    const b = scanPrivacy(bidi);
    expect(b.redacted).toBe('card [REDACTED:payment_card] please');
  });
});

describe('encoded blobs are decoded and scanned again', () => {
  it('finds secrets in a base64-encoded .env, a hex blob and a URL-encoded query, and leaves harmless encoded data alone', () => {
    const env = Buffer.from(
      'DATABASE_URL=postgres://app:Tq7vR2pLx9Wm@db.internal:5432/prod\nSESSION_SECRET=8OJ2NnG4yBCCrF3DT9CBabI8AwPLj0tu\n',
    ).toString('base64');
    const text = `Put this in CI and tell me why deploy cannot read it:\n${env}`;
    const scan = scanPrivacy(text);
    expect(cats(text)).toContain('credential');
    expect(scan.redacted).toBe('Put this in CI and tell me why deploy cannot read it:\n[REDACTED:credential]');
    const hex = Buffer.from('host=db.internal user=app password=xlZ6iN2yffLwBmx8').toString('hex');
    expect(cats(`The blob is ${hex}, decode it`)).toContain('credential');
    expect(cats('redirect=https%3A%2F%2Fapp.local%2Fcb%3Fpassword%3DHq7%2521vTz9pL2%26user%3Dops')).toContain('credential');
    // base64 of two levels
    const twice = Buffer.from(Buffer.from('password=Hq7!vTz9pL2x').toString('base64')).toString('base64');
    expect(cats(`value: ${twice}`)).toContain('credential');
    // an encoded Basic-auth pair on its own, and an oversized blob (its first 64 KB are decoded; the whole blob is redacted)
    expect(cats('Why does curl reject YWRtaW46UzNjcjN0IVBhc3M= ?')).toContain('credential');
    const big = Buffer.from('LOG_LEVEL=debug\n'.repeat(200) + 'DB_PASSWORD=Hq7!vTz9pL2x\n' + 'FEATURE_X=on\n'.repeat(6000)).toString(
      'base64',
    );
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(scanPrivacy(`env: ${big} end`).redacted).toBe('env: [REDACTED:credential] end');
    for (const t of [
      'What does this config say? ' + Buffer.from('{"service":"billing","retries":3,"timeoutMs":2500}').toString('base64'),
      'Decode ' + Buffer.from('Build 1432 finished: 212 tests passed, 0 failed').toString('hex'),
      'url = "https://example.com/search?q=password%20reset%20email%20not%20arriving&lang=en"',
    ])
      expect(scanPrivacy(t).findings, t).toEqual([]);
  });
});

describe('generic credentials from entropy and context', () => {
  it('finds tokens with no vendor rule in constructor/call arguments, headers and connection strings', () => {
    for (const t of [
      'client = Client("5jPfl9q496yCa0ybAqBgQY1DC2fCLNN2LHifJ07f", region="eu")',
      'const api = new WeatherClient("Dmu2x4m9LlgybLCBhRTCo8AS8x7VlGNCFZH4KRXCICeA1fCa", { units: "metric" });',
      'tw = TwilioRestClient("AC8d1e7f3b2a9c4d5e6f708192a3b4c5d6", "d694de5ee8c5ce6b36f7c1059f61bd24")',
      'sdk.init("pfDFYNkxqt2Noy2d8n_uWKWj9cPyGbCO5ZTR")',
      'curl https://api.vendor.io/v2/items -H "X-Vendor-Auth: LYKL1OUwEz0dyAVj1xyuvtgC7hQ2"',
      'headers = {"Ocp-Apim-Subscription-Key": "d89958cceebfa92af678c058993147742f"}',
      'Server=tcp:sql-prod-7.internal,1433;Initial Catalog=billing;User ID=svc_billing;Password=Zr8#pQ2!vL;Encrypt=True',
      'redis://:Xk29fLq7Wz3Rt8@cache.internal:6379/0 is what the worker uses',
      'the webhook signing key from the vendor: whsk_Tn4Qz8Lp2Xv6Rm1Kd9Wc3Yb7',
    ])
      expect(cats(t), t).toContain('credential');
  });
  it('leaves hashes, UUIDs, paths, identifiers and ordinary calls alone', () => {
    for (const t of [
      'repo.git.checkout("d89958cceebfa92af678c058993147742fe3501a") fails with detached HEAD warnings',
      '<script src="/app.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>',
      'const user = await getUserById("3f2504e0-4f89-41d3-9a0c-0305e82c3301");',
      'fs.readFileSync("/var/lib/app/releases/2024-05-02T10-11-09Z/config/production.json")',
      'logger = logging.getLogger("billing.reconciliation.nightly_batch_runner_v2")',
      'const el = document.getElementById("checkoutFormSubmitButtonPrimary2")',
      'The sha256 of the token file is e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.',
    ])
      expect(scanPrivacy(t).findings, t).toEqual([]);
  });
});

describe('national identifiers of several countries, validated', () => {
  const valid: [string, string][] = [
    ['Paciente: Lucía Gómez, DNI 34494021R', 'ES DNI'],
    ['NIE X2482300W del titular', 'ES NIE'],
    ['codice fiscale OSRRTX50L12A142T', 'IT codice fiscale'],
    ['NIR 2 81 04 30 240 114 93', 'FR INSEE'],
    ['CPF 393.622.082-45', 'BR CPF'],
    ['henkilötunnus 210588-591B', 'FI HETU'],
    ['rijksregisternummer 89.01.18-168.33', 'BE'],
    ['AHV 756.2334.5959.71', 'CH AHV'],
    ['ID card 110105198905169775', 'CN'],
    ['CURP HEGG560427MVZRRL04', 'MX CURP'],
    ['BSN 745711625', 'NL BSN'],
    ['Aadhaar 9427 5459 6335', 'IN Aadhaar'],
    ['SIN 519 937 981', 'CA SIN'],
    ['Steuer-ID 35326831071', 'DE Steuer-ID'],
    ['PESEL 82081209747', 'PL PESEL'],
    ['personnummer 890213-3241', 'SE'],
    ['fødselsnummer 12028904620', 'NO'],
    ['TC Kimlik No 18245071570', 'TR'],
    ['tax file number 682 080 058', 'AU TFN'],
    ['PPS number 1234567TW', 'IE PPSN'],
    ['NHS number 196 106 8362', 'UK NHS'],
    ['ITIN 912-78-1234', 'US ITIN'],
  ];
  it.each(valid)('%s (%s)', (t) => expect(cats(t)).toContain('national_id'));
  it('rejects numbers whose check digit or letter is wrong where the text is about test values or validation, and weak formats without a cue', () => {
    for (const t of [
      'Is DNI 34494021S valid?',
      'The codice fiscale OSRRTX50L12A142U from the fixture fails',
      'NIR 2 81 04 30 240 114 94 is a made-up example',
      'CPF 393.622.082-46 is rejected by the validator',
      'our test BSN 745711626',
      'Aadhaar 9427 5459 6336 (dummy)',
      'SIN 519 937 982 - wrong check digit',
      'Steuer-ID 35326831072 fails the checksum',
      'PESEL 82081209748: invalid',
      'CURP HEGG560427MVZRRL05 example',
      'Order 745711625 shipped on 2024-03-02',
      'Our test data uses DNI 12345678A, which our validator rejects',
      // strong formats are checked wherever they are: no cue, wrong check -> nothing
      'ref OSRRTX50L12A142U',
      'batch 393.622.082-46',
      'lot 110105198905169776',
    ])
      expect(cats(t), t).not.toContain('national_id');
  });
  it("still flags a named identifier with a wrong check digit in a record (a typo in someone's number is still theirs)", () => {
    for (const t of ['Mitarbeiter Jonas Weber, Steuer-ID 35326831072, Eintritt 01.04.2021', 'Paciente: Lucía Gómez, DNI 34494021S'])
      expect(cats(t), t).toContain('national_id');
  });
});

describe('phone numbers in national formats inside records', () => {
  it('validates with the region named by the record (cue words, identifiers, country names)', () => {
    for (const t of [
      'Rückruf bitte: Frau Albers, Telefon 0176 23984571',
      'nom;prenom;telephone\nMartin;Claire;06 48 29 17 53',
      'klant: Sanne de Vries | mobiel 06-38174952',
      'Cliente: Marco Bianchi - cell. 347 812 4490',
      'KYC row: Rahul Mehta, Aadhaar 9427 5459 6335, mobile 98203 47165',
      'Cadastro: Ana Souza, celular (11) 97342-8815',
      'Ring Olivia back on 0412 739 584 about the lease',
    ])
      expect(cats(t), t).toContain('phone');
  });
});

describe('personal data in record context', () => {
  it('flags a salary next to a person, a name next to an identifier, and a clinical note that names no one', () => {
    expect(cats('Update payroll: employee 48213 (Daniel Okafor) moves to band C, salary EUR 72,500 from March.')).toContain('salary');
    expect(cats('Can you draft a raise letter? Priya earns $94,000 now and we agreed on $101,500.')).toContain('salary');
    expect(cats('Customer account 40219876 belongs to Helen Marsh; she asked to close it.')).toContain('personal_id');
    expect(cats('S: 58 y/o M c/o chest tightness x2 days. PMH: HTN, T2DM. Meds: metformin 500 mg BID.\nO: BP 152/94, HR 88.')).toContain(
      'medical',
    );
    expect(
      cats(
        'Summarise this discharge note: admitted 03/11 with pneumonia, treated with IV ceftriaxone, discharged on amoxicillin 500mg TID, follow-up in 2 weeks.',
      ),
    ).toContain('medical');
  });
  it('leaves salary questions, schema work, medical questions and templates alone', () => {
    for (const t of [
      'What is the average salary of a data engineer in Berlin in 2024?',
      'Add a salary column (DECIMAL(10,2)) to the employees table and a check that it is positive.',
      'What is the usual starting dose of metformin for type 2 diabetes, and when is it contraindicated?',
      'Write a SOAP note template with sections for S, O, A and P and placeholders for vitals.',
      'Explain what BID, TID and PRN mean on a prescription.',
      'Marie Curie, born in Warsaw in 1867, won two Nobel prizes.',
      'Issue 40219876 was opened by Helen Marsh on the tracker.',
    ])
      expect(scanPrivacy(t).findings, t).toEqual([]);
  });
});

describe('allow-list of documented public test values', () => {
  it('does not flag payment test cards, the jwt.io sample, fictional numbers, registry example IBANs or documented sample keys', () => {
    for (const t of [
      'Use 4242 4242 4242 4242 to test the checkout in Stripe test mode.',
      'Braintree sandbox: 4111 1111 1111 1111 and 5555 5555 5555 4444.',
      'Amex 3714 4963 5398 431, Discover 6011 1111 1111 1117.',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0.KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30',
      'The detective calls (202) 555-0143 and later +1 312 555 0199.',
      'UK mock-up: 020 7946 0321; mobile 07700 900461.',
      'The ISO 13616 example is GB29 NWBK 6016 1331 9268 19.',
      'iban = "DE89 3704 0044 0532 0130 00"',
      'stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"',
      'The sample SIN 046 454 286 from the Canada.ca guide',
    ])
      expect(scanPrivacy(t).findings, t).toEqual([]);
  });
  it('still flags real values beside them', () => {
    expect(cats('test 4242 4242 4242 4242, real 4539 1488 0343 6467')).toEqual(['payment_card']);
    expect(cats('call (202) 555-0143 or my cell (415) 555-2671')).toEqual(['phone']);
    expect(
      cats(
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MjEiLCJuYW1lIjoiQW5uYSBCZXJnIiwiaWF0IjoxNzAwMDAwMDAwfQ.q2vXcT1sQm9Lr4Kd8Zp3Wn6Yb0Hf5Jg7Ua2Ec9Ix1Os',
      ),
    ).toContain('credential');
  });
});

describe('tuning set of the classes above (data/router/privacy-tune-2.jsonl)', () => {
  const tune = readFileSync(fileURLToPath(new URL('../../data/router/privacy-tune-2.jsonl', import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row & { id: string; class: string });
  it('misses no sensitive row and flags at most 3% of harmless rows', () => {
    expect(tune.filter((r) => r.sensitive && !scanPrivacy(r.text).sensitive).map((r) => `${r.id} ${r.class}`)).toEqual([]);
    const flagged = tune.filter((r) => !r.sensitive && scanPrivacy(r.text).sensitive).map((r) => `${r.id} ${r.class}`);
    expect(flagged.length / tune.filter((r) => !r.sensitive).length, flagged.join('\n')).toBeLessThanOrEqual(0.03);
  });
});

// Blind sets, written by helpers who never saw the scanner, each after a freeze. Both are now tuning data: the first
// for the second round of fixes (7 missed and 6 flagged when it was evaluated), the second for the third round
// (11 missed and 8 flagged when it was evaluated), the third (written after version 4 froze) for the fourth round
// (3 missed and 6 flagged when it was evaluated), the fourth (written after version 5 froze) for the fifth round
// (7 missed and 4 flagged when it was evaluated), the fifth (written after version 6 froze) for the seventh version
// (11 missed and 9 flagged when it was evaluated); their ceilings are what the fixes reached. The sixth, written after
// version 7 froze, held version 7's result as its ceiling: 6 missed, 8 flagged (version 6 in the same run: 9 and 9);
// since then two classes of its false flags are fixed (a vendor's published test keys: reCAPTCHA's; a vendor rule's
// range that stopped before the EXAMPLE marker), so 6 and 6; version 8 (its classes generalised) reaches 0 and 0.
// The third tuning set (privacy-tune-3.jsonl, written before version 8 froze by a writer who never saw the scanner):
// version 7 missed 9 and flagged 9 of it; version 8, tuned on it, 0 and 0. The seventh blind set, written after
// version 8 froze (9506f86): version 8 missed 1 and flagged 2 (version 7 in the same run: 3 and 6); version 9 (its
// three classes generalised: classes-round9.test.ts) 0 and 0. The eighth, written after version 9 froze (8304e13):
// version 9 missed 3 and flagged 2 (version 8 in the same run: the same); version 10 (its classes generalised,
// classes-round9.test.ts) 0 and 0. The ninth, written after version 10 froze (cc9a13e): version 10 missed 5 and
// flagged 1 (versions 9 and 8 in the same run: the same); version 11 (its classes generalised) 0 and 0. The tenth,
// written after version 11 froze (615b919): version 11 missed 7 and flagged 7 (versions 9 and 8: the same).
describe.each([
  { file: 'privacy-blind.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-2.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-3.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-4.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-5.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-6.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-tune-3.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-7.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-8.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-9.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-10.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-11.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-12.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-13.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-14.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-15.jsonl', missed: 0, flagged: 2 },
  { file: 'privacy-blind-16.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-17.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-18.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-19.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-20.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-21.jsonl', missed: 0, flagged: 0 },
  { file: 'privacy-blind-22.jsonl', missed: 0, flagged: 0 },
  // written after version 24 froze (2406c49), tuned on since version 25: version 24 missed 7 and flagged 5
  { file: 'privacy-blind-23.jsonl', missed: 0, flagged: 0 },
  // written after version 25 froze (793e8fa), tuned on since version 26: version 25 missed 14 and flagged 4 (version 24
  // in the same run: 13 and 5; its one more find was a role mailbox, alerts@, beside an octal-escaped password both
  // miss); version 26 7 and 0
  { file: 'privacy-blind-24.jsonl', missed: 0, flagged: 0 },
  // written after version 26 froze (660083a), tuned on since version 27: version 26 missed 5 and flagged 1 (version 25
  // in the same run: 7 and 1)
  { file: 'privacy-blind-25.jsonl', missed: 0, flagged: 0 },
  // (eighth session) the fourth tuning set, a matrix: 12 sensitive classes (a named person's criminal record, religion,
  // union membership, medical procedure, immigration status, orientation, debt, pregnancy/disability/mental health;
  // credentials assembled at run time, national ids, personal contacts, credentials in configs and chats) and 12
  // harmless look-alike classes, 10 rows each, each row in another of 42 languages or 19 programming languages.
  // Written after version 26 froze by a writer who never saw the scanner: version 26 missed 69 and flagged 20.
  // (version 27, persons: a person named in more languages and scripts) 64 and 20; (version 27, flags: role mailboxes,
  // organisations' number ranges, public figures, run-time secret reads, general and anonymised cases, specimen ids
  // and dictated passwords in many languages) flagged 0, missed 56; (version 27, terms: the eight special categories'
  // terms in 41 languages, special-terms-ml.ts) missed 5 with the two together; (version 29: assembled credentials by
  // String.Format and %d/%c holes) 2 / 0
  { file: 'privacy-tune-4.jsonl', missed: 2, flagged: 0, rows: 240 },
  // (eighth session) the twenty-sixth blind set, a matrix like tune-4's (the same 12 + 12 classes, 10 rows each, 58
  // languages), written after version 27 froze (aa1b9b4) by a writer who never saw the scanner: version 27 as frozen
  // (with the terms) missed 41 and flagged 9; without the terms 71 and 9; version 26 in the same run 80 and 6;
  // version 29 (tuned on it) 2 / 0, version 28 5 / 3 in the same run
  { file: 'privacy-blind-26.jsonl', missed: 2, flagged: 0, rows: 240 },
  // (ninth session) two more matrices of the same 12 + 12 classes (10 rows each; 72 and 73 languages), written by two
  // writers who never saw the scanner, opened only after version 28 froze (b8a9727), never tuned on: version 28 missed
  // 21 and flagged 6, and missed 29 and flagged 7; version 27 as landed (main 3d201cb) in the same run 58 / 6 and 58 / 5.
  // (tenth session) tuned on by version 29, by class (the categories' words in more forms and languages, persons named
  // in more ways, organisations' lines, credentials assembled by more means): 0 / 0 and 1 / 0
  { file: 'privacy-blind-27.jsonl', missed: 0, flagged: 0, rows: 240 },
  { file: 'privacy-blind-27a.jsonl', missed: 1, flagged: 0, rows: 240 },
  // (tenth session) two more matrices of the same 12 + 12 classes (10 rows each; 73 and 87 languages), written by two
  // writers who never saw the scanner while version 29 was being tuned, opened only after it froze (3020a89), never
  // tuned on: version 29 missed 19 and flagged 6, and missed 29 and flagged 5; version 28 (main 207b758) in the same
  // run 22 / 6 and 33 / 5
  { file: 'privacy-blind-28.jsonl', missed: 19, flagged: 6, rows: 240 },
  { file: 'privacy-blind-28a.jsonl', missed: 29, flagged: 5, rows: 240 },
])('blind set $file', ({ file, missed, flagged, rows: count = 120 }) => {
  it(`misses at most ${missed} and flags at most ${flagged} of its ${count / 2} + ${count / 2} prompts`, () => {
    const rows = readFileSync(fileURLToPath(new URL(`../../data/router/${file}`, import.meta.url)), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { text: string; sensitive: boolean });
    expect(rows.length).toBe(count);
    expect(rows.filter((r) => r.sensitive && !scanPrivacy(r.text).sensitive).length).toBeLessThanOrEqual(missed);
    expect(rows.filter((r) => !r.sensitive && scanPrivacy(r.text).sensitive).length).toBeLessThanOrEqual(flagged);
  });
});
