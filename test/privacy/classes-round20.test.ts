import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the twenty-first blind evaluation (data/router/privacy-blind-21.jsonl) found missed or falsely flagged,
// generalised (version 23; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 22.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('the twenty-first blind set: found', () => {
  it.each([
    [
      'a bearer token set as a header value in code',
      'Go: req.Header.Add("authorization", "Bearer 7f3a9c1e5b2d4a6f8e0c1b3d5a7f9e2c4b6d8a0f") - why 401?',
    ],
    [
      'an HMAC key as a Swift byte array wrapped in a SymmetricKey',
      'let secretBytes: [UInt8] = [0x4e, 0x91, 0x2a, 0xd7, 0x13, 0xbc, 0x68, 0xf0, 0x5d, 0xa2, 0x37, 0xc4, 0x8b, 0x06, 0xe9, 0x71]\nlet key = SymmetricKey(data: secretBytes)\nlet mac = HMAC<SHA256>.authenticationCode(for: payload, using: key)',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the twenty-first blind set: not findings', () => {
  it.each([
    [
      '"coming out as" text in a data question naming someone',
      'Jane Miller asked why the date column keeps coming out as text after the CSV import.',
    ],
    [
      'a weak password given as an example (German)',
      'Bitte formulieren: Beispiel für ein schwaches Passwort: Winter2024! – so etwas nie verwenden.',
    ],
    [
      "the Telegram documentation's example token",
      'BOT_TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"  # copied from the Bot API docs, does it work?',
    ],
    ['a poison centre and the police on a leaflet', 'Für das Infoblatt: Giftnotruf Berlin 030 19240, Polizei 110.'],
    ["a parliament's public visitor line", 'Remind the class to call the Parliament visitor line on 020 7219 4114 before the trip.'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});
