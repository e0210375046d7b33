export * from './types.js';
export {
  PatternBank,
  approachKey,
  recommend,
  patternQualityAfter,
  type PatternBankOptions,
  type PruneOptions,
  type ReembedProgress,
  type LexicalScoring,
} from './bank.js';
export { migrations } from '../store/sqlite/migrations-patterns.js';
export {
  createDefaultEmbedder,
  createEmbedder,
  GgufEmbedder,
  HttpEmbedder,
  isProbing,
  l2normalize,
  type SyncEmbedder,
  type ProbingEmbedder,
  type HttpEmbedderOptions,
  type GgufEmbedderOptions,
} from './embedders.js';
export { HashedWordNetEmbedder, DEFAULT_EMBEDDER_ID, tokenize, contentWords, type HashedEmbedderOptions } from './hashed-embedder.js';
export { encodeBundle, decodeBundle, BUNDLE_VERSION, BUNDLE_MAGIC, type BundleBody, type BundlePattern } from './bundle.js';
