import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the fifth blind evaluation found missed or falsely flagged (data/router/README.md). Every case is a new
// example written for this test, not a blind-set row.
const cats = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('a secret hidden by encoding or assembly, decoded and scanned in its context', () => {
  it('a key written as hex escapes in a C array named for a key', () => {
    // "Xq9LmT2vRb7KpW4sNz8HcY3dFg6JtA1e" escaped
    const hex = [...'Xq9LmT2vRb7KpW4sNz8HcY3dFg6JtA1e'].map((c) => '\\x' + c.charCodeAt(0).toString(16)).join('');
    expect(cats(`static const char api_secret[] = "${hex}";\nsend(api_secret);`).has('credential')).toBe(true);
  });
  it('a base64 password decoded at run time into a password variable', () => {
    const b64 = Buffer.from('Kx7!mQ2#vR9p').toString('base64');
    expect(cats(`export MYSQL_PWD="$(printf '%s' '${b64}' | base64 --decode)"\nmysql -u app shop`).has('credential')).toBe(true);
  });
  it('a signed JWT split across string concatenation', () => {
    const jwt =
      Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url') +
      '.' +
      Buffer.from('{"sub":"u_77120","role":"owner","exp":1893456000}').toString('base64url') +
      '.Qm9vN2xKc1pXcVh4dFR5VmJuM2tMcE1hRWZHaEo';
    const [a, b, c] = [jwt.slice(0, 30), jwt.slice(30, 70), jwt.slice(70)];
    expect(cats(`session_token = ("${a}"\n  "${b}"\n  "${c}")`).has('credential')).toBe(true);
    expect(cats(`let t = '${a}' +\n  '${b}' +\n  '${c}';`).has('credential')).toBe(true);
  });
  it('hex escapes of ordinary text and a concatenated greeting are not', () => {
    const hex = [...'Hello, world! Welcome back.'].map((c) => '\\x' + c.charCodeAt(0).toString(16)).join('');
    expect(flagged(`printf("${hex}\\n");`)).toBe(false);
    expect(flagged(`const msg = "Hello, " +\n  "dear customer, " +\n  "your order shipped.";`)).toBe(false);
  });
});

describe('a secret with no label or vendor prefix', () => {
  it('a BIP-39 seed phrase (12 and 24 words), by the published wordlist', () => {
    expect(
      cats('Restore words for the cold wallet: orbit lecture canvas hybrid salmon vendor quarter drift brisk melody tackle oyster').has(
        'credential',
      ),
    ).toBe(true);
    const words24 =
      '1. planet 2. rescue 3. ozone 4. margin 5. lottery 6. fringe 7. kidney 8. absorb 9. velvet 10. crater 11. yellow 12. spike 13. tribe 14. unveil 15. glimpse 16. harvest 17. dolphin 18. nephew 19. ribbon 20. scatter 21. wisdom 22. cabin 23. elegant 24. fossil';
    expect(cats(words24).has('credential')).toBe(true);
  });
  it('English prose, a word list, and published test mnemonics are not seed phrases', () => {
    expect(flagged('We should review the budget before the board meeting and then decide which project to fund next year.')).toBe(false);
    expect(flagged('Hardhat and Anvil derive their dev accounts from test test test test test test test test test test test junk.')).toBe(
      false,
    );
    expect(
      flagged('BIP-39 test vector: abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'),
    ).toBe(false);
  });
  it('the token segment of a webhook URL (any service)', () => {
    expect(
      cats(
        'alerts:\n  hook: https://discordapp.com/api/webhooks/998877665544332211/Vt3bQ9xLmN2pK7rHs4WcY8dZ1fJgA6eUoT5iR0yBnC-qXwEvSlMkPj_aDhGzFu',
      ).has('credential'),
    ).toBe(true);
    expect(cats('POST https://chat.example-corp.io/hooks/incoming/7hQm2Vx9Kp4LsN8bRt3WcZ6y to notify').has('credential')).toBe(true);
  });
  it('a webhook URL with only ids or placeholders is not', () => {
    expect(flagged('Set url: https://discord.com/api/webhooks/<id>/<token> in the config.')).toBe(false);
    expect(flagged('Docs: https://example.org/docs/webhooks/getting-started/configuration-guide')).toBe(false);
  });
  it('a password given in prose in other languages', () => {
    expect(cats('Marta: wifi w biurze to Biuro5G, hasło do sieci: Kwiatek!2024').has('credential')).toBe(true);
    expect(cats('Das Passwort für den Router lautet Sonnenblume#88, bitte nicht weitergeben.').has('credential')).toBe(true);
    expect(cats('La contraseña del servidor es Girasol-Azul-19, no la cambies.').has('credential')).toBe(true);
    expect(cats('Пароль от почты: Ромашка-2024!').has('credential')).toBe(true);
  });
  it('talk about passwords in other languages without one is not', () => {
    expect(flagged('Hasło musi mieć co najmniej 12 znaków i jedną cyfrę.')).toBe(false);
    expect(flagged('Das Passwort muss mindestens 12 Zeichen lang sein.')).toBe(false);
  });
});

describe('special-category personal data of a named person, in any language', () => {
  it('union membership and religion-linked deductions per named employee', () => {
    const text =
      'Deductions Oct:\nid,employee,gross,item,amt\n311,Grace Mwangi,41800,Unite trade union subscription,38.00\n312,Yusuf Demir,39950,church tithe payroll giving,150.00';
    expect(flagged(text)).toBe(true);
  });
  it("a named colleague's sexual orientation", () => {
    expect(flagged('Heads up: Tomasz Kowalczyk from finance is bisexual and not out at work, so keep it out of the offsite chatter.')).toBe(
      true,
    );
    expect(flagged('Entre nous : Julien Marchand est homosexuel, il ne l’a pas encore dit à ses parents.')).toBe(true);
  });
  it('a minor named in custody or family-court proceedings', () => {
    expect(
      flagged(
        'Draft the order: the Petitioner Anna Kovacs shall have sole custody of the minor child Lili Kovacs (age 6); the father gets supervised visits.',
      ),
    ).toBe(true);
  });
  it('a named person in arrears or facing garnishment, in Korean and Spanish', () => {
    expect(flagged('정리해줘: 김민수 씨가 대출 이자를 석 달째 연체 중이고 다음 주에 압류 통지가 나갑니다.')).toBe(true);
    expect(flagged('Redacta la carta: Martín Acosta adeuda tres cuotas y se ordenó el embargo de su sueldo.')).toBe(true);
  });
  it('an Argentine DNI with dots and a CUIL with its check digit', () => {
    expect(cats('Titular: Rodrigo Pérez, DNI 28.337.914, CUIL 20-28337914-1').has('national_id')).toBe(true);
  });
  it('a phone number in a Korean chat, by the script', () => {
    expect(cats('[오후 4:01] 이서연: 급하면 010-5521-8830 으로 연락 주세요').has('phone')).toBe(true);
  });
  it('the same words in their everyday senses, next to a name, are not', () => {
    expect(flagged('Joe Biden lifted the trade embargo on Cuba in the draft speech.')).toBe(false);
    expect(flagged('Daniel Smith said the new release came out on Monday.')).toBe(false);
    expect(flagged('Ask Sarah Lee about the minor version bump.')).toBe(false);
    expect(flagged('Jane Park runs the self-custody wallet team.')).toBe(false);
  });
  it('general talk about these subjects names no one', () => {
    expect(flagged('What does UK law say about deducting trade union dues from payroll? Our union is Unite.')).toBe(false);
    expect(flagged('How should an HR policy protect employees who are gay or bisexual from harassment?')).toBe(false);
    expect(flagged('Explain how courts decide custody of a minor child when parents live in different countries.')).toBe(false);
    expect(flagged('¿Qué es un embargo de sueldo y cuánto puede retener el banco en Argentina?')).toBe(false);
  });
});

describe('published values, masked values, fiction and history are not findings', () => {
  it('published development keys: Azurite, Hardhat accounts, KMS client setup keys', () => {
    expect(
      flagged(
        'connection: DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;',
      ),
    ).toBe(false);
    expect(flagged('deployer private key = 0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d (anvil account 1)')).toBe(
      false,
    );
    expect(flagged('slmgr /ipk NPPR9-FWDCX-D2C8J-H872K-2YT43 is the Enterprise KMS setup key; activation fails.')).toBe(false);
  });
  it('masked values and one-way password hashes in fixtures', () => {
    expect(flagged('INFO auth ok user=j.d*** password=[MASKED] api_key=<hidden> secret=****')).toBe(false);
    expect(flagged('seed:\n  password_digest: "$2b$12$KIXQJ6z1h5vZ8rW3pQ9dUeY0aB2cD4eF6gH8iJ0kL2mN4oP6qR8sT"')).toBe(false);
    expect(flagged('  hashed_password = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzYWx0$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"')).toBe(false);
  });
  it('a real-looking password next to a hash is still found', () => {
    expect(flagged('password: "Zr8#qW2!mX" # hash: $2b$12$KIXQJ6z1h5vZ8rW3pQ9dUeY0aB2cD4eF6gH8iJ0kL2mN4oP6qR8sT')).toBe(true);
  });
  it('famous fictional characters in demo data, and a fictional person in a creative-writing request', () => {
    expect(
      flagged(
        'const demo = [\n  { name: "Harry Potter", address: "4 Privet Drive, Little Whinging", phone: "555-0147" },\n  { name: "Marge Simpson", phone: "555-0121" },\n];',
      ),
    ).toBe(false);
    expect(
      flagged(
        'For my short story: the heroine, Ilona Varga, is a 41-year-old teacher who learns she has multiple sclerosis. Help me write the scene where she tells her class.',
      ),
    ).toBe(false);
  });
  it('a writer telling of their own relative is still personal', () => {
    expect(flagged('I am writing a memoir chapter: my mother, Ilona Varga, was diagnosed with multiple sclerosis in 2019.')).toBe(true);
  });
  it("a historical person's birth date from a published biography", () => {
    expect(
      flagged('Ada Lovelace was born on 10 December 1815 in London and died on 27 November 1852. Write a short bio for a poster.'),
    ).toBe(false);
  });
  it('a sequential documentation value shaped like a check-digit id', () => {
    expect(flagged('"tckn": {"type": "string", "examples": ["12345678950"]} - does our validator accept it?')).toBe(false);
  });
});
