/**
 * What the pattern bank keeps of a pattern's text: task, approach, outcome and tags scanned by the router's
 * privacy scanner and stored with every finding replaced by `[REDACTED:<category>]`, plus the categories found.
 * Findings are never logged or returned by value.
 */
import { scanPrivacy } from '../router/privacy.js';
import type { PrivacyFinding } from '../router/types.js';

/**
 * Which scanner a bank's rows were last checked with. Bump it when src/engine/router/privacy.ts detects more:
 * a bank scanned with an older version is rescanned when opened.
 */
export const PRIVACY_SCAN_VERSION = 1;

const MARKER_RE = /\[REDACTED:[a-z_]{1,40}\]/g;

export interface RedactedText {
  text: string;
  categories: string[];
}

/**
 * Redacts one text. Markers already in it (text redacted before, or a bundle from another bank) stay as they
 * are: findings inside a marker are dropped, so redacting twice changes nothing.
 */
export function redactText(text: string): RedactedText {
  const scan = scanPrivacy(text);
  if (!scan.sensitive) return { text, categories: [] };
  const markers = text.includes('[REDACTED:') ? [...text.matchAll(MARKER_RE)].map((m) => [m.index, m.index + m[0].length] as const) : [];
  if (!markers.length) return { text: scan.redacted, categories: categoriesOf(scan.findings) };
  const kept: PrivacyFinding[] = [];
  for (const f of scan.findings) {
    let { start, end } = f;
    for (const [a, b] of markers) {
      if (start >= a && start < b) start = b; // begins inside a marker: what follows it, if anything
      if (end > a && end <= b && start < a) end = a; // ends inside a marker: what precedes it
    }
    if (end > start) kept.push({ ...f, start, end });
  }
  if (!kept.length) return { text, categories: [] };
  return { text: redactRanges(text, kept), categories: categoriesOf(kept) };
}

function categoriesOf(findings: PrivacyFinding[]): string[] {
  return [...new Set(findings.map((f) => f.category))].sort();
}

/** Replaces each run of overlapping findings by one marker named after the first (as the scanner's own redaction does). */
function redactRanges(text: string, findings: PrivacyFinding[]): string {
  const fs = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (let i = 0; i < fs.length; ) {
    const { start, category } = fs[i];
    let end = fs[i].end;
    let j = i + 1;
    while (j < fs.length && fs[j].start < end) end = Math.max(end, fs[j++].end);
    out += text.slice(pos, Math.max(pos, start)) + `[REDACTED:${category}]`;
    pos = Math.max(pos, end);
    i = j;
  }
  return out + text.slice(pos);
}

export interface PatternText {
  task: string;
  approach: string;
  outcome?: string | null;
  tags?: string[];
}

/** A pattern's text redacted, with the union of the categories found; `changed` when any field changed. */
export function redactPatternText<T extends PatternText>(p: T): { value: T; categories: string[]; changed: boolean } {
  const parts = [redactText(p.task), redactText(p.approach)];
  const outcome = typeof p.outcome === 'string' ? redactText(p.outcome) : null;
  const tags = p.tags?.map((t) => redactText(t));
  const all = [...parts, ...(outcome ? [outcome] : []), ...(tags ?? [])];
  const categories = [...new Set(all.flatMap((r) => r.categories))].sort();
  if (!categories.length) return { value: p, categories, changed: false };
  const value: T = { ...p, task: parts[0].text, approach: parts[1].text };
  if (outcome) value.outcome = outcome.text;
  if (tags) value.tags = tags.map((t) => t.text);
  const changed = value.task !== p.task || value.approach !== p.approach || value.outcome !== p.outcome || (tags ?? []).some((t, i) => t.text !== p.tags![i]);
  return { value, categories, changed };
}

/** The union of two category lists (sorted). */
export function mergeCategories(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Parses a stored category list; anything malformed reads as none. */
export function parseCategories(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string' && /^[a-z_]{1,40}$/.test(c)) : [];
  } catch {
    return [];
  }
}
