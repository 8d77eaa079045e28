import { describe, expect, it } from 'vitest';
import { refineNearByteBoundaries, referenceActivation } from '../core/byteBoundaryRefinement';
import { conv2dPlanned } from '../core/conv2d';
import { defaultConv2dWeights } from '../core/conv2dInit';
import { planConv2d, type Conv2dOptions } from '../core/conv2dOptions';
import { DEFAULT_LAYER } from '../core/hostContract';
import { bytesToTensorData } from '../core/toTensor';
import { loadFastConvEngine } from '../main/fastConvLoader';
import { openDataset } from '../main/datasetSource';
import { gatherStep } from '../main/stepBatch';
import { DEFAULT_VIEW } from '../core/hostContract';

const tbByte = (v: number) => Math.min(255, Math.max(0, Math.trunc(Math.fround(v * 255))));

describe('byte-boundary refinement of fast-engine activations', () => {
  it('recomputes an activation exactly as the reference engine does, in every padding mode', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
    const cases: Conv2dOptions[] = [
      { padding: 1 }, { padding: [2, 1], paddingMode: 'reflect', stride: [2, 1] },
      { padding: 'same', dilation: 2, paddingMode: 'replicate', groups: 2 }, { padding: [1, 3], paddingMode: 'circular', groups: 4 },
    ];
    for (const options of cases) {
      const plan = planConv2d([2, 4, 7, 9], [8, 4 / (options.groups ?? 1), 3, 3], [8], options);
      const x = Float32Array.from({ length: 2 * 4 * 63 }, rand);
      const w = Float32Array.from({ length: 8 * (4 / (options.groups ?? 1)) * 9 }, rand);
      const b = Float32Array.from({ length: 8 }, rand);
      const out = new Float32Array(2 * 8 * plan.hOut * plan.wOut);
      conv2dPlanned(plan, x, w, b, out);
      let idx = 0;
      for (let n = 0; n < 2; n++) for (let o = 0; o < 8; o++) for (let i = 0; i < plan.hOut; i++) for (let j = 0; j < plan.wOut; j++) {
        expect(referenceActivation(plan, x, w, b, n, o, i, j)).toBe(out[idx++]);
      }
    }
  });

  it('makes the fast engine\'s TensorBoard bytes equal the reference engine\'s on every sample step', async () => {
    const ds = await openDataset(null);
    const engine = loadFastConvEngine();
    const weights = defaultConv2dWeights(DEFAULT_LAYER, 3, 0);
    let differedBefore = 0;
    for (let s = 0; s < 5; s++) {
      const batch = gatherStep(ds, DEFAULT_VIEW, s);
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
