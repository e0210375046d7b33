import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the sixth blind evaluation found falsely flagged (data/router/README.md). Every case is a new example
// written for this test, not a blind-set row.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('published test keys of a vendor (data/router/public-test-values.json)', () => {
  it("Google reCAPTCHA v2's documented test key pair is not a finding", () => {
    expect(
      flagged('RECAPTCHA_SITE_KEY=6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI\nRECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe'),
    ).toBe(false);
  });
  it('another key of the same shape is', () => {
    expect(flagged('RECAPTCHA_SECRET_KEY=6LcR4pQhAAAAAKz7Wm2Vb9Tx-Qn3Lp8Hs5Dj1Fe')).toBe(true);
  });
});

describe("a vendor rule's range that stops inside the value", () => {
  it("an AWS secret key carrying the documentation's EXAMPLE marker past the reported range is not a finding", () => {
    // secretlint's AWS rule reports 40 characters from the start of `aws_secret_access_key = …`: the marker lies after
    expect(flagged('[dev]\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY')).toBe(false);
  });
  it('the same line with a key without the marker still is', () => {
    expect(flagged('[dev]\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbQm5Wk2YeR')).toBe(true);
  });
});

describe('an excerpt of the BIP-39 wordlist quoted in its own order', () => {
  it('is not a seed phrase (the list is alphabetical; a generated phrase is in list order once in 12! ≈ 479 million)', () => {
    expect(
      flagged(
        'The English list starts: abandon ability able about above absent absorb abstract absurd abuse access accident. Write a loader.',
      ),
    ).toBe(false);
  });
  it('the same words shuffled, as a wallet would show them, still are', () => {
    expect(flagged('my recovery words: absurd able access about abandon accident absent ability abuse above abstract absorb')).toBe(true);
  });
});
