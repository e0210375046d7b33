// The output guard on every model-written field of a result, with the real privacy scanner.
import { describe, expect, it } from 'vitest';
import { guardResult, hasFindings, inputFindings } from '../../src/engine/inputs/guard.js';

const email = 'maria.gonzalez@clinic-mail.org';
const token = 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5';

describe('guardResult', () => {
  it('redacts text, parsed JSON (keys, nested strings, numbers) and TRM drafts, listing findings without values', () => {
    const res = {
      text: `contact ${email}`,
      json: { customer: { email, cards: [4539148803436467] }, [token]: 'key as a key' },
      trm: { drafts: [`draft with ${token}`, 'clean draft'] },
      model: 'm',
    };
    const { result, redactions } = guardResult(res);
    const all = JSON.stringify(result) + JSON.stringify(redactions);
    expect(all).not.toContain(email);
    expect(all).not.toContain(token);
    expect(all).not.toContain('4539148803436467');
    expect(result.text).toBe('contact [REDACTED:email]');
    const json = result.json as { customer: { email: string; cards: (string | number)[] } };
    expect(json.customer.email).toBe('[REDACTED:email]');
    expect(json.customer.cards[0]).toBe('[REDACTED:payment_card]');
    expect(result.trm.drafts[1]).toBe('clean draft');
    expect(redactions.map((r) => r.field).sort()).toEqual([
      'json.<key>',
      'json.customer.cards[0]',
      'json.customer.email',
      'text',
      'trm.drafts[0]',
    ]);
    for (const r of redactions) expect(Object.keys(r).sort()).toEqual(['category', 'end', 'field', 'rule', 'start']);
    expect(result.model).toBe('m');
  });

  it('leaves a clean result as it is', () => {
    const { result, redactions } = guardResult({ text: 'The capital of France is Paris.' });
    expect(result.text).toBe('The capital of France is Paris.');
    expect(redactions).toEqual([]);
    expect(hasFindings(['hello', undefined])).toBe(false);
    expect(hasFindings(['hello', `mail ${email}`])).toBe(true);
  });

  it("keeps back the inputs' identifier and secret values, also out of context and with other separators", async () => {
    const { found, known } = await inputFindings(['Klant: BSN 231 456 700, wifi password: Tr0ub4dor&3xQ', undefined]);
    expect(found).toBe(true);
    const out = 'Numbers: 231456700 and 231-456-700; the password Tr0ub4dor&3xQ; order 2314567001 stays.';
    // out of context, the scanner alone finds none of them
    expect(guardResult({ text: out }).redactions).toEqual([]);
    const { result, redactions } = guardResult({ text: out }, known);
    expect(result.text).toBe(
      'Numbers: [REDACTED:national_id] and [REDACTED:national_id]; the password [REDACTED:credential]; order 2314567001 stays.',
    );
    expect(redactions.map((r) => r.rule)).toEqual(['input-finding', 'input-finding', 'input-finding']);
    expect(redactions[0]).toMatchObject({ field: 'text', start: 9, end: 18 });
  });

  it('does not carry terms that are findings only by their context (a diagnosis), nor short values', async () => {
    const { found, known } = await inputFindings(['Patient Maria Schmidt, born 12.03.1961, was diagnosed with diabetes.']);
    expect(found).toBe(true);
    expect(known.map((k) => k.category)).not.toContain('medical');
    expect(guardResult({ text: 'Diabetes is common.' }, known).result.text).toBe('Diabetes is common.');
  });
});
