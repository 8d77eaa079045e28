import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { gatherBatch, PIXELS_PER_IMAGE } from '../core/cifarBinary';
import { stepCount, stepIndices } from '../core/dataLoader';
import { DEFAULT_VIEW, type Split } from '../core/hostContract';
import { bytesToTensorData } from '../core/toTensor';
import { describeDataset, openDataset } from '../main/datasets/datasetSource';
import { sampleFolder } from '../main/datasets/sampleDataset';

const root = resolve(__dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'convboard-sample-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NAMES = ['edge', 'line', 'gradient', 'checkerboard', 'stripes', 'circle', 'square', 'triangle', 'digit', 'letter'];

interface PipelineRun { split: Split; shuffleSeed: number | null; classes: string[]; steps: { shape: number[]; labels: number[]; sha256: string; sum: number }[] }
// torchvision.datasets.CIFAR10 + ToTensor + DataLoader(64) on the same images (tools/fixtures/makeDataFixtures.py).
const pipeline = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'data', 'samplePipeline.json'), 'utf8')) as { runs: PipelineRun[] };

describe('the embedded synthetic sample', () => {
  it('is what openDataset(null) opens, marked synthetic', async () => {
    const ds = await openDataset(null);
    expect(ds.info.synthetic).toBe(true);
    expect(ds.info.title).toBe('Synthetic sample (CIFAR-10 format)');
    expect(ds.info.source).toBe('(embedded sample)');
    expect(ds.info.format).toBe('cifar-10');
    expect(ds.info.splits).toEqual([{ split: 'train', count: 192 }, { split: 'test', count: 320 }]);
    expect(ds.info.classNames).toEqual(NAMES);
    expect(ds.info.classCounts.test).toEqual(new Array(10).fill(32));
    expect(ds.info.classCounts.train).toEqual([20, 20, 19, 19, 19, 19, 19, 19, 19, 19]);
    expect(stepCount(320, DEFAULT_VIEW)).toBe(5);
    const text = describeDataset(ds);
    expect(text.split('\n')[0]).toBe('Synthetic sample (CIFAR-10 format)');
    expect(text).toContain('synthetic images (not real CIFAR data)');
    expect(readFileSync(join(sampleFolder(), 'readme.txt'), 'utf8')).toMatch(/SYNTHETIC images, not CIFAR-10/);
  });

  it('is reproduced byte for byte by tools/makeSample.mjs', () => {
    const out = join(tmp, 'regenerated');
    execFileSync(process.execPath, [join(root, 'tools', 'makeSample.mjs'), out], { stdio: 'pipe' });
    const committed = readdirSync(sampleFolder()).sort();
    expect(readdirSync(out).sort()).toEqual(committed);
    expect(committed).toEqual(['batches.meta.txt', 'data_batch_1.bin', 'readme.txt', 'test_batch.bin']);
    for (const f of committed) expect(readFileSync(join(out, f)).equals(readFileSync(join(sampleFolder(), f))), f).toBe(true);
  });

  it('has visible structure: varied, distinct images with strong local contrast', async () => {
    const ds = await openDataset(null);
    for (const split of ['train', 'test'] as Split[]) {
      const rec = ds.records[split]!;
      const hashes = new Set<string>();
      const stds: number[] = [];
      for (let i = 0; i < rec.count; i++) {
        const px = rec.bytes.subarray(i * 3073 + 1, (i + 1) * 3073);
        hashes.add(createHash('sha1').update(px).digest('hex'));
        // Largest step between neighbouring pixels of one channel (what a 3x3 edge filter sees),
        // and the spread of brightness (the channel mean, as a grey view shows it).
        let maxStep = 0;
        let sum = 0;
        let sumSq = 0;
        for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
          const at = (c: number, yy: number, xx: number) => px[c * 1024 + yy * 32 + xx];
          const v = (at(0, y, x) + at(1, y, x) + at(2, y, x)) / 3;
          sum += v;
          sumSq += v * v;
          for (let c = 0; c < 3; c++) {
            if (x < 31) maxStep = Math.max(maxStep, Math.abs(at(c, y, x) - at(c, y, x + 1)));
            if (y < 31) maxStep = Math.max(maxStep, Math.abs(at(c, y, x) - at(c, y + 1, x)));
          }
        }
        const std = Math.sqrt(sumSq / 1024 - (sum / 1024) ** 2);
        const label = rec.bytes[i * 3073];
        stds.push(std);
        expect(std, `${split} image ${i} (${NAMES[label]})`).toBeGreaterThan(5);
        // Gradients change smoothly; every other class has a sharp border somewhere.
        if (NAMES[label] !== 'gradient') expect(maxStep, `${split} image ${i} (${NAMES[label]})`).toBeGreaterThan(40);
      }
      stds.sort((a, b) => a - b);
      expect(stds[Math.floor(stds.length / 2)], `${split}: median brightness spread`).toBeGreaterThan(20);
      expect(hashes.size).toBe(rec.count);
    }
  });

  it('goes through reader + ToTensor + DataLoader exactly as torchvision does (every step, bit for bit)', async () => {
    const ds = await openDataset(null);
    expect(pipeline.runs.length).toBe(3);
    for (const run of pipeline.runs) {
      expect(run.classes).toEqual(ds.info.classNames);
      const rec = ds.records[run.split]!;
      const view = { ...DEFAULT_VIEW, split: run.split, shuffle: run.shuffleSeed !== null, shuffleSeed: run.shuffleSeed ?? 0 };
      expect(stepCount(rec.count, view)).toBe(run.steps.length);
      run.steps.forEach((expected, k) => {
        const indices = stepIndices(rec.count, view, k);
        const pixels = new Uint8Array(indices.length * PIXELS_PER_IMAGE);
        const labels = new Uint16Array(indices.length);
        gatherBatch(rec, indices, pixels, labels);
        const floats = new Float32Array(pixels.length);
        bytesToTensorData(pixels, floats);
        expect([indices.length, 3, 32, 32]).toEqual(expected.shape);
        expect([...labels], `${run.split} seed ${run.shuffleSeed} step ${k}`).toEqual(expected.labels);
        expect(createHash('sha256').update(new Uint8Array(floats.buffer)).digest('hex'), `${run.split} step ${k}`).toBe(expected.sha256);
      });
    }
  });

  it('is found from the esbuild bundle too (dist/ is one level below the root, like main/)', async () => {
    const fakeRoot = join(tmp, 'root');
    mkdirSync(join(fakeRoot, 'dist'), { recursive: true });
    symlinkSync(join(root, 'assets'), join(fakeRoot, 'assets'));
    const entry = join(fakeRoot, 'entry.ts');
    writeFileSync(entry, `import { openDataset } from ${JSON.stringify(join(root, 'main', 'datasets', 'datasetSource'))};
import { sampleFolder } from ${JSON.stringify(join(root, 'main', 'datasets', 'sampleDataset'))};
openDataset(null).then((ds) => console.log(JSON.stringify({ folder: sampleFolder(), title: ds.info.title, splits: ds.info.splits })));\n`);
    await build({ entryPoints: [entry], outfile: join(fakeRoot, 'dist', 'bundle.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
    const out = JSON.parse(execFileSync(process.execPath, [join(fakeRoot, 'dist', 'bundle.js')], { encoding: 'utf8' }));
    expect(out.folder).toBe(join(fakeRoot, 'assets', 'sample', 'cifar-10-batches-bin'));
    expect(out.title).toBe('Synthetic sample (CIFAR-10 format)');
    expect(out.splits).toEqual([{ split: 'train', count: 192 }, { split: 'test', count: 320 }]);
  });
});
