import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the fourteenth blind evaluation (data/router/privacy-blind-14.jsonl) found missed or falsely flagged,
// generalised (version 16; data/router/README.md). Every case is a new example written for this test, not a
// blind-set row; each "is flagged" / "is not flagged" case failed on version 15.
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('a user name and then the password typed for it, in prose', () => {
  it.each([
    [
      'a router login',
      "Can't get into the router admin page: the user is netadmin2 and I keep entering Copper#Lantern-42, but it says the login failed.",
    ],
    [
      'a staff portal',
      'My staff portal login: username jdevries, and every morning I type Tulip&Canal2019! but today the credentials are rejected.',
    ],
  ])('%s is flagged', (_, text) => {
    expect(flagged(text)).toBe(true);
  });
  it('a password rule described in prose is not', () => {
    expect(flagged('The login page says my username jdevries is fine but the password needs 12 characters, a digit and a symbol.')).toBe(
      false,
    );
  });
});

describe('documented or invented values that are not secrets or personal data', () => {
  it.each([
    [
      'a fictional address on a fan-fiction character sheet',
      '二次創作のキャラクターシートを作りたいです。主人公の住所は杜王町3丁目12番地、年齢は16歳という原作の設定でお願いします。',
    ],
    [
      'example IBANs as test parameters below the sentence that calls them examples',
      'Beispiel-IBANs aus der Dokumentation für meine Validator-Tests:\n\n```python\nCASES = [\n    "FR14 2004 1010 0505 0001 3M02 606",\n    "FR76 3000 4000 0312 3456 7890 143",\n]\n```',
    ],
    ['a secret ARN with its random suffix', 'Resource: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/api-key-Xy12Zq"'],
    [
      'a signing key fingerprint in gpg output',
      'gpg:                using RSA key 5A1D3E8F7C2B9046D1E8A3F27B9C04E6D5F1A2B3\ngpg: Good signature from "Release Bot"',
    ],
  ])('%s is not flagged', (_, text) => {
    expect(flagged(text)).toBe(false);
  });
  it('an IBAN from a production log given as the example for a regex still is', () => {
    expect(
      flagged('Regex zum Maskieren gesucht, Beispiel aus dem Produktions-Log (prod): payout iban=DE33500105176483920175 status=OK'),
    ).toBe(true);
  });
  it('a customer IBAN with a name still is', () => {
    expect(flagged('Client : Hélène Marchand, IBAN FR76 3000 4000 0312 3456 7890 143, prélèvement le 5 du mois.')).toBe(true);
  });
});
