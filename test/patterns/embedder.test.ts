import { describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import {
  PatternBank,
  createDefaultEmbedder,
  createEmbedder,
  migrations,
  DEFAULT_EMBEDDER_ID,
  HashedWordNetEmbedder,
} from '../../src/engine/patterns/index.js';
// evaluation code lives outside the shipped package (eval/)
import {
  evaluateTfidf,
  evaluateVectors,
  loadParaphraseSet,
  PARAPHRASE_SET_PATH,
  PARAPHRASE_SETS,
  compareWithTfidf,
} from '../../eval/paraphrase-eval.mjs';
import { englishWordFrequencies } from '../../src/engine/patterns/hashed-embedder.js';
import { sharedWordNet } from '../../src/engine/patterns/wordnet.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { tempDir } from '../helpers/tmp.js';

const items = loadParaphraseSet();
const PARAPHRASE_DIR = dirname(PARAPHRASE_SET_PATH);

describe('paraphrase set', () => {
  it('is a real set: >= 60 distinct tasks with paraphrased queries, split into tune and holdout', () => {
    expect(items.length).toBeGreaterThanOrEqual(60);
    expect(new Set(items.map((i) => i.task)).size).toBe(items.length);
    const holdout = items.filter((i) => i.split === 'holdout');
    expect(holdout.length).toBeGreaterThanOrEqual(30);
    expect(items.filter((i) => i.split === 'tune').length).toBeGreaterThanOrEqual(30);
    for (const i of items) expect(i.query.toLowerCase()).not.toBe(i.task.toLowerCase());
  });
});

describe('default embedder', () => {
  const e = createDefaultEmbedder();

  it('is deterministic, L2-normalised, fixed-dimension, and its sync and async paths agree', async () => {
    expect(e.id).toBe(DEFAULT_EMBEDDER_ID);
    expect(e.dim).toBe(512);
    const a = e.embedSync('Fix the failing unit test in the authentication module');
    const b = createDefaultEmbedder().embedSync('Fix the failing unit test in the authentication module');
    expect(Array.from(a)).toEqual(Array.from(b));
    const [c] = await e.embed(['Fix the failing unit test in the authentication module']);
    expect(Array.from(c)).toEqual(Array.from(a));
    let n = 0;
    for (const x of a) n += x * x;
    expect(n).toBeCloseTo(1, 5);
    expect(Array.from(e.embedSync('')).every((x) => x === 0)).toBe(true);
    // synonyms through WordNet: "repair" is closer to "fix" than an unrelated verb is
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(dot(e.embedSync('repair the bug'), e.embedSync('fix the bug'))).toBeGreaterThan(
      dot(e.embedSync('paint the bug'), e.embedSync('fix the bug')),
    );
  });

  it('meets the holdout targets (recall@1 >= 0.5, recall@5 >= 0.75) and beats TF-IDF on the holdout at both ranks', () => {
    const tfidf = evaluateTfidf(items, 'holdout');
    const ours = evaluateVectors(items, 'holdout', (t) => e.embedSync(t));
    expect(ours.queries).toBe(40);
    expect(ours.corpus).toBe(80);
    expect(ours.queries).toBe(tfidf.queries);
    expect(ours.recallAt1).toBeGreaterThanOrEqual(0.5);
    expect(ours.recallAt5).toBeGreaterThanOrEqual(0.75);
    expect(ours.recallAt1).toBeGreaterThan(tfidf.recallAt1);
    expect(ours.recallAt5).toBeGreaterThan(tfidf.recallAt5);
  });

  it('beats TF-IDF at both ranks on the hard holdout (paraphrases that share almost no words with the task)', () => {
    const hard = loadParaphraseSet(join(PARAPHRASE_DIR, 'paraphrase-hard.jsonl'));
    const tfidf = evaluateTfidf(hard, 'holdout');
    const ours = evaluateVectors(hard, 'holdout', (t) => e.embedSync(t));
    expect(ours.queries).toBe(40);
    expect(ours.recallAt1).toBeGreaterThan(tfidf.recallAt1);
    expect(ours.recallAt5).toBeGreaterThan(tfidf.recallAt5);
  });

  it('beats TF-IDF at both ranks on the fresh set (60 pairs written blind after tuning; never tuned on)', () => {
    const fresh = compareWithTfidf((t) => e.embedSync(t), PARAPHRASE_SETS.fresh, 'holdout', 'fresh');
    expect(fresh.queries).toBe(60);
    expect(fresh.corpus).toBe(60);
    expect(fresh.embedder.r1).toBeGreaterThan(fresh.tfidf.r1);
    expect(fresh.embedder.r5).toBeGreaterThan(fresh.tfidf.r5);
  });

  it('weighs words by informativeness: rare words more than common ones (SIF over SUBTLEX-US frequencies)', () => {
    const h = e as HashedWordNetEmbedder;
    const f = englishWordFrequencies();
    expect(f).not.toBeNull();
    expect(f!.counts.get('the')!).toBeGreaterThan(f!.counts.get('database')!);
    expect(h.sifWeight('the')).toBeLessThan(0.1);
    expect(h.sifWeight('work')).toBeLessThan(h.sifWeight('database'));
    expect(h.sifWeight('database')).toBeGreaterThan(0.9);
    expect(h.sifWeight('kubernetes')).toBe(1); // not in the list: as informative as it gets
    // a shared rare word outweighs a shared common word
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
    const q = e.embedSync('work on the database');
    expect(dot(q, e.embedSync('migrate the database'))).toBeGreaterThan(dot(q, e.embedSync('work on the garden')));
  });

  it('weighs WordNet senses by their tagged frequency, and expands plural jargon like its singular', () => {
    const wn = sharedWordNet()!;
    const fix = wn.senseCounts('fix');
    // "fix" as in repair (v00261534) is its most tagged sense
    const top = [...fix.entries()].sort((a, b) => b[1] - a[1])[0];
    expect(top[0]).toBe('v00261534');
    expect(wn.synset(top[0])!.words).toContain('repair');
    expect(wn.baseForm('fixes', 'v')).toBe('fix');
    expect(wn.baseForm('qwzx', 'n')).toBeNull();
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(dot(e.embedSync('document the apis'), e.embedSync('document the application programming interfaces'))).toBeGreaterThan(
      dot(e.embedSync('document the widgets'), e.embedSync('document the application programming interfaces')),
    );
  });

  it('a bank whose vectors were made under the previous default embedder id is re-embedded under the new one', async () => {
    const dir = tempDir('ruvllm-bump-');
    const db = openDatabase(join(dir, 'b.db'), migrations);
    // the previous default's id over this embedder's vectors: what matters to the bank is the id
    const previous = { id: 'hashed-wordnet-v1', dim: e.dim, embed: (t: string[]) => e.embed(t), embedSync: (t: string) => e.embedSync(t) };
    const bank = await PatternBank.open({ db, indexPath: join(dir, 'b.hnsw'), embedder: previous, persistIntervalMs: 0 });
    const tasks = items.slice(0, 30).map((i) => i.task);
    for (const t of tasks) await bank.store({ task: t, approach: `approach for ${t}`, quality: 0.7 });
    await bank.close();
    db.close();
    const db2 = openDatabase(join(dir, 'b.db'), migrations);
    const bank2 = await PatternBank.open({
      db: db2,
      indexPath: join(dir, 'b.hnsw'),
      embedder: createDefaultEmbedder(),
      persistIntervalMs: 0,
    });
    await bank2.whenReembedded();
    expect((await bank2.stats()).embedder).toBe(DEFAULT_EMBEDDER_ID);
    expect((await bank2.stats()).indexed).toBe(30);
    expect(db2.prepare('SELECT embedder, COUNT(*) AS n FROM pattern_vectors GROUP BY embedder').all()).toEqual([
      { embedder: DEFAULT_EMBEDDER_ID, n: 30 },
    ]);
    expect((await bank2.find({ query: tasks[4], k: 1 })).matches[0].pattern.task).toBe(tasks[4]);
    await bank2.close();
    db2.close();
  });

  it('through the bank (hybrid vector + bm25) meets the targets and is at least TF-IDF at rank 1 and above it at rank 5', async () => {
    const dir = tempDir('ruvllm-para-');
    const db = openDatabase(join(dir, 'p.db'), migrations);
    const bank = await PatternBank.open({ db, indexPath: join(dir, 'p.hnsw'), embedder: e, persistIntervalMs: 0 });
    const byPattern = new Map<string, string>();
    for (const it of items) byPattern.set((await bank.store({ task: it.task, approach: `approach for ${it.id}`, quality: 0.8 })).id, it.id);
    let r1 = 0;
    let r5 = 0;
    const holdout = items.filter((i) => i.split === 'holdout');
    for (const it of holdout) {
      const r = await bank.find({ query: it.query, k: 5 });
      const got = r.matches.map((m) => byPattern.get(m.pattern.id));
      if (got[0] === it.id) r1++;
      if (got.includes(it.id)) r5++;
    }
    await bank.close();
    db.close();
    const tfidf = evaluateTfidf(items, 'holdout');
    expect(r1 / holdout.length).toBeGreaterThanOrEqual(0.5);
    expect(r5 / holdout.length).toBeGreaterThanOrEqual(0.75);
    expect(r1 / holdout.length).toBeGreaterThanOrEqual(tfidf.recallAt1);
    expect(r5 / holdout.length).toBeGreaterThan(tfidf.recallAt5);
  });
});

describe('createEmbedder specs', () => {
  it('parses the documented forms and rejects the rest with the accepted forms listed', () => {
    expect(createEmbedder('default').id).toBe(DEFAULT_EMBEDDER_ID);
    expect(createEmbedder('openai:http://127.0.0.1:9/v1#text-embed').id).toBe('openai:text-embed');
    expect(createEmbedder('ollama:http://127.0.0.1:11434#nomic-embed-text').id).toBe('ollama:nomic-embed-text');
    expect(() => createEmbedder('ollama:http://127.0.0.1:11434')).toThrow(/names no model/);
    expect(() => createEmbedder('openai:not a url#m')).toThrow(/invalid embeddings base URL/);
    expect(() => createEmbedder('gguf:/nonexistent/model.gguf')).toThrow(/embedding model file not found: \/nonexistent\/model.gguf/);
    expect(() => createEmbedder('word2vec:x')).toThrow(/unknown embedder spec "word2vec:x"; use "default", "gguf:/);
  });
});
