/**
 * Finds the top-level "id" of a JSON-RPC request in a stream of bytes that is too large to parse,
 * so an oversized message can be refused with the id its sender waits on. Memory is constant:
 * only the depth, the string state, a few bytes of the current top-level key and at most
 * MAX_ID_BYTES of the id's value are kept; every other byte is looked at once and dropped.
 *
 * The id can be anywhere at the top level (the MCP SDK writes it last, after the params); "id"
 * keys nested inside params are ignored. The result is the id only when the message is a request
 * (a top-level "method", no "result"/"error") and the id is a valid JSON-RPC id (a string of at
 * most 256 characters or a safe integer), else null.
 */

/** Longest raw id value (with quotes and escapes) kept; longer ones yield null. */
const MAX_ID_BYTES = 1024;
/** Longest top-level key kept; the keys that matter ("id", "method", "result", "error") are shorter. */
const MAX_KEY_BYTES = 8;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const enum Top {
  /** before the opening brace */
  Start,
  /** at depth 1, expecting a key (or the closing brace) */
  Key,
  /** at depth 1, after a key, expecting ':' */
  Colon,
  /** at depth 1, after ':', expecting a value */
  Value,
  /** at depth 1, inside a scalar value that is not a string */
  Scalar,
  /** at depth 1, after a value, expecting ',' or '}' */
  After,
  /** the top-level object ended, or the line is not an object: nothing more to learn */
  Done,
}

export class TopLevelIdScanner {
  private top = Top.Start;
  private depth = 0;
  private inString = false;
  private escape = false;
  /** bytes of the string or scalar being captured (a top-level key, or the id's value) */
  private capture: number[] | null = null;
  private captureLimit = 0;
  private captureOverflow = false;
  private capturingKey = false;
  private key = '';
  private idRaw: string | null = null;
  private sawMethod = false;
  private sawResponse = false;

  /** Feeds the next bytes of the line (without its newline). */
  push(buf: Uint8Array): void {
    const n = buf.length;
    let i = 0;
    // next quote and backslash at or after i, found once and reused until passed (-1: none left),
    // so the whole chunk is searched at most once for each: linear however many strings it holds
    let q = -2;
    let b = -2;
    while (i < n && this.top !== Top.Done) {
      if (this.inString) {
        if (this.capture === null && !this.escape) {
          // fast path through a string nobody needs: jump to the next quote or backslash
          if (q !== -1 && q < i) q = buf.indexOf(QUOTE, i);
          if (b !== -1 && b < i) b = buf.indexOf(BACKSLASH, i);
          const next = q === -1 ? b : b === -1 ? q : Math.min(q, b);
          if (next === -1) return;
          i = next;
        }
        const c = buf[i++];
        if (this.capture !== null) this.keep(c);
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 1) this.endCapture();
        }
        continue;
      }
      const c = buf[i++];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        if (this.depth === 1 && this.top === Top.Scalar) this.endCapture();
        continue;
      }
      if (this.depth === 0) {
        // only an object can be a request; anything else (a batch, a scalar) ends the scan
        if (this.top === Top.Start && c === 0x7b) {
          this.depth = 1;
          this.top = Top.Key;
        } else this.top = Top.Done;
        continue;
      }
      if (this.depth > 1) {
        if (c === QUOTE) this.inString = true;
        else if (c === 0x7b || c === 0x5b) this.depth++;
        else if (c === 0x7d || c === 0x5d) {
          if (--this.depth === 1) this.top = Top.After;
        }
        continue;
      }
      // depth 1: the top-level object's own keys and values
      if (this.top === Top.Scalar && (c === 0x2c || c === 0x7d)) this.endCapture();
      switch (c) {
        case QUOTE:
          this.inString = true;
          if (this.top === Top.Key) this.startCapture(true, MAX_KEY_BYTES);
          else if (this.top === Top.Value) {
            if (this.key === 'id') this.startCapture(false, MAX_ID_BYTES, c);
            this.top = Top.After;
          }
          break;
        case 0x3a: // ':'
          if (this.top === Top.Colon) this.top = Top.Value;
          break;
        case 0x2c: // ','
          this.top = Top.Key;
          break;
        case 0x7b: // '{'
        case 0x5b: // '['
          if (this.key === 'id') this.idRaw = null; // an object or array is no id
          this.depth = 2;
          break;
        case 0x7d: // '}'
          this.depth = 0;
          this.top = Top.Done;
          break;
        default:
          if (this.top === Top.Value) {
            this.top = Top.Scalar;
            if (this.key === 'id') this.startCapture(false, MAX_ID_BYTES, c);
          } else if (this.top === Top.Scalar && this.capture !== null) this.keep(c);
      }
    }
  }

  /** The request's id, or null when there is none usable (see the module comment). */
  result(): string | number | null {
    if (this.top === Top.Scalar) this.endCapture();
    if (!this.sawMethod || this.sawResponse || this.idRaw === null) return null;
    let v: unknown;
    try {
      v = JSON.parse(this.idRaw);
    } catch {
      return null;
    }
    if (typeof v === 'string' && v.length <= 256) return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    return null;
  }

  private startCapture(isKey: boolean, limit: number, first?: number): void {
    this.capture = first === undefined ? [] : [first];
    this.captureLimit = limit;
    this.captureOverflow = false;
    this.capturingKey = isKey;
    if (!isKey) this.idRaw = null;
  }

  private keep(c: number): void {
    if (this.capture!.length >= this.captureLimit) this.captureOverflow = true;
    else this.capture!.push(c);
  }

  /** A top-level key or the id's value ended. */
  private endCapture(): void {
    if (this.top === Top.Scalar) this.top = Top.After;
    const bytes = this.capture;
    this.capture = null;
    if (bytes === null) return;
    if (this.capturingKey) {
      this.top = Top.Colon;
      // the captured bytes end with the closing quote; an overflowing key is none of ours
      this.key = this.captureOverflow ? '' : Buffer.from(bytes.slice(0, -1)).toString('latin1');
      if (this.key === 'method') this.sawMethod = true;
      else if (this.key === 'result' || this.key === 'error') this.sawResponse = true;
      return;
    }
    this.idRaw = this.captureOverflow ? null : Buffer.from(bytes).toString('utf8');
  }
}
