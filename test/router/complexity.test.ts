import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { assessComplexity, assessLexical, CLOUD_THRESHOLD, estimateTokens } from '../../src/engine/router/complexity.js';
import { charFeatures, complexityModel, denseFeatures, denseLogit, hashedFeatures } from '../../src/engine/router/complexity-model.js';
import { assessCapability } from '../../src/engine/router/capability.js';

interface Row {
  text: string;
  label: 'local' | 'cloud';
  split: 'tune' | 'holdout';
}
const rows: Row[] = readFileSync(fileURLToPath(new URL('../../data/router/complexity-set.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Row);
const predict = (t: string) => (assessComplexity(t).score >= CLOUD_THRESHOLD ? 'cloud' : 'local');
const predictRules = (t: string) => (assessComplexity(t).features.lexical >= CLOUD_THRESHOLD ? 'cloud' : 'local');
// Every local look-alike the classes below list (none of them a row of any set), for the learned model's count.
const lookAlikes: string[] = [];
/** How many of them the committed model escalates (measured; see the learned model's block). */
const LOOKALIKES_ESCALATED = 16;

describe('complexity set', () => {
  it('has >= 60 labelled tasks with a held-out split containing both labels', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    const hold = rows.filter((r) => r.split === 'holdout');
    expect(hold.length).toBeGreaterThanOrEqual(20);
    expect(hold.some((r) => r.label === 'cloud') && hold.some((r) => r.label === 'local')).toBe(true);
  });

  it('agrees with >= 90% of the local/cloud labels on the holdout split (not tuned on)', () => {
    const hold = rows.filter((r) => r.split === 'holdout');
    const wrong = hold.filter((r) => predict(r.text) !== r.label);
    expect(1 - wrong.length / hold.length, wrong.map((r) => `${r.label}: ${r.text.slice(0, 80)}`).join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('does not decide by length: long-but-simple tasks stay below the threshold, short hard ones go above', () => {
    const long = rows.filter((r) => r.label === 'local' && r.text.length > 2000);
    expect(long.length).toBeGreaterThan(0);
    for (const r of long) expect(predict(r.text)).toBe('local');
    expect(predict('Prove that every planar graph is 5-colorable.')).toBe('cloud');
  });
});

describe('assessComplexity', () => {
  it('reports task type, features and reasons', () => {
    const a = assessComplexity('Translate to German: "Good morning"');
    expect(a.taskType).toBe('translate');
    expect(a.level).toBe('low');
    expect(a.features.tokens).toBe(estimateTokens('Translate to German: "Good morning"'));
    const b = assessComplexity(
      'Design a multi-region architecture with strong consistency, explain the trade-offs and a migration plan under a $20k budget.',
    );
    expect(b.level).toBe('high');
    expect(b.reasons.some((r) => /reasoning|domain|constraint/.test(r))).toBe(true);
  });

  it('counts attached context size', () => {
    const small = assessComplexity('Summarize this.');
    const big = assessComplexity('Summarize this.', { contextTokens: 50_000 });
    expect(big.features.tokens).toBeGreaterThan(small.features.tokens);
    expect(big.score).toBeGreaterThan(small.score);
  });

  it('rejects non-string input', () => {
    expect(() => assessComplexity(undefined as unknown as string)).toThrow(/string/);
  });
});

describe('demands: scope and rigour, not vocabulary', () => {
  it('escalates plain-worded organisation-scale deliverables and keeps look-alikes on given material local', () => {
    const cloud = [
      'Put together a threat model for our mobile banking app.',
      'Go through all of our vendor contracts and tell me which ones expose us to liability if a supplier gets breached.',
    ];
    const local = [
      'Review this sentence for typos: "Teh meeting is moved to Tuesday."',
      'Sort all of these employee names alphabetically: Zoe, Adam, Maya, Liam.',
      'Draft a short plan for my weekend trip to Rome.',
    ];
    for (const t of cloud) expect(predict(t), t).toBe('cloud');
    // the rules keep these local; the learned model, trained on short plainly worded hard questions, escalates some
    // of them (counted, all lists together, in the learned model's block below)
    for (const t of local) expect(predictRules(t), t).toBe('local');
    lookAlikes.push(...local);
    const a = assessComplexity(cloud[1]);
    expect(a.features.review).toBe(1);
    expect(a.features.scope).toBeGreaterThan(0);
    expect(a.reasons.join(' ')).toMatch(/demands: a review/);
  });
});

describe('classes round 2 of the fresh set found (general examples, none of them a row of any set)', () => {
  it('escalates diagnoses backed by attached evidence, advice on matters with stakes, proofs to check and priced deliverables', () => {
    const cloud = [
      // a symptom with a condition, a question about its cause, evidence attached
      'Our signups dropped by a third since the redesign. The analytics export and the release notes are attached. What is really driving it?',
      'Nightly exports got slower after the storage migration but only for the largest tenants. Logs and the config diff are attached. What is going on?',
      // advice with stakes for the asker, several legal systems
      'A former supplier is suing us in two states over a cancelled order. What is our realistic exposure and how should we respond?',
      'My grandmother takes seven prescriptions from three different doctors. Check whether any of them interact badly.',
      // a proof or a concurrency claim to verify
      'Check my induction proof that the algorithm terminates and point out any gaps.',
      'Is this lock-free stack linearizable? Code below.',
      // a judgement-heavy deliverable from several attached pieces of material
      'We are launching a paid tier. Churn data, competitor prices and hosting costs are attached. Propose pricing tiers.',
      // a yes/no decision or open question about the asker's own situation, with material attached
      'Our two biggest customers want exclusivity in their region. Contracts and sales figures attached. Should we agree?',
      "My landlord is keeping my deposit, claiming damage I didn't cause. Photos and the lease are attached. What are my options?",
      'Our warehouse keeps running out of the same five products even though the forecast says we have enough. Sales and stock data attached. What is wrong?',
      // strategy, negotiation and people plans in plain words
      "What's the best way to structure our company so that founders in the UK and the US are both taxed fairly?",
      'We want to expand into Japan next year. What do we need to consider and what should we do first?',
      "Help me negotiate my severance: I've been there 9 years, they offered 3 months, and I have a non-compete.",
      "Work out a staffing plan for our hospital's emergency department that covers nights and holidays with 20% fewer nurses.",
      'Refactor our payment service to support multiple currencies without breaking existing clients.',
      // a recommendation about the asker's own organisation, a process to rework, a plan for many people
      "We're choosing between leasing and buying 40 delivery vans. Quotes, our mileage data and financing terms are attached. Which makes more sense over five years?",
      'Look at our hiring funnel data for the last two years and tell me where we lose good candidates and what to change.',
      'Our board wants to know if we can survive losing our largest client, which is 35% of revenue. Model it and tell us what to do.',
      'Rework how our 12 regional warehouses share stock so we stop over-ordering. Inventory history and lead times are in the attached sheets.',
      'Put together a plan for moving 300 staff onto a four-day week without hurting customer response times.',
      'Set our prices for the new subscription box given the supplier costs, shipping rates and the survey results below.',
      // casual spelling, estimates from several inputs, fair division, a concurrency question about given code
      'our postgres replica lags by hours some nights and catches up by morning, no idea why. configs + graphs attached',
      'im 58 with 400k in a pension and a mortgage left, can i afford to retire at 60? numbers below',
      'go through these 9 supplier quotes and recommend who to pick, weighing price, lead time and quality history',
      "model how many support agents we need per hour next winter given last winter's ticket volumes (attached) and our 20% growth",
      'is there a race in this go code? it only fails under -race sometimes. code below',
      'we keep losing deals at the procurement stage. heres 30 lost-deal notes. whats the pattern and what do we fix first',
      'figure out a fair way to split rent among 5 flatmates with different room sizes, one with an ensuite and one who works from home',
    ];
    for (const t of cloud) expect(predict(t), t).toBe('cloud');
    const a = assessComplexity(cloud[0]);
    expect(a.features.diagnosis).toBe(1);
    expect(a.features.evidence).toBe(2);
    expect(assessComplexity(cloud[2]).features.advice).toBe(1);
    expect(assessComplexity(cloud[2]).features.jurisdictions).toBe(2);
  });

  it('keeps mechanical work on material named with hard words, and quoted material, local', () => {
    const local = [
      'Attached is our solution architecture document. Produce a table of contents for it.',
      'Put the attached design doc into our template with the headings Goals, Plan, Risks. Just move the text, do not add anything.',
      'Classify each of these messages as praise or complaint: "the deadlock fix finally works", "checkout crashes on start".',
      // look-alikes of the new features
      "What should I name a variable that holds each employee's salary?",
      'Why does my sourdough rise only sometimes?',
      'List the three countries with the largest population.',
      'Summarise the attached lawsuit filing in three bullet points.',
      'Attached are the minutes, the agenda and the attendee list. Summarise the minutes in five bullets.',
      'My tax return is attached. What is the deadline for filing it this year?',
      'What should we call our new payroll tool? Give me 10 name ideas.',
      'Should I capitalise "Internet" in our style guide?',
      'Our sales went from 100 to 140 units. What is the percentage increase?',
      'Turn the attached bank statement into a CSV with date, description and amount.',
      'Which font makes more sense for our wedding invitation, serif or sans?',
      'Our 30 engineers need a name for the new team channel. Pick between "core" and "platform".',
      'Tell me whether our office is open on Good Friday; the holiday calendar is attached.',
      'Here are our sales for January and February. Which month was higher?',
      'pls fix the typos: "recieve the pakage tommorow"',
      'whats 15% of 240',
      'calculate how much 3 coffees cost at $4 each',
      'make a shopping list for a week of vegetarian dinners for two',
    ];
    // the rules keep these local; the learned model, trained on short plainly worded hard questions, escalates some
    // of them (counted, all lists together, in the learned model's block below)
    for (const t of local) expect(predictRules(t), t).toBe('local');
    lookAlikes.push(...local);
    expect(assessComplexity(local[1]).features.mechanical).toBe(1);
  });
});

describe('fresh sets written blind (rounds 1-3 hand-tuning data since their evaluation; all four training data of the learned model)', () => {
  const fresh = readFileSync(fileURLToPath(new URL('../../data/router/complexity-fresh.jsonl', import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; label: 'local' | 'cloud'; split: string });
  const figures = (rows: { text: string; label: string }[], p: (t: string) => string) => ({
    agree: rows.filter((r) => p(r.text) === r.label).length,
    escalated: rows.filter((r) => r.label === 'cloud' && p(r.text) === 'cloud').length,
  });
  // Regression floors, at the figures measured when the scorer was frozen after tuning on each round
  // (round 2 was 77.5% / 23 of 40 when evaluated blind, round 3 87.5% / 31 of 40; both tuning data since).
  // Round 4 was written after the round-3 freeze and never tuned on by hand; its blind figure was 70 / 30. Since the
  // learned model (complexity-model.ts) it is training data like every round, and its floor is the trained figure.
  const FLOORS: Record<string, { agree: number; escalated: number }> = {
    'fresh-1': { agree: 80, escalated: 40 },
    'fresh-2': { agree: 80, escalated: 40 },
    'fresh-3': { agree: 80, escalated: 40 },
    'fresh-4': { agree: 80, escalated: 40 },
  };

  for (const [split, floor] of Object.entries(FLOORS)) {
    const rows = fresh.filter((r) => r.split === split);
    it(`${split}: keeps at least ${floor.agree} of 80 agreeing and ${floor.escalated} of 40 hard tasks escalated`, () => {
      expect(rows.length).toBe(80);
      expect(rows.filter((r) => r.label === 'cloud').length).toBe(40);
      const f = figures(rows, predict);
      const wrong = rows.filter((r) => predict(r.text) !== r.label).map((r) => `${r.label}: ${r.text.slice(0, 80)}`);
      expect(f.agree, wrong.join('\n')).toBeGreaterThanOrEqual(floor.agree);
      expect(f.escalated, wrong.join('\n')).toBeGreaterThanOrEqual(floor.escalated);
    });
    it(`${split}: the floors can fail (a scorer that keeps everything local, or sends everything to the cloud, is below them)`, () => {
      const allLocal = figures(rows, () => 'local');
      const allCloud = figures(rows, () => 'cloud');
      expect(allLocal.agree < floor.agree || allLocal.escalated < floor.escalated).toBe(true);
      expect(allCloud.agree < floor.agree || allCloud.escalated < floor.escalated).toBe(true);
      // and the scorer before the demands features (length and vocabulary alone) is below them too
      const lexical = (t: string) =>
        assessComplexity(t).features.lexical - assessComplexity(t).features.demand >= CLOUD_THRESHOLD ? 'cloud' : 'local';
      const f = figures(rows, lexical);
      expect(f.agree < floor.agree || f.escalated < floor.escalated).toBe(true);
    });
  }
});

describe('rounds written blind since the learned model (fresh-5 evaluated blind, then training data like train-6a and train-6b)', () => {
  // fresh-5's blind figure, against the scorer frozen at 3f091b1 (data/router/README.md): 65 of 80 agreeing, 25 of 40
  // hard tasks escalated. train-6a and train-6b were written as training data (120 tasks each). Since the character
  // 4-gram model all three are training data, and their floors are near the trained figures (in-sample; the
  // leave-one-round-out table in data/router/README.md says what held-out rounds get).
  const FLOORS: Record<string, { n: number; agree: number; escalated: number }> = {
    'complexity-fresh-5.jsonl': { n: 80, agree: 76, escalated: 38 },
    'complexity-train-6a.jsonl': { n: 120, agree: 112, escalated: 57 },
    'complexity-train-6b.jsonl': { n: 120, agree: 112, escalated: 57 },
    // fresh-6: written blind after the character 4-gram model froze (ecc0c9e), evaluation only (the trainer does not
    // read it); its blind figure, 79 of 80 agreeing and 40 of 40 hard escalated, is its floor
    'complexity-fresh-6.jsonl': { n: 80, agree: 79, escalated: 40 },
  };
  for (const [file, floor] of Object.entries(FLOORS)) {
    const rows = readFileSync(fileURLToPath(new URL(`../../data/router/${file}`, import.meta.url)), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { text: string; label: 'local' | 'cloud'; split: string });
    const figures = (p: (t: string) => string) => ({
      agree: rows.filter((r) => p(r.text) === r.label).length,
      escalated: rows.filter((r) => r.label === 'cloud' && p(r.text) === 'cloud').length,
    });
    it(`${file}: keeps at least ${floor.agree} of ${floor.n} agreeing and ${floor.escalated} of ${floor.n / 2} hard tasks escalated`, () => {
      expect(rows.length).toBe(floor.n);
      expect(rows.filter((r) => r.label === 'cloud').length).toBe(floor.n / 2);
      const f = figures(predict);
      const wrong = rows.filter((r) => predict(r.text) !== r.label).map((r) => `${r.label}: ${r.text.slice(0, 80)}`);
      expect(f.agree, wrong.join('\n')).toBeGreaterThanOrEqual(floor.agree);
      expect(f.escalated, wrong.join('\n')).toBeGreaterThanOrEqual(floor.escalated);
    });
    it(`${file}: the floor can fail (all local, all cloud, and the lexical rules alone are below it)`, () => {
      for (const f of [figures(() => 'local'), figures(() => 'cloud'), figures(predictRules)])
        expect(f.agree < floor.agree || f.escalated < floor.escalated).toBe(true);
    });
  }
});

describe('classes round 3 of the fresh set found (general examples, none of them a row of any set)', () => {
  it('escalates negotiation for the asker, constraint scheduling, HR-legal process, build-vs-buy, causal inference and disputes with authorities', () => {
    const cloud = [
      // a contract or offer reviewed for the asker's side
      'Our landlord sent a renewal lease. Tell me which clauses are unfavourable to us and what we should ask to change.',
      // scheduling under constraints with an objective
      'draw up a rota for 25 nurses, 3 shifts a day, no clashes and as few weekend shifts each as possible',
      // an HR process to run fairly and legally
      'A team lead has been accused of bullying by two juniors. How should we conduct the inquiry fairly and legally? We have 60 staff in Ontario.',
      // build versus buy under compliance constraints
      'Write our own billing system or use Stripe Billing? PCI matters, we are 3 engineers and launch in 9 months.',
      // statistical paradox, confounding, causal measurement without randomisation
      'The new checkout converts better overall, yet it does worse on every device type. Which version do we keep?',
      'Bookings fell since we changed the booking form, but a rival opened nearby the same week. How do we tell which it was?',
      "How do we measure whether the loyalty programme increases repeat purchases when we can't randomise which stores get it?",
      // symptoms correlated with several causes, none explaining it alone
      'Disk usage jumps some nights. It roughly lines up with backups and with log rotation, but neither alone explains it. Dashboards attached.',
      // a dispute with an authority
      'the council fined my cafe for a sign permit from 2021, I think they are wrong. what i should do, pay or appeal?',
      // the same classes in other words
      "The vendor's MSA is attached. Flag anything that is one-sided against us and suggest counter-language.",
      'An employee says she was passed over for promotion because she is pregnant. How should we handle this without breaking the law? We are in New York.',
      "We can't do an A/B test on pricing because customers talk to each other. How do we estimate the effect of the price change?",
      'Error rates went up after the deploy, but traffic also doubled that day. Was it the deploy?',
      'Memory grows slowly on some pods. It correlates with request volume and with the cache size, but not cleanly with either. Heap dumps attached.',
      'Create a match schedule for 16 teams over 8 weekends so no team plays twice in a row at home and travel is minimised.',
    ];
    for (const t of cloud) expect(predict(t), t).toBe('cloud');
    expect(assessComplexity(cloud[5]).features.inference).toBe(1);
  });

  it('keeps reformatting into a table mechanical whatever the material is called, and look-alikes local', () => {
    const local = [
      'Reformat the attached system architecture overview as a markdown table with columns Component, Owner, Status.',
      'Convert the attached distributed tracing design notes into a bulleted list, one bullet per heading.',
      'Make a schedule for my Saturday: gym, groceries, lunch with Sam.',
      'How do we measure the length of a room without a tape measure?',
      'Should I build my own bookshelf or buy one from IKEA?',
      'Which clauses in a standard lease are usually about the deposit?',
      "What is Simpson's paradox? One paragraph.",
      'Our school exam schedule: 12 exams, 4 rooms. Format it as a table.',
      'Put the meeting schedule for 5 teams in a table, no clashes',
      'Write our own logger or use pino?',
      'Is it legal to park here?',
      'The temperature tracks with humidity but not with wind. Plot it.',
      'Was it the butler? Summarise the plot of this mystery.',
      'Make me a weekly study timetable for 3 subjects.',
      'What is a confounding variable?',
      'Schedule 3 meetings for 2 teams with no clashes: Mon 10-11, Mon 10:30-11:30, Tue 9-10.',
      'Make a rota for 5 volunteers, 2 per shift, evenly.',
    ];
    expect(assessComplexity(local[0]).features.mechanical).toBe(1);
    // the rules keep these local; the learned model, trained on short plainly worded hard questions, escalates some
    // of them (counted, all lists together, in the learned model's block below)
    for (const t of local) expect(predictRules(t), t).toBe('local');
    lookAlikes.push(...local);
  });
});

describe('the learned model beside the lexical rules (complexity-model.ts, weights in data/router/complexity-model.json)', () => {
  const read = (f: string) =>
    readFileSync(fileURLToPath(new URL(`../../data/router/${f}`, import.meta.url)), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { text: string; label: 'local' | 'cloud'; split: string });
  const all = [
    ...read('complexity-set.jsonl'),
    ...read('complexity-demands-tune.jsonl'),
    ...read('complexity-fresh.jsonl'),
    ...read('complexity-fresh-5.jsonl'),
    ...read('complexity-train-6a.jsonl'),
    ...read('complexity-train-6b.jsonl'),
  ];
  const at = (tier: 'small' | 'medium' | 'large') => CLOUD_THRESHOLD + assessCapability(null, tier).thresholdShift;

  it('pins its figures on every labelled set it was trained on (medium tier): in-sample, the lexical rules alone far below', () => {
    const lexicalWrong = all.filter((r) => (assessComplexity(r.text).features.lexical >= CLOUD_THRESHOLD ? 'cloud' : 'local') !== r.label);
    const wrong = all.filter((r) => predict(r.text) !== r.label);
    expect(all.length).toBe(751);
    // the only disagreements: local tasks of train-6a the rules themselves escalate (the model cannot lower them)
    expect(wrong.length, wrong.map((r) => `${r.label}: ${r.text.slice(0, 80)}`).join('\n')).toBe(3);
    expect(wrong.every((r) => r.label === 'local' && lexicalWrong.includes(r))).toBe(true);
    // what the model adds: the rules alone keep 108 hard tasks local (fresh-4, fresh-5, train-6a, train-6b, demands)
    expect(lexicalWrong.filter((r) => r.label === 'cloud').length).toBe(108);
  });

  it('the cost of escalating short plain hard questions: how many of the hand-written local look-alikes it escalates', () => {
    // The classes above list 41 local look-alikes (short questions about one's own work, tasks on material with hard
    // names); the rules keep all local. Trained on train-6b's short plainly worded hard questions (tax, tenancy,
    // medicines, puzzles), the model escalates some; this pins the count so a change that escalates more is seen.
    expect(lookAlikes.length).toBe(41);
    const escalated = lookAlikes.filter((t) => predict(t) === 'cloud');
    expect(escalated.length, escalated.join('\n')).toBeLessThanOrEqual(LOOKALIKES_ESCALATED);
  });

  it('only ever raises the lexical score, and escalates when either half says hard', () => {
    for (const r of all) {
      const a = assessComplexity(r.text);
      expect(a.score).toBe(Math.max(a.features.lexical, a.features.learned));
      expect(a.score >= CLOUD_THRESHOLD).toBe(a.features.lexical >= CLOUD_THRESHOLD || a.features.learned >= CLOUD_THRESHOLD);
    }
    const raised = assessComplexity('My dad is on warfarin and his new doctor prescribed an antibiotic. Is that combination ok?');
    expect(raised.features.learned).toBeGreaterThan(raised.features.lexical);
    expect(raised.reasons.join(' ')).toMatch(/learned model reads it as harder/);
  });

  it('keeps the capability interplay: a task only the model escalates stays escalated on a small model, and the cut moves with the tier', () => {
    const onlyModel = all.filter((r) => {
      const f = assessComplexity(r.text).features;
      return f.learned >= CLOUD_THRESHOLD && f.lexical < CLOUD_THRESHOLD;
    });
    expect(onlyModel.length).toBeGreaterThan(0);
    for (const r of onlyModel) expect(assessComplexity(r.text).score).toBeGreaterThanOrEqual(at('small'));
    // The small tier escalates at least what the medium tier does, the large at most: per row, on every set.
    for (const r of all) {
      const s = assessComplexity(r.text).score;
      if (s >= at('medium')) expect(s).toBeGreaterThanOrEqual(at('small'));
      if (s >= at('large')) expect(s).toBeGreaterThanOrEqual(at('medium'));
    }
    // Simple work stays local even on a small model.
    for (const t of ['Translate to German: "Good morning"', 'Fix the typos in this sentence: "Teh cat sat."', 'What does HTTP 404 mean?'])
      expect(assessComplexity(t).score, t).toBeLessThan(at('small'));
  });

  it('computes the dense part of the logit as the dot product with the documented feature vector (the trainer reads that)', () => {
    const m = complexityModel();
    for (const r of all.slice(0, 120)) {
      const a = assessLexical(r.text);
      const v = denseFeatures(a.features, a.taskType, a.score);
      const dot = v.reduce((z, x, i) => z + x * m.dense[i], m.bias);
      expect(denseLogit(m, a.features, a.taskType, a.score)).toBeCloseTo(dot, 9);
    }
  });

  it('hashes words and word pairs deterministically, case-folded, with one apostrophe suffix', () => {
    const once = hashedFeatures("what's our exposure");
    expect(once.length).toBe(6); // 3 words and 3 pairs: (start, what's), (what's, our), (our, exposure)
    expect(hashedFeatures("What's our exposure")).toEqual(once);
    expect(hashedFeatures("what's our exposure")).toEqual(once);
    // the repeat adds one pair, (exposure, what's); its words and other pairs are not counted twice
    const twice = hashedFeatures("What's our exposure? WHAT'S our exposure?");
    expect(twice.length).toBe(7);
    expect(once.every((h) => twice.includes(h))).toBe(true);
    // "what's" is one word; "what'" followed by a space is "what"
    expect(hashedFeatures("what's")).not.toEqual(hashedFeatures('what'));
    expect(hashedFeatures("what' s")).toEqual(hashedFeatures('what s'));
  });

  it('hashes character 4-grams deterministically, case-folded, every run of other characters one space', () => {
    const a = charFeatures('Why, doctor?');
    // " why doctor " has 12 characters: 9 windows of four, all distinct here
    expect(a.length).toBe(9);
    expect(charFeatures('why doctor')).toEqual(a);
    expect(charFeatures('WHY -- Doctor!!!')).toEqual(a);
    expect(charFeatures('why doctors')).not.toEqual(a);
    // a shared stem shares buckets across inflections
    const d1 = charFeatures('diagnose');
    const d2 = charFeatures('diagnosis');
    expect(d1.filter((h) => d2.includes(h)).length).toBeGreaterThanOrEqual(4);
    expect(charFeatures('')).toEqual([]);
    expect(charFeatures('ab').length).toBe(1); // " ab "
  });

  it('the committed weights are what bench/complexity-train.mjs trains from the sets (reproducible with node)', () => {
    const r = spawnSync(process.execPath, ['bench/complexity-train.mjs', '--check', '--final-only'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toMatch(/committed weights reproduced exactly/);
    expect(r.status).toBe(0);
  }, 900_000);
});
