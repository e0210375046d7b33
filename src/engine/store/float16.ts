/**
 * The stored form of a vector: IEEE half floats, little-endian (2 bytes a dimension).
 */
// Vectors are stored as IEEE half floats (2 bytes a dimension): a 512-d vector then fits three to a
// 4 KB page instead of one; cosine rankings are unchanged at this precision. Blobs of 4 bytes a
// dimension (float32) are read too.
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const HALF_TO_FLOAT = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    t[h] = exp === 0 ? sign * mant * 2 ** -24 : exp === 31 ? (mant ? NaN : sign * Infinity) : sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return t;
})();

function toHalf(x: number): number {
  F32[0] = x;
  const b = U32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = ((b >>> 23) & 0xff) - 112;
  const mant = b & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >> (1 - exp);
    return sign | ((m + 0x1000) >> 13);
  }
  if (exp >= 31) return sign | 0x7c00;
  return sign | ((exp << 10) + ((mant + 0x1000) >> 13));
}

export function vecToBlob(v: Float32Array): Buffer {
  const b = Buffer.allocUnsafe(v.length * 2);
  for (let i = 0; i < v.length; i++) b.writeUInt16LE(toHalf(v[i]), i * 2);
  return b;
}

export function blobToVec(b: Buffer | Uint8Array, dim: number): Float32Array {
  if (b.byteLength === dim * 2) {
    const out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) out[i] = HALF_TO_FLOAT[b[i * 2] | (b[i * 2 + 1] << 8)];
    return out;
  }
  if (b.byteLength === dim * 4) {
    const copy = new Uint8Array(b.byteLength);
    copy.set(b);
    return new Float32Array(copy.buffer);
  }
  throw new Error(`stored vector has ${b.byteLength} bytes, expected ${dim * 2} (float16) or ${dim * 4} (float32) for ${dim} dimensions`);
}
