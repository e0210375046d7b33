/**
 * The assessment step of a routing decision: how complex the task is and how large (input and expected output
 * tokens). The local model's capability is assessed beside it (Router.capabilityOf, memoised per model).
 */
import { assessComplexity, estimateTokens } from './complexity.js';
import type { ComplexityAssessment } from './types.js';
import type { ScanStep } from './scan.js';

/** Output tokens expected per task type (input-proportional for transformations). */
function outputTokensFor(c: ComplexityAssessment, inputTokens: number): number {
  switch (c.taskType) {
    case 'classify':
      return 20;
    case 'extract':
      return Math.min(800, 60 + Math.round(inputTokens * 0.2));
    case 'summarize':
      return Math.min(600, 60 + Math.round(inputTokens * 0.15));
    case 'translate':
    case 'format':
    case 'rewrite':
      return Math.min(4000, Math.max(30, Math.round(inputTokens * 1.1)));
    case 'qa':
      return 150;
    case 'generate':
    case 'code_simple':
      return 350;
    case 'explain':
      return 500;
    default:
      return 1200;
  }
}

export interface AssessStep {
  complexity: ComplexityAssessment;
  inputTokens: number;
  outputTokens: number;
}

export function assessTask(task: string, scan: ScanStep, contextTokens: number, messages: number): AssessStep {
  // the messages' tokens from their length (estimateTokens counts 4 characters a token), not from a string of that
  // many spaces built for it (up to 2 MB allocated per decision)
  const messageTokens = Math.ceil(scan.messageChars / 4);
  const complexity = assessComplexity(task, {
    contextTokens: contextTokens + scan.fileTokens + messageTokens,
    messages,
  });
  const inputTokens = estimateTokens(task) + messageTokens + Math.ceil(contextTokens) + scan.fileTokens;
  return { complexity, inputTokens, outputTokens: outputTokensFor(complexity, inputTokens) };
}
