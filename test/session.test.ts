import { layerShape } from '../core/layerShape';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY } from '../core/displayPresets';
import {
  DEFAULT_LAYER, DEFAULT_VIEW, type ExportAllResult, type HostRequestName,
  type HostResult, type LayerConfig, type StatsResult, type StepResult,
} from '../core/hostContract';
import { serializeNpyFloat32 } from '../core/npy';
import { PRESET_NAMES } from '../core/weightPresets';
import { Session } from '../main/session/session';
import { fails, ok } from './helpers/sessionRequests';

const root = resolve(__dirname, '..');
const workerPath = join(root, 'dist', 'computeWorker.js');
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/session/sampleWorkflow.json'), 'utf8')) as {
  sampleSha256: string;
  count: number;
  cases: {
    name: string;
    seed: number;
    weight: number[];
    bias: number[];
    steps: {
      step: number; outputShape: number[]; labels: number[]; min: number[]; max: number[]; mean: number[]; std: number[];
      positions?: number[]; values?: number[];
    }[];
  }[];
};
const [defaultCase, stridedCase] = fixture.cases as [typeof fixture.cases[0], typeof fixture.cases[0]];
const STRIDED_LAYER: LayerConfig = { ...DEFAULT_LAYER, stride: [2, 2], padding: [1, 1], paddingMode: 'reflect' };

/** PyTorch's accuracy bar (docs/semantics.md): |error| <= 1e-4 * max(1, max|y|). */
function expectClose(actual: number, expected: number, scale: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs PyTorch ${expected}`).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
}



function checkAgainstPyTorch(result: StepResult, expected: typeof defaultCase.steps[0]): void {
  expect(result.outputShape).toEqual(expected.outputShape);
  expect([...result.labels]).toEqual(expected.labels);
  const scale = Math.max(...expected.max.map(Math.abs), ...expected.min.map(Math.abs));
  result.channelStats.forEach((s, c) => {
    expectClose(s.min, expected.min[c]!, scale, `step ${expected.step} channel ${c} min`);
    expectClose(s.max, expected.max[c]!, scale, `step ${expected.step} channel ${c} max`);
    expectClose(s.mean, expected.mean[c]!, scale, `step ${expected.step} channel ${c} mean`);
    expectClose(s.std, expected.std[c]!, scale, `step ${expected.step} channel ${c} std`);
  });
  expected.positions?.forEach((p, i) => expectClose(result.output[p]!, expected.values![i]!, scale, `output[${p}]`));
}

function decodePng(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

async function waitForJob<T>(s: Session, jobId: string): Promise<HostResult<'getJob'> & { result: T | null }> {
  await s.settled(jobId);
  return (await ok(s, 'getJob', { jobId })) as HostResult<'getJob'> & { result: T | null };
}

describe('session service on the embedded sample, with a real worker thread', () => {
  let session: Session;
  const logged: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'convboard-session-'));

  beforeAll(async () => {
    expect(existsSync(workerPath), 'dist/computeWorker.js is built by test/globalSetup.ts').toBe(true);
    session = await Session.open({ dataPath: null, workerPath, log: (l) => logged.push(l) });
  });
  afterAll(async () => {
    await session?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the PyTorch fixture was made from these sample bytes', () => {
    const bytes = readFileSync(join(root, 'assets/sample/cifar-10-batches-bin/test_batch.bin'));
    expect(createHash('sha256').update(bytes).digest('hex'), 'sample changed: rerun /usr/bin/python3 tools/fixtures/makeSessionFixtures.py').toBe(fixture.sampleSha256);
  });

  it('describes the embedded sample and starts with the default layer (nn.Conv2d(3, 6, 3), seed 0)', async () => {
    const info = await ok(session, 'getDataset', {});
    expect(info.synthetic).toBe(true);
    expect(info.format).toBe('cifar-10');
    expect(info.splits.find((s) => s.split === 'test')?.count).toBe(fixture.count);
    const layer = await ok(session, 'getLayer', {});
    expect(layer.config).toEqual(DEFAULT_LAYER);
    expect(layer.weightShape).toEqual([6, 3, 3, 3]);
    // The page computes shapes with core's planner; the session keeps no hidden view for them.
    expect(layerShape(layer.config, info.imageShape, 64).outputShape).toEqual([64, 6, 30, 30]);
    expect(layerShape(layer.config, info.imageShape, 64).formulas.h).toBe('floor((32 + 0 + 0 - 1*(3-1) - 1) / 1) + 1 = 30');
    // torch.manual_seed(0); nn.Conv2d(3, 6, 3): the same float32 weights, bit for bit.
    expect([...layer.weight]).toEqual(defaultCase.weight.map(Math.fround));
    expect([...layer.bias!]).toEqual(defaultCase.bias.map(Math.fround));
    expect((await ok(session, 'listPresets', {})).names).toEqual([...PRESET_NAMES]);
  });

  it('getStep agrees with PyTorch for every step (shapes, labels, activations, per-channel stats)', async () => {
    for (const expected of defaultCase.steps) {
      const r = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: expected.step });
      expect(r.step).toBe(expected.step);
      expect(r.stepCount).toBe(defaultCase.steps.length);
      expect(r.inputShape).toEqual([expected.outputShape[0], 3, 32, 32]);
      expect(r.input.length).toBe(expected.outputShape[0]! * 3072);
      expect(r.indices[0]).toBe(expected.step * 64);
      checkAgainstPyTorch(r, expected);
    }
  });

  it('caches step results and answers a repeat without the worker', async () => {
    const a = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 1 });
    const b = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 1 });
    expect(b).toBe(a);
  });

  it('refuses a step past the end, and a view without steps, naming the field', async () => {
    expect(await fails(session, 'getStep', { view: DEFAULT_VIEW, step: defaultCase.steps.length })).toEqual({
      message: `step: ${defaultCase.steps.length} is out of range (the test split has steps 0 to ${defaultCase.steps.length - 1})`, field: 'step',
    });
    const bigDrop = { ...DEFAULT_VIEW, batchSize: 1000, dropLast: true };
    expect((await fails(session, 'getStep', { view: bigDrop, step: 0 })).field).toBe('batchSize');
    expect(await fails(session, 'getStep', { view: { ...DEFAULT_VIEW, batchSize: 0 }, step: 0 })).toEqual({
      message: 'batch size: must be from 1 to 1024, got 0', field: 'batchSize',
    });
  });

  it('setLayer validates on a batch-shaped input before replacing the layer, with PyTorch messages', async () => {
    const before = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 0 });
    const cases: [Partial<LayerConfig>, string | RegExp, string][] = [
      [{ stride: [0, 1] }, 'non-positive stride is not supported', 'stride'],
      [{ padding: [-1, 0] }, 'negative padding is not supported', 'padding'],
      [{ groups: 2 }, 'in_channels must be divisible by groups', 'groups'],
      [{ groups: 3, outChannels: 4 }, 'out_channels must be divisible by groups', 'groups'],
      [{ padding: 'same', stride: [2, 2] }, "padding='same' is not supported for strided convolutions", 'stride'],
      [{ kernelSize: [40, 3] }, "Calculated padded input size per channel: (32 x 32). Kernel size: (40 x 3). Kernel size can't be greater than actual input size", 'kernelSize'],
      [{ padding: [32, 0], paddingMode: 'reflect' }, /Padding size should be less than the corresponding input dimension, but got: padding \(32, 32\) at dimension 2 of input/, 'padding'],
    ];
    for (const [patch, message, field] of cases) {
      const error = await fails(session, 'setLayer', { config: { ...DEFAULT_LAYER, ...patch } });
      expect(error.field, JSON.stringify(patch)).toBe(field);
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    }
    const huge = await fails(session, 'setLayer', { config: { ...DEFAULT_LAYER, outChannels: 1024, padding: [200, 200] } });
    expect(huge.message).toMatch(/^this layer needs \d+ MiB of activations per step, over the budget of 256 MiB; start ConvBoard with --allow-large to run it anyway$/);
    // The previous valid layer stays, and so do its (cached) results.
    expect((await ok(session, 'getLayer', {})).config).toEqual(DEFAULT_LAYER);
    expect(await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 0 })).toBe(before);
  });

  it('a new layer and seed give PyTorch\'s results for that layer, and the cache is invalidated', async () => {
    const before = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 1 });
    const state = await ok(session, 'setLayer', { config: STRIDED_LAYER });
    expect(layerShape(state.config, [3, 32, 32], 64).outputShape).toEqual([64, 6, 16, 16]);
    expect(layerShape(state.config, [3, 32, 32], 64).formulas.w).toBe('floor((32 + 1 + 1 - 1*(3-1) - 1) / 2) + 1 = 16');
    const seeded = await ok(session, 'setWeights', { source: { kind: 'init', seed: stridedCase.seed } });
    expect(seeded.weightDescription).toContain(`torch.manual_seed(${stridedCase.seed})`);
    expect(seeded.source).toEqual({ kind: 'init', seed: stridedCase.seed, name: null, fallback: null });
    expect([...seeded.weight]).toEqual(stridedCase.weight.map(Math.fround));
    for (const expected of stridedCase.steps) {
      const r = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: expected.step });
      if (expected.step === 1) expect(r).not.toBe(before);
      checkAgainstPyTorch(r, expected);
    }
    await ok(session, 'setLayer', { config: DEFAULT_LAYER });
    await ok(session, 'setWeights', { source: { kind: 'init', seed: 0 } });
  });

  it('setWeights loads .npy files with shape checks, and bad files leave the layer as it was', async () => {
    const weight = new Float32Array(6 * 3 * 3 * 3).map((_, i) => (i % 7) / 10 - 0.3);
    const bias = new Float32Array([1, 2, 3, 4, 5, 6]);
    const state = await ok(session, 'setWeights', {
      source: { kind: 'npy', weight: serializeNpyFloat32([6, 3, 3, 3], weight), weightName: 'w.npy', bias: serializeNpyFloat32([6], bias), biasName: 'b.npy' },
    });
    expect([...state.weight]).toEqual([...weight]);
    expect([...state.bias!]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.weightDescription).toBe('w.npy + b.npy');
    expect(state.source).toEqual({ kind: 'npy', seed: null, name: 'w.npy + b.npy', fallback: null });
    const r = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 0 });
    // Output channel 0 at (0, 0) of sample 0, by hand from the loaded weights.
    let y = 1;
    for (let c = 0; c < 3; c++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      y += weight[(c * 3 + i) * 3 + j]! * Math.fround(r.input[c * 1024 + i * 32 + j]! / 255);
    }
    expectClose(r.output[0]!, y, Math.abs(y), 'hand-computed output');

    const wrongShape = await fails(session, 'setWeights', { source: { kind: 'npy', weight: serializeNpyFloat32([6, 3, 5, 5], new Float32Array(450)), weightName: 'big.npy', bias: null, biasName: null } });
    expect(wrongShape.field).toBe('weights');
    expect(wrongShape.message).toMatch(/^big\.npy: weight of shape \[6, 3, 5, 5\] does not fit the layer, which needs \[6, 3, 3, 3\]/);
    const garbage = await fails(session, 'setWeights', { source: { kind: 'npy', weight: new Uint8Array([1, 2, 3, 4]), weightName: 'notes.txt', bias: null, biasName: null } });
    expect(garbage.message).toMatch(/^notes\.txt/);
    expect((await ok(session, 'getLayer', {})).weightDescription).toBe('w.npy + b.npy');
    await ok(session, 'setWeights', { source: { kind: 'init', seed: 0 } });
  });

  it('a preset that stops fitting the layer falls back to default init and says so', async () => {
    if (!PRESET_NAMES.includes('sobel-x')) return;
    const preset = await ok(session, 'setWeights', { source: { kind: 'preset', name: 'sobel-x', seed: 0 } });
    expect(preset.weightDescription).toBe('preset sobel-x');
    expect(preset.source).toEqual({ kind: 'preset', seed: 0, name: 'sobel-x', fallback: null });
    const even = await ok(session, 'setLayer', { config: { ...DEFAULT_LAYER, kernelSize: [4, 4] } });
    expect(even.source).toMatchObject({ kind: 'init', seed: 0, name: null, fallback: { wanted: 'preset sobel-x' } });
    expect(even.source.fallback!.why).toMatch(/odd kernel/);
    expect(even.weightDescription).toMatch(/^nn\.Conv2d default init, torch\.manual_seed\(0\) \(preset sobel-x does not fit this layer: .*odd kernel/);
    await ok(session, 'setLayer', { config: DEFAULT_LAYER });
    await ok(session, 'setWeights', { source: { kind: 'init', seed: 0 } });
  });

  it('exportStep returns TensorBoard-exact PNGs of both cards', async () => {
    const step = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 0 });
    const r = await ok(session, 'exportStep', { view: DEFAULT_VIEW, step: 0, display: DEFAULT_DISPLAY });
    expect(r.input.name).toBe('input/000000.png');
    expect(r.output.name).toBe('output/000000.png');
    expect(r.savedTo).toBeNull();
    const input = decodePng(r.input.bytes);
    expect([input.width, input.height]).toEqual([256, 256]);
    const output = decodePng(r.output.bytes);
    expect([output.width, output.height]).toEqual([240, 480]);
    // docs/semantics.md: make_grid(ncols=8, no padding), then (x * 255).clip(0, 255).astype(uint8) in float32.
    const tb = (v: number) => Math.trunc(Math.min(255, Math.max(0, Math.fround(Math.fround(v) * 255))));
    let mismatches = 0;
    for (let tile = 0; tile < 128; tile++) {
      for (let ch = 0; ch < 3; ch++) for (let y = 0; y < 30; y++) for (let x = 0; x < 30; x++) {
        const px = ((Math.floor(tile / 8) * 30 + y) * 240 + (tile % 8) * 30 + x) * 4 + ch;
        if (output.data[px] !== tb(step.output[(tile * 3 + ch) * 900 + y * 30 + x]!)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    for (let img = 0; img < 64; img++) {
      for (let ch = 0; ch < 3; ch++) for (let y = 0; y < 32; y += 5) for (let x = 0; x < 32; x += 3) {
        const px = ((Math.floor(img / 8) * 32 + y) * 256 + (img % 8) * 32 + x) * 4 + ch;
        if (input.data[px] !== tb(Math.fround(step.input[img * 3072 + ch * 1024 + y * 32 + x]! / 255))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('the stats pass covers every step with PyTorch\'s per-channel mean and std, with progress', async () => {
    const { jobId } = await ok(session, 'startStats', { view: DEFAULT_VIEW });
    const status = await waitForJob<StatsResult>(session, jobId);
    expect(status.state).toBe('finished');
    expect([status.done, status.total]).toEqual([defaultCase.steps.length, defaultCase.steps.length]);
    const steps = status.result!.steps;
    expect(steps).toHaveLength(defaultCase.steps.length);
    defaultCase.steps.forEach((e, k) => {
      const scale = Math.max(...e.max.map(Math.abs), ...e.min.map(Math.abs));
      e.mean.forEach((m, c) => expectClose(steps[k]!.mean[c]!, m, scale, `stats step ${k} mean ${c}`));
      e.std.forEach((s, c) => expectClose(steps[k]!.std[c]!, s, scale, `stats step ${k} std ${c}`));
    });
  });

  it('a cancelled job ends as cancelled; unknown jobs are refused', async () => {
    const { jobId } = await ok(session, 'startStats', { view: { ...DEFAULT_VIEW, batchSize: 1 } });
    expect(await ok(session, 'cancelJob', { jobId })).toEqual({ cancelled: true });
    const status = await waitForJob(session, jobId);
    expect(status.state).toBe('cancelled');
    expect(status.done).toBeLessThan(status.total);
    expect(await ok(session, 'cancelJob', { jobId })).toEqual({ cancelled: false });
    expect(await fails(session, 'getJob', { jobId: '00000000-0000-0000-0000-000000000000' })).toEqual({
      message: 'jobId: no job 00000000-0000-0000-0000-000000000000', field: 'jobId',
    });
  });

  it('export-all writes input/NNNNNN.png and output/NNNNNN.png for every step, the same bytes as exportStep', async () => {
    const dir = join(tmp, 'all');
    const { jobId } = await ok(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir });
    const status = await waitForJob<ExportAllResult>(session, jobId);
    expect(status.state, status.error ?? '').toBe('finished');
    expect(status.result).toEqual({ dir, files: 2 * defaultCase.steps.length });
    const names = defaultCase.steps.map((s) => `${String(s.step).padStart(6, '0')}.png`);
    expect(readdirSync(join(dir, 'input')).sort()).toEqual(names);
    expect(readdirSync(join(dir, 'output')).sort()).toEqual(names);
    const last = defaultCase.steps.length - 1;
    const single = await ok(session, 'exportStep', { view: DEFAULT_VIEW, step: last, display: DEFAULT_DISPLAY });
    expect(new Uint8Array(readFileSync(join(dir, single.input.name)))).toEqual(single.input.bytes);
    expect(new Uint8Array(readFileSync(join(dir, single.output.name)))).toEqual(single.output.bytes);
    expect(await fails(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: null })).toEqual({
      message: 'dir: choose a folder to export into', field: 'dir',
    });
  });

  it('a cancelled export-all leaves only complete PNGs (no temporary or partial files)', async () => {
    const dir = join(tmp, 'cancelled');
    const { jobId } = await ok(session, 'startExportAll', { view: { ...DEFAULT_VIEW, batchSize: 1 }, display: DEFAULT_DISPLAY, dir });
    while ((await ok(session, 'getJob', { jobId })).done < 3) await new Promise((r) => setTimeout(r, 10));
    expect((await ok(session, 'cancelJob', { jobId })).cancelled).toBe(true);
    const status = await waitForJob(session, jobId);
    expect(status.state).toBe('cancelled');
    expect(status.done).toBeLessThan(fixture.count);
    for (const sub of ['input', 'output']) {
      const files = readdirSync(join(dir, sub));
      expect(files.length).toBeGreaterThanOrEqual(3);
      expect(files.length).toBeLessThan(fixture.count);
      for (const f of files) {
        expect(f).toMatch(/^\d{6}\.png$/);
        const png = decodePng(readFileSync(join(dir, sub, f)));
        // One image: a 32x32 input tile; its 6 channels make 2 RGB tiles side by side.
        expect([png.width, png.height]).toEqual(sub === 'input' ? [32, 32] : [60, 30]);
      }
    }
  });

  it('an export into an unwritable place fails with one line naming the folder', async () => {
    const blocker = join(tmp, 'blocker');
    await import('node:fs/promises').then((fs) => fs.writeFile(blocker, 'a file, not a folder'));
    const { jobId } = await ok(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: join(blocker, 'out') });
    const status = await waitForJob(session, jobId);
    expect(status.state).toBe('failed');
    expect(status.error).toBe(`dir: cannot create the folder ${join(blocker, 'out', 'input')}: ${blocker} is a file, not a folder`);
  });

  it('openDataset refuses a missing path in one line and keeps the open dataset; browser mode needs a path', async () => {
    const missing = await fails(session, 'openDataset', { path: join(tmp, 'no-such-folder') });
    expect(missing.message).toContain('no-such-folder');
    expect((await fails(session, 'openDataset', { path: null })).field).toBe('path');
    expect((await ok(session, 'getDataset', {})).synthetic).toBe(true);
  });

  it('validates every argument from the page', async () => {
    expect(await fails(session, 'getStep', { view: DEFAULT_VIEW, step: 'zero' })).toEqual({ message: 'step: expected an integer, got "zero"', field: 'step' });
    // The page shows errors next to the field by its key; the message names it in the user's words.
    expect(await fails(session, 'setLayer', { config: { ...DEFAULT_LAYER, stride: [1, 2.5] } })).toEqual({
      message: 'stride (width): expected an integer, got 2.5', field: 'stride',
    });
    expect((await fails(session, 'setLayer', { config: { ...DEFAULT_LAYER, paddingMode: 'mirror' } })).field).toBe('paddingMode');
    expect((await fails(session, 'setWeights', { source: { kind: 'npy', weight: 'bytes', weightName: 'w.npy' } })).field).toBe('weights');
    expect((await fails(session, 'exportStep', { view: DEFAULT_VIEW, step: 0, display: { ...DEFAULT_DISPLAY, columns: 0 } })).field).toBe('columns');
    expect((await fails(session, 'nope' as HostRequestName, {})).field).toBe('request');
    expect(logged.filter((l) => l.startsWith('internal error'))).toEqual([]);
  });
});

describe('compute worker crash', () => {
  it('rejects only the in-flight request with a clear error, restarts the worker, and answers the next request', async () => {
    const logged: string[] = [];
    const session = await Session.open({ dataPath: null, workerPath, log: (l) => logged.push(l) });
    try {
      const warm = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 0 });
      const firstThread = session.compute.currentWorker!.threadId;
      const inFlight = session.handle('getStep', { view: DEFAULT_VIEW, step: 1 });
      const queued = session.handle('getStep', { view: DEFAULT_VIEW, step: 2 });
      expect(session.compute.pending).toBe(2);
      await session.compute.currentWorker!.terminate();
      const crashed = await inFlight;
      expect(crashed.ok).toBe(false);
      if (!crashed.ok) {
        expect(crashed.error.message).toBe('the compute worker stopped while computing (exit code 1); it has been restarted, try again');
      }
      // The queued request was never given to the dead worker: the new one answers it.
      const next = await queued;
      expect(next.ok).toBe(true);
      if (next.ok) checkAgainstPyTorch(next.value as StepResult, defaultCase.steps[2]!);
      expect(session.compute.restarts).toBe(1);
      expect(session.compute.currentWorker!.threadId).not.toBe(firstThread);
      const retry = await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 1 });
      checkAgainstPyTorch(retry, defaultCase.steps[1]!);
      expect(await ok(session, 'getStep', { view: DEFAULT_VIEW, step: 0 })).toBe(warm);
      expect(logged.some((l) => l.startsWith('compute worker stopped (exit code 1)'))).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('a worker script that cannot start fails the request in one line, not a hang', async () => {
    const session = await Session.open({ dataPath: null, workerPath: join(root, 'test', 'no-such-worker.js') });
    try {
      const r = await session.handle('getStep', { view: DEFAULT_VIEW, step: 0 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/^the compute worker stopped while computing \(Cannot find module .*no-such-worker\.js/);
    } finally {
      await session.close();
    }
  });
});
