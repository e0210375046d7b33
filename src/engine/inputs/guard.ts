/**
 * The output guard: what local_complete hands back to the host is scanned by the privacy
 * scanner, and every finding is replaced by [REDACTED:<category>]. Findings are listed by
 * field, category and position (in the model's output before redaction), never by value.
 */
import { scanPrivacy } from '../router/index.js';

export type RedactOutput = 'auto' | 'always' | 'never';
export const REDACT_OUTPUT_MODES: readonly RedactOutput[] = ['auto', 'always', 'never'];

export interface GuardFinding {
  /** Where in the result: "text", "json.<path>", "trm.drafts[1]", "jsonError". */
  field: string;
  category: string;
  rule: string;
  start: number;
  end: number;
}

export interface GuardReport {
  /** True when the guard ran (redactOutput and the inputs decide). */
  applied: boolean;
  /** Why it ran or did not. */
  why: string;
  redactions: GuardFinding[];
}

/** Does the text carry anything the scanner flags? (for redactOutput auto on by-value inputs) */
export function hasFindings(texts: readonly (string | undefined)[]): boolean {
  return texts.some((t) => typeof t === 'string' && t.length > 0 && scanPrivacy(t).findings.length > 0);
}

/** Redacts one string; findings are pushed with `field`. */
export function guardText(text: string, field: string, out: GuardFinding[]): string {
  if (!text) return text;
  const s = scanPrivacy(text);
  if (s.findings.length === 0) return text;
  for (const f of s.findings) out.push({ field, category: f.category, rule: f.rule, start: f.start, end: f.end });
  return s.redacted;
}

const MAX_DEPTH = 64;

/** Redacts every string (and number, e.g. a card number as JSON) inside a parsed JSON value. */
export function guardJson(value: unknown, field: string, out: GuardFinding[], depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  if (typeof value === 'string') return guardText(value, field, out);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const s = String(value);
    const r = guardText(s, field, out);
    return r === s ? value : r;
  }
  if (Array.isArray(value)) return value.map((v, i) => guardJson(v, `${field}[${i}]`, out, depth + 1));
  if (value && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = guardText(k, `${field}.<key>`, out);
      o[key] = guardJson(v, `${field}.${key}`, out, depth + 1);
    }
    return o;
  }
  return value;
}

/** The model-written fields of a completion result, redacted in place of a copy. */
export function guardResult<T extends { text: string; json?: unknown; jsonError?: string; trm?: { drafts: string[] } }>(
  res: T,
): { result: T; redactions: GuardFinding[] } {
  const out: GuardFinding[] = [];
  const r: T = { ...res, text: guardText(res.text, 'text', out) };
  if (res.json !== undefined) r.json = guardJson(res.json, 'json', out);
  if (res.jsonError) r.jsonError = guardText(res.jsonError, 'jsonError', out);
  if (res.trm) r.trm = { ...res.trm, drafts: res.trm.drafts.map((d, i) => guardText(d, `trm.drafts[${i}]`, out)) };
  return { result: r, redactions: out };
}
