import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MaxPool2dError, type MaxPool2dOptions, PoolTraceIndexError, maxPool2d, planMaxPool2d, tracePooledValue } from '../core/maxPool2d';
import { tensor } from '../core/tensor';

// Written by tools/fixtures/makeMaxPoolFixtures.py (PyTorch 1.13, F.max_pool2d with return_indices=True).
const DIR = resolve(__dirname, 'fixtures/maxpool');
type Num = number | 'nan' | 'inf' | '-inf';
interface PoolCase { id: string; inputShape: number[]; input: Num[]; options: MaxPool2dOptions; outputShape: number[]; output: Num[]; indices: number[] }
interface PoolError { id: string; inputShape: number[]; options: MaxPool2dOptions; exception: string; message: string }
const cases = (JSON.parse(readFileSync(resolve(DIR, 'cases.json'), 'utf8')) as { cases: PoolCase[] }).cases;
const errors = (JSON.parse(readFileSync(resolve(DIR, 'errors.json'), 'utf8')) as { errors: PoolError[] }).errors;

const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

describe('maxPool2d against PyTorch 1.13', () => {
  it('has the promised coverage', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.input.includes('nan')).length).toBeGreaterThan(20);
    expect(cases.filter((c) => c.options.ceilMode).length).toBeGreaterThan(40);
    expect(cases.filter((c) => c.inputShape.length === 3).length).toBeGreaterThan(40);
    expect(cases.filter((c) => c.options.dilation !== undefined && c.options.dilation !== 1).length).toBeGreaterThan(20);
    expect(cases.filter((c) => Array.isArray(c.options.kernelSize)).length).toBeGreaterThan(40);
    expect(cases.filter((c) => JSON.stringify(c.options.padding ?? 0).match(/[1-9]/)).length).toBeGreaterThan(30);
    expect(cases.filter((c) => c.input.includes('-inf')).length).toBeGreaterThan(10);
    expect(errors.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: output, indices and shape are exactly PyTorch\'s', (_id, c) => {
    const { output, indices } = maxPool2d(tensor(c.inputShape, Float32Array.from(c.input.map(num))), c.options);
    expect(output.shape).toEqual(c.outputShape);
    // toEqual tells NaN apart from numbers and -0 from 0: max is exact, so nothing is tolerated.
    expect(Array.from(output.data)).toEqual(c.output.map(num));
    expect(Array.from(indices)).toEqual(c.indices);
  });

  it.each(errors.map((e) => [e.id, e] as const))('%s: refused with PyTorch\'s message', (_id, e) => {
    expect(() => planMaxPool2d(e.inputShape, e.options)).toThrow(new MaxPool2dError(e.message));
  });

  it('stride defaults to the kernel size, and null means the same', () => {
    const a = planMaxPool2d([1, 9, 10], { kernelSize: [2, 3] });
    expect([a.strideH, a.strideW, a.hOut, a.wOut]).toEqual([2, 3, 4, 3]);
    expect(planMaxPool2d([1, 9, 10], { kernelSize: [2, 3], stride: null })).toEqual(a);
  });

  it('refuses non-integers and wrong data lengths in one line', () => {
    expect(() => planMaxPool2d([1, 4, 4], { kernelSize: 1.5 })).toThrow(/^kernel_size must be an integer or a pair of integers, got 1.5$/);
    expect(() => planMaxPool2d([1, 4, 4], { kernelSize: 2, ceilMode: 'yes' as unknown as boolean })).toThrow(MaxPool2dError);
    expect(() => maxPool2d({ shape: [1, 4, 4], data: new Float32Array(15) }, { kernelSize: 2 })).toThrow(/^input has 15 values but its shape \[1, 4, 4\] needs 16$/);
  });
});

describe('tracePooledValue', () => {
  it('names every window element and the winner PyTorch picked, for every fixture output', () => {
    let checked = 0;
    for (const c of cases) {
      const input = Float32Array.from(c.input.map(num));
      const plan = planMaxPool2d(c.inputShape, c.options);
      for (let s = 0; s < plan.n; s++) {
        for (let ch = 0; ch < plan.c; ch++) {
          for (let y = 0; y < plan.hOut; y++) {
            for (let x = 0; x < plan.wOut; x++) {
              const k = ((s * plan.c + ch) * plan.hOut + y) * plan.wOut + x;
              const t = tracePooledValue(plan, input, s, ch, y, x);
              expect(t.value).toEqual(num(c.output[k]!));
              expect(t.index).toBe(c.indices[k]);
              expect(t.elements.length).toBe(plan.kH * plan.kW);
              if (t.winner >= 0) {
                const e = t.elements[t.winner]!;
                expect(e.kind).toBe('inside');
                expect(e.iy * plan.w + e.ix).toBe(c.indices[k]);
                expect(e.value).toEqual(num(c.output[k]!));
              } else {
                // Only a window with no element inside the input has no winner.
                expect(t.elements.every((e) => e.kind !== 'inside')).toBe(true);
              }
              for (const e of t.elements) {
                if (e.kind === 'inside') expect(e.value).toEqual(input[(s * plan.c + ch) * plan.h * plan.w + e.iy * plan.w + e.ix]);
                else expect(e.value).toBe(-Infinity);
              }
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('marks ceil_mode windows running past the padding as beyond', () => {
    // 5 wide, k=2, s=2, ceil: the third window starts at column 4 and its second column is 5.
    const input = Float32Array.from({ length: 25 }, (_, i) => i);
    const plan = planMaxPool2d([1, 5, 5], { kernelSize: 2, stride: 2, ceilMode: true });
    const t = tracePooledValue(plan, input, 0, 0, 2, 2);
    expect(t.elements.map((e) => e.kind)).toEqual(['inside', 'beyond', 'beyond', 'beyond']);
    expect([t.value, t.index, t.winner]).toEqual([24, 24, 0]);
  });

  it('refuses out-of-range positions in one line', () => {
    const plan = planMaxPool2d([2, 1, 4, 4], { kernelSize: 2 });
    expect(() => tracePooledValue(plan, new Float32Array(32), 0, 0, 2, 0)).toThrow(new PoolTraceIndexError('y 2 is out of range: the pooled output has 2 rows (0-1)'));
    expect(() => tracePooledValue(plan, new Float32Array(32), 2, 0, 0, 0, { sample: '--sample' })).toThrow(new PoolTraceIndexError('--sample 2 is out of range: the pooled output has 2 samples (0-1)'));
    expect(() => tracePooledValue(plan, new Float32Array(31), 0, 0, 0, 0)).toThrow(new PoolTraceIndexError('input has 31 values but the plan needs 32'));
  });
});
