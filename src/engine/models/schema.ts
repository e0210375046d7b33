/** JSON Schema validation of model output (ajv), shared by all backends and by TRM scoring. */
import { createRequire } from 'node:module';
import type { Ajv as AjvType, ValidateFunction } from 'ajv';
import { CallerError } from '../errors.js';

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
    checkShape(schema);
    try {
      v = getAjv().compile(schema);
    } catch (err) {
      if (err instanceof RangeError) throw new CallerError('jsonSchema is too large or nested too deeply to compile: simplify it');
      throw new CallerError(`jsonSchema is not a valid JSON Schema: ${(err as Error).message}`);
    }
    if (cache.size > 256) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/**
 * Bounds on a caller's schema: it is walked, compiled (ajv generates code, in time growing with its size)
 * and turned into a grammar, so its size is bounded first. Real output schemas are a few KB.
 */
export const SCHEMA_LIMITS = { chars: 32 * 1024, depth: 64, nodes: 2000 } as const;

/** Keywords whose subschemas apply to the same value: a $ref cycle through only these never ends. */
const SAME_VALUE = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependencies']);
/** Keywords whose value maps names to subschemas, and keywords whose value is data, not a schema. */
const MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
const DATA = new Set(['enum', 'const', 'default', 'examples']);
const REF_FORM = /^#\/(\$defs|definitions)\/([^/]+)$/;
const HOW_TO_RECURSE =
  'put the recursive part under "$defs" and refer to it as "#/$defs/<name>" from inside an object property or an array item';

/**
 * The checks ajv and the grammar builders do not make, done on the schema as data before either sees it:
 * bounded size and depth; only references to the schema's own "$defs" (or "definitions"); and no cycle of
 * references that stays on the same value (e.g. {"$ref": "#"}), which would recurse until the stack overflows.
 */
function checkShape(schema: Record<string, unknown>): void {
  let chars: number;
  try {
    chars = JSON.stringify(schema).length;
  } catch (err) {
    throw new CallerError(`jsonSchema cannot be serialised: ${(err as Error).message}`);
  }
  if (chars > SCHEMA_LIMITS.chars)
    throw new CallerError(`jsonSchema is ${chars} characters; at most ${SCHEMA_LIMITS.chars} are accepted: simplify it`);
  // Walk without recursion, counting nodes and depth and checking every $ref and $id where a schema stands
  // (not inside enum/const/default/examples data, nor a property that happens to be named "$ref").
  let nodes = 0;
  type Role = 'schema' | 'map' | 'data';
  const stack: { v: unknown; depth: number; path: string; role: Role }[] = [{ v: schema, depth: 0, path: '', role: 'schema' }];
  while (stack.length) {
    const { v, depth, path, role } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (++nodes > SCHEMA_LIMITS.nodes)
      throw new CallerError(`jsonSchema has more than ${SCHEMA_LIMITS.nodes} objects and arrays: simplify it`);
    if (depth > SCHEMA_LIMITS.depth)
      throw new CallerError(`jsonSchema nests deeper than ${SCHEMA_LIMITS.depth} levels (${where(path)}): flatten it or use "$defs"`);
    if (role === 'schema' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('$ref' in o) checkRef(schema, o.$ref, path);
      if (path !== '' && typeof o.$id === 'string')
        throw new CallerError(`jsonSchema: "$id" inside the schema (${where(path)}) is not supported; give "$id" only at the top, or none`);
    }
    for (const [k, c] of Object.entries(v)) {
      if (c === null || typeof c !== 'object') continue;
      const childRole: Role =
        role === 'data'
          ? 'data'
          : role === 'map'
            ? 'schema'
            : Array.isArray(v)
              ? 'schema'
              : MAPS.has(k)
                ? 'map'
                : DATA.has(k)
                  ? 'data'
                  : 'schema';
      stack.push({ v: c, depth: depth + 1, path: `${path}/${k}`, role: childRole });
    }
  }
  // A reference cycle that never moves into a part of the value (a property, an item, a key) recurses on the
  // same value for ever. Every definition is a node; its edges are the references it applies to the same
  // value (through allOf, anyOf, oneOf, not, if/then/else, dependentSchemas); a depth-first search finds a cycle.
  const defs = { $defs: asRecord(schema.$defs), definitions: asRecord(schema.definitions) };
  const target = (ref: string): unknown => {
    const m = REF_FORM.exec(ref);
    return m ? defs[m[1] as '$defs' | 'definitions']?.[decodePointer(m[2])] : undefined;
  };
  // Iterative, with one shared path: a long chain of definitions costs linear time and no stack.
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  const path: string[] = [];
  const dfs: { ref: string; next: string[]; i: number }[] = [];
  const enter = (ref: string) => {
    state.set(ref, 1);
    path.push(ref);
    dfs.push({ ref, next: sameValueRefs(target(ref)), i: 0 });
  };
  for (const kind of ['$defs', 'definitions'] as const) {
    for (const name of Object.keys(defs[kind] ?? {})) {
      const start = `#/${kind}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (state.has(start)) continue;
      enter(start);
      while (dfs.length) {
        const top = dfs[dfs.length - 1];
        if (top.i < top.next.length) {
          const next = top.next[top.i++];
          const st = state.get(next);
          if (st === 1) throw loopError([...path.slice(path.indexOf(next)), next]);
          if (st === undefined) enter(next);
        } else {
          state.set(top.ref, 2);
          path.pop();
          dfs.pop();
        }
      }
    }
  }
}

function loopError(loop: string[]): CallerError {
  const shown = loop.length <= 6 ? loop : [...loop.slice(0, 3), `… ${loop.length - 5} more …`, ...loop.slice(-2)];
  return new CallerError(
    `jsonSchema: the references ${shown.map((r) => (r.startsWith('…') ? r : `"${r.slice(0, 100)}"`)).join(' -> ')} loop without reaching ` +
      `an object property or array item, so checking a value against them never ends; ${HOW_TO_RECURSE}`,
  );
}

/** The $refs a subschema applies to the value itself (not to its properties or items). */
function sameValueRefs(s: unknown): string[] {
  const out: string[] = [];
  const todo = [s];
  while (todo.length) {
    const x = todo.pop();
    if (x === null || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      todo.push(...x);
      continue;
    }
    const o = x as Record<string, unknown>;
    if (typeof o.$ref === 'string') out.push(o.$ref);
    for (const [k, c] of Object.entries(o)) {
      if (!SAME_VALUE.has(k)) continue;
      // dependentSchemas / dependencies map property names to subschemas (or, for dependencies, to name lists)
      if ((k === 'dependentSchemas' || k === 'dependencies') && asRecord(c)) todo.push(...Object.values(c as object));
      else todo.push(c);
    }
  }
  return out;
}

/** Where in the schema, briefly. */
function where(path: string): string {
  return `at ${path.length > 80 ? '…' + path.slice(-80) : path || '/'}`;
}

function checkRef(root: Record<string, unknown>, ref: unknown, path: string): void {
  const at = `(${where(path)})`;
  if (typeof ref !== 'string') throw new CallerError(`jsonSchema: "$ref" must be a string ${at}`);
  if (ref === '#')
    throw new CallerError(`jsonSchema: $ref "#" ${at} refers to the whole schema, which is not supported; ${HOW_TO_RECURSE}`);
  const m = REF_FORM.exec(ref);
  if (!m)
    throw new CallerError(
      `jsonSchema: $ref "${ref.slice(0, 200)}" ${at} is not supported: only references to the schema's own definitions are ("#/$defs/<name>"); ${HOW_TO_RECURSE}`,
    );
  const defs = asRecord(root[m[1]]);
  if (!defs || !Object.hasOwn(defs, decodePointer(m[2])))
    throw new CallerError(
      `jsonSchema: $ref "${ref.slice(0, 200)}" ${at} points to no definition: add "${decodePointer(m[2]).slice(0, 100)}" under "${m[1]}" at the top of the schema`,
    );
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** One JSON-pointer segment: "~1" is "/", "~0" is "~" (and URI escapes, as a $ref is a URI fragment). */
function decodePointer(seg: string): string {
  let s = seg;
  try {
    s = decodeURIComponent(seg);
  } catch {
    /* kept as written */
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
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
  let valid: boolean;
  try {
    valid = v(value) as boolean;
  } catch (err) {
    // A recursive schema meeting an absurdly deep answer: the answer is refused, never the process.
    if (err instanceof RangeError) return { ok: false, error: 'output nests too deeply to validate against the schema' };
    throw err;
  }
  if (valid) return { ok: true, value };
  return { ok: false, error: `output does not match the schema: ${getAjv().errorsText(v.errors)}` };
}
