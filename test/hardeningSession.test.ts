import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY } from '../core/displayPresets';
import { DEFAULT_LAYER, DEFAULT_VIEW } from '../core/hostContract';
import { MAX_RUNNING_JOBS } from '../main/session/jobs';
import { LAYER_BUDGET, LayerBudgetError, checkStepCost, planLayerWithinBudget, stepCost } from '../main/session/layerBudget';
import { Session } from '../main/session/session';
import { layerShape } from '../core/layerShape';
import { fails, ok } from './helpers/sessionRequests';

const workerPath = resolve(__dirname, '..', 'dist', 'computeWorker.js');
const ONE = { ...DEFAULT_VIEW, batchSize: 1 };
const STEPS_OF_ONE = 320;



const pngs = (dir: string, sub: string) => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).sort() : []);
const names = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => `${String(first + i).padStart(6, '0')}.png`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the work budget', () => {
  it('keeps the CIFAR workflow and a batch of 1024 through 64 channels inside, refuses far bigger ones', () => {
    expect(() => planLayerWithinBudget(DEFAULT_LAYER, [64, 3, 32, 32], { allowLarge: false, overrideHint: 'x' })).not.toThrow();
    const wide = { ...DEFAULT_LAYER, outChannels: 64 };
    expect(() => planLayerWithinBudget(wide, [1024, 3, 32, 32], { allowLarge: false, overrideHint: 'x' })).not.toThrow();
    expect(() => planLayerWithinBudget(DEFAULT_LAYER, [64, 1, 28, 28], { allowLarge: false, overrideHint: 'x' })).not.toThrow();
    const huge = { ...DEFAULT_LAYER, outChannels: 1024, kernelSize: [64, 64] as [number, number], padding: [1000, 1000] as [number, number] };
    expect(() => planLayerWithinBudget(huge, [64, 3, 32, 32], { allowLarge: false, overrideHint: 'pass --allow-large' })).toThrow(LayerBudgetError);
    expect(() => planLayerWithinBudget(huge, [64, 3, 32, 32], { allowLarge: true, overrideHint: '' })).not.toThrow();
    const cost = stepCost(planLayerWithinBudget(DEFAULT_LAYER, [64, 3, 32, 32], { allowLarge: false, overrideHint: '' }));
    // Conv2d(3, 6, 3) on 64 CIFAR images: 64*6*30*30 outputs of 27 multiply-adds each.
    expect(cost.multiplyAdds).toBe(64 * 6 * 30 * 30 * 27);
    expect(cost.activationBytes).toBe(4 * (64 * 3 * 32 * 32 + 64 * 6 * 30 * 30));
    expect(() => checkStepCost({ ...cost, multiplyAdds: LAYER_BUDGET.multiplyAdds + 1 }, 'H')).toThrow(/multiply-adds per step, over the budget of 10\.0 G; H to run it anyway$/);
  });

  it("PyTorch's refusal comes before the budget: a kernel larger than the padded input", () => {
    expect(() => planLayerWithinBudget({ ...DEFAULT_LAYER, kernelSize: [40, 40] }, [64, 3, 32, 32], { allowLarge: true, overrideHint: '' })).toThrow(/Kernel size can't be greater than actual input size/);
  });
});

describe('session hardening, with real worker threads', () => {
  let session: Session;
  const tmp = mkdtempSync(join(tmpdir(), 'convboard-hardening-session-'));

  beforeAll(async () => {
    session = await Session.open({ dataPath: null, workerPath });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('a layer over the budget is refused by setLayer, naming the budget and how to go past it; allowLarge lets it through', async () => {
    const huge = { ...DEFAULT_LAYER, outChannels: 1024, kernelSize: [64, 64] as [number, number], padding: [1000, 1000] as [number, number] };
    const e = await fails(session, 'setLayer', { config: huge });
    expect(e.message).toMatch(/^this layer needs \d+ MiB of activations per step, over the budget of 256 MiB; start ConvBoard with --allow-large to run it anyway$/);
    const large = await Session.open({ dataPath: null, workerPath, allowLarge: true });
    try {
      const state = await ok(large, 'setLayer', { config: huge });
      expect(layerShape(state.config, [3, 32, 32], 64).outputShape).toEqual([64, 1024, 1969, 1969]);
    } finally {
      await large.close();
    }
  });

  it('a cancelled export leaves a complete prefix of steps with no hole, and its message names it', async () => {
    const dir = join(tmp, 'cancel');
    const { jobId } = await ok(session, 'startExportAll', { view: ONE, display: DEFAULT_DISPLAY, dir });
    while ((await ok(session, 'getJob', { jobId })).done < 5) await sleep(5);
    expect((await ok(session, 'cancelJob', { jobId })).cancelled).toBe(true);
    await session.settled(jobId);
    const status = await ok(session, 'getJob', { jobId });
    expect(status.state).toBe('cancelled');
    const m = /^export cancelled after steps 0-(\d+); files for steps 0-\1 are complete, nothing else was written$/.exec(status.error ?? '');
    expect(m, status.error ?? 'no message').not.toBeNull();
    const last = Number(m![1]);
    expect(last).toBeLessThan(STEPS_OF_ONE - 1);
    expect(pngs(dir, 'input')).toEqual(names(0, last));
    expect(pngs(dir, 'output')).toEqual(names(0, last));
    // Cancel really stopped it: nothing more is written afterwards.
    await sleep(300);
    expect(pngs(dir, 'output')).toEqual(names(0, last));
  });

  it('a failed export leaves a complete prefix and says so; a step half-written is removed', async () => {
    const dir = join(tmp, 'fail');
    mkdirSync(join(dir, 'output', '000007.png'), { recursive: true });
    const { jobId } = await ok(session, 'startExportAll', { view: ONE, display: DEFAULT_DISPLAY, dir, overwrite: true });
    await session.settled(jobId);
    const status = await ok(session, 'getJob', { jobId });
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/^export failed at step 7: cannot write .*000007\.png: it is a folder; files for steps 0-6 are complete, nothing else was written$/);
    expect(pngs(dir, 'input')).toEqual(names(0, 6));
    expect(pngs(dir, 'output')).toEqual([...names(0, 6), '000007.png']);
  });

  it('export refuses files it did not write in this run unless overwrite, naming the first', async () => {
    const dir = join(tmp, 'existing');
    mkdirSync(join(dir, 'output'), { recursive: true });
    writeFileSync(join(dir, 'output', '000003.png'), 'mine');
    const { jobId } = await ok(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir });
    await session.settled(jobId);
    const status = await ok(session, 'getJob', { jobId });
    expect(status.state).toBe('failed');
    expect(status.error).toBe(`${join(dir, 'output', '000003.png')} already exists; nothing was written (export again with overwrite to replace existing files)`);
    expect(pngs(dir, 'output')).toEqual(['000003.png']);
    expect(pngs(dir, 'input')).toEqual([]);
    const again = await ok(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir, overwrite: true });
    expect((await session.settled(again.jobId)).state).toBe('finished');
    expect(pngs(dir, 'output')).toEqual(names(0, 4));
  });

  it(`at most ${MAX_RUNNING_JOBS} jobs run at once; more are refused in one line`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < MAX_RUNNING_JOBS; i++) ids.push((await ok(session, 'startStats', { view: ONE })).jobId);
    const e = await fails(session, 'startStats', { view: ONE });
    expect(e.message).toBe(`jobs: ${MAX_RUNNING_JOBS} jobs are already running; wait for one to finish or cancel it`);
    for (const id of ids) await ok(session, 'cancelJob', { jobId: id });
    for (const id of ids) expect((await session.settled(id)).state).toBe('cancelled');
  });

  it('closing a session in the middle of an export is bounded and stops the writes', async () => {
    const s = await Session.open({ dataPath: null, workerPath });
    const dir = join(tmp, 'closing');
    const { jobId } = await ok(s, 'startExportAll', { view: ONE, display: DEFAULT_DISPLAY, dir });
    while ((await ok(s, 'getJob', { jobId })).done < 2) await sleep(5);
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(5000);
    const left = pngs(dir, 'output');
    await sleep(300);
    expect(pngs(dir, 'output')).toEqual(left);
    expect(left).toEqual(names(0, left.length - 1));
  });
});

describe('browser mode: exports only under the export root', () => {
  let session: Session;
  const base = mkdtempSync(join(tmpdir(), 'convboard-root-'));
  const root = join(base, 'exports');
  const outside = join(base, 'outside');

  beforeAll(async () => {
    mkdirSync(outside);
    session = await Session.open({ dataPath: null, workerPath, exportRoot: root });
  });
  afterAll(async () => {
    await session?.close();
  });

  const refused: [string, RegExp][] = [
    ['../outside', /^dir: "\.\.\/outside" goes up with '\.\.'; name a sub-folder/],
    ['a/../../outside', /goes up with '\.\.'/],
    [outside, /is an absolute path/],
    ['C:/Windows', /is an absolute path/],
    ['a\\b', /contains a backslash/],
    ['./', /names no sub-folder/],
  ];
  for (const [dir, message] of refused) {
    it(`refuses ${JSON.stringify(dir)}`, async () => {
      expect((await fails(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir })).message).toMatch(message);
      expect(readdirSync(outside)).toEqual([]);
    });
  }

  it('a null dir is refused: the page must name a sub-folder', async () => {
    expect((await fails(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: null })).message).toBe(`dir: name a sub-folder of the export folder ${root} to write into`);
  });

  it('does not follow a symlinked folder out of the root (nor a symlinked input/ or output/)', async () => {
    mkdirSync(root, { recursive: true });
    symlinkSync(outside, join(root, 'link'));
    expect((await fails(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: 'link/run' })).message).toMatch(/link is a symbolic link; links are not followed out of the export folder/);
    mkdirSync(join(root, 'run2'));
    symlinkSync(outside, join(root, 'run2', 'output'));
    expect((await fails(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: 'run2' })).message).toMatch(/output is a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('writes a named sub-folder under the root', async () => {
    const { jobId } = await ok(session, 'startExportAll', { view: DEFAULT_VIEW, display: DEFAULT_DISPLAY, dir: 'runs/first' });
    const status = await session.settled(jobId);
    expect(status.state, status.error ?? '').toBe('finished');
    expect((status.result as { dir: string }).dir).toBe(join(root, 'runs', 'first'));
    expect(pngs(join(root, 'runs', 'first'), 'output')).toEqual(names(0, 4));
  });
});

describe('named choices are own properties only', () => {
  it("presetWeights does not take Object.prototype's members for presets", async () => {
    const { presetWeights } = await import('../core/weightPresets');
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(() => presetWeights(name, DEFAULT_LAYER, 3, 0)).toThrow(`unknown preset '${name}'`);
    }
  });
});
