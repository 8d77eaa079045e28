import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BYTE_TO_UNIT, bytesToTensorData } from '../core/toTensor';

// Bits of torchvision's ToTensor()(PIL image) == img.float().div(255), from tools/fixtures/makeDataFixtures.py.
const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'data', 'toTensor.json'), 'utf8')) as { bits: string[] };

describe('bytesToTensorData (ToTensor on uint8)', () => {
  it('matches PyTorch bit for bit for all 256 byte values', () => {
    expect(fixture.bits).toHaveLength(256);
    const bytes = new Uint8Array(256).map((_, i) => i);
    const out = new Float32Array(256);
    bytesToTensorData(bytes, out);
    const ours = [...new Uint32Array(out.buffer)].map((b) => b.toString(16).padStart(8, '0'));
    expect(ours).toEqual(fixture.bits);
    expect([...new Uint32Array(new Float32Array(BYTE_TO_UNIT).buffer)].map((b) => b.toString(16).padStart(8, '0'))).toEqual(fixture.bits);
  });

  it('is not the same as multiplying by float32(1/255), which differs for some bytes', () => {
    // Guards against a "faster" reciprocal: PyTorch divides, and the two disagree in the last bit.
    const recip = Math.fround(1 / 255);
    const differing = [...Array(256).keys()].filter((b) => Math.fround(b * recip) !== BYTE_TO_UNIT[b]);
    expect(differing.length).toBeGreaterThan(0);
  });

  it('converts in order and leaves the rest of a longer output alone', () => {
    const out = new Float32Array(5).fill(-1);
    bytesToTensorData(new Uint8Array([255, 0, 51]), out);
    expect([...out]).toEqual([1, 0, Math.fround(0.2), -1, -1]);
  });

  it('refuses an output shorter than the input', () => {
    expect(() => bytesToTensorData(new Uint8Array(4), new Float32Array(3))).toThrow(/4 bytes need 4 floats, got 3/);
  });
});
