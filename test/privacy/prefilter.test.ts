import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Prefilter, capturesOrRefers, requiredLiterals } from '../../src/engine/privacy/prefilter.js';
import { privacyGatesOpen, scanPrivacy, setPrivacyPrefilter } from '../../src/engine/privacy/privacy.js';
// @ts-expect-error plain ESM module without types
import { corpus } from '../../bench/privacy-equivalence.mjs';
// @ts-expect-error plain ESM module without types
import { prompt8k, buildPrompts } from '../../bench/_privacy-prompts.mjs';

const texts = (lits: { text: string }[] | null) => lits?.map((l) => l.text).sort() ?? null;

describe('requiredLiterals', () => {
  it('reads the literals a pattern needs off its alternations, groups, classes and quantifiers', () => {
    expect(texts(requiredLiterals(/\b(?:salary|wages?)\b/i))).toEqual(['salary', 'wage', 'wages']);
    expect(texts(requiredLiterals(/licen[cs]e number/))).toEqual(['licence number', 'license number']);
    expect(texts(requiredLiterals(/\bsshpass\s+-p\s*(["']?)([^\s"']{3,200})\1/g))).toEqual(['sshpass']);
    // a lookahead's content must be in the text too
    expect(texts(requiredLiterals(/\d{4}(?=-SECRET)/))).toEqual(['-SECRET']);
    // case-insensitive: a letter outside ASCII with a case stays when none of its case variants is ASCII (the
    // automaton reads every non-ASCII character as one symbol); one that also matches an ASCII letter cuts the literal
    expect(texts(requiredLiterals(/jährig/i))).toEqual(['jährig']);
    expect(texts(requiredLiterals(/задолж|долг/i))).toEqual(['долг', 'задолж']);
    expect(texts(requiredLiterals(/ſalary/iu))).toEqual(['alary']); // the long s matches "s" and "S" with /iu
    expect(texts(requiredLiterals(/ſalary/i))).toEqual(['ſalary']); // (not without /u)
    expect(texts(requiredLiterals(/\u212Aelvin/iu))).toEqual(['elvin']); // the Kelvin sign matches "k"
    // caseless characters outside ASCII stay
    expect(texts(requiredLiterals(/→|=>/))).toEqual(['=>', '→']);
  });

  it('gives up (null) where no literal is needed', () => {
    expect(requiredLiterals(/[A-Z]{2}\d{2}/)).toEqual(
      // digits are needed (few enough to list)
      expect.arrayContaining([{ text: '0', icase: false }]),
    );
    expect(requiredLiterals(/\w+@\w+/)).toEqual([{ text: '@', icase: false }]);
    expect(requiredLiterals(/[a-z]+/)).toBeNull();
    expect(requiredLiterals(/(?:word)?\s+/)).toBeNull();
    expect(requiredLiterals(/salary|\w{3}/i)).toBeNull(); // one branch needs nothing
    expect(requiredLiterals(/(a)\1/)).toEqual([{ text: 'a', icase: false }]);
  });

  it('never misses: wherever a pattern matches, one of its literals is in the text', () => {
    const patterns = [
      /\b(?:pass(?:word|wd)?|pwd|token)\s*[:=]\s*\S{6,}/i,
      /(?:^|\s)(?:-u|--user)\s+\S+:\S+|--(?:password|token)[= ]\S+/,
      /\b(?:SSN|social security(?: number)?)\s*(?:is|:)?\s*\d{9}\b/i,
      /(?<=["'=\s])[\w.-]{1,64}:[^\s@]{6,}@(?=[\w-]+\.)/,
      /\bCookie:[^\n]{0,40}?\b(?:session|sid)=\w{8,}/i,
      /\d\s?(?:años|jaar|J\.|Jahre)/i,
      /(?:^|\s)задолж|дoлг[иа]|ſalary/i,
      /ſalary|\u212Aelvin|jährig/iu,
    ];
    let s = 7;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const parts = [
      'password',
      'PassWd',
      ': ',
      '=',
      'token',
      'TOKEN ',
      '-u ',
      '--user ',
      '--password=',
      'ssn',
      'Social Security ',
      'is ',
      '123456789',
      ' ',
      '\n',
      'abc:',
      'xyz@',
      'host.',
      '"',
      'user:secret99@',
      'cookie: ',
      'SID=',
      'abcdefgh12',
      '5 ',
      'AÑOS',
      'jahre',
      'J.',
      'é',
      'ſ',
      'ЗАДОЛЖ',
      'задолж',
      'ДoЛГИ',
      'дoлга',
      'SALARY',
      'salary',
      'ſalary',
      'KELVIN',
      '\u212Aelvin',
      'JÄHRIG',
    ];
    let matched = 0;
    for (let i = 0; i < 4000; i++) {
      let t = '';
      for (let k = 0, n = 1 + Math.floor(rnd() * 12); k < n; k++) t += parts[Math.floor(rnd() * parts.length)];
      for (const re of patterns) {
        if (!re.test(t)) continue;
        matched++;
        const need = requiredLiterals(re)!;
        const found = need.some((l) => (l.icase ? t.toLowerCase().includes(l.text.toLowerCase()) : t.includes(l.text)));
        expect(found, `${re} on ${JSON.stringify(t)}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(300);
  });
});

describe('Prefilter', () => {
  it('opens a gate only where one of its patterns could match; all() needs every part', () => {
    const p = new Prefilter();
    const pay = p.gate(/\bsalary\b/i, /\bAKIA[0-9A-Z]{16}\b/);
    const both = p.all(p.gate(/payroll/i), p.gate(/→|->/));
    const always = p.gate(/[a-z]+/);
    expect(p.scan('the SALARY is due')(pay)).toBe(true);
    expect(p.scan('key AKIAABCDEFGHIJKLMNOP')(pay)).toBe(true);
    expect(p.scan('akia in lower case is not the key')(pay)).toBe(false); // case-sensitive literal confirmed exactly
    expect(p.scan('nothing to see')(pay)).toBe(false);
    expect(p.scan('payroll 10k -> 12k')(both)).toBe(true);
    expect(p.scan('payroll only')(both)).toBe(false);
    expect(p.scan('')(always)).toBe(true);
    // letters outside ASCII, either case: one symbol for the automaton
    const debt = p.gate(/задолж/i);
    expect(p.scan('ЗАДОЛЖЕННОСТЬ по аренде')(debt)).toBe(true);
    expect(p.scan('задолженность')(debt)).toBe(true);
    expect(p.scan('an ascii text')(debt)).toBe(false);
    // inside a rule: the latest pass answers for its own text only
    const text = 'nothing to see here';
    p.scan(text);
    expect(p.mayMatch(pay, text)).toBe(false);
    expect(p.mayMatch(pay, text.slice(0, 7))).toBe(true); // not the text of the pass: unknown, so maybe
    p.scan('the salary');
    expect(p.mayMatch(pay, text)).toBe(true);
    expect(p.mayMatch(pay, 'the salary')).toBe(true);
    p.enabled = false;
    expect(p.scan('nothing to see')(pay)).toBe(true);
  });

  it('collects the runs of one or two character tables in the same pass, as a regular expression finds them', () => {
    const p = new Prefilter();
    const gate = p.gate(/\bsecret\b/);
    const table = (re: RegExp) => Uint8Array.from({ length: 128 }, (_, c) => (re.test(String.fromCharCode(c)) ? 1 : 0));
    const alnum = table(/[A-Za-z0-9]/);
    const lower = table(/[a-z ]/);
    const spans = (re: RegExp, s: string) => [...s.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
    const text = 'a secret: QWxhZGRpbjpvcGVuIHNlc2FtZQ== then éé short abc and a long tail abcdefghij';
    const one = { table: alnum, min: 8, pad: 2, out: [] as [number, number][] };
    expect(p.scan(text, one)(gate)).toBe(true);
    // (a run of at least 8, taken on past up to 2 "=")
    expect(one.out).toEqual(spans(/[A-Za-z0-9]{8,}={0,2}/g, text));
    const first = { table: alnum, min: 8, pad: 2, out: [] as [number, number][] };
    const second = { table: lower, min: 12, pad: 0, out: [] as [number, number][] };
    expect(p.scan(text, first, second)(gate)).toBe(true);
    expect(first.out).toEqual(one.out);
    expect(second.out).toEqual(spans(/[a-z ]{12,}/g, text));
    expect(second.out.length).toBeGreaterThan(0);
  });
});

describe('Prefilter.anyOf', () => {
  it('anyOf answers as the whole pattern does when more than two branches are open', () => {
    const p = new Prefilter();
    const re = /salary|payroll|bonus|wage|pension|overtime/i;
    const any = p.anyOf(re);
    for (const t of [
      'salary, payroll, bonus and wage talk',
      'PAYROLL BONUS WAGE',
      'salary bonus pension: none of it here',
      'wagers and pensioners',
      'nothing',
    ]) {
      p.scan(t);
      expect(any(t, t)).toBe(re.test(t));
      expect(any(t.slice(5), t)).toBe(re.test(t.slice(5)));
    }
  });
});

describe('Prefilter.alternation', () => {
  it('matches all over a text as the whole pattern does, on the text and on its lowercased copy, with fewer branches', () => {
    const p = new Prefilter();
    const branches = ['diabetes', 'tumou?r', 'hiv', 'heart (?:attack|failure)', 'prep', 'preparation', 'hi'];
    const alt = p.alternation(String.raw`\b`, branches, String.raw`\b`, 'gi');
    const whole = new RegExp(String.raw`\b(?:${branches.join('|')})\b`, 'gi');
    const twin = new RegExp(whole.source.toLowerCase(), 'g');
    const spans = (re: RegExp, s: string) => [...s.matchAll(re)].map((m) => `${m.index}:${m[0]}`);
    for (const t of [
      'Diabetes and a TUMOR; heart failure after a Heart Attack',
      'prep the PREPARATION, hi there, HIV test',
      'a tumour, then preparations',
      'nothing medical here',
    ]) {
      p.scan(t);
      expect(spans(alt(t, false) ?? /(?!)/g, t)).toEqual(spans(whole, t));
      expect(spans(alt(t, true) ?? /(?!)/g, t.toLowerCase())).toEqual(spans(twin, t.toLowerCase()));
    }
    // the branches the pass did not see are left out ("diabetes", "hiv" and the rest are not in this text)
    p.scan('prep the preparation');
    expect(alt('prep the preparation', false)?.source).toBe(String.raw`\b(?:prep|preparation)\b`);
    // a branch with a group of its own would move the groups after it when left out: refused
    expect(() => p.alternation('', ['a(b)', 'c'], '', 'gi')).toThrow(/capturing group/);
    expect(() => p.alternation('(x)', ['a', 'c\\1'], '', 'gi')).toThrow(/back-reference/);
    expect(() => p.alternation('', ['(?<n>a)', 'c'], '', 'gi')).toThrow(/capturing group/);
    expect(capturesOrRefers(String.raw`(?:a|b)(?=c)(?<=d)(?<!e)[(]\(\d`)).toBe(false);
    expect(capturesOrRefers(String.raw`\k<n>`)).toBe(true);
    // after a pass over another text: the whole pattern
    expect(alt('some other text', false)?.source).toBe(whole.source);
    // no branch seen: none to run
    p.scan('a quiet day');
    expect(alt('a quiet day', false)).toBeNull();
  });
});

describe('privacy scanner with the prefilter', () => {
  it('skips the rules of words an 8 KB code prompt does not contain, and runs those it does', () => {
    const open = privacyGatesOpen(prompt8k(false));
    for (const rule of ['salaries', 'medical', 'clinicalNotes', 'datesOfBirth', 'cliPasswords', 'namedNumbers', 'credentials'])
      expect(open).not.toContain(rule);
    expect(privacyGatesOpen(prompt8k(true))).toContain('credentials'); // "sk_live_..."
    expect(privacyGatesOpen('Her salary is €85,000 and she was diagnosed with diabetes')).toEqual(
      expect.arrayContaining(['salaries', 'medicalTerms', 'medical', 'clinicalNotes']),
    );
  });

  // Every text scanned twice (pass on, pass off): about a minute alone and over two under the suite's load, so
  // the texts are cut into parts, each its own test with its own time.
  const allTexts = (() => {
    let memo: string[] | undefined;
    return () => {
      if (memo) return memo;
      const items = (corpus as (o: object) => { id: string; text: string }[])({ random: 1500, windows: false });
      const dir = join(__dirname, '..', '..', 'data', 'router');
      const extra = readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .flatMap((f) =>
          readFileSync(join(dir, f), 'utf8')
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as { text?: string })
            .filter((r) => typeof r.text === 'string')
            .map((r) => r.text!),
        );
      const { code, mixed } = buildPrompts() as { code: string; mixed: string };
      memo = [...items.map((i) => i.text), ...extra, code, mixed];
      return memo;
    };
  })();
  const PARTS = 6;

  it('has the equivalence corpus and the labelled sets to compare on', () => {
    expect(allTexts().length).toBeGreaterThan(2000);
  });

  it.each(Array.from({ length: PARTS }, (_, i) => i))(
    'finds exactly what it finds with every rule run, on the equivalence corpus and the labelled sets (part %i)',
    (part) => {
      const all = allTexts();
      const size = Math.ceil(all.length / PARTS);
      const diffs: string[] = [];
      try {
        for (const t of all.slice(part * size, (part + 1) * size)) {
          setPrivacyPrefilter(true);
          const on = JSON.stringify(scanPrivacy(t));
          setPrivacyPrefilter(false);
          const off = JSON.stringify(scanPrivacy(t));
          if (on !== off) diffs.push(`${t.slice(0, 80)}: ${on.slice(0, 200)} vs ${off.slice(0, 200)}`);
        }
      } finally {
        setPrivacyPrefilter(true);
      }
      expect(diffs).toEqual([]);
    },
    300_000,
  );

  it('runs the version 7 rules alike with and without the pass: seed phrases at the edges of a stretch, special-category terms', () => {
    const open = privacyGatesOpen(prompt8k(false));
    expect(open).not.toContain('specialCategories');
    expect(open).not.toContain('prosePasswordsMl');
    expect(privacyGatesOpen('Maria Lopez pays union dues every month')).toContain('specialCategories');
    const words = readFileSync(join(__dirname, '..', '..', 'data', 'router', 'bip39-english.txt'), 'utf8')
      .split('\n')
      .map((w) => w.trim())
      .filter((w) => w.length >= 3 && w.length <= 8);
    // (reversed: twelve words in the list's own, alphabetical, order quote the list and are not a phrase)
    const phrase = (from: number, sep: string) =>
      words
        .slice(from, from + 12)
        .reverse()
        .join(sep);
    const cases = [
      phrase(0, ' '), // the whole text
      `wallet backup: ${phrase(40, ' ')}`,
      `${phrase(80, ', ')}\nkeep it offline`,
      `Recovery${phrase(120, ' ')}`, // a capital joined to the first word: that word is not whole
      `x ${phrase(160, ' ')}9`, // a digit joined to the last word
      phrase(200, '\n').replace(/\n/g, (m, i) => (i % 3 === 0 ? '\n1. ' : m)),
      `${phrase(240, ' ')} é ${phrase(300, ' ')}`, // a character outside ASCII ends a stretch
      `${phrase(360, ' - ')} | ${phrase(420, ' ; ')}`,
      `Résumé de la réunion: Maria Lopez, union rep, and ${phrase(500, ' ')}`,
      'VER.D\u0130 and ZA\u212aAT: Maria Lopez is a devout muslim; union dues for Jan Kowalski',
    ];
    const found = (t: string) => scanPrivacy(t).findings.map((f) => `${f.rule}@${f.start}-${f.end}`);
    try {
      for (const t of cases) {
        setPrivacyPrefilter(true);
        const on = found(t);
        setPrivacyPrefilter(false);
        expect(on, t.slice(0, 60)).toEqual(found(t));
      }
      setPrivacyPrefilter(true);
      expect(found(cases[0])).toContain(`bip39-seed-phrase@0-${cases[0].length}`);
      expect(found(cases[1]).some((f) => f.startsWith('bip39-seed-phrase@15-'))).toBe(true);
      expect(found(cases[9]).some((f) => f.startsWith('special-category-with-person@'))).toBe(true);
    } finally {
      setPrivacyPrefilter(true);
    }
  });
});
