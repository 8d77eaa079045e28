// .npy files written by numpy 1.24 (tools/fixtures/makeGridFixtures.py): every dtype read to the
// float32 bits numpy's astype(float32) gives, the refusals named, and our writer equal to np.save byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigintToFloat32, NpyError, parseNpy, serializeNpyFloat32 } from '../core/npy';
import { GRID_FIXTURES } from './gridFixtures';

const dir = join(GRID_FIXTURES, 'npy');
type Expected = { shape: number[]; dtype: string; bits: number[] } | { error: string };
const expected = (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { files: Record<string, Expected> }).files;
const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const bitsOf = (data: Float32Array) => [...new Uint32Array(data.buffer, data.byteOffset, data.length)];

function npyError(bytes: Uint8Array, name: string): string {
  try {
    parseNpy(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(NpyError);
    const message = (e as Error).message;
    expect(message.startsWith(`${name}: `)).toBe(true);
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`${name} was accepted`);
}

describe('parseNpy on numpy-written files', () => {
  const good = Object.entries(expected).filter((e): e is [string, Extract<Expected, { bits: number[] }>] => 'bits' in e[1]);
  const bad = Object.entries(expected).filter((e): e is [string, { error: string }] => 'error' in e[1]);

  it('has every dtype and version', () => {
    expect(new Set(good.map(([, e]) => e.dtype))).toEqual(new Set(['f4', 'f8', 'u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8']));
    expect(new Set(good.map(([name]) => read(name)[6]))).toEqual(new Set([1, 2, 3]));
  });

  for (const [name, e] of good) {
    it(`${name}: ${e.dtype} ${JSON.stringify(e.shape)}`, () => {
      const a = parseNpy(read(name), name);
      expect(a.dtype).toBe(e.dtype);
      expect(a.shape).toEqual(e.shape);
      expect(bitsOf(a.data)).toEqual(e.bits);
    });
  }

  for (const [name, e] of bad) {
    it(`${name} is refused: ${e.error}`, () => {
      expect(npyError(read(name), name)).toContain(e.error);
    });
  }

  it('names the problem for damaged files', () => {
    const f4 = read('f4-v1.npy');
    expect(npyError(f4.subarray(0, f4.length - 3), 'w.npy')).toBe('w.npy: truncated: shape (2, 3, 4) of float32 needs 96 bytes of data but has 93');
    expect(npyError(f4.subarray(0, 40), 'w.npy')).toMatch(/^w\.npy: truncated \.npy header/);
    expect(npyError(f4.subarray(0, 5), 'w.npy')).toMatch(/not a \.npy file/);
    expect(npyError(new TextEncoder().encode('PK\x03\x04 not numpy at all'), 'weights.npz')).toMatch(/^weights\.npz: not a \.npy file/);
    const v4 = f4.slice();
    v4[6] = 4;
    expect(npyError(v4, 'w.npy')).toMatch(/unsupported \.npy format version 4\.0/);
    const garbled = f4.slice();
    garbled.set(new TextEncoder().encode("{'descr': <f4"), 10);
    expect(npyError(garbled, 'w.npy')).toMatch(/malformed \.npy header/);
  });

  it('reads a header with a different key order, double quotes, a trailing comma-free tuple and Fortran order on a vector', () => {
    const header = `{"shape": (3,), "fortran_order": True, "descr": "<i2"}`;
    const padded = header + ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const bytes = new Uint8Array(10 + padded.length + 6);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]);
    bytes.set(new TextEncoder().encode(padded), 10);
    new DataView(bytes.buffer).setInt16(10 + padded.length, -7, true);
    new DataView(bytes.buffer).setInt16(10 + padded.length + 4, 300, true);
    const a = parseNpy(bytes, 'h.npy');
    expect(a).toEqual({ dtype: 'i2', shape: [3], data: Float32Array.from([-7, 0, 300]) });
  });

  it('decodes version 3.0 headers as UTF-8 (and refuses invalid UTF-8)', () => {
    const file = (headerBytes: Uint8Array) => {
      const pad = 64 - ((12 + headerBytes.length + 1) % 64);
      const bytes = new Uint8Array(12 + headerBytes.length + pad + 1 + 4);
      bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 3, 0]);
      new DataView(bytes.buffer).setUint32(8, headerBytes.length + pad + 1, true);
      bytes.set(headerBytes, 12);
      bytes.fill(0x20, 12 + headerBytes.length, 12 + headerBytes.length + pad);
      bytes[12 + headerBytes.length + pad] = 0x0a;
      new DataView(bytes.buffer).setFloat32(bytes.length - 4, 1.5, true);
      return bytes;
    };
    const header = new TextEncoder().encode("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'note': 'café ✓', }");
    expect(parseNpy(file(header), 'u.npy')).toEqual({ dtype: 'f4', shape: [1], data: Float32Array.from([1.5]) });
    const broken = header.slice();
    broken[broken.indexOf(0xc3)] = 0xff;
    expect(npyError(file(broken), 'u.npy')).toMatch(/malformed \.npy header/);
  });

  it('returns data that does not alias the input bytes', () => {
    const bytes = read('f4-v1.npy');
    const a = parseNpy(bytes, 'f4-v1.npy');
    const before = a.data[0];
    bytes.fill(0);
    expect(a.data[0]).toBe(before);
  });
});

describe('serializeNpyFloat32', () => {
  for (const name of ['roundtrip-3x1x5.npy', 'roundtrip-7.npy', 'roundtrip-scalar.npy', 'roundtrip-1000x2.npy']) {
    it(`writes ${name} exactly as np.save does, and reads it back`, () => {
      const file = read(name);
      const a = parseNpy(file, name);
      const written = serializeNpyFloat32(a.shape, a.data);
      expect(Buffer.from(written).equals(Buffer.from(file))).toBe(true);
      expect(parseNpy(written, name)).toEqual(a);
    });
  }

  it('round-trips float32 bits, including -0, NaN, infinities and subnormals', () => {
    const data = Float32Array.from([-0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, 0.1]);
    const back = parseNpy(serializeNpyFloat32([7, 1], data), 'x.npy');
    expect(back.shape).toEqual([7, 1]);
    expect(bitsOf(back.data)).toEqual(bitsOf(data));
    expect((10 + new DataView(serializeNpyFloat32([7, 1], data).buffer).getUint16(8, true)) % 64).toBe(0);
  });

  it('refuses data that does not match the shape', () => {
    expect(() => serializeNpyFloat32([2, 3], new Float32Array(5))).toThrow(/shape \(2, 3\) needs 6 values, got 5/);
    expect(() => serializeNpyFloat32([-1], new Float32Array(0))).toThrow(/invalid shape/);
  });
});

describe('bigintToFloat32', () => {
  it('rounds once, to nearest even, where Number() then fround would round twice', () => {
    // 2^62 + 2^38 + 1 lies just above a float32 tie; as a double it becomes the tie itself.
    const v = 2n ** 62n + 2n ** 38n + 1n;
    expect(Math.fround(Number(v))).toBe(2 ** 62);
    expect(bigintToFloat32(v)).toBe(2 ** 62 + 2 ** 39);
    expect(bigintToFloat32(2n ** 63n + 2n ** 39n)).toBe(2 ** 63);
    expect(bigintToFloat32(-(2n ** 63n))).toBe(-(2 ** 63));
    expect(bigintToFloat32(2n ** 64n - 1n)).toBe(2 ** 64);
    expect(bigintToFloat32(16777217n)).toBe(16777216);
  });
});
