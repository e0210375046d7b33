/**
 * The rough token estimate used wherever no tokenizer is at hand (cloud-side tokens,
 * server models that report no usage): ~4 characters a token for English and code.
 * No imports: the MCP layer uses it without loading the engine.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The name the ledger records for counts made with estimateTokens. */
export const ESTIMATE_METHOD = 'estimate:chars/4';
