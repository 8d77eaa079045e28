import { describe, expect, it } from 'vitest';
import { ContractCodecError, decodeContract, encodeContract } from '../core/contractCodec';

describe('contractCodec', () => {
  it('round-trips a step-like result with every typed array kind, bit for bit', () => {
    const output = new Float32Array([1.5, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1e-45]);
    const value = {
      step: 3,
      indices: new Uint32Array([192, 193, 4294967295]),
      input: new Uint8Array([0, 1, 255]),
      labels: new Uint16Array([9, 0, 65535]),
      output,
      i8: new Int8Array([-128, 127]),
      i16: new Int16Array([-32768]),
      i32: new Int32Array([-2147483648]),
      f64: new Float64Array([Math.PI]),
      clamped: new Uint8ClampedArray([7]),
      empty: new Float32Array(0),
      channelStats: [{ min: -Infinity, max: NaN, mean: -0, std: 0.1 }],
      nested: { shape: [64, 6, 30, 30], name: 'ü€ "quoted"', flag: true, nothing: null },
    };
    const back = decodeContract(encodeContract(value)) as typeof value;
    expect(back.indices).toBeInstanceOf(Uint32Array);
    expect([...back.indices]).toEqual([192, 193, 4294967295]);
    expect(back.labels).toBeInstanceOf(Uint16Array);
    expect([...back.labels]).toEqual([9, 0, 65535]);
    expect(back.output).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(back.output.buffer, back.output.byteOffset, back.output.byteLength))
      .toEqual(new Uint8Array(output.buffer));
    expect(back.i8).toEqual(value.i8);
    expect(back.i16).toEqual(value.i16);
    expect(back.i32).toEqual(value.i32);
    expect(back.f64[0]).toBe(Math.PI);
    expect(back.clamped).toBeInstanceOf(Uint8ClampedArray);
    expect(back.empty).toBeInstanceOf(Float32Array);
    expect(back.empty.length).toBe(0);
    expect(back.channelStats[0]!.min).toBe(-Infinity);
    expect(back.channelStats[0]!.max).toBeNaN();
    expect(Object.is(back.channelStats[0]!.mean, -0)).toBe(true);
    expect(back.nested).toEqual(value.nested);
  });

  it('encodes sub-views (Node Buffers, subarrays) by their own bytes only', () => {
    const big = new Float32Array([1, 2, 3, 4, 5]);
    const buf = Buffer.from([9, 8, 7]);
    const back = decodeContract(encodeContract({ part: big.subarray(1, 3), buf })) as { part: Float32Array; buf: Uint8Array };
    expect([...back.part]).toEqual([2, 3]);
    expect([...back.buf]).toEqual([9, 8, 7]);
  });

  it('decodes from an unaligned byte offset (copies instead of viewing)', () => {
    const enc = encodeContract({ x: new Float64Array([1.25, -2]) });
    const shifted = new Uint8Array(enc.length + 3);
    shifted.set(enc, 3);
    const back = decodeContract(shifted.subarray(3)) as { x: Float64Array };
    expect([...back.x]).toEqual([1.25, -2]);
  });

  it('drops undefined object fields like JSON, keeps the rest of the contract shape', () => {
    const back = decodeContract(encodeContract({ a: undefined, b: [undefined, 1] }));
    expect(back).toEqual({ b: [null, 1] });
  });

  it('refuses what it cannot carry', () => {
    expect(() => encodeContract({ f: () => 1 })).toThrow(ContractCodecError);
    expect(() => encodeContract({ d: new Date(0) })).toThrow(/class instance/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeContract(cyclic)).toThrow(/cyclic/);
  });

  it('refuses malformed messages with a one-line error', () => {
    expect(() => decodeContract(new Uint8Array([1, 2, 3]))).toThrow(/bad magic/);
    const enc = encodeContract({ x: new Float32Array(100) });
    expect(() => decodeContract(enc.subarray(0, enc.length - 4))).toThrow(/truncated contract message \(buffer 0\)/);
    const badHeader = enc.slice();
    badHeader[9] = 0xff; // invalid UTF-8 inside the JSON
    expect(() => decodeContract(badHeader)).toThrow(/malformed/);
    const huge = enc.slice();
    new DataView(huge.buffer).setUint32(4, 1e9, true);
    expect(() => decodeContract(huge)).toThrow(/truncated contract message \(header\)/);
  });

  it('ignores __proto__ keys instead of polluting prototypes', () => {
    const text = '{"body":{"__proto__":{"polluted":1},"ok":1},"buffers":[]}';
    const header = new TextEncoder().encode(text);
    const bytes = new Uint8Array(Math.ceil((8 + header.length) / 8) * 8);
    bytes.set([0x43, 0x42, 0x43, 0x31]);
    new DataView(bytes.buffer).setUint32(4, header.length, true);
    bytes.set(header, 8);
    const back = decodeContract(bytes) as Record<string, unknown>;
    expect(back.ok).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back.polluted).toBeUndefined();
  });
});
