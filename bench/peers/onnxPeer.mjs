// onnxruntime-node (CPU execution provider), one Conv node per shape, intra-op threads as asked.
import ort from 'onnxruntime-node';
import { onnxConvModel } from '../onnxConvModel.mjs';
import { batchesOf, outSize } from '../shapes.mjs';
import { checkBuffers, checkedIndex, loadShape, readSpec, report, timeRuns, writeCheck } from './peerIo.mjs';

const { spec, threads } = readSpec();
const results = {};
for (const s of spec.shapes) {
  try {
    const { x, w, b } = loadShape(spec, s);
    const { hOut, wOut } = outSize(s);
    const session = await ort.InferenceSession.create(onnxConvModel(s, w, b, hOut, wOut), {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const image = s.cIn * s.h * s.w;
    const batches = batchesOf(s).map(([first, count]) =>
      new ort.Tensor('float32', x.subarray(first * image, (first + count) * image), [count, s.cIn, s.h, s.w]));
    const check = checkBuffers(s);
    const runAll = async (keep) => {
      for (let i = 0; i < batches.length; i++) {
        const { Y } = await session.run({ X: batches[i] });
        const c = keep ? checkedIndex(s, i) : -1;
        if (c >= 0) check[c].set(Y.data);
      }
    };
    await runAll(true);
    writeCheck(spec, 'onnxruntime-node', threads, s, check);
    results[s.id] = { runsMs: await timeRuns(spec, () => runAll(false)) };
    await session.release();
  } catch (e) {
    results[s.id] = { error: String(e?.message ?? e).split('\n')[0] };
  }
}
report('onnxruntime-node', threads, results, { version: ort.env.versions?.common ?? null });
