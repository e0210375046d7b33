import { describe, expect, it } from 'vitest';
import { HealthRegistry } from '../../src/engine/models/health.js';

describe('HealthRegistry circuit breaker', () => {
  it('opens after the failure threshold, probes once when half-open, closes on success', () => {
    let t = 1_000;
    const h = new HealthRegistry({ failureThreshold: 3, openMs: 5_000, now: () => t });
    expect(h.canUse('llama-cpp')).toBe(true);
    h.recordFailure('llama-cpp', 'boom 1');
    h.recordFailure('llama-cpp', new Error('boom 2'));
    expect(h.state('llama-cpp')).toBe('closed');
    h.recordFailure('llama-cpp', 'boom 3');
    expect(h.state('llama-cpp')).toBe('open');
    expect(h.canUse('llama-cpp')).toBe(false);
    t += 4_999;
    expect(h.canUse('llama-cpp')).toBe(false);
    t += 1;
    expect(h.state('llama-cpp')).toBe('half_open');
    expect(h.canUse('llama-cpp')).toBe(true); // the probe
    expect(h.canUse('llama-cpp')).toBe(false); // only one probe at a time
    h.recordSuccess('llama-cpp', 12);
    expect(h.state('llama-cpp')).toBe('closed');
    expect(h.canUse('llama-cpp')).toBe(true);
    const [b] = h.all();
    expect(b).toMatchObject({ backend: 'llama-cpp', state: 'closed', failures: 3, successes: 1, lastError: 'boom 3', latencyP50Ms: 12 });
  });

  it('a failed half-open probe re-opens the breaker and restarts the timer', () => {
    let t = 0;
    const h = new HealthRegistry({ failureThreshold: 1, openMs: 100, now: () => t });
    h.recordFailure('cloud', 'timeout');
    t = 100;
    expect(h.canUse('cloud')).toBe(true);
    h.recordFailure('cloud', 'timeout again');
    expect(h.state('cloud')).toBe('open');
    t = 199;
    expect(h.canUse('cloud')).toBe(false);
    t = 200;
    expect(h.canUse('cloud')).toBe(true);
  });

  it('a probe that never reports back is given up after openMs', () => {
    let t = 0;
    const h = new HealthRegistry({ failureThreshold: 1, openMs: 100, now: () => t });
    h.recordFailure('x', 'down');
    t = 100;
    expect(h.canUse('x')).toBe(true);
    t = 150;
    expect(h.canUse('x')).toBe(false);
    t = 200;
    expect(h.canUse('x')).toBe(true);
  });

  it('a probe that ends without a verdict (a caller error) is given back at once', () => {
    let t = 0;
    const h = new HealthRegistry({ failureThreshold: 1, openMs: 100, now: () => t });
    h.recordFailure('x', 'down');
    t = 100;
    expect(h.canUse('x')).toBe(true); // the probe: the call fails with a caller error
    h.release('x');
    expect(h.state('x')).toBe('half_open');
    expect(h.canUse('x')).toBe(true); // the next call probes, without waiting out openMs
    h.release('y'); // unknown backend: nothing to give back
    expect(h.state('y')).toBe('closed');
  });

  it('success resets the consecutive failure count; median latency over the window', () => {
    const h = new HealthRegistry({ failureThreshold: 2, latencyWindow: 3 });
    h.recordFailure('b', 'e');
    h.recordSuccess('b', 10);
    h.recordFailure('b', 'e');
    expect(h.state('b')).toBe('closed');
    h.recordSuccess('b', 30);
    h.recordSuccess('b', 20);
    h.recordSuccess('b', 1000); // evicts 10
    expect(h.latencyP50('b')).toBe(30);
  });

  it('validates its settings and backend names', () => {
    expect(() => new HealthRegistry({ failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => new HealthRegistry().recordFailure('', 'x')).toThrow(/backend name/);
  });
});
