// Two routers on two connections to one database file, as two server processes have: each learns the outcomes
// and observations the other recorded.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { Router, migrations, type LocalSide, type RouterOptions } from '../../src/engine/router/index.js';
import { tempDir } from '../helpers/tmp.js';
import { routerRepos } from '../helpers/repos.js';

const dbs: DB[] = [];
const routers: Router[] = [];
afterEach(async () => {
  for (const r of routers.splice(0)) await r.close();
  for (const db of dbs.splice(0)) db.close();
});

const estimate: RouterOptions['estimate'] = (i, o) => ({ localUsd: 0, cloudUsd: i * 3e-6 + o * 15e-6, cloudModel: 'cloud-large' });
const side: LocalSide = { available: true, modelId: 'qwen-0.5b', latencyP50Ms: 400, backend: 'llama-cpp' };

/** Outcomes the learner holds, both routes. */
async function samples(r: Router): Promise<number> {
  const l = (await r.stats()).learned;
  return l.localSamples + l.cloudSamples;
}

function router(file: string): Router {
  const db = openDatabase(file, migrations);
  dbs.push(db);
  const r = new Router({ ...routerRepos(db), local: () => side, estimate });
  routers.push(r);
  return r;
}

describe('learned routing across processes', () => {
  it('a router learns the outcomes and observations another connection recorded, once each, and not its own twice', async () => {
    const file = join(tempDir('ruvllm-learn-'), 'state.db');
    const a = router(file);
    const b = router(file);
    await Promise.all([a.learningReady, b.learningReady]);
    for (let i = 0; i < 5; i++) {
      const d = await b.decide({ task: `Explain the failing integration test number ${i} in the billing service` });
      await b.reportOutcome({ decisionId: d.decisionId, success: false, quality: 0.1 });
    }
    b.observe({
      task: 'Summarise the deploy log of the billing service',
      route: 'local',
      success: true,
      quality: 0.9,
      source: 'pattern:x',
    });
    await b.observationsLearned();
    expect(await samples(b)).toBe(6);
    const own = await a.decide({ task: 'Explain the failing unit test in the billing service' }); // looks at the others' reports
    await a.reportOutcome({ decisionId: own.decisionId, success: true, quality: 1 });
    await a.observationsLearned();
    expect(await samples(a)).toBe(7);
    expect(a.learnedFromOthers).toBe(6);
    // b sees a's one outcome, but not its own again
    await new Promise((r) => setTimeout(r, 600));
    await b.decide({ task: 'Anything at all' });
    await b.observationsLearned();
    expect(await samples(b)).toBe(7);
    expect(b.learnedFromOthers).toBe(1);
  });
});
