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
