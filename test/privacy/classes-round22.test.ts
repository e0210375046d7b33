import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the twenty-third blind evaluation (data/router/privacy-blind-23.jsonl) found missed or falsely flagged,
// generalised (version 25; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is found" / "is not flagged" case failed on version 24.
const categories = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));
const codes = (s: string) => [...s].map((c) => c.charCodeAt(0)).join(', ');
const xorBytes = (s: string, k: number) => [...s].map((c) => '0x' + (c.charCodeAt(0) ^ k).toString(16).padStart(2, '0')).join(', ');

describe('the twenty-third blind set: found', () => {
  it.each([
    [
      'a Stripe key as Kotlin character codes mapped with toChar()',
      'credential',
      `object Billing {\n    private val c = intArrayOf(${codes('sk_live_4eC39HqLyjWDarjtT1zdp7dcQ2')})\n    val key: String get() = c.map { it.toChar() }.joinToString("")\n}`,
    ],
    [
      'a GitHub token as Rust character codes cast "as char"',
      'credential',
      `fn token() -> String {\n    [${codes('ghp_R8fK2mQ9xT4wZ7vB1nL6pJ3sD5hG0yC8eA2q')}].iter().map(|&c| c as u8 as char).collect()\n}`,
    ],
    [
      'a GitLab token in a Rust byte array XORed with a named constant',
      'credential',
      `const MASK: u8 = 0x3c;\nstatic BLOB: &[u8] = &[${xorBytes('glpat-Xq7Lm2Rv9Tb4Wn8Kc1Zp', 0x3c)}];\nfn tok() -> String { BLOB.iter().map(|b| (b ^ MASK) as char).collect() }`,
    ],
    [
      'a Stripe key in a C byte array XORed with a #define’d key',
      'credential',
      `#define KEY 77\nstatic const unsigned char enc[] = {${xorBytes('sk_live_51Hq8Zt3Lw7Nc2Vb5Xr9Mk4Jd1Pq', 77)}};\nfor (i = 0; i < sizeof enc; i++) out[i] = enc[i] ^ KEY;`,
    ],
    [
      'a database password joined from a Scala Seq by mkString, passed as "password"',
      'credential',
      'val secretParts = Seq("Tq9#v", "Lm2$x", "Rz7!k")\nval dbPass = Seq("Tq9#v", "Lm2$x", "Rz7!k").mkString\nval props = Map("user" -> "etl", "password" -> dbPass)',
    ],
    [
      'a password joined from a Kotlin list by joinToString("")',
      'credential',
      'val pw = listOf("Hx4&m", "Qp8*z", "Wd3%n").joinToString("")\nDriverManager.getConnection(jdbcUrl, "reporter", pw)',
    ],
    [
      'a Discord webhook assembled from a base, an id and a token split over literals',
      'credential',
      'WEBHOOK_BASE = "https://discord.com/api/webhooks/"\nCHANNEL_ID = "1298765432109876543"\nSECRET = (\n    "Zq8LwN3vR7tYx2Pb_Kd5Hm9Jc4Gf6Sa1"\n    "Ue0Tr8Ny3Mv7Lq2Wx5Bz9Cp4Hk6Dj1Fs"\n)\nrequests.post(WEBHOOK_BASE + CHANNEL_ID + "/" + SECRET, json=payload)',
    ],
    [
      'an Aadhaar number on the line after its Hindi cue, in a form',
      'national_id',
      'माँ का आधार कार्ड का नंबर नीचे है, फ़ॉर्म भर दो:\nनाम: कमला देवी शर्मा\n7391 5268 0413\nमोबाइल 98765 43210',
    ],
    [
      'an Aadhaar number after its Bengali cue',
      'national_id',
      'আমার বাবার আধার নম্বর 4620 8173 9553, এটা দিয়ে রেশন কার্ড আবেদন পূরণ করে দাও।',
    ],
    [
      'a passport number after its Persian label',
      'national_id',
      'این را ترجمه کن: خواهرم مریم احمدی، شماره گذرنامه B71934266، در استانبول پناهنده است.',
    ],
    [
      'a national identity card number after its Bengali label',
      'national_id',
      'মামলার নোট: আমাদের মক্কেল করিম হোসেন, জাতীয় পরিচয়পত্র নম্বর 1987264530, হুমকি পাচ্ছেন।',
    ],
  ])('%s is found (%s)', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('the twenty-third blind set: not findings', () => {
  it.each([
    [
      'a Norwegian shop’s customer-service mailbox and switchboard',
      'Lag en kort kontaktside for nettbutikken: kundeservice@fjellbua.no, sentralbord 22 41 80 00 (hverdager 8–16). Fjellbua AS, Postboks 412, 0103 Oslo.',
    ],
    [
      'a Swedish company’s switchboard and orders mailbox',
      'Översätt till engelska: "Ring vår växel på 031-701 20 00 eller mejla orders@skogsvaror.se." Skogsvaror AB säljer trädgårdsmöbler.',
    ],
    [
      'a team’s on-call alias in an incident summary',
      'Summarise: Ahmed acked the page at 02:10, Lena took over at 06:00; escalate to platform-oncall@brightgrid.dev if the queue backs up again.',
    ],
    [
      'an SRE alerts alias in a runbook',
      'Add to the runbook: alerts go to sre-alerts@tidewave.net and the dashboard is at https://grafana.tidewave.net/d/queue.',
    ],
    [
      'a Japanese question that uses 名前 in a sentence',
      '社内向けに、年末調整の書類の名前、提出期限、提出先を一覧にした表を作ってください。特定の社員の情報は不要です。',
    ],
    ['a Japanese form design question about the name field', '会員登録フォームで名前の欄を必須にするべきか、UXの観点から意見をください。'],
    [
      'a Thai ID that fails its check digit, said to be made up for a test (Thai)',
      'ฟังก์ชันตรวจเลขบัตรประชาชนบอกว่าเลข 3-1017-02938-47-2 ผิด เลขนี้ฉันสุ่มขึ้นมาเพื่อทดสอบเท่านั้น',
    ],
    [
      'a public figure’s public coming-out in a quiz',
      'Write a five-question quiz about Anderson Cooper: he anchors a CNN show, he is the son of Gloria Vanderbilt, and he publicly came out as gay in 2012.',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});

describe('the twenty-third blind set: look-alikes that stay found', () => {
  it.each([
    [
      'a password joined by "".join in Python, passed by keyword',
      'credential',
      'secret_value = "".join(["Mv7#pQ", "r2Zx!k", "L9wT"])\nconn = psycopg2.connect(host=h, user="app", password=secret_value)',
    ],
    [
      'a Discord webhook assembled from constants in JavaScript',
      'credential',
      "const HOOKS = 'https://discordapp.com/api/webhooks/';\nconst HOOK_ID = '1187654321098765432';\nconst HOOK_KEY = 'pX7rQ2mL9vT4wZ8nB3kY6hJ1cF5dG0sA-Ue8Rt3Nq7Mv2Lw5Xb9Zc4Hp6Kj1Ds';\nawait fetch(HOOKS + HOOK_ID + '/' + HOOK_KEY, { method: 'POST', body });",
    ],
    [
      'a person’s own mailbox beside a team alias',
      'email',
      'Escalate to payments-oncall@ledgerhaus.io, or mail Dana directly at dana.kowalczyk@ledgerhaus.io.',
    ],
    ['a person’s mobile after the switchboard', 'phone', 'Växel 08-120 345 00. Min mobil: 070-123 45 67, ring efter 17.'],
    ['a Japanese name field with a name', 'person_name', '申込書\n氏名：山田 太郎\n住所：東京都'],
    [
      'a neighbour’s coming-out told privately',
      'special_category',
      'My neighbour Karl Jensen told me he is gay but has not told his parents yet; how do I support him?',
    ],
    [
      'a joined password whose name says nothing, taken by a password key',
      'credential',
      'val x = Seq("Pk3@w", "Zr8!q", "Mn5#t").mkString\nval opts = Map("sfPassword" -> x)',
    ],
  ])('%s is found (%s)', (_, category, text) => {
    expect(categories(text)).toContain(category);
  });
});

describe('the twenty-third blind set: harmless look-alikes', () => {
  it.each([
    ['words joined by mkString', 'val greeting = Seq("Hello", ", ", "world").mkString\nprintln(greeting)'],
    [
      'a webhook URL assembled from a placeholder',
      'BASE = "https://discord.com/api/webhooks/"\nID = "your-webhook-id"\nTOKEN = "your-webhook-token"\nurl = BASE + ID + "/" + TOKEN',
    ],
    [
      'character codes of a greeting mapped with toChar()',
      'val s = intArrayOf(72, 101, 108, 108, 111, 32, 75, 111, 116, 108, 105, 110).map { it.toChar() }.joinToString("")',
    ],
    ['a general Bengali question on the Aadhaar card', 'আধার কার্ড কী এবং কীভাবে আবেদন করতে হয়? একটি সাধারণ ব্যাখ্যা লিখুন।'],
    ['a Persian question on passports with a year', 'پاسپورت ایرانی چند صفحه دارد و تمدید آن چقدر طول می‌کشد؟ هزینه ۱۴۰۳ چقدر است؟'],
  ])('%s is not flagged', (_, text) => {
    expect(scanPrivacy(text).sensitive).toBe(false);
  });
});
