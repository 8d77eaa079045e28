// TensorFlow.js with its WebAssembly backend (SIMD; threads where the backend manages them).
// tfjs is NHWC: inputs and weights are transposed before timing, outputs after.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { batchesOf, outSize } from '../shapes.mjs';
import { checkBuffers, checkedIndex, loadShape, readSpec, report, timeRuns, writeCheck } from './peerIo.mjs';

const { spec, threads } = readSpec();
setThreadsCount(threads);
await tf.setBackend('wasm');
await tf.ready();

function toNhwc(x, n, c, h, w) {
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) {
    out[((i * h + y) * w + xx) * c + ch] = x[((i * c + ch) * h + y) * w + xx];
  }
  return out;
}
function toNchw(x, n, c, h, w) {
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) {
    out[((i * c + ch) * h + y) * w + xx] = x[((i * h + y) * w + xx) * c + ch];
  }
  return out;
}

const results = {};
for (const s of spec.shapes) {
  try {
    const { x, w, b } = loadShape(spec, s);
    const { hOut, wOut } = outSize(s);
    const depthwise = s.groups === s.cIn && s.groups > 1;
    if (s.groups !== 1 && !depthwise) throw new Error('tfjs has no grouped convolution');
    const cInG = s.cIn / s.groups;
    // OIHW -> HWIO (conv2d) or HW C 1 (depthwiseConv2d).
    const hwio = new Float32Array(w.length);
    for (let o = 0; o < s.cOut; o++) for (let i = 0; i < cInG; i++) for (let ky = 0; ky < s.k; ky++) for (let kx = 0; kx < s.k; kx++) {
      const src = ((o * cInG + i) * s.k + ky) * s.k + kx;
      hwio[depthwise ? (ky * s.k + kx) * s.cOut + o : ((ky * s.k + kx) * cInG + i) * s.cOut + o] = w[src];
    }
    const filter = tf.tensor4d(hwio, depthwise ? [s.k, s.k, s.cIn, 1] : [s.k, s.k, cInG, s.cOut]);
    const bias = tf.tensor1d(b);
    const nhwc = toNhwc(x, s.n, s.cIn, s.h, s.w);
    const image = s.cIn * s.h * s.w;
    const batches = batchesOf(s);
    const check = checkBuffers(s);
    const args = { filter, bias, strides: s.stride, pad: s.pad, dataFormat: 'NHWC', dilations: s.dilation };
    const runAll = (keep) => {
      for (let i = 0; i < batches.length; i++) {
        const [first, count] = batches[i];
        const input = tf.tensor4d(nhwc.subarray(first * image, (first + count) * image), [count, s.h, s.w, s.cIn]);
        const y = depthwise ? tf.fused.depthwiseConv2d({ x: input, ...args }) : tf.fused.conv2d({ x: input, ...args });
        const data = y.dataSync();
        const c = keep ? checkedIndex(s, i) : -1;
        if (c >= 0) check[c].set(toNchw(data, count, s.cOut, hOut, wOut));
        input.dispose();
        y.dispose();
      }
    };
    runAll(true);
    writeCheck(spec, 'tfjs-wasm', threads, s, check);
    results[s.id] = { runsMs: await timeRuns(spec, () => runAll(false)) };
    filter.dispose();
    bias.dispose();
  } catch (e) {
    results[s.id] = { error: String(e?.message ?? e).split('\n')[0] };
  }
}
report('tfjs-wasm', threads, results, { version: tf.version.tfjs, threadsUsed: getThreadsCount() });
