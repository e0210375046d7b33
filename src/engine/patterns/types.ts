/** Contract of the pattern bank (src/engine/patterns). No MCP types here. */

export interface Embedder {
  /** Stable id stored with every vector, e.g. "hashed-ngram-v1" or "gguf:nomic-embed". */
  readonly id: string;
  readonly dim: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export interface PatternInput {
  task: string;
  approach: string;
  outcome?: string;
  quality: number;
  iterations?: number;
  converged?: boolean;
  model?: string;
  backend?: string;
  route?: string;
  tags?: string[];
  domain?: string;
  agentId?: string;
  decisionId?: string;
}

export interface Pattern extends Required<
  Omit<PatternInput, 'decisionId' | 'outcome' | 'model' | 'backend' | 'route' | 'domain' | 'agentId'>
> {
  id: string;
  outcome: string | null;
  model: string | null;
  backend: string | null;
  route: string | null;
  domain: string | null;
  agentId: string | null;
  count: number;
  uses: number;
  successes: number;
  failures: number;
  successRate: number | null;
  embedder: string;
  createdAt: string;
  updatedAt: string;
  /** Categories of the secrets and personal data redacted from task, approach, outcome or tags (stored as [REDACTED:<category>]). */
  privacyCategories: string[];
}

export interface FindQuery {
  query?: string;
  patternId?: string;
  k?: number;
  minQuality?: number;
  tags?: string[];
  domain?: string;
  agentId?: string;
  converged?: boolean;
}

export interface PatternMatch {
  pattern: Pattern;
  score: number;
  vectorScore: number;
  lexicalScore: number;
}

export interface FindResult {
  matches: PatternMatch[];
  recommendation: { approach: string; patternId: string; confidence: number } | null;
  embedder: string;
}

export interface StoreResult {
  id: string;
  merged: boolean;
  pattern: Pattern;
}

export interface PatternChange {
  type: 'created' | 'updated' | 'deleted';
  id: string;
}

export interface PatternBankStats {
  total: number;
  indexed: number;
  embedder: string;
  dim: number;
  reembedding: { done: number; total: number } | null;
  pruned: number;
  lastPrune: string | null;
}
