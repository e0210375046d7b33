/**
 * The cloud's circuit breaker learns from what the host reports: a cloud route reported as failed
 * (report_outcome success: false) counts against the cloud, a success closes it, and an open cloud
 * breaker keeps cloud-worthy, non-sensitive work local with the reason in the decision.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { Router, migrations, type LocalSide, type RouterOptions } from '../../src/engine/router/index.js';
import { routerRepos } from '../helpers/repos.js';

const dbs: DB[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const HARD_TASK =
  'Design a multi-region active-active architecture for our payments ledger with strong consistency, explain the trade-offs and a migration plan under a $20k/month budget.';
const EASY_TASK = 'Translate to French: "The meeting moved to Thursday."';
const estimate: RouterOptions['estimate'] = (i, o) => ({ localUsd: 0, cloudUsd: i * 3e-6 + o * 15e-6, cloudModel: 'cloud-large' });

function makeRouter() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'router-cloud-'));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, 'state.db'), migrations);
  dbs.push(db);
  let t = 1_700_000_000_000;
  const clock = { advance: (ms: number) => (t += ms) };
  const side: LocalSide = { available: true, modelId: 'qwen-0.5b', latencyP50Ms: 400, backend: 'llama-cpp' };
  const router = new Router({ ...routerRepos(db), local: () => side, estimate, learning: false, now: () => t });
  return { router, clock };
}

/** A decision for hard work that went to the cloud (fails the test otherwise). */
async function cloudDecision(router: Router) {
  const d = await router.decide({ task: HARD_TASK });
  expect(d.route).toBe('cloud');
  return d;
}

describe('the cloud breaker learns from reported outcomes', () => {
  it('answers judged poor (the default failure) say nothing about whether the cloud is up: they never open it', async () => {
    const { router } = makeRouter();
    for (let i = 0; i < 10; i++)
      await router.reportOutcome({ decisionId: (await cloudDecision(router)).decisionId, success: false, quality: 0.2 });
    for (let i = 0; i < 10; i++)
      await router.reportOutcome({ decisionId: (await cloudDecision(router)).decisionId, success: false, failure: 'quality' });
    expect(router.health.state('cloud')).toBe('closed');
    expect((await router.decide({ task: HARD_TASK })).route).toBe('cloud');
    const bogus = (await cloudDecision(router)).decisionId;
    await expect(router.reportOutcome({ decisionId: bogus, success: false, failure: 'bogus' as 'quality' })).rejects.toThrow(
      /failure must be "quality" or "unavailable"/,
    );
  });

  it('three cloud routes reported unavailable open it; hard work then stays local and says why', async () => {
    const { router } = makeRouter();
    for (let i = 0; i < 3; i++)
      await router.reportOutcome({ decisionId: (await cloudDecision(router)).decisionId, success: false, failure: 'unavailable' });
    expect(router.health.state('cloud')).toBe('open');
    const h = router.health.all().find((b) => b.backend === 'cloud')!;
    expect(h.failures).toBe(3);
    expect(h.lastError).toMatch(/reported the cloud unavailable/);
    const d = await router.decide({ task: HARD_TASK });
    expect(d.route).toBe('local');
    expect(d.reasons.join(' ')).toMatch(/cloud circuit breaker is open: ran locally instead/);
  });

  it('a reported success resets the count; failures of local routes never count against the cloud', async () => {
    const { router } = makeRouter();
    for (let i = 0; i < 2; i++)
      await router.reportOutcome({ decisionId: (await cloudDecision(router)).decisionId, success: false, failure: 'unavailable' });
    await router.reportOutcome({ decisionId: (await cloudDecision(router)).decisionId, success: true });
    await router.reportOutcome({ decisionId: (await cloudDecision(router)).decisionId, success: false, failure: 'unavailable' });
    for (let i = 0; i < 5; i++) {
      const local = await router.decide({ task: EASY_TASK });
      expect(local.route).toBe('local');
      await router.reportOutcome({ decisionId: local.decisionId, success: false, failure: 'unavailable' });
    }
    expect(router.health.state('cloud')).toBe('closed');
    expect(router.health.all().find((b) => b.backend === 'cloud')?.consecutiveFailures).toBe(1);
  });

  it('after openMs the cloud is tried again, and a reported success closes the breaker', async () => {
    const { router, clock } = makeRouter();
    for (let i = 0; i < 3; i++)
      await router.reportOutcome({ decisionId: (await cloudDecision(router)).decisionId, success: false, failure: 'unavailable' });
    expect((await router.decide({ task: HARD_TASK })).route).toBe('local');
    clock.advance(router.health.openMs);
    const probe = await cloudDecision(router);
    expect(router.health.state('cloud')).toBe('half_open');
    await router.reportOutcome({ decisionId: probe.decisionId, success: true });
    expect(router.health.state('cloud')).toBe('closed');
  });
});
