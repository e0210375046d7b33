/**
 * Material read by reference (no MCP imports): allowed roots, real-path containment, globs
 * with .gitignore, encodings, size limits, token-aware splitting, map-reduce and the output guard.
 */
export { isPathWithin, containingRoot, isSafePathString } from './path-check.js';
export { allowedRoots, tooBroadForImplicitRoot, HOW_TO_ADD_ROOT, type AllowedRoots, type RootsOptions } from './roots.js';
export { decodeText, type TextEncoding } from './encoding.js';
export { readInputs, DEFAULT_INPUT_LIMITS, MAX_SPECS, type InputFile, type InputSet, type InputLimits, type ReadOptions } from './read.js';
export { splitByTokens, type Part } from './chunk.js';
export {
  planInputs,
  runOffload,
  estimateParts,
  formatMaterial,
  type OffloadModel,
  type InputSummary,
  type OffloadProgress,
  type Plan,
} from './offload.js';
export {
  guardResult,
  guardText,
  hasFindings,
  inputFindings,
  REDACT_OUTPUT_MODES,
  type RedactOutput,
  type GuardFinding,
  type GuardReport,
  type KnownValue,
} from './guard.js';
