import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { conv2dPlanned } from '../core/conv2d';
import { type Conv2dOptions, type Conv2dPlan, planConv2d } from '../core/conv2dOptions';
import { base64Bytes } from '../core/fastConv/base64Bytes';
import { type FastConvEngine, createFastConvEngine, createFastConvEngineSync } from '../core/fastConv/fastConvEngine';
import { planFastConvLayout } from '../core/fastConv/fastConvLayout';
import { loadConvFixtures } from './fixtures/loadConvFixtures';

// Node 20 ships relaxed SIMD behind a flag (Chromium and Electron ship it on); with the flag the
// same suite covers the fused multiply-add build too.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const cases = loadConvFixtures();
const simd128 = createFastConvEngineSync({ relaxedSimd: false });
const relaxed = createFastConvEngineSync({ relaxedSimd: 'auto' });
const engines: FastConvEngine[] = [simd128, relaxed];

/** max |y - expected| / max(1, max |expected|), the accuracy measure; NaN counts as failure. */
function relativeError(y: Float32Array, expected: ArrayLike<number>): number {
  let maxErr = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(y[i]! - expected[i]!);
    maxErr = Number.isNaN(e) ? Infinity : Math.max(maxErr, e);
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]!));
  }
  return maxErr / Math.max(1, maxAbs);
}

/** Deterministic values in [-1, 1) (xorshift32), so a failure reproduces. */
function randomArray(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed | 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

interface Problem {
  plan: Conv2dPlan;
  input: Float32Array;
  weight: Float32Array;
  bias: Float32Array | null;
}

function problem(inputShape: number[], weightShape: number[], options: Conv2dOptions, seed: number, withBias = true): Problem {
  const plan = planConv2d(inputShape, weightShape, withBias ? [weightShape[0]!] : null, options);
  return {
    plan,
    input: randomArray(inputShape.reduce((a, b) => a * b, 1), seed),
    weight: randomArray(weightShape.reduce((a, b) => a * b, 1), seed + 1),
    bias: withBias ? randomArray(weightShape[0]!, seed + 2) : null,
  };
}

function runEngine(engine: FastConvEngine, p: Problem): Float32Array {
  // NaN-filled so an output element the engine forgets to write fails the comparison.
  const out = new Float32Array(p.plan.n * p.plan.cOut * p.plan.hOut * p.plan.wOut).fill(NaN);
  engine.run(p.plan, p.input, p.weight, p.bias, out);
  return out;
}

function reference(p: Problem): Float32Array {
  const out = new Float32Array(p.plan.n * p.plan.cOut * p.plan.hOut * p.plan.wOut);
  conv2dPlanned(p.plan, p.input, p.weight, p.bias, out);
  return out;
}

it('builds both kernel variants, relaxed SIMD when the engine takes it', async () => {
  expect(simd128.instructionSet).toBe('simd128');
  expect(simd128.name).toBe('wasm-simd128');
  expect(relaxed.instructionSet).toBe('relaxed-simd');
  const viaPromise = await createFastConvEngine({ relaxedSimd: false });
  expect(viaPromise.instructionSet).toBe('simd128');
});

describe.each(engines.map((e) => [e.name, e] as const))('%s', (_name, engine) => {
  it.each(cases.map((k) => [k.id, k] as const))('agrees with PyTorch on fixture %s', (_id, k) => {
    const plan = planConv2d(k.inputShape, k.weightShape, k.bias ? [k.bias.length] : null, k.options);
    const y = runEngine(engine, { plan, input: k.input, weight: k.weight, bias: k.bias });
    expect(relativeError(y, k.expected)).toBeLessThanOrEqual(1e-4);
  });

  // The benchmark's shapes at a small batch: they take the direct path, the 4-, 2- and
  // 1-channel micro-kernels, dilation and depthwise groups.
  const benchShapes: [string, number[], number[], Conv2dOptions][] = [
    ['S1 seed layer', [3, 3, 32, 32], [6, 3, 3, 3], {}],
    ['S2', [2, 3, 32, 32], [16, 3, 5, 5], { padding: 2 }],
    ['S3', [1, 64, 32, 32], [64, 64, 3, 3], { padding: 1 }],
    ['S4 dilated', [2, 16, 32, 32], [16, 16, 3, 3], { padding: 2, dilation: 2 }],
    ['S5 depthwise', [2, 32, 32, 32], [32, 1, 3, 3], { padding: 1, groups: 32 }],
  ];
  it.each(benchShapes)('agrees with the reference engine on %s', (_n, inputShape, weightShape, options) => {
    const p = problem(inputShape, weightShape, options, 11);
    expect(relativeError(runEngine(engine, p), reference(p))).toBeLessThanOrEqual(1e-4);
  });

  it('agrees with the reference on every padding mode x stride x dilation x groups x bias', () => {
    let seed = 100;
    let checked = 0;
    for (const paddingMode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
      for (const stride of [1, 2, [1, 3]] as const) {
        for (const dilation of [1, [2, 1]] as const) {
          for (const [groups, cIn, cOut] of [[1, 3, 7], [2, 4, 6], [3, 3, 9], [5, 5, 5]] as const) {
            const padding: Conv2dOptions['padding'] = stride === 1 && seed % 2 === 0 ? 'same' : [2, 1];
            const p = problem([2, cIn, 9, 11], [cOut, cIn / groups, 3, 2], { paddingMode, stride, dilation, groups, padding }, seed++, seed % 3 !== 0);
            const err = relativeError(runEngine(engine, p), reference(p));
            expect(err, JSON.stringify({ paddingMode, stride, dilation, groups, padding })).toBeLessThanOrEqual(1e-4);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(96);
  });

  it('handles unbatched input, 1x1 images and kernels as large as the padded input', () => {
    const shapes: [number[], number[], Conv2dOptions][] = [
      [[3, 5, 7], [4, 3, 3, 3], { padding: 1, paddingMode: 'reflect' }],
      [[2, 1, 1], [3, 2, 1, 1], {}],
      [[1, 2, 1, 1], [3, 2, 3, 3], { padding: 1 }],
      [[2, 3, 6, 5], [2, 3, 8, 7], { padding: 1, paddingMode: 'circular' }],
      [[1, 1, 40, 40], [1, 1, 40, 40], {}],
    ];
    for (const [i, [inputShape, weightShape, options]] of shapes.entries()) {
      const p = problem(inputShape, weightShape, options, 300 + i);
      expect(relativeError(runEngine(engine, p), reference(p)), JSON.stringify(inputShape)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('processes a batch larger than one memory chunk', () => {
    const p = problem([14, 16, 64, 64], [5, 16, 3, 3], { padding: 1 }, 400);
    expect(planFastConvLayout(p.plan, 0).imagesPerChunk).toBeLessThan(14);
    expect(relativeError(runEngine(engine, p), reference(p))).toBeLessThanOrEqual(1e-4);
  });

  it('is reusable across plans and reads the weights afresh on every run', () => {
    const a = problem([2, 3, 10, 10], [6, 3, 3, 3], {}, 500);
    const b = problem([1, 8, 7, 9], [4, 2, 2, 3], { groups: 4, stride: 2, paddingMode: 'replicate', padding: 1 }, 501);
    expect(relativeError(runEngine(engine, a), reference(a))).toBeLessThanOrEqual(1e-4);
    expect(relativeError(runEngine(engine, b), reference(b))).toBeLessThanOrEqual(1e-4);
    a.weight.set(randomArray(a.weight.length, 502));
    expect(relativeError(runEngine(engine, a), reference(a))).toBeLessThanOrEqual(1e-4);
  });

  it('leaves its input untouched and an empty batch alone', () => {
    const p = problem([2, 3, 8, 8], [2, 3, 3, 3], { padding: 2, paddingMode: 'reflect' }, 600);
    const before = p.input.slice();
    runEngine(engine, p);
    expect(p.input).toEqual(before);
    const empty = planConv2d([0, 3, 8, 8], [2, 3, 3, 3], null);
    expect(() => engine.run(empty, new Float32Array(0), p.weight, null, new Float32Array(0))).not.toThrow();
  });

  it('refuses arrays whose sizes do not match the plan', () => {
    const p = problem([2, 3, 8, 8], [2, 3, 3, 3], {}, 700);
    const out = new Float32Array(2 * 2 * 6 * 6);
    expect(() => engine.run(p.plan, p.input.subarray(1), p.weight, p.bias, out)).toThrow(/sizes do not match/);
    expect(() => engine.run(p.plan, p.input, p.weight, p.bias, out.subarray(1))).toThrow(/sizes do not match/);
    expect(() => engine.run(p.plan, p.input, p.weight, new Float32Array(3), out)).toThrow(/sizes do not match/);
  });
});

describe('layout', () => {
  it('picks direct convolution for stride 1 and im2col for strides and wasteful kernels', () => {
    const at = (input: number[], weight: number[], options: Conv2dOptions) => planFastConvLayout(planConv2d(input, weight, null, options), 0);
    expect(at([64, 3, 32, 32], [6, 3, 3, 3], {}).direct).toBe(true);
    expect(at([64, 3, 32, 32], [6, 3, 3, 3], { stride: 2 }).direct).toBe(false);
    expect(at([1, 1, 40, 40], [1, 1, 40, 40], {}).direct).toBe(false);
    const l = at([1, 3, 32, 32], [6, 3, 3, 3], { padding: 1 });
    expect([l.hp, l.wp, l.padded, l.k]).toEqual([34, 34, true, 27]);
    // Tap (ci=1, ky=2, kx=1) of a direct layout sits one plane, two rows and one column in.
    expect(l.offsets[9 + 2 * 3 + 1]).toBe(4 * (34 * 34 + 2 * 34 + 1));
  });
});

describe('base64Bytes', () => {
  it('decodes what Buffer encodes, every padding length', () => {
    for (const size of [0, 1, 2, 3, 4, 255]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 37 + 11) & 0xff);
      expect(base64Bytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base64Bytes('AB$D')).toThrow(/invalid base64 character at 2/);
  });
});

describe('loadFastConvEngine (main/)', () => {
  it('gives Node the fused multiply-add build and a working engine', async () => {
    const { loadFastConvEngine } = await import('../main/compute/fastConvLoader');
    const engine = loadFastConvEngine();
    expect(engine.instructionSet).toBe('relaxed-simd');
    const p = problem([2, 3, 32, 32], [6, 3, 3, 3], {}, 800);
    expect(relativeError(runEngine(engine, p), reference(p))).toBeLessThanOrEqual(1e-4);
  });
});
