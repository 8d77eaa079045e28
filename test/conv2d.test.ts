import { afterAll, describe, expect, it } from 'vitest';
import { conv2d } from '../core/conv2d';
import { conv2dOutputShape, outputSizeFormula, planConv2d } from '../core/conv2dOptions';
import { tensor } from '../core/tensor';
import { convFixtureMeta, loadConvAcceptedFixtures, loadConvFixtures } from './fixtures/loadConvFixtures';

const cases = loadConvFixtures();
const meta = convFixtureMeta();

/** max |y - expected| measured against the bound 1e-4 * max(1, max |expected|). */
function relativeError(y: Float32Array, expected: Float64Array): number {
  let maxErr = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(y[i]! - expected[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]!));
  }
  // NaN would slip through Math.max comparisons; make it count as a failure.
  if (y.some((v) => Number.isNaN(v))) return Infinity;
  return maxErr / Math.max(1, maxAbs);
}

describe('conv2d against PyTorch 1.13 (float64 results)', () => {
  let worst = { err: 0, id: '' };
  afterAll(() => {
    console.log(`conv2d: ${cases.length} PyTorch ${meta.torch} cases, worst relative error ${worst.err.toExponential(2)} (${worst.id})`);
  });

  it('has the fixture set the issue asks for', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const c = meta.coverage;
    for (const tag of [
      'batched', 'unbatched', 'stride:int', 'stride:pair', 'padding:int', 'padding:pair', 'padding:same', 'padding:valid',
      'dilation:int', 'dilation:pair', 'sameAsymmetric', 'sameDilated', 'groups', 'depthwise', 'groupsMultiOut', 'bias', 'noBias',
      'mode:zeros', 'mode:reflect', 'mode:replicate', 'mode:circular', 'input1x1', 'nonSquareInput', 'nonSquareKernel',
      'nonSquareStride', 'n1', 'tutorial', 'emptyBatch', 'unbatchedCircular',
    ]) {
      expect(c[tag] ?? 0, tag).toBeGreaterThan(0);
    }
    // Kernels exactly as large as the padded input (a single output position) in both dimensions.
    const full = cases.filter((k) => {
      const p = planConv2d(k.inputShape, k.weightShape, k.bias ? [k.bias.length] : null, k.options);
      return p.h + p.padTop + p.padBottom === p.dilationH * (p.kH - 1) + 1 && p.w + p.padLeft + p.padRight === p.dilationW * (p.kW - 1) + 1;
    });
    expect(full.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((k) => [k.id, k] as const))('%s', (_id, k) => {
    const y = conv2d(tensor(k.inputShape, k.input), tensor(k.weightShape, k.weight), k.bias, k.options);
    expect(y.shape).toEqual(k.outputShape);
    const err = relativeError(y.data, k.expected);
    if (err > worst.err) worst = { err, id: k.id };
    expect(err).toBeLessThanOrEqual(1e-4);
  });
});

describe('the plan', () => {
  it("gives PyTorch's output shape through the documented formula, for every case", () => {
    for (const k of cases) {
      const p = planConv2d(k.inputShape, k.weightShape, k.bias ? [k.bias.length] : null, k.options);
      expect(conv2dOutputShape(p), k.id).toEqual(k.outputShape);
      const hText = outputSizeFormula(p.h, p.padTop, p.padBottom, p.dilationH, p.kH, p.strideH);
      const wText = outputSizeFormula(p.w, p.padLeft, p.padRight, p.dilationW, p.kW, p.strideW);
      expect(hText, k.id).toBe(`floor((${p.h} + ${p.padTop} + ${p.padBottom} - ${p.dilationH}*(${p.kH}-1) - 1) / ${p.strideH}) + 1 = ${p.hOut}`);
      expect(wText.endsWith(` = ${p.wOut}`), k.id).toBe(true);
      expect(p.hOut).toBe(k.outputShape[k.outputShape.length - 2]);
      expect(p.wOut).toBe(k.outputShape[k.outputShape.length - 1]);
    }
  });

  it("splits 'same' padding as nn.Conv2d does: total d*(k-1), the smaller half first", () => {
    const same = cases.filter((k) => k.options.padding === 'same');
    expect(same.length).toBeGreaterThan(50);
    for (const k of same) {
      const p = planConv2d(k.inputShape, k.weightShape, null, k.options);
      const totalH = p.dilationH * (p.kH - 1);
      const totalW = p.dilationW * (p.kW - 1);
      expect([p.padTop, p.padBottom, p.padLeft, p.padRight], k.id).toEqual([
        Math.floor(totalH / 2), totalH - Math.floor(totalH / 2), Math.floor(totalW / 2), totalW - Math.floor(totalW / 2),
      ]);
      expect([p.hOut, p.wOut], k.id).toEqual([p.h, p.w]);
    }
    // Even kernel 4 with dilation 3: total 9, so 4 before and 5 after.
    const p = planConv2d([1, 1, 9, 9], [1, 1, 2, 4], null, { padding: 'same', dilation: [1, 3] });
    expect([p.padTop, p.padBottom, p.padLeft, p.padRight]).toEqual([0, 1, 4, 5]);
  });

  it('accepts the odd configurations PyTorch accepts, with its output shape', () => {
    const accepted = loadConvAcceptedFixtures();
    expect(accepted.length).toBeGreaterThanOrEqual(100);
    for (const a of accepted) {
      const p = planConv2d(a.inputShape, a.weightShape, a.biasShape, a.options);
      expect(conv2dOutputShape(p), `${a.id} (${a.why})`).toEqual(a.outputShape);
    }
  });

  it("treats 'valid' as no padding and keeps unbatched input unbatched", () => {
    const p = planConv2d([3, 7, 5], [2, 3, 3, 2], [2], { padding: 'valid' });
    expect([p.padTop, p.padBottom, p.padLeft, p.padRight]).toEqual([0, 0, 0, 0]);
    expect(conv2dOutputShape(p)).toEqual([2, 5, 4]);
    expect(p.batched).toBe(false);
  });
});
