/** Contract of the local-inference module (src/engine/models). No MCP types here. */
import type { ModelsRepo } from '../store/models-repo.js';

export type BackendKind = 'gguf' | 'openai' | 'ruvllm';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenEvent {
  /** Text produced since the last event ('' for TRM heartbeat events of the score/critique phases). */
  chunk: string;
  /** Completion tokens produced so far in this call (cumulative over all TRM phases: never decreases). */
  tokens: number;
  /** TRM iteration (1-based) when refinement is on. */
  iteration?: number;
  /** TRM phase the event belongs to (only with trm): draft/refine text is answer text; score/critique send heartbeats. */
  phase?: 'draft' | 'score' | 'critique' | 'refine';
}

export interface TrmOptions {
  /** Maximum draft→critique→refine iterations (1..8). */
  maxIterations: number;
  /** Score in 0..1 at or above which the answer counts as converged (default 0.8). */
  threshold?: number;
}

export interface CompleteRequest {
  prompt?: string;
  messages?: ChatMessage[];
  system?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  /** JSON Schema the output must satisfy: grammar-constrained in process, response_format for servers. */
  jsonSchema?: Record<string, unknown>;
  timeoutMs?: number;
  signal?: AbortSignal;
  onToken?: (ev: TokenEvent) => void;
  trm?: TrmOptions;
}

export interface TrmResult {
  iterations: number;
  scores: number[];
  converged: boolean;
  /** How each score was obtained: 'self-eval' (model judged its answer) or 'schema' (validator). */
  scoreMethod: 'self-eval' | 'schema';
  drafts: string[];
  /**
   * Why refinement stopped: 'converged' (score reached the threshold), 'maxIterations',
   * 'unchanged' (refining returned the same answer), 'context' (review prompts no longer fit
   * the model's context), 'cancelled' (aborted or timed out).
   */
  stoppedBy?: 'converged' | 'maxIterations' | 'unchanged' | 'context' | 'cancelled';
}

export interface CompleteResult {
  text: string;
  /** Parsed JSON when jsonSchema was given and the output matched it. */
  json?: unknown;
  /** Why the output did not parse or match jsonSchema (e.g. cut off by maxTokens). */
  jsonError?: string;
  model: string;
  backend: BackendKind;
  promptTokens: number;
  completionTokens: number;
  /** 'tokenizer' = the model's own tokenizer, 'server' = counts reported by the server, 'estimate' = chars/4. */
  tokenCountMethod: 'tokenizer' | 'server' | 'estimate';
  latencyMs: number;
  ttftMs: number | null;
  tokensPerSecond: number;
  finishReason: 'stop' | 'length' | 'cancelled' | 'timeout';
  trm?: TrmResult;
}

export interface ModelInfo {
  /** Stable id used by hot_swap_model, e.g. "gguf:tiny-a" or "ollama:llama3.2:3b". */
  id: string;
  name: string;
  backend: BackendKind;
  source: 'file' | 'ollama' | 'lmstudio' | 'openai-server' | 'pool' | 'ruvllm';
  path?: string;
  baseUrl?: string;
  /** A pool (source 'pool'): the configured servers that all serve this model name. */
  endpoints?: string[];
  sizeBytes?: number;
  architecture?: string;
  contextLength?: number;
  quantization?: string;
  parameters?: string;
  experimental?: boolean;
  note?: string;
}

export interface QueueStatus {
  running: number;
  waiting: number;
  parallel: number;
  limit: number;
}

/** One endpoint of a pool of servers, as the models resource shows it. */
export interface EndpointState {
  url: string;
  /** Answering and not cooling down: calls go to it. */
  healthy: boolean;
  inFlight: number;
  /** Calls in flight that have streamed text (these are never replayed elsewhere). */
  streaming: number;
  /** Recent time to first token (EWMA, ms), null before its first call. */
  latencyMs: number | null;
  calls: number;
  /** Failures since the start (connection refused, 5xx, broken stream, no first token in time). */
  failures: number;
  consecutiveFailures: number;
  /** When its cooldown ends (ISO time), null when not cooling down. */
  cooldownUntil: string | null;
  /** It answered HTTP 429 (busy): until then (ISO time, its Retry-After) other endpoints are asked first; null when not. */
  busyUntil: string | null;
  lastError: string | null;
}

export interface ModelsStatus {
  active: ModelInfo | null;
  /** True while a model is being loaded (initial load or swap). */
  loading: boolean;
  available: boolean;
  /** Why no local model can serve, with how to fix it (when available is false). */
  unavailableReason?: string;
  queue: QueueStatus;
  threads: number;
  gpu: string | false;
  /** When the active model is a pool of servers: each endpoint's state. */
  endpoints?: EndpointState[];
  /**
   * What this start did with the hot swap saved by an earlier run: 'restored' (no --model, or it
   * failed, and the current rules allow it) or 'ignored' (--model wins, or the rules refuse it), and why.
   */
  lastSwap?: { target: SwapTarget; model: string; action: 'restored' | 'ignored'; reason: string };
}

export interface SwapTarget {
  /** A model id from discovery (ModelInfo.id). */
  id?: string;
  /** A GGUF file path (checked against the model folders unless allowAnyPath). */
  path?: string;
  /** A model name on an OpenAI-compatible server. */
  serverModel?: string;
  /** Base URL of that server (default: the configured one). */
  baseUrl?: string;
}

export interface SwapResult {
  previous: ModelInfo | null;
  current: ModelInfo;
  loadMs: number;
}

export interface ModelManagerOptions {
  /** Discovered models and the saved swap: a Store's `models` (SQLite: `new SqliteModelsRepo(db)` on this module's `migrations`). */
  repo: ModelsRepo;
  modelsDir: string;
  /** Extra folders scanned for GGUF files (default model folders are added unless disabled). */
  modelDirs: string[];
  scanDefaultDirs: boolean;
  /** Model to load first: an id, a GGUF path, or "" for the first discovered. */
  defaultModel: string;
  /** OpenAI-compatible servers to probe, e.g. http://127.0.0.1:11434 (Ollama), http://127.0.0.1:1234 (LM Studio). */
  servers: string[];
  /** CPU threads for in-process inference; 0 = chosen from the machine's cores. */
  threads: number;
  gpu: 'auto' | false;
  contextSize: number;
  parallel: number;
  queueLimit: number;
  timeoutMs: number;
  allowAnyPath: boolean;
  /** Let a tool call's baseUrl point at any server, not only configured and loopback ones (default false). */
  allowRemoteServers?: boolean;
  enableRuvllm: boolean;
  /** Timeout of each discovery probe of a server, in ms (default 300). */
  probeTimeoutMs?: number;
}

export interface LocalModels {
  /** Start discovery and the initial load in the background; never blocks MCP initialize. */
  start(): void;
  discover(refresh?: boolean): Promise<ModelInfo[]>;
  status(): ModelsStatus;
  complete(req: CompleteRequest): Promise<CompleteResult>;
  swap(target: SwapTarget): Promise<SwapResult>;
  countTokens(text: string): number;
  close(): Promise<void>;
}
