import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Price, PriceInput, PriceOverrides, PriceTable } from './types.js';

/** The price table shipped with the package (same relative place from src/ and dist/). */
export const DEFAULT_PRICES_PATH = fileURLToPath(new URL('../../../data/prices.json', import.meta.url));

/** Cache write (5 minutes) and cache read multipliers of the input price, used when a user entry omits them. */
export const CACHE_WRITE_FACTOR = 1.25;
export const CACHE_READ_FACTOR = 0.1;

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} ${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

function checkPrice(p: unknown, where: string): Price {
  if (!p || typeof p !== 'object') throw new Error(`${where}: each price must be an object like {"model":"x","input":3,"output":15}`);
  const o = p as Record<string, unknown>;
  if (typeof o.model !== 'string' || !o.model.trim()) throw new Error(`${where}: "model" must be a non-empty string`);
  const name = o.model.trim();
  const num = (k: string, required: boolean): number | undefined => {
    const v = o[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${where}: price "${k}" of model ${name} must be a number of USD per million tokens, got ${JSON.stringify(v)}`);
    }
    if (v < 0)
      throw new Error(`${where}: price "${k}" of model ${name} is negative (${v}); prices are USD per million tokens and must be >= 0`);
    return v;
  };
  const input = num('input', true)!;
  const output = num('output', true)!;
  const cacheWrite = num('cacheWrite', false) ?? input * CACHE_WRITE_FACTOR;
  const cacheRead = num('cacheRead', false) ?? input * CACHE_READ_FACTOR;
  let aliases: string[] | undefined;
  if (o.aliases !== undefined) {
    if (!Array.isArray(o.aliases) || o.aliases.some((a) => typeof a !== 'string' || !a.trim())) {
      throw new Error(`${where}: "aliases" of model ${name} must be an array of non-empty strings`);
    }
    aliases = (o.aliases as string[]).map((a) => a.trim());
  }
  const out: Price = { model: name, input, output, cacheWrite, cacheRead };
  if (aliases) out.aliases = aliases;
  if (typeof o.notes === 'string') out.notes = o.notes;
  return out;
}

/** Finds a model's price by id or alias (case-insensitive); undefined when unknown. */
export function findPrice(table: PriceTable, model: string): Price | undefined {
  const m = model.trim().toLowerCase();
  return table.prices.find((p) => p.model.toLowerCase() === m || (p.aliases ?? []).some((a) => a.toLowerCase() === m));
}

export function knownModels(table: PriceTable): string[] {
  return table.prices.map((p) => p.model);
}

/** Resolves a model to its price or throws an error that names the known models. */
export function requirePrice(table: PriceTable, model: string, what = 'host model'): Price {
  const p = findPrice(table, model);
  if (!p) {
    throw new Error(
      `unknown ${what} "${model}"; known models: ${knownModels(table).join(', ')}. Add it to "prices" in the config file ` +
        `(e.g. {"model":"${model}","input":3,"output":15}) or pick a known one.`,
    );
  }
  return p;
}

/** Validates a whole table (duplicate ids, prices, host model) and returns a normalised copy. */
export function validatePriceTable(t: unknown, where = 'price table'): PriceTable {
  if (!t || typeof t !== 'object') throw new Error(`${where}: must be an object with asOf, hostModel and prices`);
  const o = t as Record<string, unknown>;
  if (typeof o.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(o.asOf) || Number.isNaN(Date.parse(o.asOf))) {
    throw new Error(`${where}: "asOf" must be the ISO date the prices were checked (e.g. "2025-11-24"), got ${JSON.stringify(o.asOf)}`);
  }
  if (!Array.isArray(o.prices) || o.prices.length === 0) throw new Error(`${where}: "prices" must be a non-empty array`);
  const prices = o.prices.map((p, i) => checkPrice(p, `${where} prices[${i}]`));
  const seen = new Map<string, string>();
  for (const p of prices) {
    for (const id of [p.model, ...(p.aliases ?? [])]) {
      const k = id.toLowerCase();
      const prev = seen.get(k);
      if (prev !== undefined) throw new Error(`${where}: model id "${id}" is listed twice (${prev} and ${p.model}); give each model once`);
      seen.set(k, p.model);
    }
  }
  if (typeof o.hostModel !== 'string' || !o.hostModel.trim())
    throw new Error(`${where}: "hostModel" must name the cloud model the host uses`);
  const table: PriceTable = { asOf: o.asOf, hostModel: o.hostModel.trim(), prices };
  if (typeof o.source === 'string') table.source = o.source;
  // normalise the host model to its canonical id
  table.hostModel = requirePrice(table, table.hostModel).model;
  return table;
}

function mergeInto(base: PriceTable, ov: PriceOverrides, where: string): PriceTable {
  if (!ov || typeof ov !== 'object')
    throw new Error(`${where}: overrides must be an object like {"hostModel":"claude-opus-4-5","prices":[...]}`);
  const prices = base.prices.map((p) => ({ ...p }));
  if (ov.prices !== undefined) {
    if (!Array.isArray(ov.prices)) throw new Error(`${where}: "prices" must be an array of {model,input,output[,cacheWrite,cacheRead]}`);
    ov.prices.forEach((raw: PriceInput, i: number) => {
      const p = checkPrice(raw, `${where} prices[${i}]`);
      const at = prices.findIndex((q) => q.model.toLowerCase() === p.model.toLowerCase());
      if (at >= 0) prices[at] = { ...p, aliases: p.aliases ?? prices[at].aliases };
      else {
        // an override may name an alias of a shipped model: replace that model's prices
        const byAlias = prices.findIndex((q) => (q.aliases ?? []).some((a) => a.toLowerCase() === p.model.toLowerCase()));
        if (byAlias >= 0) prices[byAlias] = { ...p, model: prices[byAlias].model, aliases: prices[byAlias].aliases };
        else prices.push(p);
      }
    });
  }
  const merged: Record<string, unknown> = {
    asOf: ov.asOf ?? base.asOf,
    hostModel: ov.hostModel ?? base.hostModel,
    source: ov.source ?? base.source,
    prices,
  };
  return validatePriceTable(merged, where);
}

/**
 * Loads the shipped price table (data/prices.json), then merges a user's price file
 * (`overridePath`, JSON with any of asOf, hostModel, source, prices) and then `overrides`
 * (from the config file). Entries in `prices` replace a model with the same id (or alias)
 * or add a new one. Throws a message naming the problem on a negative or missing price,
 * duplicate ids, or a host model that is not in the table (the message lists the known models).
 */
export function loadPriceTable(overridePath?: string, overrides?: Partial<PriceTable> | PriceOverrides): PriceTable {
  let table = validatePriceTable(readJson(DEFAULT_PRICES_PATH, 'price table'), `price table ${DEFAULT_PRICES_PATH}`);
  if (overridePath) {
    table = mergeInto(table, readJson(overridePath, 'price file') as PriceOverrides, `price file ${overridePath}`);
  }
  if (overrides) table = mergeInto(table, overrides as PriceOverrides, 'price overrides');
  return table;
}
