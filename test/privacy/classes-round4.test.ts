import { describe, expect, it } from 'vitest';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';

// Classes the third blind evaluation found missed or falsely flagged (data/router/README.md). Every case is a new
// example written for this test, not a blind-set row.
const cats = (t: string) => new Set(scanPrivacy(t).findings.map((f) => f.category));
const flagged = (t: string) => scanPrivacy(t).sensitive;

describe('Saudi national id / Iqama (10 digits, first 1 or 2, Luhn check digit)', () => {
  it('an Arabic record with رقم الهوية', () => {
    expect(cats('اكتب خطاب تحويل:\nالاسم: سارة بنت محمد العتيبي\nرقم الهوية: 1047293863\nالمدينة: الرياض').has('national_id')).toBe(true);
  });
  it('an English note with an Iqama number', () => {
    expect(cats('Please renew the work permit, Iqama no. 2045187362, before March.').has('national_id')).toBe(true);
  });
  it('a ten-digit number failing the check digit, with no cue, is not', () => {
    expect(cats('Order 1047293864 shipped from the Riyadh warehouse.').has('national_id')).toBe(false);
  });
});

describe('pay changes of named people written as a list', () => {
  it('"Name, Title: 95k → 104k" lines are salary', () => {
    const text = 'Summarise the merit cycle for HR:\n- Priya Raman, Data Eng: 95k → 104k\n- Tomasz Wójcik, Designer: 88k -> 92k';
    expect(cats(text).has('salary')).toBe(true);
  });
  it('names the given-name list does not know, as list items', () => {
    expect(cats('Raise proposals for the comp review:\n* Oren Tauber, Staff Eng: $141,000 → $150,000').has('salary')).toBe(true);
  });
  it('growth figures without pay are not', () => {
    expect(flagged('Weekly downloads, Vite vs Webpack: 12k → 15k and 30k → 28k over the quarter.')).toBe(false);
  });
});

describe('values that are not a person or a secret', () => {
  it('a GitHub noreply commit address and an SSH public key path in a .gitconfig', () => {
    const text =
      '[user]\n  name = Build Bot\n  email = 1234567+buildbot@users.noreply.github.com\n  signingkey = ~/.ssh/id_rsa_signing.pub\n[gpg]\n  format = ssh';
    expect(flagged(text)).toBe(false);
  });
  it('a real address next to it still is', () => {
    expect(cats('git config user.email "maria.keller@gmx.de"').has('email')).toBe(true);
  });
  it("China's GB 11643 sample resident id number is a documented sample", () => {
    expect(cats('Validate the check digit of this resident ID card number: 11010519491231002X').has('national_id')).toBe(false);
  });
});

describe('health of a named employee in English prose', () => {
  it('a review naming the employee once, then by given name, with the treatment', () => {
    const text =
      'Tidy up my notes for the quarterly review.\nReviewee — Olga Brandt, Support Lead.\nOlga was off for five weeks in May for treatment of bipolar disorder and is taking lithium now. Tickets closed dropped by a third.';
    expect(cats(text).has('medical')).toBe(true);
  });
  it('a named colleague, then a general question about a drug, is not', () => {
    expect(flagged('Forwarding from Olga Brandt in pharmacy.\nDoes lithium need level checks when ibuprofen is added?')).toBe(false);
  });
});

describe('no person, no data', () => {
  it('a SealedSecret manifest: encryptedData is ciphertext for the cluster key', () => {
    const text =
      'kubeseal gave me this, safe to push?\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db-creds\nspec:\n  encryptedData:\n    DB_PASSWORD: AgCk38ZpQ0vN2rTq7Ls9WbX4yHe1Mu6Jd5Fo8Ri3Ka0Gt7Vn2Pw9Sx4Lb6Hz1Qc5Yd8Me3Tf0Ug7Ij2Ok9Pl4Rm6Sn1\n  template:\n    metadata:\n      name: db-creds';
    expect(flagged(text)).toBe(false);
  });
  it('the same value as a plain Secret stringData is still a credential', () => {
    const text =
      'kind: Secret\nstringData:\n  api_key: AgCk38ZpQ0vN2rTq7Ls9WbX4yHe1Mu6Jd5Fo8Ri3Ka0Gt7Vn2Pw9Sx4Lb6Hz1Qc5Yd8Me3Tf0Ug7Ij2Ok9Pl4Rm6Sn1';
    expect(flagged(text)).toBe(true);
  });
  it('a table definition with an mrn column holds no record number', () => {
    expect(flagged('Is this index right?\nCREATE TABLE admissions (\n  mrn TEXT NOT NULL,\n  ward INTEGER\n);')).toBe(false);
  });
  it('an MRN with digits still is one', () => {
    expect(cats('Chart for MRN 00482913, please summarise').has('medical')).toBe(true);
  });
  it('a drug question that says it is about no particular patient', () => {
    expect(flagged('Not about a particular patient: when should warfarin be paused before dental surgery?')).toBe(false);
  });
});
