import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the seventh blind evaluation found missed or falsely flagged, generalised (version 9; data/router/README.md).
// Every case is a new example written for this test, not a blind-set row; each failed on version 8.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('a person named in Korean, Chinese or Japanese after a person label, beside a national identifier', () => {
  it.each([
    ['a Korean RRN after 고객: and a Hangul name', '상담 메모를 정리해 줘.\n고객: 김서연 (850314-2047514)\n문의: 카드 재발급'],
    ['a Korean RRN after 성명 in a table-like line', '성명: 이도윤 / 850314-2047514 / 부산광역시'],
    ['a Korean RRN after 환자 이름 (patient name)', '진료 요약\n환자 이름: 정하은 850314-2047514\n진단: 편두통'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it('the same number after a label that names no person is not', () => {
    expect(flagged('주문: 배송 조회 (850314-2047514)')).toBe(false);
  });
});

describe('placeholder words inside a token value are not a credential', () => {
  it.each([
    ['a bot token whose secret part is REPLACE_ME', 'TELEGRAM_BOT_TOKEN=123456789:REPLACE_ME'],
    ['a key with CHANGE_ME after its vendor-like prefix', 'PAYMENT_SECRET_KEY=sk_CHANGE_ME'],
    ['a password ending in FILL_ME_IN', 'SMTP_PASSWORD=smtp-FILL_ME_IN'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it('a real-looking value of the same shape still is', () => {
    expect(flagged('TELEGRAM_BOT_TOKEN=7104418263:AAH3kq9ZrT2xWvB8mLpQe5sYdN1uF0cJg4o')).toBe(true);
  });
});

describe('a YAML tag that stands for the value (a vault, a secret reference) is not the value', () => {
  it.each([
    ['an Ansible Vault value', 'db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3961386438306438653138616136383762303766\n'],
    ["Home Assistant's secrets reference", 'http:\n  api_password: !secret http_password\n'],
    ['a CloudFormation reference', 'MasterUserPassword: !Ref DbPasswordParameter\n'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it('a password that merely starts with "!" still is', () => {
    expect(flagged('db_password: !Tr0ub4dor&3x\n')).toBe(true);
  });
});

// Classes the eighth blind evaluation found (version 10): each new example failed on version 9.
describe('a password built at run time from character codes, where a secret is named', () => {
  it.each([
    ['Python chr over a list', '_k = [83, 117, 110, 51, 116, 33, 86, 97, 108, 107, 35, 55]\nSMTP_PASSWORD = "".join(chr(c) for c in _k)'],
    ['JavaScript String.fromCharCode', 'const dbPassword = String.fromCharCode(77, 105, 116, 116, 101, 110, 35, 52, 57, 81, 120);'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it('character codes of a plain word, or numbers in a data array, are not', () => {
    expect(flagged('greeting = "".join(map(chr, [104, 101, 108, 108, 111, 32, 119, 111, 114, 108, 100]))')).toBe(false);
    expect(flagged('pixels = [83, 117, 110, 51, 116, 33, 86, 97, 108, 107, 35, 55]\nmean = sum(pixels) / len(pixels)')).toBe(false);
  });
});

describe('national identifiers named by their common abbreviation', () => {
  it('a Norwegian fødselsnummer after "fnr."', () => {
    expect(flagged('Sak 2023/1187\nSøker: Kari Nordmo Lie, fnr. 17087941531\nVedtak: innvilget')).toBe(true);
  });
});

describe('special categories of a named person in Ukrainian and Russian', () => {
  it.each([
    ['union membership (Ukrainian)', 'Наш інженер Андрій Васильович Коваленко вступив до профспілки, і керівник хоче його звільнити.'],
    ['heart surgery (Russian)', 'Сотрудница Мария Игоревна Соколова вернулась после операции на сердце и просит неполный день.'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it('the same words with no one named are not', () => {
    expect(flagged('Як профспілка може захистити працівника від звільнення під приводом скорочення?')).toBe(false);
  });
});

describe('published test numbers in a request to write tests for a check-digit rule', () => {
  it('a 9-digit number that is a run of eight digits and its check digit (the test BSN 123456782)', () => {
    expect(flagged("Schrijf tests voor mijn elfproef-functie. Neem de test-BSN's 111222333 en 123456782 als geldige gevallen.")).toBe(
      false,
    );
  });
});

describe('a key name given as the value is not a secret', () => {
  it.each([
    ['an External Secrets mapping', 'data:\n  - secretKey: POSTGRES_PASSWORD\n    remoteRef:\n      key: prod/orders/db\n'],
    ['an env var named, not set', 'password_env: DB_ADMIN_PASSWORD\n'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

// Classes the ninth blind evaluation found (version 11): each new example failed on version 10.
describe('the ninth blind set: found', () => {
  it.each([
    ['a Mir card (2200-2204) with its CVC', 'Данные карты: 2200 7004 1234 5679, срок 11/26, CVC 204'],
    [
      'a memorable word of online banking in prose',
      'For the joint account: customer number 48213907, memorable word Larkspur1986, PIN in the drawer.',
    ],
    ['a Bangladeshi mobile number in a Bengali form', 'অভিভাবকের নাম: রাশেদ করিম\nমোবাইল: 01712-345678\nঠিকানা: ঢাকা'],
    [
      'a token in variables, its vendor prefix split too',
      "const p1 = 'gh' + 'p_';\nconst p2 = 'Zq81mKd0Lw2';\nconst p3 = 'xT7vNc4RbY9sQe';\nconst p4 = '5HuJp3WaF1k';\nconst client = new Octokit({ auth: p1 + p2 + p3 + p4 });",
    ],
    [
      'a community sentence and probation of a named neighbour (Dutch)',
      'Pas op voor Ruud Jansen van nummer 12: hij heeft een taakstraf gekregen en staat onder toezicht van de reclassering.',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the ninth blind set: not findings', () => {
  it.each([
    ['a DSN with Spanish placeholder words', 'DATABASE_URL=postgres://USUARIO:CONTRASEÑA@localhost:5432/app'],
    ['a DSN with German placeholder words', 'DB_URL=mysql://benutzer:passwort@localhost:3306/shop'],
    ['a key elided with an ellipsis', 'OPENAI_API_KEY=sk-...tu-clave-aqui'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});
