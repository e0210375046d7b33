/**
 * Text decoding of files read by reference: UTF-8 (with or without BOM), UTF-16 LE/BE with a
 * BOM, and latin1 for bytes that are not valid UTF-8. Binary content (NUL bytes without a
 * UTF-16 BOM, or mostly control characters) is refused by the caller.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

export type Decoded = { binary: false; text: string; encoding: TextEncoding } | { binary: true; reason: string };

/** How many leading bytes the binary check looks at (as git does with its first 8,000). */
const SNIFF = 8000;

export function decodeText(buf: Buffer): Decoded {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return utf8(buf.subarray(3));
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return utf16(buf.subarray(2), 'utf-16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return utf16(buf.subarray(2), 'utf-16be');
  const head = buf.subarray(0, SNIFF);
  if (head.includes(0)) return { binary: true, reason: 'it holds NUL bytes (binary data, or UTF-16 without a byte-order mark)' };
  let control = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b && b !== 0x08) control++;
  if (head.length > 0 && control / head.length > 0.1) return { binary: true, reason: 'it is mostly control characters (binary data)' };
  return utf8(buf);
}

function utf8(buf: Buffer): Decoded {
  try {
    return { binary: false, text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { binary: false, text: buf.toString('latin1'), encoding: 'latin1' };
  }
}

function utf16(buf: Buffer, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  let b = buf;
  if (encoding === 'utf-16be') {
    // Node decodes UTF-16 LE natively; swap byte pairs for BE (an odd trailing byte is dropped).
    b = Buffer.from(buf.subarray(0, buf.length - (buf.length % 2)));
    b.swap16();
  }
  const text = b.subarray(0, b.length - (b.length % 2)).toString('utf16le');
  return { binary: false, text, encoding };
}
