/**
 * What the pattern bank keeps of a pattern's text: task, approach, outcome and tags scanned by the router's
 * privacy scanner and stored with every finding replaced by `[REDACTED:<category>]`, plus the categories found.
 * Findings are never logged or returned by value.
 */
import { scanPrivacy } from '../privacy/privacy.js';
import type { PrivacyFinding } from '../router/types.js';

/**
 * Which scanner a bank's rows were last checked with. Bump it when src/engine/privacy/privacy.ts detects more:
 * a bank scanned with an older version is rescanned when opened.
 */
// 2: normalising, decoding, generic credentials, national ids and record context (issue 12).
// 3: other-language health notes, Japanese personal data, passwords in prose/CLI/connect calls, chunked vendor tokens (after the blind set).
// 4: other-language clinical notes without a name, named salary tables, multi-line connect calls, concatenated tokens, DSNs, registry logins (after the second blind set).
// 5: Saudi national id/Iqama, listed pay changes, a named employee's treatment in prose; no-reply commit domains, key-file paths, SealedSecret ciphertext, MRN columns without a number and 'no particular patient' questions are not findings (after the third blind set).
// 6: identity numbers named by a label in any language or script, a named person's financial distress, reproductive and mental health terms, credentials split into list items or lines, passwords hidden by hex/base64; fictional addresses, specimen ids, SOPS/age/PGP ciphertext and public figures' published birth dates are not findings (after the fourth blind set).
// 7: BIP-39 seed phrases, webhook URL tokens, passwords in prose in any language, special categories (sexual orientation, religion, union membership, minors in proceedings, debts) of a named person, DNI/CUIL labels, phone regions from the script, keys hidden as hex escapes or in string concatenation; published dev keys (Azurite, Hardhat, KMS), masked values, password hashes, fiction, historical people and sequential sample ids are not findings (after the fifth blind set).
// 8: national ids of 18 more kinds and labels as record keys, criminal records/enforcement/health of an identifiable person in many languages, secrets set through config calls, reversed vendor tokens, \u escapes; declared synthetic records, placeholder people of many languages, encoded placeholders, default container logins and example ids in validator requests are not findings (after the sixth blind set and the third tuning set).
// 9: a Hangul or Han name after a Korean, Chinese or Japanese person label; placeholder words inside a value and YAML tags standing for a value (Ansible Vault, secret references) are not findings (after the seventh blind set).
// 10: passwords built from character codes, abbreviated identifier names (fnr), union membership and surgery in Ukrainian and Russian; key names given as values and 9-digit runs with a check digit (test BSN 123456782) are not findings (after the eighth blind set).
// 11: Mir cards, a memorable word in prose, Bangladeshi numbers in Bengali text, Dutch community sentences and probation; placeholder words of other languages and elided values (sk-...) are not findings (after the ninth blind set).
// 12: byte arrays decoded, key literals in MAC/cipher calls, religion and addiction treatment of a named person, SNILS/INN/Emirates ID, ids named by their SQL insert column, digit groups no longer read as ids inside longer numbers; capitalised placeholder people, encoded public values, key-less PEM blocks, denied real data, teaching cases and the Kubernetes docs' sample Secret are not findings (after the tenth blind set).
// 13: C strings as byte or character-literal arrays with their NUL, keys under terse vendor names (dd_api), religious practice (Ramadan fasting), union membership in German compounds and pregnancy of a named person; validator tests of test numbers, specimen identities filled in field by field and synthetic patients' conditions are not findings (after the eleventh blind set).
// 14: identifiers named by their own table column however far above, the Hungarian TAJ, psychiatric conditions in more languages, basic-auth user/password pairs in calls; example IBANs in validator questions and sequential My Number samples are not findings (after the twelfth blind set).
// 15: South African IDs after Afrikaans labels; masked values (digits around a run of mask characters) are not findings (after the thirteenth blind set).
// 16: a user name and then the password typed for it in prose; fan-fiction character sheets, example IBANs under a sentence calling them examples, resource types inside ARNs and gpg key fingerprints are not findings (after the fourteenth blind set).
// 17: Hugging Face and Discord bot tokens, reversed Telegram tokens, words for a key in other languages before a random value, byte arrays used as a password (camelCase setters, up to 8 lines on), tokens joined from an array of variables, "our colleague" in Arabic; novels in other languages, area code 555 and Apple's sample contacts are not findings (after the fifteenth blind set).
// 18: Ethereum private keys in wallet configs, "came out to me" / "isn't out at work" / partners of a named person; signing keys' user ids in gpg output, RFC 7617's example, test ids with another last digit in validator texts, documented ids cut short, hyphenated references read as phones are not findings (after the sixteenth blind set).
// 19: XOR-obfuscated byte arrays, variables joined where a credential goes, unlabelled passwords in chat, health of a named person in more words and languages (sick leave, rehab, injuries, Cyrillic), titled names and Cyrillic relatives; organisations' published numbers, digests given as expected outputs, "your-…-token" placeholders and fiction in Russian and Ukrainian are not findings (after the seventeenth blind set).
// 20: passwords after Japanese/Korean/Chinese particles, literals reversed at run time, capability URLs, digits of other scripts, health words and relatives in more scripts, pronouns after a given name, bare "ID" before a South African number, Swahili and Afrikaans phone and ID words; parameter types, blood pressures read as dates and public figures' own health disclosures are not findings (after the eighteenth blind set).
// 21: persons named in Hebrew and Hindi, doses in Hebrew and Arabic, Greek orientation words, random constants decoded into MAC/cipher keys, JSON-escaped source, "pw" in prose; digests of well-known inputs, cache keys and Korean/Japanese/Chinese call-centre numbers are not findings (after the nineteenth blind set).
// 22: "주민번호", Arabic, Japanese, Chinese and Korean health words, byte-array MAC keys; standards' example records, organisations' role mailboxes, anonymised texts, fiction in more languages, CAPTCHA site keys and Finnish test identity codes are not findings (after the twentieth blind set).
// 23: Bearer tokens anywhere, SymmetricKey byte arrays; "coming out as text", example passwords, the Telegram docs token and public services' numbers are not findings (after the twenty-first blind set).
// 24: pregnancy losses said plainly and a colleague named with their team, tokens split into literals joined and reversed, same-sex partners and rent arrears in Spanish, Portuguese, French and Italian family chats, XOR arrays called a password above them, a bare "ID" before a South African number, Afrikaans titles and pregnancy words; instructions in place of values in example env files are not findings (after the twenty-second blind set).
// 25: character codes turned into characters by Kotlin's toChar() and Rust's "as char", byte arrays XORed with a named key constant, secrets joined from lists of literals (mkString, joinToString, "".join) into a variable a password key takes, webhook URLs concatenated from variables holding literals; team and customer-service mailboxes, switchboard numbers, the field word 名前 in a sentence, a failed check digit said to be a test in Thai and other languages, a public figure's public coming-out in trivia are not findings (after the twenty-third blind set).
// 26: string literals as octal escapes, passed to a reversing call (strrev, StrReverse, reverse), joined by a concatenating call (Rust's concat!, String.Concat, SQL CONCAT), character lists with spaces after the commas, a secret in a Scala/Kotlin map pair ("sfPassword" -> "…"), a mobile number in an Indonesian text (region words), sexual orientation in Polish, Czech, Turkish, Finnish and other languages; customer-service lines and the role mailboxes beside them, and a failed check digit said to be a test in Finnish, Romanian and other languages (or in the prose above a code literal) are not findings (after the twenty-fourth blind set).
// 27: convictions, Jehovah's Witnesses, union membership and asylum or protection status in more languages, a biopsy, surgery and pregnancy in Greek, Amharic and Persian, names with two particles and titled names in Greek, Persian, Amharic and Georgian family names, literals assembled by an empty-separator join, a %s or str.format string, an interpolation, a Concat call or a "+" chain of names holding literals, byte lists XORed with a repeating key of several bytes, code split over a notebook cell's line strings; a company's customer line in Central European, Greek, Nordic and Baltic words and a role mailbox on the same line as it are not findings (after the twenty-fifth blind set); a private person named in 42 languages and scripts (given names, titles and honorifics, surname forms, relation words), a password dictated in words; role and department mailboxes, organisations' numbers, public figures' lives, secrets read at run time, hypothetical and general legal questions, anonymised cases and specimen ids in many languages are not findings (after the matrix set privacy-tune-4).
// 28: the special categories' words in 29 more languages (Slovenian, Baltic, Icelandic, Marathi, Telugu, Punjabi, Khmer, Burmese, Yoruba, Hausa, Somali, Azerbaijani, Kazakh, Uzbek, Catalan, Basque, Galician, Albanian, Macedonian, Mongolian, Nepali, Sinhala, Lao, Zulu, Welsh, Irish, Maltese) and more in the others; persons named in those scripts and cultures, Cyrillic and Greek names, public figures and laws read on the normalised text; role mailboxes in more languages (after the twenty-sixth blind set).
// 29: the special categories' words in more forms and languages (Welsh mutations, Afrikaans, Zulu, Mongolian, Amharic, Irish, Sinhala and more), persons named by a Zulu prefix, a Vietnamese family name, Yoruba letters, a Mongolian patronymic, a Sinhala title, a Chinese unit before a name and a name before a team in Thai, Khmer and Latvian; organisations' lines in more languages, opening hours, company addresses, interpolated URL passwords, masked headers, Ruby constants, novels, dated essays and "no real person" texts are not findings (after the twenty-seventh blind matrices)
export const PRIVACY_SCAN_VERSION = 29;

const MARKER_RE = /\[REDACTED:[a-z_]{1,40}\]/g;

/** Between the fields of one pattern in the scanned document: a blank line (sentences end there). */
const SEP = '\n\n';

export interface PatternText {
  task: string;
  approach: string;
  outcome?: string | null;
  tags?: string[];
}

/**
 * A pattern's text redacted, with the categories found; `changed` when any field changed. Task, approach,
 * outcome and tags are scanned as one document (one scanner call per pattern, and context across the
 * fields counts, e.g. a name in the task and a diagnosis in the outcome); each finding is cut back to the
 * field(s) it lies in. Markers already in the text (redacted before, or a bundle from another bank) stay as
 * they are: findings inside a marker are dropped, so redacting twice changes nothing.
 */
export function redactPatternText<T extends PatternText>(p: T): { value: T; categories: string[]; changed: boolean } {
  const fields = [p.task, p.approach, ...(typeof p.outcome === 'string' ? [p.outcome] : []), ...(p.tags ?? [])];
  const doc = fields.join(SEP);
  const scan = scanPrivacy(doc);
  if (!scan.sensitive) return { value: p, categories: [], changed: false };
  const markers = doc.includes('[REDACTED:') ? [...doc.matchAll(MARKER_RE)].map((m) => [m.index, m.index + m[0].length] as const) : [];
  const perField: PrivacyFinding[][] = fields.map(() => []);
  let at = 0;
  const ranges = fields.map((f) => {
    const r = [at, at + f.length] as const;
    at += f.length + SEP.length;
    return r;
  });
  for (const f of scan.findings) {
    let { start, end } = f;
    for (const [a, b] of markers) {
      if (start >= a && start < b) start = b; // begins inside a marker: what follows it, if anything
      if (end > a && end <= b && start < a) end = a; // ends inside a marker: what precedes it
    }
    if (end <= start) continue;
    ranges.forEach(([a, b], i) => {
      const s0 = Math.max(start, a);
      const e0 = Math.min(end, b);
      if (e0 > s0) perField[i].push({ ...f, start: s0 - a, end: e0 - a });
    });
  }
  const categories = [...new Set(perField.flat().map((f) => f.category))].sort();
  if (!categories.length) return { value: p, categories, changed: false };
  const out = fields.map((f, i) => (perField[i].length ? redactRanges(f, perField[i]) : f));
  const value: T = { ...p, task: out[0], approach: out[1] };
  let k = 2;
  if (typeof p.outcome === 'string') value.outcome = out[k++];
  if (p.tags) value.tags = out.slice(k);
  return { value, categories, changed: out.some((f, i) => f !== fields[i]) };
}

/** Replaces each run of overlapping findings by one marker named after the first (as the scanner's own redaction does). */
function redactRanges(text: string, findings: PrivacyFinding[]): string {
  const fs = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (let i = 0; i < fs.length;) {
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
