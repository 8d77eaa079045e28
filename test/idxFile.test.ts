import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { gunzipCapped, GzipError } from '../core/gunzipCapped';
import { checkIdxPair, IdxFileError, idxImage, parseIdxImages, parseIdxLabels, readIdxHeader } from '../core/idxFile';
import { familyFromFolderPath, findIdxSplits, mnistClasses, torchvisionRawFolder, type EmnistSplit, type MnistFamily } from '../core/mnistFamily';
import { bytesToTensorData } from '../core/toTensor';

const DIR = join(__dirname, 'fixtures/idx');
const RAW = join(DIR, 'root/FashionMNIST/raw');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
const file = (name: string) => new Uint8Array(readFileSync(join(RAW, name)));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a refusal');
}

describe('idx files in torchvision layout', () => {
  it('finds FashionMNIST and its two splits from the folder and file names, preferring the plain files', () => {
    expect(familyFromFolderPath(RAW)).toBe('FashionMNIST');
    expect(familyFromFolderPath('C:\\data\\KMNIST')).toBe('KMNIST');
    expect(familyFromFolderPath('/data/mnist/raw')).toBeNull();
    expect(torchvisionRawFolder('/data/', 'EMNIST')).toBe('/data/EMNIST/raw');
    const scan = findIdxSplits(readdirSync(RAW), 'FashionMNIST');
    expect(scan.unpaired).toEqual([]);
    expect(scan.splits.map((s) => [s.train, s.imagesFile, s.labelsFile])).toEqual([
      [true, 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
      [false, 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
    ]);
    expect(scan.splits[1].classes).toEqual(expected.classes);
    const gzOnly = findIdxSplits(readdirSync(RAW).filter((n) => n.endsWith('.gz')), 'FashionMNIST');
    expect(gzOnly.splits.map((s) => [s.imagesFile, s.imagesGzipped])).toEqual([['train-images-idx3-ubyte.gz', true], ['t10k-images-idx3-ubyte.gz', true]]);
  });

  it("names classes with torchvision's lists for every family and EMNIST split", () => {
    for (const [key, classes] of Object.entries(expected.familyClasses as Record<string, string[]>)) {
      const [family, split] = key.split('-');
      expect(mnistClasses(family as MnistFamily, (split ?? null) as EmnistSplit | null), key).toEqual(classes);
    }
  });

  it('recognises EMNIST file names and reports a file without its partner', () => {
    const scan = findIdxSplits([
      'emnist-letters-test-images-idx3-ubyte', 'emnist-letters-test-labels-idx1-ubyte.gz',
      'emnist-balanced-train-images-idx3-ubyte', 'emnist-balanced-train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 'README',
    ], 'EMNIST');
    expect(scan.splits.map((s) => [s.family, s.emnistSplit, s.train, s.labelsFile])).toEqual([
      ['EMNIST', 'balanced', true, 'emnist-balanced-train-labels-idx1-ubyte'],
      ['EMNIST', 'letters', false, 'emnist-letters-test-labels-idx1-ubyte.gz'],
    ]);
    expect(scan.splits[1].classes?.slice(0, 3)).toEqual(['N/A', 'a', 'b']);
    expect(scan.unpaired).toEqual(['t10k-images-idx3-ubyte has no t10k-labels-idx1-ubyte beside it']);
  });

  it("reads the same images and labels as torchvision, from plain and .gz files", () => {
    for (const prefix of ['train', 't10k'] as const) {
      const want = expected.splits[prefix];
      for (const gz of [false, true]) {
        const read = (name: string) => (gz ? gunzipCapped(file(`${name}.gz`), 10_000_000, `${name}.gz`) : file(name));
        const images = parseIdxImages(read(`${prefix}-images-idx3-ubyte`), `${prefix}-images-idx3-ubyte`);
        const labels = parseIdxLabels(read(`${prefix}-labels-idx1-ubyte`), `${prefix}-labels-idx1-ubyte`);
        checkIdxPair(images, labels, 'images', 'labels');
        expect([images.count, images.rows, images.cols]).toEqual([want.count, 28, 28]);
        expect(sha256(images.pixels)).toBe(want.imagesSha256);
        expect([...labels.labels]).toEqual(want.labels);
      }
    }
  });

  it("gives DataLoader(batch_size=64)'s ToTensor batches bit for bit", () => {
    const images = parseIdxImages(file('t10k-images-idx3-ubyte'), 't10k');
    const labels = parseIdxLabels(file('t10k-labels-idx1-ubyte'), 't10k');
    for (const step of expected.steps) {
      const start = step.step * 64;
      const pixels = images.pixels.subarray(start * 784, (start + step.images) * 784);
      const tensor = new Float32Array(pixels.length);
      bytesToTensorData(pixels, tensor);
      expect(sha256(new Uint8Array(tensor.buffer)), `step ${step.step}`).toBe(step.inputSha256);
      expect([...labels.labels.subarray(start, start + step.images)]).toEqual(step.labels);
    }
    expect(idxImage(images, 99)).toEqual(images.pixels.subarray(99 * 784));
  });

  it('refuses bad files in one line naming the file, before allocating', () => {
    const imagesBytes = file('t10k-images-idx3-ubyte');
    const labelsBytes = file('t10k-labels-idx1-ubyte');
    const cases: [() => unknown, string][] = [
      [() => parseIdxImages(labelsBytes, 'a.idx'), 'a.idx: not an idx images file: magic is 0x00000801 (uint8, 1 dimension), expected 0x00000803 (uint8, 3 dimensions)'],
      [() => parseIdxImages(new TextEncoder().encode('<html>hello</html>'), 'p.idx'), 'p.idx: not an idx images file: magic is 0x3c68746d, which is not an idx magic, expected 0x00000803 (uint8, 3 dimensions)'],
      [() => parseIdxImages(imagesBytes.subarray(0, imagesBytes.length - 5), 'short.idx'), 'short.idx: size does not match the header: 100 x 28 x 28 values need 78416 bytes, the file has 78411'],
      [() => parseIdxLabels(labelsBytes.subarray(0, 6), 'l.idx'), 'l.idx: header truncated (6 of 8 bytes)'],
      [() => parseIdxImages(imagesBytes.subarray(0, 2), 'tiny.idx'), 'tiny.idx: header truncated (2 bytes; an idx images file starts with a 16-byte header)'],
      [() => checkIdxPair({ count: 100 }, { count: 99 }, 'i.idx', 'l.idx'), 'i.idx has 100 images but l.idx has 99 labels: they are not a pair'],
    ];
    for (const [f, message] of cases) {
      const err = errorOf(f);
      expect(err).toBeInstanceOf(IdxFileError);
      expect(err.message).toBe(message);
    }
    // A header that claims 4 billion images is refused from the first 16 bytes and the file size.
    const huge = new Uint8Array([0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28]);
    expect(errorOf(() => readIdxHeader(huge, 1000, 'images', 'big.idx')).message).toBe('big.idx: size does not match the header: 4294967295 x 28 x 28 values need 3367254359296 bytes, the file has 1000');
  });

  it('refuses a gzip bomb: by its declared size first, and while inflating when the trailer lies', () => {
    const bomb = gzipSync(new Uint8Array(20_000_000), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const declared = errorOf(() => gunzipCapped(bomb, 1_000_000, 'bomb.gz'));
    expect(declared).toBeInstanceOf(GzipError);
    expect(declared.message).toBe('bomb.gz: declares 20000000 bytes uncompressed, more than the 1000000-byte limit');
    const lying = bomb.slice();
    lying.set([16, 0, 0, 0], lying.length - 4);
    expect(errorOf(() => gunzipCapped(lying, 1_000_000, 'liar.gz')).message).toBe('liar.gz: inflates to more than the 1000000-byte limit (the trailer declared 16)');
    const gz = file('t10k-labels-idx1-ubyte.gz');
    expect(errorOf(() => gunzipCapped(gz.subarray(0, gz.length - 10), 100_000_000, 'cut.gz')).message).toMatch(/^cut\.gz: (not valid gzip data|gzip data truncated or corrupt)/);
    expect(errorOf(() => gunzipCapped(file('t10k-labels-idx1-ubyte'), 1000, 'plain')).message).toBe('plain: not a gzip file (it does not start with 1f 8b 08)');
  });
});
