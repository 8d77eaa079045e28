// The MNIST-family path end to end against torchvision 0.14 + PyTorch 1.13 (tools/fixtures/makeIdxFixtures.py):
// opening every layout torchvision and the download use, the export's PNGs pixel for pixel, and
// the conv output within float32 rounding; plus the refusals of broken pairs.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LAYER, DEFAULT_VIEW } from '../core/hostContract';
import { parseNpy } from '../core/npy';
import { DatasetError, describeDataset, openDataset } from '../main/datasets/datasetSource';
import { Session } from '../main/session/session';
import { gatherStep } from '../main/session/stepBatch';
import { runCli } from './helpers/runCli';

const FIX = join(__dirname, 'fixtures/idx');
const ROOT = join(FIX, 'root');
const RAW = join(ROOT, 'FashionMNIST/raw');
const workerPath = join(__dirname, '..', 'dist', 'computeWorker.js');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as {
  classes: string[];
  splits: Record<'train' | 't10k', { count: number; labels: number[] }>;
  convWeight: number[];
  convBias: number[];
  steps: { step: number; images: number; labels: number[]; outputShape: number[]; outputMin: number; outputMax: number; outputSum: number }[];
};

const rgb = (path: string) => {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, data: png.data };
};

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'convboard-idx-'));
}

describe('idx datasets: opening', () => {
  it.each([
    ['torchvision root', ROOT],
    ['root/FashionMNIST', join(ROOT, 'FashionMNIST')],
    ['the raw folder', RAW],
  ])('opens %s as FashionMNIST with torchvision classes, labels and counts', async (_, path) => {
    const ds = await openDataset(path);
    expect(ds.info.format).toBe('fashion-mnist');
    expect(ds.info.imageShape).toEqual([1, 28, 28]);
    expect(ds.info.classNames).toEqual(expected.classes);
    expect(ds.info.splits).toEqual([{ split: 'train', count: 30 }, { split: 'test', count: 100 }]);
    expect([...ds.splits.test!.labels]).toEqual(expected.splits.t10k.labels);
    expect([...ds.splits.train!.labels]).toEqual(expected.splits.train.labels);
  });

  it('opens a folder of .gz files only (a download folder) and one file of a pair, giving the same pixels', async () => {
    const dir = join(tmp(), 'fashion-mnist');
    mkdirSync(dir);
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(RAW, f), join(dir, f));
    const gz = await openDataset(dir);
    const plain = await openDataset(join(RAW, 't10k-images-idx3-ubyte'));
    expect(gz.info.format).toBe('fashion-mnist');
    expect(plain.info.splits).toEqual([{ split: 'test', count: 100 }]);
    const a = await gatherStep(gz, DEFAULT_VIEW, 1);
    const b = await gatherStep(plain, DEFAULT_VIEW, 1);
    expect(a.shape).toEqual([36, 1, 28, 28]);
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect([...a.labels]).toEqual(expected.steps[1]!.labels);
  });

  it('names classes by number when the folder names no family', async () => {
    const dir = join(tmp(), 'mystery');
    mkdirSync(dir);
    for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) copyFileSync(join(RAW, f), join(dir, f));
    const ds = await openDataset(dir);
    expect(ds.info.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(describeDataset(ds)).toMatch(/names from label numbers: the folder "mystery" names no MNIST family/);
  });

  it('refuses a pair whose counts differ, a wrong magic and a size that does not match the header, naming the file', async () => {
    const dir = join(tmp(), 'FashionMNIST');
    mkdirSync(dir);
    const images = readFileSync(join(RAW, 't10k-images-idx3-ubyte'));
    const labels = readFileSync(join(RAW, 't10k-labels-idx1-ubyte'));
    const write = (img: Uint8Array, lab: Uint8Array) => {
      writeFileSync(join(dir, 't10k-images-idx3-ubyte'), img);
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), lab);
    };
    const shortLabels = Buffer.from(labels.subarray(0, 8 + 99));
    shortLabels.writeUInt32BE(99, 4);
    write(images, shortLabels);
    await expect(openDataset(dir)).rejects.toThrow(/t10k-images-idx3-ubyte has 100 images but .*t10k-labels-idx1-ubyte has 99 labels: they are not a pair$/);
    write(labels, labels);
    await expect(openDataset(dir)).rejects.toThrow(/t10k-images-idx3-ubyte: not an idx images file: magic is 0x00000801/);
    write(images.subarray(0, images.length - 5), labels);
    const err = await openDataset(dir).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toMatch(/t10k-images-idx3-ubyte: size does not match the header: 100 x 28 x 28 values need 78416 bytes, the file has 78411$/);
    write(images, gzipSync(labels));
    await expect(openDataset(dir)).rejects.toThrow(/t10k-labels-idx1-ubyte: not an idx labels file/);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images);
    const bad = Buffer.from(labels);
    bad[8 + 7] = 10;
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), bad);
    await expect(openDataset(dir)).rejects.toThrow(/t10k-labels-idx1-ubyte: label 10 of image 7 is past the 10 classes/);
  });

  it("reads EMNIST's file names with torchvision's split classes, and asks which split when a folder holds several", async () => {
    const dir = join(tmp(), 'EMNIST', 'raw');
    mkdirSync(dir, { recursive: true });
    for (const split of ['letters', 'digits']) {
      copyFileSync(join(RAW, 't10k-images-idx3-ubyte'), join(dir, `emnist-${split}-test-images-idx3-ubyte`));
      copyFileSync(join(RAW, 't10k-labels-idx1-ubyte.gz'), join(dir, `emnist-${split}-test-labels-idx1-ubyte.gz`));
    }
    await expect(openDataset(dir)).rejects.toThrow(/holds 2 EMNIST splits \(letters, digits\); open one of them by giving its images file/);
    const letters = await openDataset(join(dir, 'emnist-letters-test-labels-idx1-ubyte.gz'));
    expect(letters.info.format).toBe('emnist');
    expect(letters.info.title).toBe('EMNIST (letters) (emnist-letters-test-labels-idx1-ubyte.gz)');
    expect(letters.info.classNames).toEqual(['N/A', ...'abcdefghijklmnopqrstuvwxyz']);
    expect(letters.info.splits).toEqual([{ split: 'test', count: 100 }]);
  });

  it('refuses an images file without its labels file', async () => {
    const dir = join(tmp(), 'MNIST');
    mkdirSync(dir);
    copyFileSync(join(RAW, 't10k-images-idx3-ubyte'), join(dir, 't10k-images-idx3-ubyte'));
    await expect(openDataset(dir)).rejects.toThrow(/t10k-images-idx3-ubyte has no t10k-labels-idx1-ubyte beside it$/);
  });

  it('refuses --resize on a dataset that is not an image folder', async () => {
    await expect(openDataset(RAW, { transform: { resize: 10 } })).rejects.toThrow(/--resize and --center-crop apply to an image folder/);
  });
});

describe('idx datasets: the workflow against torchvision', () => {
  let out: string;
  beforeAll(() => {
    out = tmp();
  });

  it("exports add_images' input and output grids pixel for pixel (Conv2d(1, 6, 3), seed 0)", () => {
    const r = runCli(['export', '--data', ROOT, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const step of [0, 1]) {
      for (const kind of ['input', 'output']) {
        const got = rgb(join(out, kind, `${String(step).padStart(6, '0')}.png`));
        const want = rgb(join(FIX, `${kind}-${String(step).padStart(6, '0')}.png`));
        expect([got.width, got.height], `${kind} ${step}`).toEqual([want.width, want.height]);
        expect(Buffer.from(got.data).equals(Buffer.from(want.data)), `${kind} ${step}`).toBe(true);
      }
    }
  });

  it('uses the same weights as torch.manual_seed(0); nn.Conv2d(1, 6, 3), and its outputs agree within float32 rounding', async () => {
    const session = await Session.open({ dataPath: RAW, workerPath });
    try {
      const layer = await session.handlers.getLayer(undefined as never);
      expect(layer.weightShape).toEqual([6, 1, 3, 3]);
      expect([...layer.weight]).toEqual(expected.convWeight.map(Math.fround));
      expect([...layer.bias!]).toEqual(expected.convBias.map(Math.fround));
      let worst = 0;
      for (const s of expected.steps) {
        const step = await session.handlers.getStep({ view: DEFAULT_VIEW, step: s.step });
        expect(step.outputShape).toEqual(s.outputShape);
        expect([...step.labels]).toEqual(s.labels);
        const ref = parseNpy(new Uint8Array(readFileSync(join(FIX, `conv-${String(s.step).padStart(6, '0')}-first4.npy`))), 'ref');
        for (let i = 0; i < ref.data.length; i++) worst = Math.max(worst, Math.abs(step.output[i]! - ref.data[i]!));
        let min = Infinity, max = -Infinity, sum = 0;
        for (const v of step.output) {
          min = Math.min(min, v);
          max = Math.max(max, v);
          sum += v;
        }
        expect(Math.abs(min - s.outputMin)).toBeLessThan(1e-6);
        expect(Math.abs(max - s.outputMax)).toBeLessThan(1e-6);
        expect(Math.abs(sum - s.outputSum)).toBeLessThan(1e-3);
      }
      // Nine products and a bias in float32: a few units in the last place of values near 1.
      expect(worst).toBeLessThan(1e-6);
    } finally {
      await session.close();
    }
  });

  it('refuses a 3-channel weight on grey images, and a 1-channel weight on colour images, naming both', () => {
    const dir = tmp();
    const npy = (shape: number[]) => {
      const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
      const padded = header.padEnd(118, ' ') + '\n';
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1);
      return Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, padded.length, 0]), Buffer.from(padded), Buffer.from(data.buffer)]);
    };
    writeFileSync(join(dir, 'rgb.npy'), npy([6, 3, 3, 3]));
    writeFileSync(join(dir, 'grey.npy'), npy([6, 1, 3, 3]));
    const onGrey = runCli(['export', '--data', RAW, '--weight', join(dir, 'rgb.npy'), '--out', join(dir, 'o1')]);
    expect(onGrey.status).toBe(1);
    expect(onGrey.stderr).toMatch(/rgb\.npy: weight of shape \[6, 3, 3, 3\] takes 3-channel \(RGB\) input, but the images of Fashion-MNIST \(raw\) are 1-channel \(grey\) \[1, 28, 28\]\n$/);
    const onColour = runCli(['export', '--weight', join(dir, 'grey.npy'), '--out', join(dir, 'o2')]);
    expect(onColour.status).toBe(1);
    expect(onColour.stderr).toMatch(/grey\.npy: weight of shape \[6, 1, 3, 3\] takes 1-channel \(grey\) input, but the images of .* are 3-channel \(RGB\) \[3, 32, 32\]\n$/);
  });
});

describe('the session switches between colour and grey datasets', () => {
  let session: Session;
  beforeAll(async () => {
    session = await Session.open({ dataPath: null, workerPath });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('rebuilds the default layer for the new channel count both ways', async () => {
    expect((await session.handlers.getLayer(undefined as never)).weightShape).toEqual([6, 3, 3, 3]);
    const grey = await session.handlers.openDataset({ path: ROOT });
    expect(grey.imageShape).toEqual([1, 28, 28]);
    const layer = await session.handlers.getLayer(undefined as never);
    expect(layer.weightShape).toEqual([6, 1, 3, 3]);
    const step = await session.handlers.getStep({ view: DEFAULT_VIEW, step: 0 });
    expect(step.inputShape).toEqual([64, 1, 28, 28]);
    expect(step.outputShape).toEqual([64, 6, 26, 26]);
    expect(session.datasetInfo.format).toBe('fashion-mnist');
    const response = await session.handle('setLayer', { config: { ...DEFAULT_LAYER, groups: 3, outChannels: 6 } });
    expect(response.ok).toBe(false);
    const back = await session.handlers.openDataset({ path: join(__dirname, '..', 'assets', 'sample', 'cifar-10-batches-bin') });
    expect(back.imageShape).toEqual([3, 32, 32]);
    expect((await session.handlers.getLayer(undefined as never)).weightShape).toEqual([6, 3, 3, 3]);
  });
});

const DEBIAN = '/usr/share/datasets/fashion-mnist';
describe.runIf(existsSync(DEBIAN))("Debian's Fashion-MNIST", () => {
  it('is described by info and exported for steps 0-1', () => {
    const info = runCli(['info', DEBIAN]);
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/^Fashion-MNIST \(fashion-mnist\)\nformat:  Fashion-MNIST idx files \(gzipped\), grey images 1x28x28/);
    expect(info.stdout).toMatch(/train\s+60000 images/);
    expect(info.stdout).toMatch(/test\s+10000 images/);
    expect(info.stdout).toMatch(/9\s+Ankle boot\s+6000\s+1000/);
    const out = tmp();
    const r = runCli(['export', '--data', DEBIAN, '--steps', '0-1', '--out', out]);
    expect(r.status).toBe(0);
    // The fixture's test images are the first 100 of this very file, so the first step is the same picture.
    const got = rgb(join(out, 'input/000000.png'));
    const want = rgb(join(FIX, 'input-000000.png'));
    expect(Buffer.from(got.data).equals(Buffer.from(want.data))).toBe(true);
    expect(Buffer.from(rgb(join(out, 'output/000000.png')).data).equals(Buffer.from(rgb(join(FIX, 'output-000000.png')).data))).toBe(true);
  });
});
if (!existsSync(DEBIAN)) console.log(`skipping Debian's Fashion-MNIST checks: ${DEBIAN} is absent (apt-get install dataset-fashion-mnist)`);
