import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { GuardedStdioServerTransport } from '../../src/transports/guarded-stdio.js';
import { makeFactory, until } from './helpers.js';

function harness(maxLineBytes?: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
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
    expect(byId(3)).toBeUndefined(); // discarded, answered with id null
    const anonymous = out.filter((m) => m.id === null);
    expect(anonymous.map((m) => m.error.code)).toEqual([-32700, -32700, -32600]);
    expect(anonymous[1].error.message).toMatch(/UTF-8/);
    expect(anonymous[2].error.message).toMatch(/longer than 1000 bytes/);
    expect(out.length).toBe(8);
    await server.close();
  });
});
