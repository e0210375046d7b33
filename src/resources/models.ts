import type { RegisterResource } from './util.js';
import { jsonContents } from './util.js';

export const MODELS_URI = 'ruvllm://models';

export const registerModelsResource: RegisterResource = (server, ctx) => {
  server.registerResource(
    'models',
    MODELS_URI,
    {
      title: 'Local models',
      description:
        "Models found on this machine (GGUF files, Ollama, LM Studio, configured servers, pools of servers) and the active one; for a pool, each endpoint's state.",
      mimeType: 'application/json',
    },
    async (uri) => jsonContents(uri.href, await (await ctx.engine()).listModels()),
  );
};
