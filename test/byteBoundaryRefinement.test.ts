import { describe, expect, it } from 'vitest';
import { refineNearByteBoundaries } from '../core/byteBoundaryRefinement';
import { conv2dPlanned } from '../core/conv2d';
import { defaultConv2dWeights } from '../core/conv2dInit';
import { planConv2d, type Conv2dOptions } from '../core/conv2dOptions';
import { DEFAULT_LAYER } from '../core/hostContract';
import { bytesToTensorData } from '../core/toTensor';
import { loadFastConvEngine } from '../main/compute/fastConvLoader';
import { openDataset } from '../main/datasets/datasetSource';
import { gatherStep } from '../main/session/stepBatch';
import { DEFAULT_VIEW } from '../core/hostContract';

const tbByte = (v: number) => Math.min(255, Math.max(0, Math.trunc(Math.fround(v * 255))));

describe('byte-boundary refinement of fast-engine activations', () => {
  it('restores the reference bytes of activations nudged across a byte boundary, in every padding mode', () => {
    let seed = 7;
    const nextInt = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    // Inputs exactly k/255 and one corner tap of 1: every activation is an input value read
    // through the padding (so the mode matters at the borders) and sits exactly on a boundary.
    const cases: Conv2dOptions[] = [
      { padding: 1 }, { padding: [2, 1], paddingMode: 'reflect', stride: [2, 1] },
      { padding: 'same', dilation: 2, paddingMode: 'replicate', groups: 2 }, { padding: [1, 3], paddingMode: 'circular', groups: 4 },
    ];
    for (const options of cases) {
      const groups = options.groups ?? 1;
      const plan = planConv2d([2, 4, 7, 9], [8, 4 / groups, 3, 3], [8], options);
      const x = Float32Array.from({ length: 2 * 4 * 63 }, () => (1 + nextInt(254)) / 255);
      const w = new Float32Array(8 * (4 / groups) * 9);
      for (let o = 0; o < 8; o++) w[(o * (4 / groups) + (o % (4 / groups))) * 9] = 1;
      const b = new Float32Array(8);
      const reference = new Float32Array(2 * 8 * plan.hOut * plan.wOut);
      conv2dPlanned(plan, x, w, b, reference);
      // What a fast engine summing in another order could give: one ulp below, so x255 truncates to k-1.
      const nudged = reference.slice();
      const bits = new Uint32Array(nudged.buffer);
      for (let i = 0; i < nudged.length; i++) if (nudged[i]! > 0) bits[i]!--;
      const differed = reference.filter((v, i) => tbByte(v) !== tbByte(nudged[i]!)).length;
      expect(differed, JSON.stringify(options)).toBeGreaterThan(reference.length / 2);
      refineNearByteBoundaries(plan, x, w, b, nudged);
      expect(reference.filter((v, i) => tbByte(v) !== tbByte(nudged[i]!)).length, JSON.stringify(options)).toBe(0);
    }
  });

  it('makes the fast engine\'s TensorBoard bytes equal the reference engine\'s on every sample step', async () => {
    const ds = await openDataset(null);
    const engine = loadFastConvEngine();
    const weights = defaultConv2dWeights(DEFAULT_LAYER, 3, 0);
    let differedBefore = 0;
    for (let s = 0; s < 5; s++) {
      const batch = await gatherStep(ds, DEFAULT_VIEW, s);
      const x = new Float32Array(batch.pixels.length);
      bytesToTensorData(batch.pixels, x);
      const plan = planConv2d(batch.shape, weights.weight.shape, [6], {});
      const reference = new Float32Array(batch.shape[0] * 6 * 900);
      const fast = new Float32Array(reference.length);
      conv2dPlanned(plan, x, weights.weight.data, weights.bias, reference);
      engine.run(plan, x, weights.weight.data, weights.bias, fast);
      const before = fast.slice();
      refineNearByteBoundaries(plan, x, weights.weight.data, weights.bias, fast);
      let differAfter = 0;
      let changedFarFromBoundary = 0;
      for (let i = 0; i < fast.length; i++) {
        if (tbByte(before[i]!) !== tbByte(reference[i]!)) differedBefore++;
        if (tbByte(fast[i]!) !== tbByte(reference[i]!)) differAfter++;
        // Far from a boundary nothing changes: the fast engine's own value is kept.
        const t = before[i]! * 255;
        if (t - Math.floor(t) > 0.01 && t - Math.floor(t) < 0.99 && fast[i] !== before[i]) changedFarFromBoundary++;
      }
      expect(differAfter, `step ${s}`).toBe(0);
      expect(changedFarFromBoundary, `step ${s}`).toBe(0);
    }
    console.log(`TensorBoard bytes that differed from the reference before refinement: ${differedBefore}`);
  });
});
