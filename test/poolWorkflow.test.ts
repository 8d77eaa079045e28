import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostArgs } from '../core/hostSchemas';
import { layerConfigSchema } from '../core/layerConfig';
import { DEFAULT_LAYER, DEFAULT_VIEW } from '../core/hostContract';
import { Session } from '../main/session/session';
import { planLayer } from '../main/session/layerPlan';
import { planLayerPipeline, poolFormulas } from '../core/layerPipeline';
import { runCli } from './helpers/runCli';

// Fixtures: tools/fixtures/makePoolWorkflowFixtures.py ran torch.manual_seed(0); Conv2d(3, 6, 3),
// then ReLU and MaxPool2d, through torchvision's CIFAR10/DataLoader on the embedded sample, and
// wrote add_images' grids of the pooled output plus pooled values, return_indices and conv values.
const FIX = join(__dirname, 'fixtures/poolworkflow');
interface PoolValue { sample: number; channel: number; y: number; x: number; pooled: number; index: number; convY: number; convX: number; conv: number; conv64: number }
const record = JSON.parse(readFileSync(join(FIX, 'poolworkflow.json'), 'utf8')) as {
  pools: Record<string, { options: Record<string, number | boolean>; steps: Record<string, { outputShape: number[]; values: PoolValue[] }> }>;
  refused: { options: Record<string, number>; message: string }[];
};

/** The CLI flags for a pool as the fixture script's MaxPool2d keyword arguments give it. */
function poolFlags(options: Record<string, number | boolean>): string[] {
  const names: Record<string, string> = { kernel_size: '--pool-kernel', stride: '--pool-stride', padding: '--pool-padding', dilation: '--pool-dilation' };
  const flags: string[] = [];
  for (const [k, v] of Object.entries(options)) {
    if (k === 'ceil_mode') {
      if (v) flags.push('--pool-ceil-mode');
    } else flags.push(names[k]!, String(v));
  }
  return flags;
}

/** float32 steps between two values of about the same size. */
function ulps(a: number, b: number): number {
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  return Math.abs(i[0]! - i[1]!);
}

/**
 * The engine accumulates in float32 as PyTorch does, each in its own order, so its conv value is a
 * few float32 steps from the float64 sum and from PyTorch's float32 result (4 at most seen here).
 */
function expectNearFloat32(value: number, v: PoolValue): void {
  expect(ulps(value, v.conv64)).toBeLessThanOrEqual(8);
  expect(ulps(value, v.conv)).toBeLessThanOrEqual(8);
}

function rgbOf(bytes: Buffer): { width: number; height: number; data: Buffer } {
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data };
}

function firstDifference(a: Buffer, b: Buffer): string | null {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `byte ${i} (pixel ${Math.floor(i / 4)}): ${a[i]} vs ${b[i]}`;
  return null;
}

describe.each(Object.entries(record.pools))('export --relu with %s equals PyTorch\'s add_images', (name, pool) => {
  let out = '';
  let status: number | null = null;
  let stderr = '';
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'convboard-poolflow-'));
    const r = runCli(['export', '--relu', ...poolFlags(pool.options), '--out', out]);
    status = r.status;
    stderr = r.stderr;
  });

  for (const step of Object.keys(pool.steps)) {
    it(`step ${step}: the output grid is the reshaped pooled output, pixel for pixel`, () => {
      expect(stderr).toBe('');
      expect(status).toBe(0);
      const n = step.padStart(6, '0');
      const ours = rgbOf(readFileSync(join(out, 'output', `${n}.png`)));
      const theirs = rgbOf(readFileSync(join(FIX, `${name}-output-${n}.png`)));
      expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
      expect(firstDifference(ours.data, theirs.data)).toBeNull();
    });
  }

  const values = pool.steps['0']!.values;
  it.each(values.map((v) => [`[${v.sample}, ${v.channel}, ${v.y}, ${v.x}]`, v] as const))('explain --json %s: PyTorch\'s winner, pooled value and conv value', (_at, v) => {
    const r = runCli(['explain', '--relu', ...poolFlags(pool.options), '--step', '0', '--sample', String(v.sample),
      '--channel', String(v.channel), '--y', String(v.y), '--x', String(v.x), '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as {
      value: number; bias: number; sum: number; taps: { product: number }[];
      relu: { value: number }; pool: { value: number; index: number; y: number; x: number; winner: number };
    };
    expect(j.pool.index).toBe(v.index);
    expect([j.pool.y, j.pool.x]).toEqual([v.convY, v.convX]);
    expect(j.pool.value).toBe(v.pooled);
    expect(j.relu.value).toBe(v.pooled);
    expectNearFloat32(j.value, v);
    expect(Math.abs(j.sum - v.conv64)).toBeLessThan(1e-12);
    expect(j.taps).toHaveLength(27);
  });
});

describe('a pool PyTorch refuses on the conv output', () => {
  it.each(record.refused.map((r) => [JSON.stringify(r.options), r] as const))('%s: export stops with PyTorch\'s message before writing', (_o, r) => {
    const out = join(mkdtempSync(join(tmpdir(), 'convboard-poolrefused-')), 'out');
    const res = runCli(['export', ...poolFlags(r.options), '--tensorboard', '--out', out]);
    expect(res.stderr).toBe(`convboard: pool: ${r.message}\n`);
    expect(res.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('explain refuses it the same way', () => {
    const r = record.refused[0]!;
    const res = runCli(['explain', ...poolFlags(r.options), '--step', '0', '--sample', '0', '--channel', '0', '--y', '0', '--x', '0']);
    expect(res.stderr).toBe(`convboard: pool: ${r.message}\n`);
    expect(res.status).toBe(1);
  });

  it('pool options without --pool-kernel are a usage error', () => {
    const res = runCli(['export', '--pool-stride', '2', '--out', mkdtempSync(join(tmpdir(), 'convboard-poolusage-'))]);
    expect(res.stderr).toBe('convboard: --pool-stride needs --pool-kernel\n');
    expect(res.status).toBe(2);
  });
});

describe('convboard explain without a pool', () => {
  // The conv values the pool fixtures recorded at their winners, in float32 and float64, by PyTorch.
  const convValues = Object.values(record.pools).flatMap((p) => p.steps['0']!.values);

  it.each(convValues.map((v) => [v.sample, v.channel, v.convY, v.convX, v] as const))('--json [%i, %i, %i, %i]: exactly {value, bias, sum, taps}, summing to PyTorch\'s value', (s, c, y, x, v) => {
    const r = runCli(['explain', '--step', '0', '--sample', String(s), '--channel', String(c), '--y', String(y), '--x', String(x), '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { value: number; bias: number; sum: number; taps: Record<string, unknown>[] };
    expect(Object.keys(j)).toEqual(['value', 'bias', 'sum', 'taps']);
    expect(Object.keys(j.taps[0]!)).toEqual(['inChannel', 'ky', 'kx', 'iy', 'ix', 'mode', 'sourceY', 'sourceX', 'input', 'weight', 'product']);
    expect(j.taps).toHaveLength(27);
    expect(j.taps[0]).toMatchObject({ inChannel: 0, ky: 0, kx: 0, iy: y, ix: x, mode: 'inside', sourceY: y, sourceX: x });
    expect(j.taps[26]).toMatchObject({ inChannel: 2, ky: 2, kx: 2, iy: y + 2, ix: x + 2 });
    expect(Math.abs(j.sum - v.conv64)).toBeLessThan(1e-12);
    expectNearFloat32(j.value, v);
    expect(j.taps.reduce((a, t) => a + (t.product as number), j.bias)).toBe(j.sum);
  });

  it('shows zero padding taps as reading nothing, and reflect ones as the pixel they copy', () => {
    const zeros = JSON.parse(runCli(['explain', '--padding', '1', '--step', '0', '--sample', '0', '--channel', '0', '--y', '0', '--x', '0', '--json']).stdout);
    expect(zeros.taps[0]).toMatchObject({ iy: -1, ix: -1, mode: 'zeros', sourceY: null, sourceX: null, input: 0 });
    const reflect = JSON.parse(runCli(['explain', '--padding', '1', '--padding-mode', 'reflect', '--step', '0', '--sample', '0', '--channel', '0', '--y', '0', '--x', '0', '--json']).stdout);
    expect(reflect.taps[0]).toMatchObject({ iy: -1, ix: -1, mode: 'reflect', sourceY: 1, sourceX: 1 });
    expect(reflect.taps[4]).toMatchObject({ iy: 0, ix: 0, mode: 'inside', sourceY: 0, sourceX: 0 });
  });

  it('prints the taps, bias, sum and engine value as text', () => {
    const r = runCli(['explain', '--step', '0', '--sample', '3', '--channel', '2', '--y', '5', '--x', '7']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^output\[3, 2, 5, 7\] = -?\d/);
    expect(lines[2]).toBe('conv[3, 2, 5, 7] = bias + 27 products:');
    expect(lines).toHaveLength(4 + 27 + 3);
    expect(lines.at(-1)).toMatch(/^ {2}value {2}\S+ \(the engine's float32\)$/);
  });

  it.each([
    [['--y', '30'], '--y 30 is out of range: the output has 30 rows (0-29)', 2],
    [['--channel', '6'], '--channel 6 is out of range: the output has 6 channels (0-5)', 2],
    [['--sample', '64'], '--sample 64 is out of range: the output has 64 samples (0-63)', 2],
    [['--step', '5'], '--step 5 is out of range: the test split has 5 steps of 64 (0-4)', 2],
    [['--x', 'abc'], "--x: expected an integer, got 'abc'", 2],
    [['--out', 'dir'], 'explain: --out is an export option; explain prints to the terminal', 2],
    [['--kernel-size', '40'], null, 1],
  ] as const)('%j: one line, exit %s', (extra, message, code) => {
    const base: Record<string, string> = { '--step': '0', '--sample': '0', '--channel': '0', '--y': '0', '--x': '0' };
    const args = ['explain'];
    for (const [k, v] of Object.entries(base)) if (!extra.includes(k as never)) args.push(k, v);
    const r = runCli([...args, ...extra]);
    expect(r.status).toBe(code);
    expect(r.stderr.split('\n')).toHaveLength(2);
    if (message) expect(r.stderr).toBe(`convboard: ${message}\n`);
  });

  it('a pooled index out of range names the pooled output', () => {
    const r = runCli(['explain', '--pool-kernel', '2', '--step', '0', '--sample', '0', '--channel', '0', '--y', '15', '--x', '0']);
    expect(r.stderr).toBe('convboard: --y 15 is out of range: the pooled output has 15 rows (0-14)\n');
    expect(r.status).toBe(2);
  });
});

describe('the layer config and the session with ReLU and a pool', () => {
  let session: Session;
  beforeAll(async () => {
    session = await Session.open({ dataPath: null, workerPath: join(__dirname, '..', 'dist', 'computeWorker.js') });
  });
  afterAll(async () => {
    await session.close();
  });

  it('configs without relu and pool stay valid and mean no ReLU, no pool', () => {
    const { relu: _r, pool: _p, ...old } = DEFAULT_LAYER;
    expect(layerConfigSchema.parse(old)).toEqual({ ...old, relu: false, pool: null });
  });

  it('a malformed pool or ReLU from the page is refused in the page\'s words', () => {
    const bad = (config: unknown) => () => parseHostArgs('setLayer', { config });
    expect(bad({ ...DEFAULT_LAYER, pool: { kernelSize: [2, 2.5], stride: null, padding: [0, 0], dilation: [1, 1], ceilMode: false } }))
      .toThrow('pool kernel_size (width): expected an integer, got 2.5');
    expect(bad({ ...DEFAULT_LAYER, pool: { kernelSize: [2, 2] } })).toThrow('pool stride: missing');
    expect(bad({ ...DEFAULT_LAYER, relu: 1 })).toThrow('ReLU: expected true or false, got 1');
  });

  it('core\'s pipeline plan and the step give the pooled shape PyTorch gives; stats are of the final output', async () => {
    const pool = record.pools['pool3-dilated-ceil']!;
    const layer = await session.handlers.setLayer({
      config: { ...DEFAULT_LAYER, relu: true, pool: { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [2, 2], ceilMode: true } },
    });
    const conv = planLayer(layer.config, { weight: { shape: layer.weightShape, data: layer.weight }, bias: layer.bias }, [64, 3, 32, 32]);
    expect([conv.n, conv.cOut, conv.hOut, conv.wOut]).toEqual([64, 6, 30, 30]);
    const pipeline = planLayerPipeline(conv, layer.config);
    expect(pipeline.outputShape).toEqual(pool.steps['0']!.outputShape);
    expect(poolFormulas(pipeline.pool!).h).toBe('ceil((30 + 2*1 - 2*(3-1) - 1) / 2) + 1 = 15');
    const step = await session.handlers.getStep({ view: DEFAULT_VIEW, step: 0 });
    expect(step.outputShape).toEqual(pool.steps['0']!.outputShape);
    for (const v of pool.steps['0']!.values) {
      expect(step.output[((v.sample * 6 + v.channel) * 15 + v.y) * 15 + v.x]).toBe(v.pooled);
    }
    expect(Math.min(...step.channelStats.map((s) => s.min))).toBe(0);
  });

  it('explain reports the value the app computes for that step, not a recomputation', async () => {
    await session.handlers.setLayer({ config: DEFAULT_LAYER });
    const step = await session.handlers.getStep({ view: DEFAULT_VIEW, step: 1 });
    for (const [s, c, y, x] of [[0, 0, 0, 0], [5, 4, 20, 9], [63, 1, 29, 0]] as const) {
      const r = runCli(['explain', '--step', '1', '--sample', String(s), '--channel', String(c), '--y', String(y), '--x', String(x), '--json']);
      expect(JSON.parse(r.stdout).value).toBe(step.output[((s * 6 + c) * 30 + y) * 30 + x]);
    }
  });

  it('refuses a pool PyTorch refuses, naming the pool field, and keeps the previous layer', async () => {
    const r = await session.handle('setLayer', { config: { ...DEFAULT_LAYER, pool: { kernelSize: [2, 2], stride: null, padding: [2, 2], dilation: [1, 1], ceilMode: false } } });
    expect(r).toEqual({ ok: false, error: { message: `pool: ${record.refused[0]!.message}`, field: 'pool' } });
  });
});
