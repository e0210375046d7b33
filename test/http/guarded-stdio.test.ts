import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { GuardedStdioServerTransport } from '../../src/transports/guarded-stdio.js';
import { TopLevelIdScanner } from '../../src/transports/id-scan.js';
import { makeFactory, until } from './helpers.js';

function harness(maxLineBytes?: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON-RPC messages parsed from stdout, read field by field by the assertions
  const out: any[] = [];
  let buf = '';
  stdout.on('data', (c) => {
    buf += c.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      out.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  const transport = new GuardedStdioServerTransport(stdin, stdout, { maxLineBytes });
  return { stdin, out, transport };
}

describe('GuardedStdioServerTransport', () => {
  it('serves valid messages and answers every malformed line, staying open', async () => {
    const { factory } = makeFactory();
    const { server } = factory();
    const { stdin, out, transport } = harness(1000);
    await server.connect(transport);
    stdin.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    stdin.write('not json\n');
    stdin.write(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
    stdin.write('{"jsonrpc":"2.0","id":9,"method":7}\r\n');
    stdin.write('\n   \n');
    stdin.write('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2}}}\n');
    // oversized line split over several chunks, then a valid message
    stdin.write('{"jsonrpc":"2.0","id":3,"method":"ping","params":{"x":"' + 'a'.repeat(800));
    stdin.write('b'.repeat(800));
    stdin.write('"}}\n{"jsonrpc":"2.0","id":4,"method":"nope/unknown"}\n');
    stdin.write('{"jsonrpc":"2.0","id":5,"method":"ping"}');
    stdin.write('\n');
    await until(() => out.length >= 8);
    const byId = (id: number) => out.find((m) => m.id === id);
    expect(byId(1)).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(byId(9)).toMatchObject({ error: { code: -32600 } });
    expect(byId(2)).toMatchObject({ result: { content: [{ type: 'text', text: '3' }] } });
    expect(byId(4)).toMatchObject({ error: { code: -32601 } });
    expect(byId(5)).toEqual({ jsonrpc: '2.0', id: 5, result: {} });
    // discarded, answered with its own id so the client's request ends at once
    expect(byId(3)).toMatchObject({ id: 3, error: { code: -32600, message: expect.stringMatching(/longer than 1000 bytes/) } });
    const anonymous = out.filter((m) => m.id === null);
    expect(anonymous.map((m) => m.error.code)).toEqual([-32700, -32700]);
    expect(anonymous[1].error.message).toMatch(/UTF-8/);
    expect(out.length).toBe(8);
    await server.close();
  });
});

describe('TopLevelIdScanner', () => {
  const scan = (line: string, chunk = Infinity) => {
    const bytes = Buffer.from(line, 'utf8');
    const sc = new TopLevelIdScanner();
    const step = Math.min(chunk, bytes.length || 1);
    for (let i = 0; i < bytes.length; i += step) sc.push(bytes.subarray(i, i + step));
    return sc.result();
  };
  const cases: Array<[string, string | number | null]> = [
    ['{"jsonrpc":"2.0","id":1,"method":"ping"}', 1],
    ['{"method":"x","params":{"id":2,"a":[{"id":3}]},"id":"last"}', 'last'],
    ['{ "method" : "x" , "id" : -7 }', -7],
    ['{"method":"x","params":{"s":"\\"id\\":9 \\\\"},"id":4}', 4],
    ['{"method":"x","id":"a\\"b\\u00e9\\\\"}', 'a"b\u00e9\\'],
    ['{"method":"x","id":"h\u00e9llo \u{1F600}"}', 'h\u00e9llo \u{1F600}'],
    ['{"jsonrpc":"2.0","id":5,"result":{}}', null], // a response
    ['{"jsonrpc":"2.0","method":"notifications/x"}', null], // a notification
    ['{"method":"x","id":1.5}', null],
    ['{"method":"x","id":9007199254740993}', null],
    ['{"method":"x","id":true}', null],
    ['{"method":"x","id":{"a":1}}', null],
    ['{"method":"x","id":["a"]}', null],
    ['{"method":"x","id":"' + 'z'.repeat(300) + '"}', null],
    ['{"method":"x","id":"' + 'z'.repeat(5000) + '"}', null],
    ['[{"method":"x","id":1}]', null],
    ['"id"', null],
    ['', null],
    ['{"method":"x","id":12', 12], // cut off after the id
    ['{"method":"x","params":{"t":"' + 'q'.repeat(100_000) + '"},"id":6}', 6],
  ];
  it('scans in linear time: megabytes of short strings or escapes do not stall it', () => {
    // a quadratic search (looking for the next quote from every string) took minutes here
    const wrap = (params: string) => `{"jsonrpc":"2.0","method":"x","params":${params},"id":7}`;
    expect(scan(wrap(`[${'"a",'.repeat(1_000_000)}"a"]`))).toBe(7);
    expect(scan(wrap(`{"t":"${'\\n'.repeat(1_000_000)}"}`))).toBe(7);
    expect(scan(wrap(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toBe(7);
  });

  it('finds a top-level request id in any chunking, and only a valid one', () => {
    for (const [line, want] of cases) {
      for (const chunk of [Infinity, 1, 2, 3, 7]) expect(scan(line, chunk), `${line.slice(0, 80)} / chunk ${chunk}`).toEqual(want);
    }
  });
});
