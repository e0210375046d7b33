import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the fifteenth blind evaluation (data/router/privacy-blind-15.jsonl) found missed or falsely flagged,
// generalised (version 17; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 16.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('the fifteenth blind set: credentials', () => {
  it.each([
    [
      'a Hugging Face token in escaped notebook JSON',
      '"source": ["import os\\n", "os.environ[\\"HF_TOKEN\\"] = \\"hf_Qw8ErT5yUi2oPa4sDf6gHj9kLz3xCv7bNm\\"\\n"]',
    ],
    ['a Discord bot token passed to run()', 'bot.run("NzQ5MzE4MjYwNTQxMjk0NjI0.GhT2xQ.k9vLw3Pq8Zr1Ys5Tn2Mb7Xc4Vd6Fg0Hj1Kl2Mn3")'],
    ['a Telegram token stored reversed', '_t = "Zq8Rk2Lm5Np7Tv9Wx3Yb6Cd1Fg4Hj0Ks8AA:7104418263"\nbot = telebot.TeleBot(_t[::-1])'],
    [
      'a hex key after the German word for key',
      'Der Produktionsschlüssel aus dem Tresor lautet: 9b1f6c2e4d8a7f3065c1e9b2d4f7a8c3e5b6d9f0a1c2e3f4b5a6c7d8e9f0a1b2',
    ],
    [
      'a password as a Java byte array used as a password',
      'private static final byte[] P = { 0x4b, 0x6c, 0x61, 0x75, 0x73, 0x65, 0x6e, 0x23, 0x32, 0x30, 0x31, 0x39 };\nds.setPassword(new String(P, StandardCharsets.UTF_8));',
    ],
    [
      'a key split into variables and joined as an array',
      'const a = "gh" + "p_";\nconst b = "R8kq2ZxT4mNcV7bL1pWs";\nconst c = "9eYd3uHf6jAo0GiK";\nexport const TOKEN = [a, b, c].join("");',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the fifteenth blind set: personal data and look-alikes', () => {
  it('a conversion confided by "our colleague" (Arabic) is flagged', () => {
    expect(flagged('زميلنا سامر النجار من قسم المبيعات ترك الإسلام واعتنق المسيحية، ولا يريد أن يعرف أحد.')).toBe(true);
  });
  it.each([
    [
      'a Portuguese novel',
      'Estou escrevendo um romance. O protagonista, Rui Salgueiro, 41 anos, tem transtorno bipolar e esconde isso da família.',
    ],
    [
      'area code 555 in sample contacts',
      'let samples = [Contact(name: "Kate Bell", phone: "(555) 564-8583"), Contact(name: "Daniel Higgins", phone: "555-478-7672")]',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});
