/**
 * National identifiers of several countries, each with its published format and, where one exists, its
 * check digit(s) / check letter. Used by the privacy scanner (privacy.ts).
 *
 * `strength`:
 *  - 'strong': the format is distinctive (letters in fixed places, a country prefix, separators) and a
 *    check character validates it; flagged wherever it appears.
 *  - 'weak': a plain run of digits whose check passes for about one random number in ten (or a date +
 *    check); flagged only with a cue (the identifier's name, in its own language or English) or in a
 *    record next to a person's name.
 * `cue`: words that name this identifier (used to validate cued numbers of this kind, and as the cue).
 */

export interface NationalIdKind {
  id: string;
  country: string;
  strength: 'strong' | 'weak';
  re: RegExp;
  /** Cheap literal test that must succeed before the regex runs (speed); optional. */
  gate?: RegExp;
  valid(m: RegExpMatchArray): boolean;
  cue?: RegExp;
}

const dig = (s: string) => s.replace(/\D/g, '');
const num = (s: string, i: number) => s.charCodeAt(i) - 48;

export function luhn(digits: string): boolean {
  let sum = 0;
  let alt = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = num(digits, i);
    if (alt) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    alt = !alt;
  }
  return sum % 10 === 0;
}

const VD = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VP = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
export function verhoeff(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = VD[c][VP[i % 8][num(digits, digits.length - 1 - i)]];
  return c === 0;
}

function mod(digits: string, m: number): number {
  let r = 0;
  for (let i = 0; i < digits.length; i++) r = (r * 10 + num(digits, i)) % m;
  return r;
}

function weighted(digits: string, weights: number[]): number {
  let s = 0;
  for (let i = 0; i < weights.length; i++) s += num(digits, i) * weights[i];
  return s;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}
/** Two-digit year: valid in either century. */
const validDate2 = (yy: number, m: number, d: number) => validDate(1900 + yy, m, d) || validDate(2000 + yy, m, d);

const allSame = (d: string) => /^(\d)\1*$/.test(d);
/** 123456789, 12345678: sequences people type as a placeholder. */
const sequential = (d: string) => '01234567890123456789'.includes(d) || '98765432109876543210'.includes(d);

// ---------------------------------------------------------------- per-country checks

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
function dniNie(m: RegExpMatchArray): boolean {
  const raw = m[0].toUpperCase().replace(/[\s-]/g, '');
  const prefix = raw[0];
  const body = /[XYZ]/.test(prefix) ? String('XYZ'.indexOf(prefix)) + raw.slice(1, -1) : raw.slice(0, -1);
  if (sequential(dig(raw).slice(0, 8)) || allSame(dig(raw))) return false;
  return DNI_LETTERS[Number(body) % 23] === raw[raw.length - 1];
}

const CF_ODD: Record<string, number> = {};
'1 0 5 7 9 13 15 17 19 21'.split(' ').forEach((v, i) => (CF_ODD[String(i)] = Number(v)));
'1 0 5 7 9 13 15 17 19 21 2 4 18 20 11 3 6 8 12 14 16 10 22 25 24 23'
  .split(' ')
  .forEach((v, i) => (CF_ODD[String.fromCharCode(65 + i)] = Number(v)));
function codiceFiscale(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase();
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = s[i];
    if (i % 2 === 0) sum += CF_ODD[c];
    else sum += c >= '0' && c <= '9' ? num(c, 0) : c.charCodeAt(0) - 65;
  }
  return String.fromCharCode(65 + (sum % 26)) === s[15];
}

function insee(m: RegExpMatchArray): boolean {
  const raw = m[0].toUpperCase().replace(/\s/g, '');
  const month = Number(raw.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) return false;
  const body = raw.slice(0, 13).replace('2A', '19').replace('2B', '18');
  if (!/^\d{13}$/.test(body)) return false;
  return 97 - mod(body, 97) === Number(raw.slice(13));
}

function steuerId(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || d[0] === '0') return false;
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 10; i++) counts[num(d, i)]++;
  const multi = counts.filter((c) => c > 1);
  if (multi.length !== 1 || multi[0] > 3) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let s = (num(d, i) + product) % 10;
    if (s === 0) s = 10;
    product = (s * 2) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === num(d, 10);
}

function bsn(m: RegExpMatchArray): boolean {
  const d = dig(m[0]).padStart(9, '0');
  if (d.length !== 9 || allSame(d) || sequential(d)) return false;
  return (weighted(d, [9, 8, 7, 6, 5, 4, 3, 2]) - num(d, 8)) % 11 === 0;
}

function aadhaar(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  return d.length === 12 && d[0] >= '2' && !allSame(d) && verhoeff(d);
}

function sin(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  return d.length === 9 && !allSame(d) && luhn(d);
}

function cpf(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || allSame(d)) return false;
  const c1 = ((weighted(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]) * 10) % 11) % 10;
  const c2 = ((weighted(d, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) * 10) % 11) % 10;
  return c1 === num(d, 9) && c2 === num(d, 10);
}

function pesel(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || allSame(d)) return false;
  const mm = Number(d.slice(2, 4)) % 20;
  if (!validDate(2000, mm, Number(d.slice(4, 6)))) return false;
  return (10 - (weighted(d, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10 === num(d, 10);
}

function personnummer(m: RegExpMatchArray): boolean {
  let d = dig(m[0]);
  if (d.length === 12) d = d.slice(2);
  if (d.length !== 10) return false;
  const day = Number(d.slice(4, 6));
  if (!validDate2(Number(d.slice(0, 2)), Number(d.slice(2, 4)), day > 60 ? day - 60 : day)) return false;
  return luhn(d);
}

function fodselsnummer(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11) return false;
  const day = Number(d.slice(0, 2));
  if (!validDate2(Number(d.slice(4, 6)), Number(d.slice(2, 4)), day > 40 ? day - 40 : day)) return false;
  let k1 = 11 - (weighted(d, [3, 7, 6, 1, 8, 9, 4, 5, 2]) % 11);
  if (k1 === 11) k1 = 0;
  let k2 = 11 - (weighted(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11);
  if (k2 === 11) k2 = 0;
  return k1 === num(d, 9) && k2 === num(d, 10);
}

function cpr(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  return d.length === 10 && validDate2(Number(d.slice(4, 6)), Number(d.slice(2, 4)), Number(d.slice(0, 2)));
}

const HETU_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY';
function hetu(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase();
  if (!validDate2(Number(s.slice(4, 6)), Number(s.slice(2, 4)), Number(s.slice(0, 2)))) return false;
  return HETU_CHARS[Number(s.slice(0, 6) + s.slice(7, 10)) % 31] === s[10];
}

function belgianNN(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11) return false;
  const body = d.slice(0, 9);
  const check = Number(d.slice(9));
  return 97 - mod(body, 97) === check || 97 - mod('2' + body, 97) === check;
}

function ahv(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 13) return false;
  let s = 0;
  for (let i = 0; i < 12; i++) s += num(d, i) * (i % 2 ? 3 : 1);
  return (10 - (s % 10)) % 10 === num(d, 12);
}

function chinaRic(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase();
  const y = Number(s.slice(6, 10));
  if (y < 1900 || y > 2030 || !validDate(y, Number(s.slice(10, 12)), Number(s.slice(12, 14)))) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'[weighted(s, w) % 11] === s[17];
}

function tckn(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || d[0] === '0' || allSame(d)) return false;
  const odd = num(d, 0) + num(d, 2) + num(d, 4) + num(d, 6) + num(d, 8);
  const even = num(d, 1) + num(d, 3) + num(d, 5) + num(d, 7);
  const d10 = (((odd * 7 - even) % 10) + 10) % 10;
  let s = 0;
  for (let i = 0; i < 10; i++) s += num(d, i);
  return d10 === num(d, 9) && s % 10 === num(d, 10);
}

function saId(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  return d.length === 13 && validDate2(Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6))) && luhn(d);
}

function tfn(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 9 || allSame(d) || sequential(d)) return false;
  return weighted(d, [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 === 0;
}

const CURP_CHARS = '0123456789ABCDEFGHIJKLMN\u00d1OPQRSTUVWXYZ';
function curp(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase();
  if (!validDate2(Number(s.slice(4, 6)), Number(s.slice(6, 8)), Number(s.slice(8, 10)))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_CHARS.indexOf(s[i]) * (18 - i);
  return (10 - (sum % 10)) % 10 === num(s, 17);
}

function ppsn(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase().replace(/\s/g, '');
  const d = s.slice(0, 7);
  let sum = weighted(d, [8, 7, 6, 5, 4, 3, 2]);
  if (s.length === 9 && s[8] !== 'W') sum += (s.charCodeAt(8) - 64) * 9;
  const r = sum % 23;
  return (r === 0 ? 'W' : String.fromCharCode(64 + r)) === s[7];
}

function nifPt(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 9 || !/[1235689]/.test(d[0]) || allSame(d) || sequential(d)) return false;
  let c = 11 - (weighted(d, [9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  if (c >= 10) c = 0;
  return c === num(d, 8);
}

function rrn(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 13 || !validDate2(Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6)))) return false;
  return (11 - (weighted(d, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]) % 11)) % 10 === num(d, 12);
}

function nhs(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 10 || allSame(d)) return false;
  let c = 11 - (weighted(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11);
  if (c === 11) c = 0;
  return c !== 10 && c === num(d, 9);
}

/** German pension insurance number (Sozialversicherungsnummer): area, birth date, initial, serial, check. */
function deSvnr(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase().replace(/\s/g, '');
  if (!validDate2(Number(s.slice(6, 8)), Number(s.slice(4, 6)), Number(s.slice(2, 4)) % 50 || 1)) return false;
  const digits = s.slice(0, 8) + String(s.charCodeAt(8) - 64).padStart(2, '0') + s.slice(9, 11);
  const w = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const p = num(digits, i) * w[i];
    sum += Math.floor(p / 10) + (p % 10);
  }
  return sum % 10 === num(s, 11);
}

function itin(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  const g = Number(d.slice(3, 5));
  return d[0] === '9' && ((g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94);
}

// ---------------------------------------------------------------- the table

const B = (s: string) => String.raw`(?<![\w.-])${s}(?![\w-]|\.\d)`;
const reCache = new Map<string, RegExp>();
/** One RegExp object per pattern, so kinds with the same format share one scan of the text. */
const R = (src: string, flags: string) =>
  reCache.get(src + '/' + flags) ?? (reCache.set(src + '/' + flags, new RegExp(src, flags)), reCache.get(src + '/' + flags)!);
const D = (n: number) => String.raw`\d{${n}}`;

export const NATIONAL_IDS: NationalIdKind[] = [
  {
    id: 'es-dni-nie',
    country: 'ES',
    strength: 'strong',
    valid: dniNie,
    re: R(B(String.raw`(?:\d{8}|[XYZ][- ]?\d{7})[- ]?[A-HJ-NP-TV-Z]`), 'gi'),
    cue: /\b(?:DNI|NIE|NIF|documento nacional|n[uú]mero de identidad)\b/i,
  },
  {
    id: 'it-codice-fiscale',
    country: 'IT',
    strength: 'strong',
    valid: codiceFiscale,
    re: /\b[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]\b/g,
    cue: /\b(?:codice fiscale|cod\.? ?fisc|C\.?F\.?)\b/i,
  },
  {
    id: 'fr-insee-nir',
    country: 'FR',
    strength: 'strong',
    valid: insee,
    re: R(B(String.raw`[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}`), 'gi'),
    cue: /\b(?:NIR|INSEE|s[ée]curit[ée] sociale|carte vitale|num[ée]ro de s[ée]cu)/i,
  },
  {
    id: 'br-cpf',
    country: 'BR',
    strength: 'strong',
    valid: cpf,
    re: R(B(String.raw`\d{3}\.\d{3}\.\d{3}-\d{2}`), 'g'),
    cue: /\bCPF\b/i,
  },
  {
    id: 'fi-hetu',
    country: 'FI',
    strength: 'strong',
    valid: hetu,
    re: /\b\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]\b/gi,
    cue: /\b(?:henkil[öo]tunnus|HETU|personbeteckning)\b/i,
  },
  {
    id: 'be-national-number',
    country: 'BE',
    strength: 'strong',
    valid: belgianNN,
    re: R(B(String.raw`\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}`), 'g'),
    cue: /\b(?:rijksregister|registre national|national number|NISS|INSZ)/i,
  },
  {
    id: 'ch-ahv',
    country: 'CH',
    strength: 'strong',
    valid: ahv,
    re: R(B(String.raw`756[. ]?\d{4}[. ]?\d{4}[. ]?\d{2}`), 'g'),
    cue: /\b(?:AHV|AVS|OASI)\b/i,
  },
  {
    id: 'cn-resident-id',
    country: 'CN',
    strength: 'strong',
    valid: chinaRic,
    re: R(B(String.raw`[1-9]\d{16}[\dX]`), 'gi'),
    cue: /(?:身份证|resident id|ID card)/i,
  },
  {
    id: 'mx-curp',
    country: 'MX',
    strength: 'strong',
    valid: curp,
    re: /\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d\b/g,
    cue: /\bCURP\b/i,
  },
  {
    id: 'br-cpf',
    country: 'BR',
    strength: 'weak',
    valid: cpf,
    re: R(B(D(11)), 'g'),
    cue: /\bCPF\b/i,
  },
  {
    id: 'nl-bsn',
    country: 'NL',
    strength: 'weak',
    valid: bsn,
    re: R(B(String.raw`\d{4}[. ]?\d{2}[. ]?\d{3}|\d{3}[. ]\d{3}[. ]\d{3}|\d{8,9}`), 'g'),
    cue: /\b(?:BSN|burgerservicenummer|sofi-?nummer|sofinummer|citizen service number)\b/i,
  },
  {
    id: 'in-aadhaar',
    country: 'IN',
    strength: 'weak',
    valid: aadhaar,
    re: R(B(String.raw`[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}`), 'g'),
    cue: /\b(?:aadhaa?r|UIDAI|UID)\b/i,
  },
  {
    id: 'ca-sin',
    country: 'CA',
    strength: 'weak',
    valid: sin,
    re: R(B(String.raw`\d{3}[ -]?\d{3}[ -]?\d{3}`), 'g'),
    cue: /\b(?:SIN|social insurance|NAS|assurance sociale)\b/i,
  },
  {
    id: 'de-steuer-id',
    country: 'DE',
    strength: 'weak',
    valid: steuerId,
    re: R(B(String.raw`\d{2} ?\d{3} ?\d{3} ?\d{3}`), 'g'),
    cue: /\b(?:steuer-?id|steuer-?identifikationsnummer|steueridentifikationsnummer|identifikationsnummer|IdNr|tax id|TIN|steuernummer)\b/i,
  },
  {
    id: 'pl-pesel',
    country: 'PL',
    strength: 'weak',
    valid: pesel,
    re: R(B(D(11)), 'g'),
    cue: /\bPESEL\b/i,
  },
  {
    id: 'se-personnummer',
    country: 'SE',
    strength: 'weak',
    valid: personnummer,
    re: R(B(String.raw`(?:19|20)?\d{6}[-+]?\d{4}`), 'g'),
    cue: /\b(?:personnummer|personnr|samordningsnummer)\b/i,
  },
  {
    id: 'no-fodselsnummer',
    country: 'NO',
    strength: 'weak',
    valid: fodselsnummer,
    re: R(B(String.raw`\d{6} ?\d{5}`), 'g'),
    cue: /\b(?:f[øo]dselsnummer|personnummer|national identity number)\b/i,
  },
  {
    id: 'dk-cpr',
    country: 'DK',
    strength: 'weak',
    valid: cpr,
    re: R(B(String.raw`\d{6}-?\d{4}`), 'g'),
    cue: /\b(?:CPR|personnummer)\b/i,
  },
  {
    id: 'tr-tckn',
    country: 'TR',
    strength: 'weak',
    valid: tckn,
    re: R(B(D(11)), 'g'),
    cue: /\b(?:TC ?Kimlik|T\.C\.|kimlik no|TCKN)\b/i,
  },
  {
    // Saudi national id (first digit 1) and Iqama of residents (2): ten digits, the last a Luhn check digit
    id: 'sa-national-id',
    country: 'SA',
    strength: 'weak',
    valid: (m) => luhn(m[0]),
    re: R(B(String.raw`[12]\d{9}`), 'g'),
    cue: /(?:رقم الهوية|الهوية الوطنية|رقم الإقامة|رقم الاقامة|السجل المدني|\bIqama\b|\bSaudi (?:national )?ID\b)/i,
  },
  {
    id: 'za-id',
    country: 'ZA',
    strength: 'weak',
    valid: saId,
    re: R(B(String.raw`\d{6} ?\d{4} ?\d{3}`), 'g'),
    cue: /\b(?:SA ID|South African ID|ID number|identity number)\b/i,
  },
  {
    id: 'au-tfn',
    country: 'AU',
    strength: 'weak',
    valid: tfn,
    re: R(B(String.raw`\d{3} ?\d{3} ?\d{3}`), 'g'),
    cue: /\b(?:TFN|tax file number)\b/i,
  },
  {
    id: 'ie-ppsn',
    country: 'IE',
    strength: 'weak',
    valid: ppsn,
    re: /\b\d{7}[A-W][ABHW]?\b/gi,
    cue: /\b(?:PPSN?|personal public service)\b/i,
  },
  {
    id: 'pt-nif',
    country: 'PT',
    strength: 'weak',
    valid: nifPt,
    re: R(B(String.raw`\d{3} ?\d{3} ?\d{3}`), 'g'),
    cue: /\b(?:NIF|contribuinte|n[uú]mero fiscal)\b/i,
  },
  {
    id: 'kr-rrn',
    country: 'KR',
    strength: 'weak',
    valid: rrn,
    re: R(B(String.raw`\d{6}-\d{7}`), 'g'),
    cue: /(?:주민등록번호|resident registration|RRN)/i,
  },
  {
    id: 'uk-nhs-number',
    country: 'GB',
    strength: 'weak',
    valid: nhs,
    re: R(B(String.raw`\d{3} ?\d{3} ?\d{4}`), 'g'),
    cue: /\bNHS\b/i,
  },
  {
    id: 'de-svnr',
    country: 'DE',
    strength: 'strong',
    valid: deSvnr,
    re: R(B(String.raw`\d{2} ?\d{6} ?[A-Z] ?\d{3}`), 'g'),
    cue: /\b(?:sozialversicherungs-?nummer|rentenversicherungs-?nummer|SV-?Nummer|SVNR|versicherungsnummer)\b/i,
  },
  {
    id: 'us-itin',
    country: 'US',
    strength: 'weak',
    valid: itin,
    re: R(B(String.raw`9\d{2}-\d{2}-\d{4}`), 'g'),
    cue: /\b(?:ITIN|taxpayer identification)\b/i,
  },
];

/** Any identifier's name (for the "cue nearby" test of weak kinds), plus generic words for a personal number. */
export const ANY_ID_CUE = new RegExp(
  [
    ...NATIONAL_IDS.map((k) => k.cue!.source),
    String.raw`\b(?:national id(?:entity)?|identity (?:number|card|no)|id(?:entity)? (?:number|no\.?|nr\.?)|personal (?:number|id(?:entification)? (?:number|code))|citizen (?:id|number)|tax (?:id|number|no)|social security|personalausweis|ausweisnummer|c[ée]dula|DUI|RUT|RUN|NIC|CNP|EGN|OIB|JMBG|EMŠO|isikukood|asmens kodas|personas kods|rodn[ée] [čc][íi]slo|szem[ée]lyi sz[áa]m|henkil[öo]tunnus|MyKad|NRIC|FIN|HKID|My Number|個人番号)`,
  ].join('|'),
  'i',
);

/** Countries whose identifiers are named near `idx` (region hints for phone numbers). */
export function countriesNamedIn(text: string, mayMatch: (cue: RegExp) => boolean = () => true): Set<string> {
  const out = new Set<string>();
  for (const k of NATIONAL_IDS) if (k.cue && mayMatch(k.cue) && k.cue.test(text)) out.add(k.country);
  return out;
}
