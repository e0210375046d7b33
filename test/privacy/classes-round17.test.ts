import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the eighteenth blind evaluation (data/router/privacy-blind-18.jsonl) found missed or falsely flagged,
// generalised (version 20; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 19.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('the eighteenth blind set: found', () => {
  it.each([
    [
      'a password after パスワードは',
      '新人の佐藤さん向けの案内を丁寧に直してください：共有プリンタの管理画面のパスワードは Qz8#mLp2Wr5t です。',
    ],
    ['a password after 비밀번호는', '이 안내문을 정중하게 바꿔줘: 회의실 NAS 비밀번호는 Hn4$kT9pLw2q 입니다.'],
    [
      'a password reversed at run time (Python)',
      'Port this to Go:\n\nAPI_USER = "svc_reports"\n_p = "7731_nevaR!dloC"\ndef api_password():\n    return _p[::-1]',
    ],
    [
      'a secret path token in a private feed URL',
      'Why does Outlook reject this feed? https://calendar.example-mail.net/feeds/j.novak%40firma.cz/private-9c41e7a02bd65f38a1c04e7d29b8f6a3/basic.ics',
    ],
    [
      'a phone number in Devanagari digits',
      'इस संदेश का अंग्रेज़ी में अनुवाद करो: मेरे भाई राकेश शर्मा का नंबर ९४१२३ ६७८०५ है, उन्हें कल अस्पताल से छुट्टी मिलेगी।',
    ],
    ["a named father's diabetes (Bengali)", 'অনুবাদ করে দাও: আমার বাবা রফিকুল ইসলাম ডায়াবেটিস আর উচ্চ রক্তচাপে ভুগছেন, প্রতিদিন ইনসুলিন নেন।'],
    [
      "a colleague's pregnancy, named by her first name",
      "Heads-up for the team: Priya won't be in next week. She told me she's 12 weeks pregnant and has severe morning sickness.",
    ],
    [
      'a Kenyan ID after kitambulisho',
      'Andika upya kwa heshima: Bi. Amina Wanjiru, kitambulisho chako Na. 24719385, tafadhali leta nakala ofisini.',
    ],
    [
      "a wife's cancer treatment (Afrikaans)",
      'Skryf dit formeel: Ek is Pieter Botha en ek het die geld nodig vir my vrou se kankerbehandeling.',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the eighteenth blind set: not findings', () => {
  it.each([
    [
      'a typed password parameter (Swift)',
      'Is this Keychain code right?\n\nfunc update(password: String, for user: String) async throws {\n    let data = Data(password.utf8)\n    try await keychain.set(data, key: user)\n}',
    ],
    [
      'a practice vignette with a blood pressure',
      'Practice question for our revision group: a 64-year-old woman has sudden dyspnoea, HR 120, BP 88/54, SpO2 86%. What is the next step?',
    ],
    [
      "a public figure's self-disclosed diagnosis",
      'Write a short tribute: Lance Armstrong founded the Livestrong Foundation after he was diagnosed with testicular cancer in 1996, which he discussed publicly.',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});

describe('literals reversed at run time, in each way the rule reads', () => {
  it.each([
    ['Kotlin, a constant reversed in a function', 'val P = "1922_robraH!etin4rG"\nfun password(): String = P.reversed()'],
    ['PHP, strrev of a variable', '$s = "1922_robraH!etin4rG"; $password = strrev($s);'],
    ['JavaScript, a spread reversed', 'const k = "1922_robraH!etin4rG"; const token = [...k].reverse().join("");'],
    ['Rust, the literal itself reversed', 'let secret: String = "1922_robraH!etin4rG".chars().rev().collect();'],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});
