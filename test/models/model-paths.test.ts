/**
 * One containment rule for model files (real paths, symbolic links resolved), used for paths
 * given to hot_swap_model, for discovery and for ids: a link inside a models folder that points
 * outside it is neither listed, nor loadable by id, nor by path.
 */
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTinyGguf, writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { discoverModels, scanGgufFiles, scanOllamaStore } from '../../src/engine/models/index.js';
import { containedRealPath } from '../../src/engine/models/model-paths.js';
import { modelsFixture, withManager } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

describe('containment of model files', () => {
  it('containedRealPath: inside after links are resolved, or null', async () => {
    const root = tempDir('ruvllm-contain-');
    const models = join(root, 'models');
    const outside = join(root, 'outside.gguf');
    writeTinyGguf(outside, { seed: 1 });
    writeTinyGguf(join(models, 'in.gguf'), { seed: 2 });
    mkdirSync(join(models, 'sub'), { recursive: true });
    symlinkSync(join(models, 'in.gguf'), join(models, 'sub', 'link-in.gguf'));
    symlinkSync(outside, join(models, 'link-out.gguf'));
    symlinkSync(root, join(models, 'dir-out'));
    // a models folder that is itself a link is resolved too
    symlinkSync(models, join(root, 'models-link'));
    expect(await containedRealPath(join(models, 'in.gguf'), [models])).toBe(join(models, 'in.gguf'));
    expect(await containedRealPath(join(models, 'sub', 'link-in.gguf'), [models])).toBe(join(models, 'in.gguf'));
    expect(await containedRealPath(join(root, 'models-link', 'in.gguf'), [join(root, 'models-link')])).toBe(join(models, 'in.gguf'));
    expect(await containedRealPath(join(models, 'link-out.gguf'), [models])).toBeNull();
    expect(await containedRealPath(join(models, 'dir-out', 'outside.gguf'), [models])).toBeNull();
    expect(await containedRealPath(join(models, 'missing.gguf'), [models])).toBeNull();
    expect(await containedRealPath(models, [models])).toBeNull(); // the folder itself is not inside it
    expect(await containedRealPath(join(models, 'in.gguf'), [join(root, 'nope')])).toBeNull();
  });

  it('discovery lists no file reached through a link that leaves the model folders', async () => {
    const root = tempDir('ruvllm-escape-');
    const models = join(root, 'models');
    const secret = join(root, 'secret');
    writeTinyGguf(join(secret, 'outside.gguf'), { name: 'outside', seed: 1 });
    writeTinyGguf(join(models, 'inside.gguf'), { name: 'inside', seed: 2 });
    symlinkSync(join(secret, 'outside.gguf'), join(models, 'escape.gguf'));
    symlinkSync(secret, join(models, 'escape-dir'));
    // a link that stays inside the folders is fine (the Hugging Face cache is made of them)
    symlinkSync(join(models, 'inside.gguf'), join(models, 'alias.gguf'));
    const files = await scanGgufFiles([models]);
    expect(files.map((f) => f.slice(models.length + 1)).sort()).toEqual(['alias.gguf', 'inside.gguf']);
    const list = await discoverModels({ dirs: [models], ollamaStore: null, servers: [], probeTimeoutMs: 300, enableRuvllm: false });
    expect(list.map((m) => m.id).sort()).toEqual(['gguf:alias', 'gguf:inside']);
  });

  it("an Ollama manifest cannot point outside the store's blobs", async () => {
    const root = tempDir('ruvllm-ollama-');
    const store = join(root, 'store');
    const m = join(store, 'manifests', 'registry.ollama.ai', 'library', 'x');
    mkdirSync(m, { recursive: true });
    mkdirSync(join(store, 'blobs'), { recursive: true });
    writeFileSync(join(root, 'outside.gguf'), buildTinyGguf({ seed: 3 }));
    writeFileSync(join(store, 'blobs', 'sha256-aa'), buildTinyGguf({ seed: 4 }));
    symlinkSync(join(root, 'outside.gguf'), join(store, 'blobs', 'sha256-bb'));
    const manifest = (digest: string) => JSON.stringify({ layers: [{ mediaType: 'application/vnd.ollama.image.model', digest }] });
    writeFileSync(join(m, 'good'), manifest('sha256:aa'));
    writeFileSync(join(m, 'traversal'), manifest('sha256:../../outside.gguf'));
    writeFileSync(join(m, 'abs'), manifest(join(root, 'outside.gguf')));
    writeFileSync(join(m, 'link'), manifest('sha256:bb'));
    const found = await scanOllamaStore(store);
    expect(found.map((f) => f.name)).toEqual(['x:good']);
  });

  it('a model found before cannot be loaded by id once its file became a link to outside', async () => {
    const fx = modelsFixture();
    const outsideDir = tempDir('ruvllm-out-');
    const outside = join(outsideDir, 'tiny-b.gguf');
    writeTinyGguf(outside, { name: 'outside', seed: 7 });
    await withManager(fx.options({ defaultModel: fx.modelA }), async (mm) => {
      mm.start();
      await mm.ready();
      expect((await mm.discover()).map((x) => x.id)).toContain('gguf:tiny-b');
      // swap the file for a link to the outside one (a race a hostile process could win)
      renameSync(fx.modelB, join(fx.dir, 'moved.gguf'));
      symlinkSync(outside, fx.modelB);
      const err = await mm.swap({ id: 'gguf:tiny-b' }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/outside the model folders/);
      expect(mm.status().active?.id).toBe('gguf:tiny-a');
      // and a fresh discovery does not list it any more
      expect((await mm.discover(true)).map((x) => x.id)).not.toContain('gguf:tiny-b');
      await expect(mm.swap({ path: fx.modelB })).rejects.toThrow(/outside the model folders/);
    });
  });

  it('the escaping link found by discovery is not loadable by id (the reported defect)', async () => {
    const fx = modelsFixture();
    const outsideDir = tempDir('ruvllm-out-');
    writeTinyGguf(join(outsideDir, 'secret.gguf'), { name: 'secret', seed: 8 });
    symlinkSync(join(outsideDir, 'secret.gguf'), join(fx.modelsDir, 'escape.gguf'));
    await withManager(fx.options({ defaultModel: fx.modelA }), async (mm) => {
      mm.start();
      await mm.ready();
      expect((await mm.discover(true)).map((x) => x.id)).not.toContain('gguf:escape');
      await expect(mm.swap({ id: 'gguf:escape' })).rejects.toThrow(/unknown model id/);
      await expect(mm.swap({ path: join(fx.modelsDir, 'escape.gguf') })).rejects.toThrow(/outside the model folders/);
      expect(mm.status().active?.id).toBe('gguf:tiny-a');
    });
  });
});
