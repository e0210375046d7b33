/** Local inference: GGUF in process (node-llama-cpp), OpenAI-compatible local servers, hot swap, TRM. */
export * from './types.js';
export { ModelManager, migrations, RUVLLM_REFUSAL, type ModelManagerExtraOptions } from './manager.js';
export { BusyError, ModelQueue } from './queue.js';
export { pullModel, resolvePullSource, type PullOptions, type PullResult } from './pull.js';
export { discoverModels, defaultModelDirs, scanGgufFiles, scanOllamaStore, probeServer, serverPools, checkModelPath } from './discovery.js';
export { chooseThreads, getSharedLlama, nodeLlamaCpp, readGgufModelInfo, assertGgufFile } from './gguf.js';
export { listOllamaTags, listOpenAIModels, normalizeBaseUrl } from './openai.js';
export { checkJson } from './schema.js';
export { SCORE_SCHEMA, parseScore } from './trm.js';
export { EndpointPool, loadPool, type PoolOptions } from './pool.js';
export { HealthRegistry, type HealthOptions, type BackendHealth, type BackendHealthDetail, type BreakerState } from './health.js';
