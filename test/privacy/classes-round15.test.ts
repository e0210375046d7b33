import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the sixteenth blind evaluation (data/router/privacy-blind-16.jsonl) found missed or falsely flagged,
// generalised (version 18; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 17.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('the sixteenth blind set: found', () => {
  it.each([
    [
      'an Ethereum key in a Hardhat network',
      'networks: { sepolia: { url: RPC_URL, accounts: ["0x9c4b2e7d1a0f3c5e8b6d2a4f7e1c9b3d5a8f0e2c4b6d8a1f3e5c7b9d2a4f6e8c"] } }',
    ],
    [
      'a colleague who came out, not out at work',
      "Heads up: Daniel Okafor came out to me last month, he lives with his boyfriend and isn't out to the rest of the team.",
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
});

describe('the sixteenth blind set: not findings', () => {
  it.each([
    ["a signing key's user id in gpg output", 'gpg: Good signature from "Debian CD signing key <debian-cd@lists.debian.org>" [unknown]'],
    ["RFC 7617's example header", 'The RFC 7617 example: Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== (Aladdin / open sesame).'],
    [
      'a test BSN with another last digit in a validator test',
      'Voor de unittests: schrijf een Jest-test die BSN 111222333 accepteert en het nummer 111222339 afwijst.',
    ],
    ['a hyphenated order reference', 'INFO refund ok ref=INV-2023-004512 amount=12.00'],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
});
