import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTinyGguf, writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { checkModelPath, defaultModelDirs, discoverModels, scanGgufFiles } from '../../src/engine/models/index.js';
import { writeCorruptGguf } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

describe('discovery of GGUF files', () => {
  it('finds GGUF files in the usual layouts (HF hub symlinks, split files, Ollama store) and skips junk', async () => {
    const home = tempDir('ruvllm-home-');
    // LM Studio: publisher/repo/file.gguf
    writeTinyGguf(join(home, '.lmstudio', 'models', 'pub', 'repo', 'lm.gguf'), { name: 'lm', seed: 1 });
    // Hugging Face hub cache: snapshots/<rev>/file.gguf -> ../../blobs/<sha>
    const hub = join(home, '.cache', 'huggingface', 'hub', 'models--o--r');
    mkdirSync(join(hub, 'blobs'), { recursive: true });
    mkdirSync(join(hub, 'snapshots', 'abc'), { recursive: true });
    writeFileSync(join(hub, 'blobs', 'deadbeef'), buildTinyGguf({ name: 'hf', seed: 2 }));
    symlinkSync(join(hub, 'blobs', 'deadbeef'), join(hub, 'snapshots', 'abc', 'hf-q4.gguf'));
    // split model: only the first part is listed; projector skipped; corrupt skipped
    const mine = join(home, 'models');
    writeTinyGguf(join(mine, 'big-00001-of-00002.gguf'), { name: 'big', seed: 3 });
    writeFileSync(join(mine, 'big-00002-of-00002.gguf'), 'x');
    writeTinyGguf(join(mine, 'mmproj-vision.gguf'), { name: 'proj', seed: 4 });
    writeCorruptGguf(join(mine, 'broken.gguf'));
    writeFileSync(join(mine, 'readme.txt'), 'hi');
    // Ollama store: manifests/registry.ollama.ai/library/<model>/<tag> -> blobs/sha256-<hex>
    const store = join(home, '.ollama', 'models');
    mkdirSync(join(store, 'manifests', 'registry.ollama.ai', 'library', 'tiny'), { recursive: true });
    mkdirSync(join(store, 'blobs'), { recursive: true });
    writeFileSync(join(store, 'blobs', 'sha256-1234'), buildTinyGguf({ name: 'ollama-tiny', seed: 5 }));
    writeFileSync(
      join(store, 'manifests', 'registry.ollama.ai', 'library', 'tiny', 'latest'),
      JSON.stringify({ layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: 'sha256:1234' }] }),
    );

    const files = await scanGgufFiles(defaultModelDirs(home));
    expect(files.map((f) => f.slice(home.length))).toEqual(
      expect.arrayContaining([
        '/.lmstudio/models/pub/repo/lm.gguf',
        '/.cache/huggingface/hub/models--o--r/snapshots/abc/hf-q4.gguf',
        '/models/big-00001-of-00002.gguf',
      ]),
    );
    expect(files.some((f) => f.includes('00002-of') || f.includes('mmproj'))).toBe(false);

    const models = await discoverModels({
      dirs: defaultModelDirs(home),
      ollamaStore: store,
      servers: [],
      probeTimeoutMs: 300,
      enableRuvllm: false,
    });
    const ids = models.map((m) => m.id).sort();
    expect(ids).toEqual(['gguf:big-00001-of-00002', 'gguf:hf-q4', 'gguf:lm', 'gguf:ollama/tiny:latest']);
    expect(models.find((m) => m.id === 'gguf:hf-q4')?.name).toBe('hf');
    expect(models.find((m) => m.id === 'gguf:ollama/tiny:latest')?.path).toBe(join(store, 'blobs', 'sha256-1234'));
  });

  it('gives duplicate file names unique ids', async () => {
    const a = tempDir('ruvllm-dup-');
    writeTinyGguf(join(a, 'x', 'same.gguf'), { seed: 1 });
    writeTinyGguf(join(a, 'y', 'same.gguf'), { seed: 2 });
    const models = await discoverModels({ dirs: [a], ollamaStore: null, servers: [], probeTimeoutMs: 300, enableRuvllm: false });
    expect(models.map((m) => m.id).sort()).toEqual(['gguf:same', 'gguf:same~2']);
  });

  it('checkModelPath follows symlinks before deciding', async () => {
    const root = tempDir('ruvllm-paths-');
    const allowed = join(root, 'models');
    const outside = join(root, 'secret.gguf');
    writeTinyGguf(outside);
    mkdirSync(allowed, { recursive: true });
    symlinkSync(outside, join(allowed, 'link.gguf'));
    await expect(checkModelPath(join(allowed, 'link.gguf'), [allowed], false)).rejects.toThrow(/outside the model folders/);
    writeTinyGguf(join(allowed, 'ok.gguf'));
    expect(await checkModelPath(join(allowed, 'sub', '..', 'ok.gguf'), [allowed], false)).toBe(join(allowed, 'ok.gguf'));
    expect(await checkModelPath(join(allowed, 'link.gguf'), [allowed], true)).toBe(outside);
    await expect(checkModelPath(join(allowed, 'missing.gguf'), [allowed], false)).rejects.toThrow(/not found/);
  });

  it('checkModelPath refuses a path outside the folders before looking at the file system, and resolves relative paths against the base', async () => {
    const root = tempDir('ruvllm-paths-');
    const allowed = join(root, 'models');
    mkdirSync(allowed, { recursive: true });
    writeTinyGguf(join(allowed, 'rel.gguf'));
    // Whether or not the outside file exists, the answer is the same: it never says "not found".
    await expect(checkModelPath(join(root, 'no-such.gguf'), [allowed], false)).rejects.toThrow(/outside the model folders/);
    await expect(checkModelPath('/etc/passwd', [allowed], false)).rejects.toThrow(/outside the model folders/);
    await expect(checkModelPath('../../etc/passwd', [allowed], false, allowed)).rejects.toThrow(/outside the model folders/);
    expect(await checkModelPath('rel.gguf', [allowed], false, allowed)).toBe(join(allowed, 'rel.gguf'));
  });
});
