// ConvBoard's WebAssembly engine. One thread: the engine in this process. Two: this thread
// and a worker_thread, one engine each, input and output in SharedArrayBuffers, the batch
// (S1-S5) or the list of batches (S6) split between them. The calling thread takes a share
// itself: a millisecond task split in two cannot afford waking a second worker.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { batchesOf, outSize } from '../shapes.mjs';
import { checkBuffers, checkedIndex, loadShape, readSpec, report, timeRuns, writeCheck } from './peerIo.mjs';

const { spec, threads } = readSpec();
const isa = process.argv[4] === 'relaxed-simd' ? 'relaxed-simd' : 'simd128';
// Node 20 keeps relaxed SIMD behind a flag (main/fastConvLoader.ts sets it the same way).
if (isa === 'relaxed-simd') setFlagsFromString('--experimental-wasm-relaxed-simd');
const ours = createRequire(import.meta.url)(spec.oursBundle);

const shared = (length) => new Float32Array(new SharedArrayBuffer(4 * length));

/** Jobs are [first image, count, check slot or -1]; each is one engine.run on a batch. */
function runJobs(engine, s, x, w, b, jobs, outs) {
  const image = s.cIn * s.h * s.w;
  const { hOut, wOut } = outSize(s);
  const outImage = s.cOut * hOut * wOut;
  let scratch = null;
  for (const [first, count, slot, outAt] of jobs) {
    const plan = ours.planConv2d([count, s.cIn, s.h, s.w], [s.cOut, s.cIn / s.groups, s.k, s.k], [s.cOut],
      { stride: s.stride, padding: s.pad, dilation: s.dilation, groups: s.groups });
    let out;
    if (slot >= 0) out = outs[slot].subarray(outAt * outImage, (outAt + count) * outImage);
    else out = scratch?.length === count * outImage ? scratch : (scratch = new Float32Array(count * outImage));
    engine.run(plan, x.subarray(first * image, (first + count) * image), w, b, out);
  }
}

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const ours = require(workerData.bundle);
const engine = ours.createFastConvEngineSync({ relaxedSimd: workerData.isa === 'relaxed-simd' });
const runJobs = ${runJobs.toString()};
const outSize = ${outSize.toString()};
parentPort.on('message', ({ s, x, w, b, jobs, outs }) => {
  runJobs(engine, s, x, w, b, jobs, outs);
  parentPort.postMessage(engine.name);
});`;

const workers = Array.from({ length: threads - 1 }, () => new Worker(workerSource, { eval: true, workerData: { bundle: spec.oursBundle, isa } }));
const engine = ours.createFastConvEngineSync({ relaxedSimd: isa === 'relaxed-simd' });
if (engine.instructionSet !== isa) throw new Error(`asked for ${isa}, got ${engine.instructionSet}`);

/** Splits the work: S6's batches go to workers in turn; a single batch is cut into equal parts. */
function jobsFor(s, parts) {
  const batches = batchesOf(s);
  const lists = Array.from({ length: parts }, () => []);
  if (batches.length > 1) {
    batches.forEach(([first, count], i) => {
      const slot = checkedIndex(s, i);
      lists[Math.floor((i * parts) / batches.length)].push([first, count, slot, 0]);
    });
  } else {
    const per = Math.ceil(s.n / parts);
    for (let p = 0; p < parts; p++) {
      const first = p * per;
      const count = Math.min(per, s.n - first);
      if (count > 0) lists[p].push([first, count, 0, first]);
    }
  }
  return lists;
}

const results = {};
for (const s of spec.shapes) {
  try {
    const { x: x0, w, b } = loadShape(spec, s);
    const x = threads > 1 ? shared(x0.length) : x0;
    if (x !== x0) x.set(x0);
    const outs = checkBuffers(s).map((buf) => (threads > 1 ? shared(buf.length) : buf));
    let runAll;
    if (threads > 1) {
      const lists = jobsFor(s, threads);
      runAll = () => {
        const done = Promise.all(workers.map((wk, i) => new Promise((resolve) => {
          wk.once('message', resolve);
          wk.postMessage({ s, x, w, b, jobs: lists[i + 1], outs });
        })));
        runJobs(engine, s, x, w, b, lists[0], outs);
        return done;
      };
    } else {
      const [jobs] = jobsFor(s, 1);
      runAll = () => runJobs(engine, s, x, w, b, jobs, outs);
    }
    await runAll();
    writeCheck(spec, `ours-${isa}`, threads, s, outs);
    results[s.id] = { runsMs: await timeRuns(spec, runAll) };
  } catch (e) {
    results[s.id] = { error: String(e?.message ?? e).split('\n')[0] };
  }
}
for (const wk of workers) await wk.terminate();
report(`ours-${isa}`, threads, results, { engine: engine.name });
