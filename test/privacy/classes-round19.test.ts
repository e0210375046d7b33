import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the twentieth blind evaluation (data/router/privacy-blind-20.jsonl) found missed or falsely flagged,
// generalised (version 22; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 21.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('the twentieth blind set: found', () => {
  it.each([
    [
      'a Korean resident number after the short label 주민번호',
      '이거 보험사에 보낼 문자로 정리해줘: 아빠 주민번호 650314-1834922 이고 주소는 부산 해운대구 우동 1408',
    ],
    [
      "a named colleague's pregnancy in Arabic",
      'أعد صياغة هذه الرسالة بلطف: الزميلة سارة العتيبي حامل وتحتاج إلى إجازة قصيرة الأسبوع القادم.',
    ],
    [
      'a MAC key as a byte array passed to the MAC',
      'let key: [u8; 16] = [0x3f, 0xa1, 0x07, 0xc9, 0x5e, 0x12, 0xb8, 0x44, 0xd0, 0x6b, 0x91, 0x2c, 0xee, 0x73, 0x08, 0x5a];\nlet mut mac = HmacSha256::new_from_slice(&key).expect("key");',
    ],
    ["a named employee's depression in Japanese", '人事向けに丁寧に直して：佐藤健太さんはうつ病で休職中で、睡眠薬を服用しています。'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the twentieth blind set: not findings', () => {
  it.each([
    [
      "a specification's example patient",
      'Map this to our schema. It is the example Patient from the FHIR R4 specification: name Peter James Chalmers, birthDate 1974-12-25, phone (03) 5555 6473.',
    ],
    ["a charity's role mailbox", 'Add to the footer: Mind, the mental health charity - write to info@mind.org.uk'],
    [
      'a character in a Portuguese novel',
      'No meu romance, a protagonista Marta Vieira é fictícia e tem epilepsia; como descrever uma crise de forma realista?',
    ],
    [
      'a CAPTCHA site key in page config',
      "const config = { siteKey: '0x4AAAAAAADnPIDROrmt1Wwj', theme: 'dark' }; // Turnstile widget in the signup form",
    ],
    [
      'a Finnish test identity code',
      'Fix my test data: testihenkilö 131052-982J should be accepted by our staging form, it is a test identity.',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe("an organisation's mailboxes", () => {
  it("a person's mailbox on the domain of an organisation the text names is still found", () => {
    expect(flagged('Mind, the charity: please forward this to maria.gonzalez@mind.org.uk, she handles my case.')).toBe(true);
  });
  it('role mailboxes of thousands of named vendors are none of them findings', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `Vendor${i} Ltd, contact info@vendor${i}.com`);
    expect(scanPrivacy('Supplier list for the audit:\n' + rows.join('\n')).findings.filter((f) => f.category === 'email')).toEqual([]);
  });
});
