import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the nineteenth blind evaluation (data/router/privacy-blind-19.jsonl) found missed or falsely flagged,
// generalised (version 21; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 20.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('the nineteenth blind set: found', () => {
  it.each([
    [
      "a named child's diagnosis in Hebrew, by a parent",
      'תנסח בבקשה בצורה רשמית: הבן שלי איתי לוי מכיתה ד׳ אובחן עם אפילפסיה ומקבל דפאקין 200 מ"ג פעמיים ביום.',
    ],
    ["a named neighbour's HIV status in Hindi (name with ji)", 'इसे विनम्र बना दो: 3B वाले सुरेश गुप्ता जी को HIV है, यह बात उनकी बहन ने बताई।'],
    [
      'a hex HMAC secret in a constant decoded into the key',
      'Why does my signature never match?\n\nconst WEBHOOK_SIG: &str = "9f1c2b7e4d8a03f6e5b9c1d27a4f80e3b6c5d9a1f27e48b3c0d6a9e2f1b7c453";\nfn sign(body: &[u8]) -> String {\n    let key = hex::decode(WEBHOOK_SIG).unwrap();\n    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();\n    mac.update(body);\n    hex::encode(mac.finalize().into_bytes())\n}',
    ],
    ['a Russian passport after "паспорт РФ серия"', 'Переведи: Иванов Пётр Сергеевич, паспорт РФ серия 40 12 № 518274, выдан ТП УФМС.'],
    [
      "a named colleague's sexual orientation in Greek",
      'Γράψε μια ουδέτερη απάντηση: ο Γιώργος Αντωνίου από τις πωλήσεις είναι γκέι και δεν θέλει να το μάθει η ομάδα.',
    ],
    [
      'a secret in JSON-escaped source (a notebook cell)',
      '{"cell_type": "code", "source": ["import psycopg\\n", "conn = psycopg.connect(host=\\"db.internal\\", user=\\"etl\\", password=\\"Qm7!pLx2Rz9wT4\\")\\n"]}',
    ],
    [
      'a password after "pw" and a few words',
      'night shift note: the pw for the switch console: Tr4vel!Kite_88 (rotate it after the audit)',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the nineteenth blind set: not findings', () => {
  it.each([
    [
      'a cache key with the SHA-256 of the empty string',
      'Why is my cache always cold? Restore key: node-modules-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    ["the MD5 of 'hello' as a key", 'Our Redis keys look like session_key: 5d41402abc4b2a76b9719d911017c592 - is MD5 a bad idea for that?'],
    ["Korean public agencies' representative numbers", '국세청 콜센터(126)와 한국전력 고객센터(1588-7500)의 상담 시간을 표로 정리해 줘.'],
    ["a Japanese company's call centre number", 'ヤマト運輸のお客様センター（0120-01-9625）に再配達を頼むときの丁寧な言い方を教えて。'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});
