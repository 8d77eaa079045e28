import type { SeededRandom } from './seededRandom';

// Values that sit on the edges parsers test: sizes of zero, sign bits, 32-bit wrap, 2^53.
const INTERESTING = [0n, 1n, -1n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0xffffn, 0x7fffffffn, 2n ** 31n, 2n ** 32n - 1n, 2n ** 53n, 2n ** 63n - 1n];

/** An offset in `length`, half the time among the first 64 bytes, where the headers are. */
function offset(rng: SeededRandom, length: number): number {
  if (length === 0) return 0;
  return rng.chance(0.5) ? rng.below(Math.min(64, length)) : rng.below(length);
}

function writeInteger(rng: SeededRandom, bytes: Uint8Array): Uint8Array {
  const width = rng.pick([1, 2, 4, 8]);
  if (bytes.length < width) return bytes;
  const value = rng.pick(INTERESTING);
  const at = Math.min(offset(rng, bytes.length), bytes.length - width);
  const big = rng.chance(0.5);
  const masked = BigInt.asUintN(width * 8, value);
  for (let k = 0; k < width; k++) {
    const byte = Number((masked >> BigInt(8 * k)) & 0xffn);
    bytes[big ? at + width - 1 - k : at + k] = byte;
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function randomBytes(rng: SeededRandom, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const fill = rng.chance(0.5) ? rng.below(256) : -1;
  for (let i = 0; i < n; i++) out[i] = fill >= 0 ? fill : rng.below(256);
  return out;
}

type Mutation = (rng: SeededRandom, bytes: Uint8Array, other: Uint8Array) => Uint8Array;

const MUTATIONS: Record<string, Mutation> = {
  bitFlip: (rng, b) => {
    if (b.length > 0) b[offset(rng, b.length)] ^= 1 << rng.below(8);
    return b;
  },
  byteSet: (rng, b) => {
    if (b.length > 0) b[offset(rng, b.length)] = rng.below(256);
    return b;
  },
  interestingInteger: writeInteger,
  duplicateChunk: (rng, b) => {
    const start = offset(rng, b.length);
    const chunk = b.slice(start, start + 1 + rng.below(4096));
    const at = offset(rng, b.length);
    return concat(b.subarray(0, at), chunk, b.subarray(at));
  },
  deleteChunk: (rng, b) => {
    const start = offset(rng, b.length);
    return concat(b.subarray(0, start), b.subarray(start + 1 + rng.below(256)));
  },
  insertChunk: (rng, b) => {
    const at = offset(rng, b.length);
    return concat(b.subarray(0, at), randomBytes(rng, 1 + rng.below(64)), b.subarray(at));
  },
  truncate: (rng, b) => b.slice(0, rng.below(b.length + 1)),
  extend: (rng, b) => concat(b, randomBytes(rng, 1 + rng.below(rng.chance(0.9) ? 64 : 65536))),
  splice: (rng, b, other) => {
    const cut = rng.below(b.length + 1);
    return concat(b.subarray(0, cut), other.subarray(rng.below(other.length + 1)));
  },
};

const NAMES = Object.keys(MUTATIONS);

/** A copy of one seed with one to four random mutations; `seeds` is never changed. */
export function mutate(rng: SeededRandom, seeds: readonly Uint8Array[]): Uint8Array {
  let bytes: Uint8Array = rng.pick(seeds).slice();
  const count = 1 + rng.below(4);
  for (let i = 0; i < count; i++) bytes = MUTATIONS[rng.pick(NAMES)]!(rng, bytes, rng.pick(seeds));
  return bytes;
}
