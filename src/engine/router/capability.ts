/**
 * What the local model can be trusted with, from what it says about itself: a parameter count
 * (GGUF `general.size_label`, Ollama's `parameter_size`), a size in its name or id ("qwen2.5-7b-…",
 * "llama3.2:3b"), or its file size and quantisation; or from a setting the user gives
 * (`--model-capability`). The policy reads the tier as a shift of every strategy's cloud threshold:
 * a small model keeps only simple work, a large one keeps medium work too.
 */
import type { ModelInfo } from '../models/types.js';

export const CAPABILITY_TIERS = ['small', 'medium', 'large'] as const;
export type CapabilityTier = (typeof CAPABILITY_TIERS)[number];

export interface Capability {
  tier: CapabilityTier;
  /** Parameters in billions, when known or estimated. */
  paramsB: number | null;
  /** Where the tier came from. */
  source: 'setting' | 'size_label' | 'name' | 'file_size' | 'unknown';
  /** One line saying what was assumed and why. */
  reason: string;
  /** Added to the strategy's cloud threshold (complexity score) for this model. */
  thresholdShift: number;
}

/** Below this many billion parameters a model is small; at or above LARGE_FROM_B it is large. */
export const SMALL_BELOW_B = 4;
export const LARGE_FROM_B = 20;
/** The complexity score each tier does well up to, relative to the medium tier's (the strategies' own thresholds). */
const SHIFT: Record<CapabilityTier, number> = { small: -0.15, medium: 0, large: 0.12 };

/** Bits per weight of common GGUF quantisations (llama.cpp's figures, rounded), for a size estimate from the file. */
const BITS_PER_WEIGHT: [RegExp, number][] = [
  [/^(?:ALL_)?F32$/i, 32],
  [/^(?:ALL_)?(?:F16|BF16)$/i, 16],
  [/Q8/i, 8.5],
  [/Q6/i, 6.6],
  [/Q5/i, 5.5],
  [/Q4|IQ4/i, 4.8],
  [/Q3|IQ3/i, 3.9],
  [/Q2|IQ2|IQ1/i, 2.8],
];

/**
 * "7B", "0.5B", "135M", "1.5b", "8x7B" (mixture of experts: about two experts are active, so it is
 * counted as 2 × 7B), "32.8B". Null when nothing parses.
 */
export function parseParameterCount(label: string | undefined | null): number | null {
  if (!label) return null;
  const moe = /(\d+)\s*x\s*(\d+(?:\.\d+)?)\s*([bm])\b/i.exec(label);
  if (moe) {
    const per = Number(moe[2]) * (moe[3].toLowerCase() === 'm' ? 1e-3 : 1);
    return Math.min(Number(moe[1]), 2) * per;
  }
  const m = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z0-9])/i.exec(label);
  if (!m) return null;
  const n = Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1e-3 : 1);
  return Number.isFinite(n) && n > 0 && n < 10_000 ? n : null;
}

function tierOf(paramsB: number): CapabilityTier {
  return paramsB < SMALL_BELOW_B ? 'small' : paramsB >= LARGE_FROM_B ? 'large' : 'medium';
}

function capability(tier: CapabilityTier, paramsB: number | null, source: Capability['source'], reason: string): Capability {
  return { tier, paramsB: paramsB === null ? null : Math.round(paramsB * 100) / 100, source, reason, thresholdShift: SHIFT[tier] };
}

const fmtB = (b: number) => (b < 1 ? `${Math.round(b * 1000)}M` : `${Math.round(b * 10) / 10}B`);

/**
 * The capability of a model. `setting` (from --model-capability) wins; then the model's own parameter
 * count, a size in its name, an estimate from its file size and quantisation; else medium (the
 * thresholds the strategies were calibrated with), saying that nothing was known.
 */
export function assessCapability(
  model: Pick<ModelInfo, 'id' | 'name' | 'parameters' | 'sizeBytes' | 'quantization'> | null,
  setting?: CapabilityTier,
): Capability {
  if (setting) return capability(setting, null, 'setting', `set to ${setting} by --model-capability`);
  if (!model) return capability('medium', null, 'unknown', 'no local model');
  const label = parseParameterCount(model.parameters);
  if (label !== null)
    return capability(tierOf(label), label, 'size_label', `${fmtB(label)} parameters (the model's size label "${model.parameters}")`);
  for (const s of [model.name, model.id]) {
    const n = parseParameterCount(s);
    if (n !== null) return capability(tierOf(n), n, 'name', `${fmtB(n)} parameters (read from its name "${s}")`);
  }
  if (model.sizeBytes && model.sizeBytes > 0) {
    const q = model.quantization ?? '';
    const bpw = BITS_PER_WEIGHT.find(([re]) => re.test(q))?.[1] ?? 4.8;
    const est = (model.sizeBytes * 8) / bpw / 1e9;
    return capability(
      tierOf(est),
      est,
      'file_size',
      `about ${fmtB(est)} parameters (estimated from ${(model.sizeBytes / 1e6).toFixed(0)} MB at ${q || 'an assumed 4.8'} bits per weight)`,
    );
  }
  return capability('medium', null, 'unknown', `size of "${model.id}" unknown: assumed medium (set it with --model-capability)`);
}

/**
 * Parses --model-capability: a tier for every model ("large"), or per model id or name
 * ("ollama:qwen2.5:32b=large,gguf:tiny=small"); entries without "=" apply to any other model.
 */
export function parseCapabilitySetting(spec: string | undefined): (modelId: string | null, name?: string) => CapabilityTier | undefined {
  if (!spec || !spec.trim()) return () => undefined;
  const per = new Map<string, CapabilityTier>();
  let any: CapabilityTier | undefined;
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.lastIndexOf('=');
    const key = eq >= 0 ? part.slice(0, eq).trim() : '';
    const tier = (eq >= 0 ? part.slice(eq + 1) : part).trim().toLowerCase();
    if (!(CAPABILITY_TIERS as readonly string[]).includes(tier))
      throw new Error(
        `model capability "${part}": the tier must be one of ${CAPABILITY_TIERS.join(', ')} (e.g. "large" or "ollama:qwen2.5:32b=large")`,
      );
    if (eq >= 0 && !key) throw new Error(`model capability "${part}": give a model id or name before "="`);
    if (key) per.set(key, tier as CapabilityTier);
    else any = tier as CapabilityTier;
  }
  return (id, name) => (id !== null && per.get(id)) || (name !== undefined && per.get(name)) || any;
}
