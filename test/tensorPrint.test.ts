import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conv2d } from '../core/conv2d';
import { tensor } from '../core/tensor';
import { TensorPrintError, formatFixed, formatScientific, formatTensor, tensorRepr } from '../core/tensorPrint';

// Written by tools/fixtures/makeExplainFixtures.py: repr() and str.format output of PyTorch 1.13 / Python.
type Num = number | 'nan' | 'inf' | '-inf';
interface PrintCase { id: string; dtype: 'int64' | 'float32'; shape: number[]; values: Num[]; repr: string }
interface FormatCase { value: number; fixed4: string; sci4: string; fixed0?: string }
const fixture = JSON.parse(readFileSync(resolve(__dirname, 'fixtures/explain/print.json'), 'utf8')) as { cases: PrintCase[]; formats: FormatCase[] };
const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

describe('formatTensor against torch repr()', () => {
  it.each(fixture.cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(formatTensor(c.shape, c.values.map(num), c.dtype)).toBe(c.repr);
  });

  it("prints the tutorial's stride-1 result as the lessons page shows it", () => {
    const x = tensor([1, 1, 5, 5], Float32Array.from([1, 2, 0, 3, 1, 0, 1, 2, 3, 1, 1, 2, 1, 0, 0, 5, 2, 3, 1, 1, 2, 1, 0, 1, 1]));
    const k = tensor([1, 1, 3, 3], Float32Array.from([1, 2, 1, 0, 1, 0, 2, 1, 0]));
    const y = conv2d(x, k, null, { stride: 1 });
    expect(formatTensor(y.shape, y.data, 'int64')).toBe('tensor([[[[10, 12, 12],\n          [18, 16, 16],\n          [13,  9,  3]]]])');
    expect(tensorRepr(y)).toBe(fixture.cases.find((c) => c.id === 'float-tutorial-stride1')!.repr);
  });

  it('covers the formatter modes: int, fixed, scientific, non-finite, summarized, empty', () => {
    const ids = fixture.cases.map((c) => c.id);
    for (const id of ['tutorial-stride1', 'tutorial-stride2', 'tutorial-padding1', 'float-ties', 'float-sci-small', 'float-nonfinite', 'float-summarized', 'int-summarized', 'float-empty-2d']) {
      expect(ids).toContain(id);
    }
  });

  it('refuses values that do not fit, in one line', () => {
    expect(() => formatTensor([2, 2], [1, 2, 3], 'int64')).toThrow(new TensorPrintError('tensor has 3 values but shape [2, 2] needs 4'));
    expect(() => formatTensor([2], [1, 2.5], 'int64')).toThrow(/^int64 tensor holds 2.5 at flat index 1, which is not a safe integer$/);
    expect(() => formatTensor([1], [1], 'float64' as 'float32')).toThrow(TensorPrintError);
  });
});

describe("Python's float formatting", () => {
  it.each(fixture.formats.map((f) => [f.value, f] as const))('%d', (_v, f) => {
    expect(formatFixed(f.value, 4)).toBe(f.fixed4);
    expect(formatScientific(f.value, 4)).toBe(f.sci4);
    if (f.fixed0 !== undefined) expect(formatFixed(f.value, 0)).toBe(f.fixed0);
  });
});
