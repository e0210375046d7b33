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

/**
 * A value the scanner found in the inputs (a file read by reference, the prompt): the guard keeps it back wherever the
 * model's output repeats it, also where the output has lost the context that made it findable ("BSN 231456700" read,
 * "231456700" written; a password after "password:" read, the bare password written). Identifiers and secrets only:
 * a health or salary term is a finding by its context, not a value to look for.
 */
export interface KnownValue {
  value: string;
  category: string;
  /** Digit runs match with any separators between their digits ("231 456 700" is "231456700"). */
  digits: RegExp | null;
}
const CARRIED = new Set([
  'credential',
  'private_key',
  'national_id',
  'payment_card',
  'iban',
  'phone',
  'email',
  'personal_id',
  'date_of_birth',
  'postal_address',
]);
const MAX_KNOWN = 5000;
const PIECE = 64 * 1024;
const OVERLAP = 1024;

function addKnown(known: Map<string, KnownValue>, raw: string, category: string): void {
  const v = raw.trim();
  if (v.length < 6 || known.size >= MAX_KNOWN || known.has(v)) return;
  const d = v.replace(/\D/g, '');
  const digits =
    d.length >= 6 && /^[\d\s./()+-]+$/.test(v) ? new RegExp(`(?<!\\d)${d.split('').join('[\\s./()-]{0,2}')}(?!\\d)`, 'g') : null;
  known.set(v, { value: v, category, digits });
  // (a finding that takes its label along, "password=…": its value part is a known value too)
  for (const part of v.split(/[\s=:'"`,;]+/)) if (part !== v && part.length >= 6 && /\d/.test(part)) addKnown(known, part, category);
}

/**
 * Scans the inputs (in pieces, between event-loop turns, so a 2 MB file does not hold the loop): whether anything is
 * found at all, and the identifier and secret values found, for guardResult.
 */
export async function inputFindings(texts: readonly (string | undefined)[]): Promise<{ found: boolean; known: KnownValue[] }> {
  const known = new Map<string, KnownValue>();
  let found = false;
  for (const t of texts) {
    if (typeof t !== 'string' || !t) continue;
    for (let at = 0; at < t.length; at += PIECE) {
      if (at > 0) await new Promise<void>((r) => setImmediate(r));
      const piece = t.slice(Math.max(0, at - OVERLAP), at + PIECE);
      for (const f of scanPrivacy(piece).findings) {
        found = true;
        if (CARRIED.has(f.category)) addKnown(known, piece.slice(f.start, f.end), f.category);
      }
    }
  }
  return { found, known: [...known.values()] };
}

/** Redacts one string; findings are pushed with `field`. With `known`, the inputs' values are kept back too. */
export function guardText(text: string, field: string, out: GuardFinding[], known: readonly KnownValue[] = []): string {
  if (!text) return text;
  const s = scanPrivacy(text);
  const spans: GuardFinding[] = s.findings.map((f) => ({ field, category: f.category, rule: f.rule, start: f.start, end: f.end }));
  const covered = (a: number, b: number) => spans.some((x) => x.start <= a && x.end >= b);
  for (const k of known) {
    const add = (start: number, end: number) => {
      if (!covered(start, end)) spans.push({ field, category: k.category, rule: 'input-finding', start, end });
    };
    if (k.digits) for (const m of text.matchAll(k.digits)) add(m.index, m.index + m[0].length);
    else for (let i = text.indexOf(k.value); i >= 0; i = text.indexOf(k.value, i + k.value.length)) add(i, i + k.value.length);
  }
  if (spans.length === 0) return text;
  out.push(...spans);
  if (spans.length === s.findings.length) return s.redacted;
  // the scanner's spans and the known values' together, merged; the first span of a merged range names its marker
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let redacted = '';
  let pos = 0;
  for (let i = 0; i < spans.length;) {
    let end = spans[i].end;
    let j = i + 1;
    while (j < spans.length && spans[j].start < end) end = Math.max(end, spans[j++].end);
    redacted += text.slice(pos, spans[i].start) + `[REDACTED:${spans[i].category}]`;
    pos = end;
    i = j;
  }
  return redacted + text.slice(pos);
}

const MAX_DEPTH = 64;

/** Redacts every string (and number, e.g. a card number as JSON) inside a parsed JSON value. */
export function guardJson(value: unknown, field: string, out: GuardFinding[], depth = 0, known: readonly KnownValue[] = []): unknown {
  if (depth > MAX_DEPTH) return value;
  if (typeof value === 'string') return guardText(value, field, out, known);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const s = String(value);
    const r = guardText(s, field, out, known);
    return r === s ? value : r;
  }
  if (Array.isArray(value)) return value.map((v, i) => guardJson(v, `${field}[${i}]`, out, depth + 1, known));
  if (value && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = guardText(k, `${field}.<key>`, out, known);
      o[key] = guardJson(v, `${field}.${key}`, out, depth + 1, known);
    }
    return o;
  }
  return value;
}

/** The model-written fields of a completion result, redacted in place of a copy. */
export function guardResult<T extends { text: string; json?: unknown; jsonError?: string; trm?: { drafts: string[] } }>(
  res: T,
  known: readonly KnownValue[] = [],
): { result: T; redactions: GuardFinding[] } {
  const out: GuardFinding[] = [];
  const r: T = { ...res, text: guardText(res.text, 'text', out, known) };
  if (res.json !== undefined) r.json = guardJson(res.json, 'json', out, 0, known);
  if (res.jsonError) r.jsonError = guardText(res.jsonError, 'jsonError', out, known);
  if (res.trm) r.trm = { ...res.trm, drafts: res.trm.drafts.map((d, i) => guardText(d, `trm.drafts[${i}]`, out, known)) };
  return { result: r, redactions: out };
}
