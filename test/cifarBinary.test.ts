import { describe, expect, it } from 'vitest';
import { allCoarseLabels, allLabels, cifarRecords, countPerClass, findBadLabel, formatsFittingSize, gatherBatch, imagePixels, PIXELS_PER_IMAGE } from '../core/cifarBinary';
import { CIFAR100_COARSE_CLASS_NAMES, CIFAR100_FINE_CLASS_NAMES, CIFAR10_CLASS_NAMES, parseClassNames } from '../core/cifarMeta';

/** Records whose pixel (c, y, x) of image i is (i * 7 + c * 50 + y * 3 + x) mod 256: every byte tells where it came from. */
function makeRecords(format: 'cifar-10' | 'cifar-100', labels: number[][]): Uint8Array {
  const size = format === 'cifar-10' ? 3073 : 3074;
  const head = size - 3072;
  const bytes = new Uint8Array(labels.length * size);
  labels.forEach((l, i) => {
    bytes.set(l, i * size);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
      bytes[i * size + head + c * 1024 + y * 32 + x] = (i * 7 + c * 50 + y * 3 + x) % 256;
    }
  });
  return bytes;
}

describe('CIFAR binary records', () => {
  it('gathers CIFAR-10 images as [N, 3, 32, 32] planes with their labels, in the order asked', () => {
    const rec = cifarRecords('cifar-10', makeRecords('cifar-10', [[3], [9], [0], [5]]));
    expect(rec.count).toBe(4);
    const pixels = new Uint8Array(2 * PIXELS_PER_IMAGE);
    const labels = new Uint16Array(2);
    gatherBatch(rec, new Uint32Array([3, 1]), pixels, labels);
    expect([...labels]).toEqual([5, 9]);
    // image 3, channel 2 (blue), row 31, column 1
    expect(pixels[0 * 3072 + 2 * 1024 + 31 * 32 + 1]).toBe((3 * 7 + 100 + 93 + 1) % 256);
    // image 1, channel 0, row 0, column 0 and the last byte of the batch
    expect(pixels[3072]).toBe(7);
    expect(pixels[2 * 3072 - 1]).toBe((7 + 100 + 93 + 31) % 256);
  });

  it('skips both label bytes of CIFAR-100 and returns the fine label', () => {
    const rec = cifarRecords('cifar-100', makeRecords('cifar-100', [[4, 72], [19, 99], [0, 0]]));
    const pixels = new Uint8Array(PIXELS_PER_IMAGE);
    const labels = new Uint16Array(1);
    gatherBatch(rec, new Uint32Array([1]), pixels, labels);
    expect(labels[0]).toBe(99);
    expect(pixels[0]).toBe(7);
    expect(pixels[3071]).toBe((7 + 100 + 93 + 31) % 256);
    expect([...allLabels(rec)]).toEqual([72, 99, 0]);
    expect([...allCoarseLabels(rec)!]).toEqual([4, 19, 0]);
    expect(allCoarseLabels(cifarRecords('cifar-10', makeRecords('cifar-10', [[1]])))).toBeNull();
  });

  it('gives image pixels as views into the one byte array, not copies', () => {
    const bytes = makeRecords('cifar-10', [[1], [2]]);
    const rec = cifarRecords('cifar-10', bytes);
    const view = imagePixels(rec, 1);
    expect(view.buffer).toBe(bytes.buffer);
    expect(view.byteOffset).toBe(3073 + 1);
    expect(() => imagePixels(rec, 2)).toThrow(/image index 2 is outside 0..1/);
  });

  it('refuses out-of-range indices and short outputs', () => {
    const rec = cifarRecords('cifar-10', makeRecords('cifar-10', [[1]]));
    expect(() => gatherBatch(rec, new Uint32Array([1]), new Uint8Array(3072), new Uint16Array(1))).toThrow(/outside 0..0/);
    expect(() => gatherBatch(rec, new Uint32Array([0, 0]), new Uint8Array(3072), new Uint16Array(2))).toThrow(/need 6144 pixel bytes/);
    expect(() => cifarRecords('cifar-10', new Uint8Array(3074))).toThrow(/not a whole number of 3073-byte records/);
  });

  it('finds the first label out of range for the format', () => {
    expect(findBadLabel('cifar-10', makeRecords('cifar-10', [[0], [9], [1]]))).toBeNull();
    expect(findBadLabel('cifar-10', makeRecords('cifar-10', [[0], [10], [200]]))).toEqual({ record: 1, which: 'label', value: 10, max: 9 });
    expect(findBadLabel('cifar-100', makeRecords('cifar-100', [[19, 99], [20, 5]]))).toEqual({ record: 1, which: 'coarse label', value: 20, max: 19 });
    expect(findBadLabel('cifar-100', makeRecords('cifar-100', [[0, 100]]))).toEqual({ record: 0, which: 'fine label', value: 100, max: 99 });
  });

  it('counts images per class and tells which formats a size fits', () => {
    expect(countPerClass(new Uint16Array([1, 1, 3, 0]), 4)).toEqual([1, 2, 0, 1]);
    expect(formatsFittingSize(3073 * 5)).toEqual(['cifar-10']);
    expect(formatsFittingSize(3074 * 5)).toEqual(['cifar-100']);
    expect(formatsFittingSize(3073 * 3074)).toEqual(['cifar-10', 'cifar-100']);
    expect(formatsFittingSize(3000)).toEqual([]);
  });
});

describe('CIFAR meta files', () => {
  it('reads one name a line, ignoring the blank lines the originals end with and CRLF', () => {
    const text = 'airplane\r\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n';
    expect(parseClassNames(new TextEncoder().encode(text), 10)).toEqual({ names: [...CIFAR10_CLASS_NAMES] });
  });

  it('says what is wrong with a meta file', () => {
    expect(parseClassNames(new TextEncoder().encode('a\nb\n'), 10)).toEqual({ problem: 'has 2 class names, expected 10 (one a line)' });
    expect(parseClassNames(new Uint8Array([0xff, 0xfe, 0x41]), 10)).toEqual({ problem: 'is not UTF-8 text' });
  });

  it('has the datasets’ own built-in lists', () => {
    expect(CIFAR10_CLASS_NAMES).toHaveLength(10);
    expect(CIFAR100_FINE_CLASS_NAMES).toHaveLength(100);
    expect(new Set(CIFAR100_FINE_CLASS_NAMES).size).toBe(100);
    expect(CIFAR100_COARSE_CLASS_NAMES).toHaveLength(20);
    // Alphabetical, as in fine_label_names.txt.
    expect([...CIFAR100_FINE_CLASS_NAMES].sort()).toEqual([...CIFAR100_FINE_CLASS_NAMES]);
    expect([...CIFAR100_COARSE_CLASS_NAMES].sort()).toEqual([...CIFAR100_COARSE_CLASS_NAMES]);
  });
});
