/** JSON Schema validation of model output (ajv), shared by all backends and by TRM scoring. */
import { createRequire } from 'node:module';
import type { Ajv as AjvType, ValidateFunction } from 'ajv';

// ajv takes ~150 ms to import: load it on first use so the server's startup never pays for it.
let ajvInstance: AjvType | null = null;
function getAjv(): AjvType {
  if (!ajvInstance) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajvInstance = new Ajv({ allErrors: true, strict: false, validateSchema: true });
  }
  return ajvInstance;
}
const cache = new Map<string, ValidateFunction>();

function compile(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = cache.get(key);
  if (!v) {
    try {
      v = getAjv().compile(schema);
    } catch (err) {
      throw new Error(`jsonSchema is not a valid JSON Schema: ${(err as Error).message}`);
    }
    if (cache.size > 256) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/** Throws when the schema itself is invalid (call before generating). */
export function assertValidSchema(schema: Record<string, unknown>): void {
  compile(schema);
}

export type SchemaCheck = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses `text` as JSON and validates it against `schema`. */
export function checkJson(schema: Record<string, unknown>, text: string): SchemaCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `output is not valid JSON: ${(err as Error).message}` };
  }
  const v = compile(schema);
  if (v(value)) return { ok: true, value };
  return { ok: false, error: `output does not match the schema: ${getAjv().errorsText(v.errors)}` };
}
