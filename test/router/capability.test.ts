import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { assessCapability, parseCapabilitySetting, parseParameterCount } from '../../src/engine/router/capability.js';
import type { RouteDecision } from '../../src/engine/router/types.js';
import { connectInProcess, tempDir, type InProcess } from '../helpers/mcp.js';

describe('capability of the local model', () => {
  it('reads parameter counts from size labels and names', () => {
    expect(parseParameterCount('7B')).toBe(7);
    expect(parseParameterCount('0.5B')).toBe(0.5);
    expect(parseParameterCount('135M')).toBeCloseTo(0.135);
    expect(parseParameterCount('qwen2.5-1.5b-instruct-q4_k_m')).toBe(1.5);
    expect(parseParameterCount('ollama:llama3.2:3b')).toBe(3);
    expect(parseParameterCount('8x7B')).toBe(14); // about two experts active
    expect(parseParameterCount('gguf:tiny-a')).toBeNull();
    expect(parseParameterCount('q4_k_m')).toBeNull();
  });

  it('derives a tier from the label, the name, the file size, or a setting, and says why', () => {
    expect(assessCapability({ id: 'gguf:a', name: 'a', parameters: '32B' })).toMatchObject({
      tier: 'large',
      source: 'size_label',
      paramsB: 32,
    });
    expect(assessCapability({ id: 'ollama:qwen2.5:7b', name: 'qwen2.5:7b' })).toMatchObject({ tier: 'medium', source: 'name', paramsB: 7 });
    expect(assessCapability({ id: 'gguf:x', name: 'x', sizeBytes: 400e6, quantization: 'Q4_K_M' })).toMatchObject({
      tier: 'small',
      source: 'file_size',
    });
    expect(assessCapability({ id: 'gguf:x', name: 'x', sizeBytes: 40e9, quantization: 'Q4_K_M' })).toMatchObject({
      tier: 'large',
      source: 'file_size',
    });
    const unknown = assessCapability({ id: 'openai:mystery', name: 'mystery' });
    expect(unknown).toMatchObject({ tier: 'medium', source: 'unknown' });
    expect(unknown.reason).toMatch(/--model-capability/);
    const set = parseCapabilitySetting('gguf:x=large,small');
    expect(set('gguf:x')).toBe('large');
    expect(set('gguf:y')).toBe('small');
    expect(assessCapability({ id: 'gguf:x', name: 'x', parameters: '0.5B' }, set('gguf:x'))).toMatchObject({
      tier: 'large',
      source: 'setting',
    });
    expect(() => parseCapabilitySetting('huge')).toThrow(/small, medium, large/);
    expect(() => parseCapabilitySetting('=large')).toThrow(/model id or name/);
  });
});

describe('routing follows the local model (real GGUFs through MCP)', () => {
  let s: InProcess | null = null;
  afterAll(async () => {
    await s?.close();
  });

  it('a medium task routes cloud on a small model and local on a large one, at once after hot_swap_model', async () => {
    const dir = tempDir('ruvllm-cap-');
    const modelsDir = join(dir, 'models');
    writeTinyGguf(join(modelsDir, 'small-model.gguf'), { name: 'small-model', sizeLabel: '1.5B', seed: 1 });
    writeTinyGguf(join(modelsDir, 'large-model.gguf'), { name: 'large-model', sizeLabel: '32B', seed: 2 });
    s = await connectInProcess({ modelsDir, model: join(modelsDir, 'small-model.gguf'), threads: 1, contextSize: 512 }, join(dir, 'data'));
    const { client } = s;
    // wait for the model to be loaded
    for (let i = 0; i < 300 && !(await s.engine.listModels()).status.available; i++) await new Promise((r) => setTimeout(r, 50));
    const task = 'Suggest which service in this error log is most likely failing.';
    const route = async () => (await client.callTool({ name: 'route_task', arguments: { task } })).structuredContent as RouteDecision;
    const small = await route();
    expect(small.complexity.level).toBe('medium');
    expect(small.route).toBe('cloud');
    expect(small.capability).toMatchObject({ tier: 'small', source: 'size_label', paramsB: 1.5 });
    expect(small.reasons.join(' ')).toMatch(/small local model/);
    const swapped = await client.callTool({ name: 'hot_swap_model', arguments: { path: join(modelsDir, 'large-model.gguf') } });
    expect(swapped.isError).toBeFalsy();
    const large = await route();
    expect(large.route).toBe('local');
    expect(large.capability).toMatchObject({ tier: 'large', source: 'size_label', paramsB: 32 });
    expect(large.reasons.join(' ')).toMatch(/large local model/);
  });
});
