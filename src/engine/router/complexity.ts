/**
 * Complexity assessment: how much reasoning a task needs, from features that go
 * beyond length and keywords: the task type (read from the instruction, not the
 * pasted material), reasoning depth cues, the number of steps and constraints,
 * the context it needs, the domain and the presence/shape of code.
 *
 * The weights are hand-set and were calibrated on the `tune` split of
 * data/router/complexity-set.jsonl; the `holdout` split is only evaluated.
 */
import type { ComplexityAssessment, ComplexityLevel } from './types.js';

export interface ComplexityOptions {
  /** Tokens of context attached to the task (files, history) beyond the text itself. */
  contextTokens?: number;
  /** Number of chat messages in the conversation. */
  messages?: number;
}

/** Cheap token estimate used everywhere in the router (~4 characters a token). */
import { estimateTokens } from '../tokens.js';
export { estimateTokens };

type TaskType =
  | 'classify' | 'extract' | 'summarize' | 'translate' | 'format' | 'rewrite' | 'qa' | 'generate' | 'code_simple'
  | 'explain' | 'analyze' | 'implement' | 'debug' | 'optimize' | 'plan' | 'design' | 'architecture' | 'prove';

// Ordered: the first pattern that matches the instruction decides. Hard types first: "write a plan to migrate..." is a plan.
const TASK_PATTERNS: [TaskType, RegExp][] = [
  ['prove', /\b(?:prove|disprove|derive|formally verify|proof of|show that|tla\+|coq|lean 4|invariants?)\b/i],
  ['architecture', /\b(?:architect(?:ure)?|multi-region|event-sourced|microservices?|bounded contexts?|active-active|system design)\b/i],
  ['design', /\b(?:design|devise|propose a (?:redesign|design|schema)|schema, api|protocol for)\b/i],
  ['plan', /\b(?:plan (?:a|the|to)|step-by-step plan|roll ?out|migration plan|migrate (?:a|our|the)|roadmap|phased)\b/i],
  ['debug', /\b(?:debug|diagnose|root cause|find the bug|investigate why|figure out (?:why|whether)|leaks?|crash(?:es)?|oomkilled|deadlock|race condition|intermittent)\b/i],
  ['optimize', /\b(?:optimi[sz]e|speed up|reduce (?:our|the) (?:bill|cost|latency)|make (?:it|this) faster|performance tuning)\b/i],
  ['analyze', /\b(?:analy[sz]e|evaluate|compare|assess|trade-?offs?|pros and cons|recommend (?:one|which)|which (?:is|should) (?:better|we))\b/i],
  ['implement', /\b(?:implement|build|write an? (?:[\w-]+ ){0,3}(?:compiler|crawler|scheduler|allocator|parser|interpreter|queue|cache|b\+? ?tree|database|protocol|engine))\b/i],
  ['translate', /\btranslat(?:e|ion)\b/i],
  ['summarize', /\b(?:summari[sz]e|summary|tl;?dr|condense)\b/i],
  ['classify', /\b(?:classify|categori[sz]e|tag each|label (?:each|these)|sentiment|is (?:this|it) spam)\b/i],
  ['extract', /\b(?:extract|pull out|find all|list (?:all|every)|parse)\b/i],
  ['format', /\b(?:format|convert|reformat|turn (?:this|these) into|to (?:json|yaml|csv|markdown|toml)|sort|rename|dedupe)\b/i],
  ['rewrite', /\b(?:rewrite|rephrase|proofread|fix (?:the )?(?:typos|grammar|indentation)|paraphrase|make (?:it|this) (?:more|less)|polish|tidy)\b/i],
  ['code_simple', /\b(?:regex|one-liner|docstring|commit message|unit test|type annotations|css rule|sql query|function that|bash|snippet)\b/i],
  ['explain', /\b(?:explain|describe|how does|how do|why does|what is the difference)\b/i],
  ['qa', /^\s*(?:what|who|when|where|which|how many|how much|is|are|does|do|can)\b|\?\s*$/i],
  ['generate', /\b(?:write|draft|generate|compose|create|give me|suggest)\b/i],
];
const TYPE_WEIGHT: Record<TaskType, number> = {
  classify: 0, extract: 0.02, summarize: 0.02, translate: 0, format: 0, rewrite: 0, qa: 0.05, generate: 0.08, code_simple: 0.08,
  explain: 0.15, analyze: 0.4, implement: 0.4, debug: 0.45, optimize: 0.45, plan: 0.45, design: 0.5, architecture: 0.55, prove: 0.6,
};

const REASONING_CUES =
  /\b(?:why|trade-?offs?|justify|argue|consider(?:ing)?|explain (?:why|how you)|root cause|hypothes[ie]s|guarantees?|correct(?:ness|ly)?|invariants?|linearizabl\w*|unique|edge cases?|failure modes?|implications|verify|systematic|prioriti[sz]e|rank them|compare|versus|vs\.?|what happens (?:when|if|as))\b/gi;
const DOMAIN_CUES =
  /\b(?:distributed|consisten(?:t|cy)|consensus|replica\w*|partition\w*|concurren\w*|thread-?safe|lock-?free|memory order\w*|atomic|race|idempoten\w*|exactly-once|rebalance|crdts?|operational transforms?|compiler|llvm|alias analysis|kernel|cgroup|gc pauses?|heap|latency|throughput|p99|scalab\w*|at scale|sharding|cryptograph\w*|vulnerabilit\w*|threat model|end-to-end encryption|theorem|lemma|undecidab\w*|continuous function|graph|colorable|gradient|backpropagation|regression|lambda|rank-deficient|power analysis|statistic\w*|experiment design|kafka|kubernetes|spanner|dynamodb|cassandra|cockroachdb|flink|grpc|tls|two-phase commit|b\+ ?tree|latch|multi-region|gdpr|data residency)\b/gi;
const CONSTRAINT_CUES =
  /\b(?:must|without|while keeping|keep(?:ing)? \w+ (?:identical|working)|no new|under \$?\d|within \d|at most|at least|budget|constraints?|requirements?|deadline|sla|p\d\d|less than|no more than|only (?:on|after|when)|backwards?[- ]compatib\w*|zero downtime|without downtime|rollback|fallback)\b/gi;
const QUANTITY_RE = /\b\d+(?:[.,]\d+)?\s?(?:ms|s|seconds|minutes|hours|%|k|m|b|gb|tb|pb|mb|gi|rps|qps|rows|users|instances|nodes|cores|requests|million|billion|x)\b|\$\d/gi;
const STEP_CUES = /\b(?:step[- ]by[- ]step|steps?|then|after that|first|second|finally|phases?|sequenc\w*|migration|timeline)\b/gi;
const CODE_FENCE_RE = /```|^\s{2,}\S.*[;{}()=]\s*$/gm;
const CODE_TOKEN_RE = /[{};=]|=>|\bfunction\b|\bdef\b|\bclass\b|\breturn\b|\bconst\b|\bimport\b|\bSELECT\b/g;

function count(re: RegExp, s: string, max = Infinity): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < max && re.exec(s)) n++;
  return n;
}

/** The instruction part of a prompt: up to the first blank line / pasted block, at most 700 characters. */
function instructionOf(text: string): string {
  const t = text.trimStart();
  let cut = t.length;
  for (const sep of ['\n\n', '\n```', ':\n', '\n']) {
    const i = t.indexOf(sep);
    if (i > 40 && i < cut) cut = i;
  }
  return t.slice(0, Math.min(cut, 700));
}

interface BaseFeatures {
  taskType: TaskType;
  reasoning: number;
  domain: number;
  constraints: number;
  steps: number;
  clauses: number;
  instrWords: number;
  textTokens: number;
  codeTokens: number;
  hasCode: number;
}

// One-entry memo: the router assesses the task and the default featurizer assesses the same (unredacted) string again.
let memoText: string | null = null;
let memo: BaseFeatures | null = null;

function baseFeatures(text: string): BaseFeatures {
  if (text === memoText && memo) return memo;
  const instr = instructionOf(text);
  let taskType: TaskType = 'generate';
  for (const [t, re] of TASK_PATTERNS) {
    if (re.test(instr)) {
      taskType = t;
      break;
    }
  }
  const reasoning = new Set((instr.match(REASONING_CUES) ?? []).map((s) => s.toLowerCase())).size;
  const domain = new Set((instr.match(DOMAIN_CUES) ?? []).map((s) => s.toLowerCase())).size;
  const constraints = count(CONSTRAINT_CUES, instr) + Math.min(3, count(QUANTITY_RE, instr));
  const enumerated = count(/^\s*(?:\d+[.)]|[-*•])\s+\S/gm, instr);
  const clauses = (instr.match(/,|;|\band\b/g) ?? []).length;
  const steps = count(STEP_CUES, instr) + enumerated;
  const instrWords = instr.split(/\s+/).filter(Boolean).length;
  const codeLines = count(CODE_FENCE_RE, text, 20);
  const codeTokens = count(CODE_TOKEN_RE, text, 50);
  const hasCode = codeLines > 0 || codeTokens >= 4 ? 1 : 0;
  memo = { taskType, reasoning, domain, constraints, steps, clauses, instrWords, textTokens: estimateTokens(text), codeTokens, hasCode };
  memoText = text;
  return memo;
}

export function assessComplexity(text: string, opts: ComplexityOptions = {}): ComplexityAssessment {
  if (typeof text !== 'string') throw new Error('assessComplexity expects the task text as a string');
  const { taskType, reasoning, domain, constraints, steps, clauses, instrWords, textTokens, codeTokens, hasCode } = baseFeatures(text);
  const tokens = textTokens + (opts.contextTokens ?? 0);
  const messages = opts.messages ?? 0;

  const features: Record<string, number> = {
    typeWeight: TYPE_WEIGHT[taskType],
    reasoning,
    domain,
    constraints,
    steps,
    clauses,
    instrWords,
    tokens,
    hasCode,
    codeTokens,
    messages,
  };

  // Linear score in [0, 1]. Each term is capped so no single signal (least of all length) decides alone.
  const reasons: string[] = [];
  let score = TYPE_WEIGHT[taskType];
  reasons.push(`task type: ${taskType}`);
  const add = (v: number, why: string) => {
    if (v > 0.005) {
      score += v;
      reasons.push(why);
    }
  };
  add(Math.min(0.2, reasoning * 0.06), `${reasoning} reasoning cue(s)`);
  add(Math.min(0.24, domain * 0.06), `${domain} specialist-domain term(s)`);
  add(Math.min(0.15, constraints * 0.04), `${constraints} constraint(s)`);
  add(Math.min(0.12, steps * 0.03), `${steps} step cue(s)`);
  add(Math.min(0.1, Math.max(0, clauses - 3) * 0.015), `${clauses} clauses in the instruction`);
  add(Math.min(0.1, Math.max(0, instrWords - 25) * 0.002), `${instrWords}-word instruction`);
  // Context: long pasted material makes a task bigger, not harder; it only adds a little unless it is huge.
  add(tokens > 6000 ? 0.15 : tokens > 2000 ? 0.05 : 0, `${tokens} tokens of context`);
  add(messages > 10 ? 0.05 : 0, `${messages} messages of conversation`);
  add(hasCode && TYPE_WEIGHT[taskType] >= 0.4 ? 0.05 : 0, 'code in a non-trivial task');
  score = Math.max(0, Math.min(1, score));
  const level: ComplexityLevel = score >= 0.55 ? 'high' : score >= 0.3 ? 'medium' : 'low';
  return { score: Math.round(score * 1000) / 1000, level, taskType, features, reasons };
}

/** The score at and above which a task is considered cloud-worthy by the static rule (calibrated on the tune split). */
export const CLOUD_THRESHOLD = 0.45;
