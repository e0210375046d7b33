/**
 * The scan step of a routing decision: the privacy scanner over the task, every message and the files read by
 * reference. Findings by category and position (never the value); redacted copies of the task and of each message
 * with a finding go back to the host, none of a file (the host never saw it).
 */
import { scanPrivacy } from '../privacy/privacy.js';
import { estimateTokens } from './complexity.js';
import type { PrivacyFinding, PrivacyScan, RouteInput } from './types.js';

export interface ScanStep {
  /** The task's own scan (its redacted text is what the learner's features are taken from). */
  scan: PrivacyScan;
  findings: PrivacyFinding[];
  sensitive: boolean;
  categories: string[];
  redactedMessages: { index: number; content: string }[];
  messageChars: number;
  fileTokens: number;
}

export function scanRouteInput(task: string, messages: NonNullable<RouteInput['messages']>, files: RouteInput['files']): ScanStep {
  const scan = scanPrivacy(task);
  const findings: PrivacyFinding[] = [...scan.findings];
  let messageChars = 0;
  const redactedMessages: { index: number; content: string }[] = [];
  messages.forEach((m, i) => {
    const content = typeof m?.content === 'string' ? m.content : '';
    messageChars += content.length;
    if (!content) return;
    const ms = scanPrivacy(content);
    if (ms.findings.length === 0) return;
    for (const f of ms.findings) findings.push({ ...f, source: `messages[${i}]` });
    redactedMessages.push({ index: i, content: ms.redacted });
  });
  // Files read by reference: scanned like messages, but no redacted copy goes back (the host never saw them).
  let fileTokens = 0;
  for (const f of files ?? []) {
    fileTokens += f.tokens ?? estimateTokens(f.text ?? '');
    for (const x of f.findings ?? scanPrivacy(f.text ?? '').findings) findings.push({ ...x, source: `file:${f.source}` });
  }
  const sensitive = findings.length > 0;
  const categories = [...new Set(findings.map((f) => f.category))];
  return { scan, findings, sensitive, categories, redactedMessages, messageChars, fileTokens };
}
