// What every JavaScript peer shares: reading the run's spec and tensors, the timing loop, and
// writing the outputs that run.mjs checks against PyTorch and the reference engine.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchesOf, checkedBatches, outSize } from '../shapes.mjs';

export function readSpec() {
  const [specPath, threads] = process.argv.slice(2);
  return { spec: JSON.parse(readFileSync(specPath, 'utf8')), threads: Number(threads) };
}

export function loadF32(spec, name) {
  const b = readFileSync(join(spec.dir, name));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
}

export function loadShape(spec, s) {
  return { x: loadF32(spec, `${s.id}.x.f32`), w: loadF32(spec, `${s.id}.w.f32`), b: loadF32(spec, `${s.id}.b.f32`) };
}

/**
 * Warm-up (at least spec.warmup runs and spec.warmupMs of them: WebAssembly engines swap in
 * their optimised code in the background), then `runs` timed ones (wall clock, ms).
 */
export async function timeRuns(spec, fn) {
  const start = performance.now();
  for (let i = 0; i < spec.warmup || performance.now() - start < spec.warmupMs; i++) await fn();
  const ms = [];
  for (let i = 0; i < spec.runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms;
}

/** Output buffers, one per checked batch, NCHW. */
export function checkBuffers(s) {
  const { hOut, wOut } = outSize(s);
  return checkedBatches(s).map(([, count]) => new Float32Array(count * s.cOut * hOut * wOut));
}

export function writeCheck(spec, peer, threads, s, buffers) {
  const total = buffers.reduce((a, b) => a + b.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const b of buffers) {
    all.set(b, at);
    at += b.length;
  }
  writeFileSync(join(spec.dir, `out.${peer}.${threads}.${s.id}.f32`), all);
}

/** Index of a batch among the checked ones, or -1. */
export function checkedIndex(s, batchIndex) {
  const n = batchesOf(s).length;
  if (batchIndex === 0) return 0;
  if (n > 1 && batchIndex === n - 1) return 1;
  return -1;
}

export function report(peer, threads, results, extra = {}) {
  process.stdout.write(`${JSON.stringify({ peer, threads, results, ...extra })}\n`);
}
