/**
 * Deterministic (seeded) generator of malformed and mistyped JSON-RPC messages for an MCP server.
 * Tool calls are built from the server's own `tools/list` schemas and then mutated, so new tools
 * and fields are fuzzed without touching this file.
 *
 * Each case says whether a correct server must answer it (a request with an id, or anything the
 * server cannot parse, which JSON-RPC answers with id null) and which id the answer must carry.
 */

export interface ToolInfo {
  name: string;
  inputSchema: JsonSchema;
}
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  format?: string;
}

export interface FuzzCase {
  n: number;
  kind: string;
  /** The bytes sent (one line over stdio, one body over HTTP; never containing a raw newline). */
  bytes: Buffer;
  /** A correct server must answer this message. */
  expectsAnswer: boolean;
  /** The id the answer must carry (null for unparseable or id-less invalid messages). */
  answerId: string | number | null;
  /** For batches: ids of the requests inside (HTTP answers each; stdio refuses the batch). */
  batchIds?: Array<string | number>;
  /** A batch whose every item is a valid message (HTTP then answers each request in it). */
  batchValid?: boolean;
  /** The answer must be an error (JSON-RPC error or isError tool result), never a success. */
  mustFail?: boolean;
  /** A tool call (its answer is a tool result or an error). */
  tool?: string;
}

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Rng = ReturnType<typeof rng>;

export const PATH_TRAVERSAL = [
  '../../etc/passwd',
  '../../../../../../etc/shadow',
  '/etc/passwd',
  '..\\..\\..\\windows\\system32\\config\\sam',
  'models/../../../../etc/hosts',
  '%2e%2e/%2e%2e/etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  'file:///etc/passwd',
  '/proc/self/environ',
  '/dev/zero',
  '/dev/random',
  '~/.ssh/id_rsa',
  '....//....//etc/passwd',
  '/etc/passwd\u0000.gguf',
  '../../etc/passwd.gguf',
  '/tmp/../etc/passwd',
  '\\\\evil-host\\share\\model.gguf',
  '/',
  '.',
  '..',
];

export const SQLISH = [
  "' OR 1=1 --",
  "x'; DROP TABLE patterns; --",
  '" OR ""="',
  "') UNION SELECT name, sql FROM sqlite_master --",
  '1; DELETE FROM ledger',
  '%',
  '_',
  '*',
  '%%%_%_',
  "' AND randomblob(1000000000) --",
  "ATTACH DATABASE '/tmp/x.db' AS x; --",
  "'; PRAGMA writable_schema=1; --",
  '\\',
  "''''''",
  'NULL',
  '-- comment',
  '/* */',
  "' || (SELECT load_extension('x')) || '",
  'MATCH "*"',
  '\u0000',
];

export const BAD_URLS = [
  'file:///etc/passwd',
  'javascript:alert(1)',
  'gopher://127.0.0.1:25/',
  'http://[::1',
  'not a url',
  'http://user:pass@127.0.0.1:1/',
  'ftp://127.0.0.1/',
];

const WEIRD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '🧨💥'.repeat(50),
  '\r\n\t\b\f',
  '<script>alert(1)</script>',
  '${process.exit(1)}',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'constructor',
  'a'.repeat(600),
  '\\u0000',
  '%s%s%s%n',
];

const METHODS = [
  'ping',
  'initialize',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'logging/setLevel',
  'completion/complete',
  'tasks/get',
  'tasks/list',
  'sampling/createMessage',
  'roots/list',
  'elicitation/create',
];

const UNKNOWN_METHODS = [
  'tools/delete',
  'rpc.discover',
  '__proto__',
  'constructor',
  'TOOLS/LIST',
  'tools/list ',
  'tools//call',
  '../tools/call',
  '',
  '\u0000',
  'notifications/initialized', // a notification method sent as a request
  'x'.repeat(5000),
];

/** A plausible valid value for a JSON schema. */
export function valueFor(s: JsonSchema | undefined, r: Rng, depth = 0): unknown {
  if (!s) return null;
  if (s.enum) return r.pick(s.enum);
  if (s.anyOf) return valueFor(r.pick(s.anyOf), r, depth);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'uri') return 'http://127.0.0.1:9/v1';
      const len = Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 40, r.int(1, 40)));
      return r
        .pick(['summarise this paragraph', 'fix the bug in parse()', 'translate to French', 'list three colours'])
        .padEnd(len, 'x')
        .slice(0, Math.max(len, 1));
    }
    case 'integer': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? Math.floor(s.exclusiveMinimum) + 1 : 0);
      const hi = Math.min(s.maximum ?? lo + 10, lo + 10);
      return r.int(lo, hi);
    }
    case 'number': {
      const lo = s.minimum ?? s.exclusiveMinimum ?? 0;
      const hi = s.maximum ?? lo + 1;
      const v = lo + r.next() * (hi - lo);
      return s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum ? hi : v;
    }
    case 'boolean':
      return r.chance(0.5);
    case 'array': {
      const n = Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, r.int(0, 3)));
      return Array.from({ length: n }, () => valueFor(s.items, r, depth + 1));
    }
    case 'object': {
      const o: Record<string, unknown> = {};
      if (depth > 3) return o;
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if ((s.required ?? []).includes(k) || r.chance(0.3)) o[k] = valueFor(v, r, depth + 1);
      }
      return o;
    }
    default:
      return r.pick(['x', 1, true, null]);
  }
}

function nested(depth: number, leaf: unknown, asObject: boolean): unknown {
  // JSON.stringify recurses: very deep values are spliced in as text by serialise()
  if (depth > 60) return `${RAW}NEST:${asObject ? 'o' : 'a'}:${depth}:${typeof leaf === 'string' ? 'S' : 'N'}`;
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

function wrongTypeFor(s: JsonSchema | undefined, r: Rng): unknown {
  const type = Array.isArray(s?.type) ? s!.type[0] : s?.type;
  const options: unknown[] = [null, true, 0, -1, 'string', [], {}, [1, 2, 3], { $ne: null }, 1.5];
  return r.pick(options.filter((o) => typeof o !== type && !(type === 'integer' && typeof o === 'number' && Number.isInteger(o))));
}

/** A sentinel replaced in the serialised text, for numbers JSON.stringify cannot produce. */
const RAW = '\u0001RAW:';
const RAW_NUMBERS = ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0', '0.0000000000000000000001', '9007199254740993'];

function serialise(msg: unknown): string {
  let s = JSON.stringify(msg);
  // "\u0001RAW:1e400" (JSON-escaped) -> 1e400
  s = s.replace(/"\\u0001RAW:([^"]*)"/g, (_m, raw: string) => {
    const m = /^NEST:([oa]):(\d+):([SN])$/.exec(raw);
    if (!m) return raw;
    const d = Number(m[2]);
    const leaf = m[3] === 'S' ? '"x"' : '1';
    return m[1] === 'o' ? '{"a":'.repeat(d) + leaf + '}'.repeat(d) : '['.repeat(d) + leaf + ']'.repeat(d);
  });
  return s;
}

interface MutationResult {
  args: unknown;
  kind: string;
  mustFail?: boolean;
}

function mutateArgs(tool: ToolInfo, r: Rng, allowHuge: boolean): MutationResult {
  const schema = tool.inputSchema;
  const props = Object.entries(schema.properties ?? {});
  const base = valueFor(schema, r) as Record<string, unknown>;
  const field = props.length ? r.pick(props) : undefined;
  const op = r.int(0, 13);
  // tool-specific attacks first
  if (tool.name === 'hot_swap_model' && r.chance(0.6)) {
    const which = r.pick(['path', 'path', 'id', 'baseUrl', 'serverModel']);
    if (which === 'baseUrl') return { args: { baseUrl: r.pick(BAD_URLS), serverModel: 'x' }, kind: 'hot_swap_bad_url', mustFail: true };
    return { args: { [which]: r.pick(PATH_TRAVERSAL) }, kind: `hot_swap_traversal_${which}`, mustFail: true };
  }
  if ((tool.name === 'find_similar_patterns' || tool.name === 'cost_report' || tool.name === 'store_trm_pattern') && r.chance(0.5)) {
    const strFields = props.filter(([, p]) => p.type === 'string' && !p.enum).map(([k]) => k);
    const arrFields = props.filter(([, p]) => p.type === 'array' && p.items?.type === 'string').map(([k]) => k);
    const args = { ...base };
    for (const k of strFields) if (r.chance(0.6)) args[k] = r.pick(SQLISH) || 'x';
    for (const k of arrFields) if (r.chance(0.6)) args[k] = [r.pick(SQLISH) || 'x'];
    return { args, kind: `sqlish_${tool.name}` };
  }
  switch (op) {
    case 0: {
      const req = schema.required ?? [];
      if (req.length) {
        const a = { ...base };
        delete a[r.pick(req)];
        return { args: a, kind: 'missing_required', mustFail: true };
      }
      return { args: { ...base, [`unknown_${r.int(0, 99)}`]: 'x' }, kind: 'extra_field' };
    }
    case 1:
      if (field) return { args: { ...base, [field[0]]: wrongTypeFor(field[1], r) }, kind: 'wrong_type' };
      return { args: r.pick([[], 'x', 5]), kind: 'args_not_object', mustFail: true };
    case 2: {
      const numeric = props.filter(([, p]) => p.type === 'number' || p.type === 'integer');
      if (numeric.length) {
        const [k] = r.pick(numeric);
        return { args: { ...base, [k]: `${RAW}${r.pick(RAW_NUMBERS)}` }, kind: 'raw_number' };
      }
      return { args: base, kind: 'valid_shape' };
    }
    case 3: {
      const numeric = props.filter(([, p]) => p.type === 'number' || p.type === 'integer');
      if (numeric.length) {
        const [k, p] = r.pick(numeric);
        const v = r.pick([(p.maximum ?? 1e6) + 1, (p.minimum ?? 0) - 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, -0.5]);
        return { args: { ...base, [k]: v }, kind: 'out_of_range' };
      }
      return { args: base, kind: 'valid_shape' };
    }
    case 4: {
      const strs = props.filter(([, p]) => p.type === 'string');
      if (strs.length && allowHuge) {
        const [k, p] = r.pick(strs);
        const len = (p.maxLength ?? 100_000) + r.int(1, 50_000);
        return {
          args: { ...base, [k]: 'A'.repeat(Math.min(len, 300_000)) },
          kind: 'huge_string',
          mustFail: p.maxLength !== undefined && len <= 300_000,
        };
      }
      if (strs.length) return { args: { ...base, [r.pick(strs)[0]]: r.pick(WEIRD_STRINGS) }, kind: 'weird_string' };
      return { args: base, kind: 'valid_shape' };
    }
    case 5:
      if (field) return { args: { ...base, [field[0]]: nested(r.int(5, 40), 'x', r.chance(0.5)) }, kind: 'nested_arg' };
      return { args: nested(r.int(5, 40), 'x', true), kind: 'nested_arg' };
    case 6:
      if (field) return { args: { ...base, [field[0]]: nested(r.int(70, 3000), 1, r.chance(0.5)) }, kind: 'deep_nesting' };
      return { args: nested(r.int(70, 3000), 1, true), kind: 'deep_nesting' };
    case 7: {
      const strs = props.filter(([, p]) => p.type === 'string' && !p.enum);
      if (strs.length) return { args: { ...base, [r.pick(strs)[0]]: r.pick(WEIRD_STRINGS) }, kind: 'weird_string' };
      return { args: base, kind: 'valid_shape' };
    }
    case 8: {
      const enums = props.filter(([, p]) => p.enum);
      if (enums.length)
        return {
          args: { ...base, [r.pick(enums)[0]]: r.pick(['', 'ALL', 'local ', 'cloud\u0000', 42, null]) },
          kind: 'bad_enum',
          mustFail: true,
        };
      return { args: base, kind: 'valid_shape' };
    }
    case 9:
      return {
        args: Object.assign(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'), base),
        kind: 'proto_keys',
      };
    case 10: {
      const arrs = props.filter(([, p]) => p.type === 'array');
      if (arrs.length) {
        const [k, p] = r.pick(arrs);
        return {
          args: { ...base, [k]: Array.from({ length: (p.maxItems ?? 100) + r.int(1, 50) }, () => 'x') },
          kind: 'too_many_items',
          mustFail: p.maxItems !== undefined,
        };
      }
      return { args: base, kind: 'valid_shape' };
    }
    case 11:
      return { args: r.pick([null, [], 'string', 42, true]), kind: 'args_not_object', mustFail: true };
    case 12:
      return { args: {}, kind: 'empty_args' };
    default:
      return { args: base, kind: 'valid_shape' };
  }
}

/**
 * Generates `count` cases. `tools` comes from the server's tools/list. Deterministic for a seed.
 * `allowHuge` includes strings over the schema limits (a few hundred kB each).
 */
export function generateCases(seed: number, count: number, tools: ToolInfo[], opts: { allowHuge?: boolean } = {}): FuzzCase[] {
  const r = rng(seed);
  const allowHuge = opts.allowHuge ?? true;
  const cases: FuzzCase[] = [];
  let nextId = 1;
  const newId = (): string | number => (r.chance(0.7) ? 1_000_000 + nextId++ : `fz-${nextId++}-${r.int(0, 1e6)}`);
  const push = (c: Omit<FuzzCase, 'n' | 'bytes'> & { text?: string; bytes?: Buffer }) => {
    const bytes = c.bytes ?? Buffer.from(c.text!, 'utf8');
    if (bytes.includes(0x0a)) throw new Error(`generator bug: case ${c.kind} contains a raw newline`);
    const { text: _t, ...rest } = c;
    cases.push({ ...rest, n: cases.length, bytes });
  };
  const validCall = (id: string | number, tool: ToolInfo) =>
    serialise({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool.name, arguments: valueFor(tool.inputSchema, r) } });

  while (cases.length < count) {
    const roll = r.next();
    if (roll < 0.42 && tools.length) {
      // mutated tool call built from the listed schema
      const tool = r.pick(tools);
      const id = newId();
      const m = mutateArgs(tool, r, allowHuge && r.chance(0.08));
      push({
        kind: `tool:${m.kind}`,
        text: serialise({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool.name, arguments: m.args } }),
        expectsAnswer: true,
        answerId: id,
        mustFail: m.mustFail,
        tool: tool.name,
      });
    } else if (roll < 0.5) {
      // unknown tool, bad tool names
      const id = newId();
      const name = r.pick([
        'nope',
        '',
        'local_complete ',
        'LOCAL_COMPLETE',
        '../local_complete',
        '__proto__',
        'x'.repeat(3000),
        42,
        null,
        ['route_task'],
      ]);
      push({
        kind: 'tool:bad_name',
        text: serialise({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } }),
        expectsAnswer: true,
        answerId: id,
        mustFail: true,
      });
    } else if (roll < 0.6) {
      // invalid JSON text
      const id = newId();
      const valid = tools.length ? validCall(id, r.pick(tools)) : serialise({ jsonrpc: '2.0', id, method: 'ping' });
      const variants = [
        () => valid.slice(0, r.int(1, Math.max(1, valid.length - 1))),
        () => valid.replace(/"/g, "'"),
        () => valid.replace(/}$/, ',}'),
        () => valid + '}',
        () => `${valid}${valid}`,
        () => '{"jsonrpc":"2.0","id":1,"method":"ping",}',
        () => '{"jsonrpc":"2.0","id":NaN,"method":"ping"}',
        () => '{"jsonrpc":"2.0","id":Infinity,"method":"ping"}',
        () => "{jsonrpc:'2.0'}",
        () => '[',
        () => '{',
        () => 'null null',
        () => 'undefined',
        () => '\u0000\u0001\u0002',
        () => '{"a":"\\x41"}',
        () => '{"a":"\\u12"}',
        () => Array.from({ length: r.int(1, 200) }, () => String.fromCharCode(r.int(32, 126))).join(''),
        () => '['.repeat(r.int(100, 50_000)),
        () => '{"a":'.repeat(r.int(100, 20_000)),
        () => '\ufeff' + valid,
      ];
      const text = r.pick(variants)();
      const bytesText = text.replace(/\n/g, ' ');
      // Some strings above parse fine as JSON (e.g. "\ufeff"-less valid text never appears); they are
      // all invalid JSON-RPC, so all get an error with id null or the message's id.
      let answerId: string | number | null = null;
      try {
        // a UTF-8 byte order mark is dropped by the decoder (TextDecoder), so such a message is valid
        const v = JSON.parse(bytesText.replace(/^\ufeff/, ''));
        if (v && typeof v === 'object' && !Array.isArray(v) && (typeof v.id === 'string' || Number.isSafeInteger(v.id))) answerId = v.id;
      } catch {
        /* parse error: id null */
      }
      push({ kind: 'invalid_json', text: bytesText, expectsAnswer: true, answerId });
    } else if (roll < 0.67) {
      // invalid UTF-8 inside an otherwise valid request
      const id = newId();
      const prefix = Buffer.from(
        `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":"route_task","arguments":{"task":"`,
      );
      const bad = Buffer.from(
        r.pick([
          [0xff],
          [0xc3, 0x28],
          [0xa0, 0xa1],
          [0xe2, 0x28, 0xa1],
          [0xf0, 0x28, 0x8c, 0xbc],
          [0xed, 0xa0, 0x80], // encoded surrogate
          [0xc0, 0xaf], // overlong "/"
          [0xf8, 0x88, 0x80, 0x80, 0x80],
          [0xfe, 0xfe, 0xff, 0xff],
        ]),
      );
      const suffix = Buffer.from('"}}}');
      push({
        kind: 'invalid_utf8',
        bytes: Buffer.concat([prefix, Buffer.from('abc'), bad, Buffer.from('def'), suffix]),
        expectsAnswer: true,
        answerId: null,
      });
    } else if (roll < 0.77) {
      // broken envelopes
      const id = newId();
      const variants: Array<() => { msg: unknown; answerId: string | number | null }> = [
        () => ({ msg: { jsonrpc: '1.0', id, method: 'ping' }, answerId: id }),
        () => ({ msg: { id, method: 'ping' }, answerId: id }),
        () => ({ msg: { jsonrpc: 2, id, method: 'ping' }, answerId: id }),
        () => ({ msg: { jsonrpc: '2.0', id: { nested: id }, method: 'ping' }, answerId: null }),
        () => ({ msg: { jsonrpc: '2.0', id: [id], method: 'ping' }, answerId: null }),
        () => ({ msg: { jsonrpc: '2.0', id: true, method: 'ping' }, answerId: null }),
        () => ({ msg: { jsonrpc: '2.0', id: 1.25, method: 'ping' }, answerId: null }),
        () => ({ msg: { jsonrpc: '2.0', id: `${RAW}1e400`, method: 'ping' }, answerId: null }),
        () => ({ msg: { jsonrpc: '2.0', id: `${RAW}123456789012345678901234567890`, method: 'ping' }, answerId: null }),
        () => ({ msg: { jsonrpc: '2.0', id, method: r.pick([42, null, true, [], {}]) }, answerId: id }),
        () => ({ msg: { jsonrpc: '2.0', id, method: 'tools/list', params: r.pick([[], 'x', 42, true, null]) }, answerId: id }),
        () => ({ msg: { jsonrpc: '2.0', id, method: 'ping', extra: 'field' }, answerId: id }),
        () => ({ msg: { jsonrpc: '2.0', id }, answerId: id }),
        () => ({ msg: { jsonrpc: '2.0', id, result: {}, error: { code: 1, message: 'x' } }, answerId: id }),
        () => ({ msg: r.pick([null, 42, 'ping', true, [], {}]), answerId: null }),
        () => ({ msg: { jsonrpc: '2.0', id: 'x'.repeat(r.int(300, 10_000)), method: 'ping' }, answerId: 'SKIP' as never }),
      ];
      const v = r.pick(variants)();
      if ((v.answerId as unknown) === 'SKIP') {
        // long but valid string ids are legal JSON-RPC: the answer carries the same id
        const longId = (v.msg as { id: string }).id;
        push({ kind: 'long_id', text: serialise(v.msg), expectsAnswer: true, answerId: longId });
      } else {
        // an empty array is an invalid (empty) batch
        push({ kind: 'bad_envelope', text: serialise(v.msg), expectsAnswer: true, answerId: v.answerId });
      }
    } else if (roll < 0.84) {
      // unknown methods, and known methods with junk params
      const id = newId();
      if (r.chance(0.5)) {
        push({
          kind: 'unknown_method',
          text: serialise({ jsonrpc: '2.0', id, method: r.pick(UNKNOWN_METHODS) }),
          expectsAnswer: true,
          answerId: id,
          mustFail: true,
        });
      } else {
        const method = r.pick(METHODS);
        const params = r.pick<unknown>([
          {},
          {
            uri: r.pick([
              'ruvllm://patterns/../../etc/passwd',
              'file:///etc/passwd',
              'ruvllm://patterns/' + r.pick(SQLISH),
              'ruvllm://nope',
              '',
              'x'.repeat(5000),
              42,
            ]),
          },
          { level: r.pick(['loud', 42, null, 'debug']) },
          { name: r.pick(['x', 42]), arguments: 'x' },
          { protocolVersion: r.pick(['1999-01-01', 42, '']), capabilities: r.pick([null, [], {}]), clientInfo: r.pick([{}, null, 'x']) },
          { cursor: r.pick(['!!!', 'x'.repeat(3000), 42, '../../', SQLISH[0]]) },
          { ref: { type: 'ref/resource', uri: 'ruvllm://patterns/{id}' }, argument: { name: 'id', value: r.pick(SQLISH) } },
          { _meta: { progressToken: r.pick([{}, [], null, 1.5]) } },
          { taskId: r.pick(['nope', 42]) },
        ]);
        push({
          kind: `method_params:${method}`,
          text: serialise({ jsonrpc: '2.0', id, method, params }),
          expectsAnswer: true,
          answerId: id,
        });
      }
    } else if (roll < 0.9) {
      // messages that must not be answered: notifications and responses
      const variants = [
        () => ({
          jsonrpc: '2.0',
          method: r.pick(['notifications/initialized', 'notifications/cancelled', 'notifications/unknown', 'tools/call', 'x'.repeat(1000)]),
          params: r.pick([{}, { requestId: 'nope' }, { requestId: { x: 1 }, reason: 42 }, undefined]),
        }),
        () => ({ jsonrpc: '2.0', id: 99_999_999 + r.int(0, 1000), result: r.pick([{}, { x: 1 }]) }),
        () => ({ jsonrpc: '2.0', id: 'no-such-request', error: { code: -32000, message: 'client error' } }),
        () => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'nope', progress: 'x' } }),
      ];
      const msg = r.pick(variants)();
      push({ kind: 'no_answer', text: serialise(msg), expectsAnswer: false, answerId: null });
    } else if (roll < 0.95) {
      // batches: HTTP answers each request; stdio refuses a batch with one error (id null)
      const n = r.int(0, 6);
      const items: unknown[] = [];
      const ids: Array<string | number> = [];
      for (let i = 0; i < n; i++) {
        const id = newId();
        if (r.chance(0.3)) items.push({ jsonrpc: '2.0', method: 'notifications/initialized' });
        else {
          ids.push(id);
          items.push(
            r.chance(0.5)
              ? { jsonrpc: '2.0', id, method: 'ping' }
              : {
                  jsonrpc: '2.0',
                  id,
                  method: 'tools/call',
                  params: { name: tools.length ? r.pick(tools).name : 'x', arguments: r.pick([{}, null, 'x']) },
                },
          );
        }
      }
      const invalid = n === 0 || ids.length === 0 || r.chance(0.3);
      if (invalid && n > 0) items.push(r.pick([42, null, 'x', { jsonrpc: '2.0', id: 'bad', method: 7 }]));
      push({
        kind: invalid ? 'batch_invalid' : 'batch',
        text: serialise(items),
        expectsAnswer: true,
        answerId: null,
        batchIds: ids,
        batchValid: !invalid,
      });
    } else {
      // huge method names, huge params, deep nesting in params
      const id = newId();
      const v = r.int(0, 3);
      if (v === 0)
        push({
          kind: 'huge_method',
          text: serialise({ jsonrpc: '2.0', id, method: 'm'.repeat(r.int(10_000, 200_000)) }),
          expectsAnswer: true,
          answerId: id,
          mustFail: true,
        });
      else if (v === 1)
        push({
          kind: 'deep_params',
          text: serialise({ jsonrpc: '2.0', id, method: 'ping', params: { a: nested(r.int(70, 5000), 1, r.chance(0.5)) } }),
          expectsAnswer: true,
          answerId: id,
        });
      else if (v === 2)
        push({
          kind: 'many_keys',
          text: serialise({
            jsonrpc: '2.0',
            id,
            method: 'tools/list',
            params: Object.fromEntries(Array.from({ length: r.int(1000, 20_000) }, (_, i) => [`k${i}`, i])),
          }),
          expectsAnswer: true,
          answerId: id,
        });
      else
        push({
          kind: 'huge_array_param',
          text: serialise({ jsonrpc: '2.0', id, method: 'ping', params: { a: Array.from({ length: r.int(1000, 50_000) }, (_, i) => i) } }),
          expectsAnswer: true,
          answerId: id,
        });
    }
  }
  return cases;
}
