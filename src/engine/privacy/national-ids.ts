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
  /** No check digit (a date and region codes only): flagged only after its own cue, never on a generic cue or a name. */
  cueOnly?: boolean;
  /** Flagged only after its own cue, never on a generic cue ("run id 9471136502") or beside a name alone. */
  ownCue?: boolean;
  /** (version 24) A bare label read right before a number that passes the check ("(ID 8001015009087)"): the cue's
   * lookahead cannot see the number in the text before it, so this is tested on the few characters before. */
  cueAt?: RegExp;
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
  // (version 22) individual numbers 900-999 are reserved for test identities (Digital and Population Data Services Agency)
  if (Number(s.slice(7, 10)) >= 900) return false;
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

// ---------------------------------------------------------------- version 8: more countries (records keyed in any language)

/** Indonesian NIK (KTP): province, regency, district, birth date (day + 40 for women), serial. No check digit. */
const NIK_PROVINCES = new Set([
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92,
  93, 94, 95, 96, 97,
]);
function nik(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 16 || !NIK_PROVINCES.has(Number(d.slice(0, 2))) || d.slice(2, 4) === '00' || d.slice(12) === '0000') return false;
  const day = Number(d.slice(6, 8));
  return validDate2(Number(d.slice(10, 12)), Number(d.slice(8, 10)), day > 40 ? day - 40 : day);
}

// ---------------------------------------------------------------- version 12

/** Russian SNILS (insurance number): 9 digits and a 2-digit check (weights 9..1, mod 101, 100 -> 00); issued above 001-001-998. */
function snils(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || allSame(d) || Number(d.slice(0, 9)) <= 1001998) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += num(d, i) * (9 - i);
  const check = sum < 100 ? sum : sum < 102 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return check === Number(d.slice(9));
}

/** Russian personal INN (taxpayer number of a person): 12 digits, two check digits. */
function innPersonal(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 12 || allSame(d)) return false;
  const w1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
  const w2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
  let s1 = 0;
  for (let i = 0; i < 10; i++) s1 += num(d, i) * w1[i];
  let s2 = 0;
  for (let i = 0; i < 11; i++) s2 += num(d, i) * w2[i];
  return (s1 % 11) % 10 === num(d, 10) && (s2 % 11) % 10 === num(d, 11);
}

/** Hungarian TAJ (social insurance number): 8 digits, weights 3 and 7 in turn, the sum mod 10 is the ninth. */
function taj(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 9 || allSame(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += num(d, i) * (i % 2 === 0 ? 3 : 7);
  return sum % 10 === num(d, 8);
}

/** Emirates ID: 784 (the UAE's country code), the holder's birth year, a serial and a Luhn check digit. */
function emiratesId(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  const year = Number(d.slice(3, 7));
  return d.length === 15 && year >= 1900 && year <= 2099 && luhn(d);
}

/** Czech and Slovak birth number (rodné číslo): YYMMDD/XXXX, month + 50 for women (+ 20 since 2004), the whole divisible by 11. */
function birthNumberCzSk(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 10 || allSame(d)) return false;
  let mm = Number(d.slice(2, 4));
  if (mm > 70) mm -= 70;
  else if (mm > 50) mm -= 50;
  else if (mm > 20) mm -= 20;
  if (!validDate2(Number(d.slice(0, 2)), mm, Number(d.slice(4, 6)))) return false;
  const r = mod(d.slice(0, 9), 11);
  return (r === 10 ? 0 : r) === num(d, 9) || mod(d, 11) === 0;
}

/** Romanian CNP: sex/century, YYMMDD, county, serial, check (weights 279146358279, mod 11, 10 -> 1). */
function cnp(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 13 || d[0] === '0' || !validDate2(Number(d.slice(1, 3)), Number(d.slice(3, 5)), Number(d.slice(5, 7)))) return false;
  let c = weighted(d, [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
  if (c === 10) c = 1;
  return c === num(d, 12);
}

/** Bulgarian EGN: YYMMDD (month + 20 before 1900, + 40 from 2000), serial, check. */
function egn(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 10) return false;
  const mm = Number(d.slice(2, 4)) % 20 || 20;
  if (!validDate2(Number(d.slice(0, 2)), mm > 12 ? 0 : mm, Number(d.slice(4, 6)))) return false;
  return (weighted(d, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11) % 10 === num(d, 9);
}

/** ISO 7064 MOD 11,10 (Croatian OIB). */
function oib(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || allSame(d) || sequential(d.slice(0, 10))) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let s = (num(d, i) + product) % 10;
    if (s === 0) s = 10;
    product = (s * 2) % 11;
  }
  return (11 - product) % 10 === num(d, 10);
}

/** JMBG / EMŠO (former Yugoslavia): DDMMYYY, region, serial, check. */
function jmbg(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 13) return false;
  const yyy = Number(d.slice(4, 7));
  if (!validDate(yyy >= 800 ? 1000 + yyy : 2000 + yyy, Number(d.slice(2, 4)), Number(d.slice(0, 2)))) return false;
  let c = 11 - (weighted(d, [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11);
  if (c > 9) c = 0;
  return c === num(d, 12);
}

/** Chilean RUT/RUN: body, then a mod-11 check digit or K. */
function rut(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase().replace(/[.\s]/g, '');
  const [body, check] = s.split('-');
  if (!body || !check || body.length < 7 || allSame(body)) return false;
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += num(body, body.length - 1 - i) * (2 + (i % 6));
  const r = 11 - (sum % 11);
  return (r === 11 ? '0' : r === 10 ? 'K' : String(r)) === check;
}

/** Estonian isikukood and Lithuanian asmens kodas: sex/century, YYMMDD, serial, check (two weight rounds). */
function isikukood(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || d[0] < '1' || d[0] > '6' || !validDate2(Number(d.slice(1, 3)), Number(d.slice(3, 5)), Number(d.slice(5, 7))))
    return false;
  let c = weighted(d, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11;
  if (c === 10) c = weighted(d, [3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 11;
  if (c === 10) c = 0;
  return c === num(d, 10);
}

/** Thai national id: 13 digits, check = (11 - sum(d_i * (13 - i)) mod 11) mod 10. */
function thaiId(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 13 || d[0] === '0' || allSame(d)) return false;
  return (11 - (weighted(d, [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11)) % 10 === num(d, 12);
}

/** Greek AMKA: DDMMYY + 4 digits + Luhn. */
function amka(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  return d.length === 11 && validDate2(Number(d.slice(4, 6)), Number(d.slice(2, 4)), Number(d.slice(0, 2))) && luhn(d);
}

/** Singapore NRIC/FIN: S/T/F/G/M, 7 digits, a check letter. */
function nric(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase();
  let sum = weighted(s.slice(1, 8), [2, 7, 6, 5, 4, 3, 2]);
  if (s[0] === 'T' || s[0] === 'G') sum += 4;
  if (s[0] === 'M') sum += 3;
  const r = sum % 11;
  const table = s[0] === 'S' || s[0] === 'T' ? 'JZIHGFEDCBA' : s[0] === 'M' ? 'KLJNPQRTUWX' : 'XWUTRQPNMLK';
  return (s[0] === 'M' ? table[10 - r] : table[r]) === s[8];
}

/** Taiwan national id: a letter (region), 1/2 (sex), 8 digits, weighted check. */
const TW_CODES = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
function taiwanId(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase();
  const code = TW_CODES.indexOf(s[0]) + 10;
  if (code < 10) return false;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 1; i < 9; i++) sum += num(s, i) * (9 - i);
  sum += num(s, 9);
  return sum % 10 === 0;
}

/** Hong Kong HKID: one or two letters, 6 digits, a check digit or A in brackets. */
function hkid(m: RegExpMatchArray): boolean {
  const s = m[0].toUpperCase().replace(/[()\s]/g, '');
  const letters = /^[A-Z]{1,2}/.exec(s)![0];
  const digits = s.slice(letters.length, letters.length + 6);
  const check = s[s.length - 1];
  let sum =
    letters.length === 2 ? (letters.charCodeAt(0) - 55) * 9 + (letters.charCodeAt(1) - 55) * 8 : 36 * 9 + (letters.charCodeAt(0) - 55) * 8;
  for (let i = 0; i < 6; i++) sum += num(digits, i) * (7 - i);
  const r = (11 - (sum % 11)) % 11;
  return (r === 10 ? 'A' : String(r)) === check;
}

/** Malaysian MyKad: YYMMDD-PB-###G, a birth date and a birthplace code. No check digit. */
function myKad(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  const pb = Number(d.slice(6, 8));
  return validDate2(Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6))) && pb >= 1 && pb <= 99 && !(pb >= 17 && pb <= 20);
}

/** Argentine CUIL/CUIT: type (20, 23, 24, 27, 30, 33, 34), DNI, mod-11 check. */
function cuil(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  if (d.length !== 11 || !/^(?:20|23|24|27|30|33|34)/.test(d)) return false;
  let c = 11 - (weighted(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11);
  if (c === 11) c = 0;
  return c !== 10 && c === num(d, 10);
}

/** Vietnamese CCCD: province (001-096), century/sex, 2-digit year, 6 digits. No check digit. */
function cccd(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  const p = Number(d.slice(0, 3));
  return d.length === 12 && p >= 1 && p <= 96 && !allSame(d.slice(6));
}

/** Egyptian national id: century (2/3), YYMMDD, governorate, serial, check. The check algorithm is not published. */
function egyptId(m: RegExpMatchArray): boolean {
  const d = dig(m[0]);
  const gov = Number(d.slice(7, 9));
  return (
    d.length === 14 &&
    validDate((d[0] === '2' ? 1900 : 2000) + Number(d.slice(1, 3)), Number(d.slice(3, 5)), Number(d.slice(5, 7))) &&
    ((gov >= 1 && gov <= 35) || gov === 88)
  );
}

// ---------------------------------------------------------------- the table

// (version 12: the alternatives grouped; before, the lookbehind bound only the first alternative and the lookahead only
// the last, so a middle one matched inside longer numbers: "415 555 012" of "+1 415 555 0123" as a BSN)
const B = (s: string) => String.raw`(?<![\w.-])(?:${s})(?![\w-]|\.\d)`;
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
    // (version 25: the word in Devanagari, Bengali, Gujarati, Gurmukhi, Tamil, Telugu, Kannada, Malayalam)
    cue: /\b(?:aadhaa?r|UIDAI|UID)\b|आधार|আধার|આધાર|ਆਧਾਰ|ஆதார்|ఆధార్|ಆಧಾರ್|ആധാർ/i,
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
    cue: /\b(?:f[øo]dselsnummer|f[øo]dselsnr|personnummer|national identity number|fnr)\b/i,
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
    // (version 15: the Afrikaans labels)
    // (version 20: a bare "ID" before the number; the number's date, citizenship digit and Luhn check hold it)
    cue: /\b(?:SA ID|South African ID|ID number|identity number|ID-nommer|ID-nr|identiteitsnommer|identiteitsdokument)\b|\bID\b(?=[ \t:#.]{0,4}\d{6} ?\d{4} ?\d{3}\b)/i,
    // (version 24) the bare "ID" of version 20, read where the number is: "(ID 8001015009087)" in a letter
    cueAt: /\bID[ \t:#.]{0,4}$/,
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
    // (version 22: "주민번호", the everyday short form)
    cue: /(?:주민등록번호|주민번호|resident registration|RRN)/i,
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
  // (version 8) identifiers of more countries, each cued by its own name in its language
  {
    id: 'id-nik',
    cueOnly: true,
    country: 'ID',
    strength: 'weak',
    ownCue: true,
    valid: nik,
    re: R(B(D(16)), 'g'),
    cue: /\b(?:NIK|e-?KTP|KTP|nomor induk kependudukan|no(?:mor)? identitas)\b/i,
  },
  {
    id: 'cz-sk-birth-number',
    country: 'CZ',
    strength: 'weak',
    ownCue: true,
    valid: birthNumberCzSk,
    re: R(B(String.raw`\d{6} ?/? ?\d{4}`), 'g'),
    cue: /(?:\brodn[ée] [čc][íi]slo|\br\. ?[čc]\.|\bR[ČC]\b|\brodne cislo|\bbirth number)/i,
  },
  {
    id: 'ro-cnp',
    country: 'RO',
    strength: 'weak',
    ownCue: true,
    valid: cnp,
    re: R(B(D(13)), 'g'),
    cue: /\b(?:CNP|cod numeric personal)\b/i,
  },
  {
    id: 'bg-egn',
    country: 'BG',
    strength: 'weak',
    ownCue: true,
    valid: egn,
    re: R(B(D(10)), 'g'),
    cue: /\b(?:EGN|E[ГG]H)\b|ЕГН|единен граждански/i,
  },
  {
    id: 'hr-oib',
    country: 'HR',
    strength: 'weak',
    ownCue: true,
    valid: oib,
    re: R(B(D(11)), 'g'),
    cue: /\b(?:OIB|osobni identifikacijski broj)\b/i,
  },
  {
    id: 'yu-jmbg',
    country: 'RS',
    strength: 'weak',
    ownCue: true,
    valid: jmbg,
    re: R(B(D(13)), 'g'),
    cue: /\b(?:JMBG|EM[ŠS]O|jedinstveni mati[čc]ni broj)\b|ЈМБГ|ЕМБГ/i,
  },
  {
    id: 'cl-rut',
    country: 'CL',
    strength: 'strong',
    valid: rut,
    re: R(B(String.raw`\d{1,2}\.\d{3}\.\d{3}-[\dkK]`), 'g'),
    cue: /\b(?:RUT|RUN|rol [úu]nico)\b/i,
  },
  {
    id: 'cl-rut',
    country: 'CL',
    strength: 'weak',
    ownCue: true,
    valid: rut,
    re: R(B(String.raw`\d{7,8}-[\dkK]`), 'g'),
    cue: /\b(?:RUT|RUN|rol [úu]nico)\b/i,
  },
  {
    id: 'ee-lt-personal-code',
    country: 'EE',
    strength: 'weak',
    ownCue: true,
    valid: isikukood,
    re: R(B(D(11)), 'g'),
    cue: /\b(?:isikukood|asmens kodas|personal code)\b/i,
  },
  {
    id: 'th-national-id',
    country: 'TH',
    strength: 'weak',
    ownCue: true,
    valid: thaiId,
    re: R(B(String.raw`\d[- ]?\d{4}[- ]?\d{5}[- ]?\d{2}[- ]?\d`), 'g'),
    cue: /(?:เลขประจำตัวประชาชน|เลขบัตรประชาชน|\bThai (?:national )?ID\b|\bbat prachachon\b)/i,
  },
  {
    id: 'il-teudat-zehut',
    country: 'IL',
    strength: 'weak',
    ownCue: true,
    valid: (m) => /^0{0,2}[1-9]\d{6,8}$/.test(dig(m[0])) && dig(m[0]).length === 9 && luhn(dig(m[0])),
    re: R(B(D(9)), 'g'),
    cue: /(?:תעודת זהות|מספר זהות|ת\.?ז\.?|ת"ז|\bteudat zehut\b|\bIsraeli ID\b)/i,
  },
  {
    id: 'gr-amka',
    country: 'GR',
    strength: 'weak',
    ownCue: true,
    valid: amka,
    re: R(B(D(11)), 'g'),
    cue: /\b(?:AMKA|ΑΜΚΑ)\b/i,
  },
  {
    id: 'sg-nric',
    country: 'SG',
    strength: 'strong',
    valid: nric,
    re: /\b[STFGM]\d{7}[A-Z]\b/g,
    cue: /\b(?:NRIC|FIN)\b/i,
  },
  {
    id: 'tw-national-id',
    country: 'TW',
    strength: 'strong',
    valid: taiwanId,
    re: /\b[A-Z][12]\d{8}\b/g,
    cue: /(?:身分證|身份證|national id)/i,
  },
  {
    id: 'hk-hkid',
    country: 'HK',
    strength: 'strong',
    valid: hkid,
    re: /\b[A-Z]{1,2}\d{6}\([0-9A]\)/g,
    cue: /\b(?:HKID|香港身份證)\b/i,
  },
  {
    id: 'my-mykad',
    country: 'MY',
    strength: 'weak',
    ownCue: true,
    valid: myKad,
    re: R(B(String.raw`\d{6}-\d{2}-\d{4}`), 'g'),
    cue: /\b(?:MyKad|NRIC|IC no|kad pengenalan|no\.? ?K\/P)\b/i,
  },
  // (version 12) Russian SNILS written in its own format (XXX-XXX-XXX YY): distinctive, with a check; INN of a person
  // (12 digits, two checks) after its name; the Emirates ID (784-YYYY-NNNNNNN-C, Luhn)
  {
    id: 'ru-snils',
    country: 'RU',
    strength: 'strong',
    valid: snils,
    re: R(B(String.raw`\d{3}-\d{3}-\d{3}[ -]\d{2}`), 'g'),
    cue: /CHИЛC|\bSNILS\b/i,
  },
  {
    id: 'ru-inn',
    country: 'RU',
    strength: 'weak',
    ownCue: true,
    valid: innPersonal,
    re: R(B(D(12)), 'g'),
    // (normalised text: Cyrillic letters that look Latin are Latin, "ИНН" is "ИHH")
    cue: /(?<![\p{L}])(?:ИHH|INN)(?![\p{L}])/iu,
  },
  // (version 14) the Hungarian TAJ, after its name
  {
    id: 'hu-taj',
    country: 'HU',
    strength: 'weak',
    ownCue: true,
    valid: taj,
    re: R(B(String.raw`\d{3}[ -]?\d{3}[ -]?\d{3}`), 'g'),
    cue: /\bTAJ\b|t[áa]rsadalombiztos[íi]t[áa]si/i,
  },
  {
    id: 'ae-emirates-id',
    country: 'AE',
    strength: 'strong',
    valid: emiratesId,
    re: R(B(String.raw`784-\d{4}-\d{7}-\d`), 'g'),
    cue: /الهوية الإماراتية|\bEmirates ID\b/i,
  },
  {
    id: 'ar-cuil',
    country: 'AR',
    strength: 'strong',
    valid: cuil,
    re: R(B(String.raw`\d{2}-\d{8}-\d`), 'g'),
    cue: /\b(?:CUIL|CUIT)\b/i,
  },
  {
    id: 'vn-cccd',
    cueOnly: true,
    country: 'VN',
    strength: 'weak',
    ownCue: true,
    valid: cccd,
    re: R(B(D(12)), 'g'),
    cue: /\b(?:CCCD|c[ăa]n c[ưu][ớo]c)\b/i,
  },
  {
    id: 'eg-national-id',
    cueOnly: true,
    country: 'EG',
    strength: 'weak',
    ownCue: true,
    valid: egyptId,
    re: R(B(String.raw`[23]\d{13}`), 'g'),
    cue: /(?:الرقم القومي|رقم قومي|\bEgyptian (?:national )?ID\b)/i,
  },
];

/** Any identifier's name (for the "cue nearby" test of weak kinds), plus generic words for a personal number. */
export const ANY_ID_CUE = new RegExp(
  [
    // (the kinds of version 8 count only after their own cue: their names are not generic cues for the others)
    ...NATIONAL_IDS.filter((k) => !k.ownCue && !k.cueOnly).map((k) => k.cue!.source),
    String.raw`\b(?:national id(?:entity)?|identity (?:number|card|no)|id(?:entity)? (?:number|no\.?|nr\.?)|personal (?:number|id(?:entification)? (?:number|code))|citizen (?:id|number)|tax (?:id|number|no)|social security|personalausweis|ausweisnummer|c[ée]dula|DUI|RUT|RUN|NIC|CNP|EGN|OIB|JMBG|EMŠO|isikukood|asmens kodas|personas kods|rodn[ée] [čc][íi]slo|szem[ée]lyi sz[áa]m|henkil[öo]tunnus|MyKad|NRIC|FIN|HKID|My Number|個人番号)`,
  ].join('|'),
  'i',
);

/** Countries whose identifiers are named near `idx` (region hints for phone numbers). */
export function countriesNamedIn(text: string, mayMatch: (cue: RegExp) => boolean = () => true): Set<string> {
  const out = new Set<string>();
  for (const k of NATIONAL_IDS) if (k.cue && !k.ownCue && !k.cueOnly && mayMatch(k.cue) && k.cue.test(text)) out.add(k.country);
  return out;
}
