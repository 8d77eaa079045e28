import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CIFAR100_FINE_CLASS_NAMES, CIFAR10_CLASS_NAMES } from '../core/cifarMeta';
import { describeDataset, openDataset } from '../main/datasets/datasetSource';
import { caseFolders, openDatasetError, tarBytes } from './helpers/datasetTestFiles';

const { root: tmp, newDir } = caseFolders('convboard-data-');

/** `labels` records (each [label] or [coarse, fine]) whose pixels encode (seed, record, position). */
function records(labels: number[][], seed: number): Uint8Array {
  const head = labels[0]?.length ?? 1;
  const size = 3072 + head;
  const out = new Uint8Array(labels.length * size);
  labels.forEach((l, i) => {
    out.set(l, i * size);
    for (let p = 0; p < 3072; p++) out[i * size + head + p] = (seed * 31 + i * 17 + p) & 255;
  });
  return out;
}
const ten = (n: number, seed: number, label = (i: number) => (i * 3 + seed) % 10) => records(Array.from({ length: n }, (_, i) => [label(i)]), seed);
const hundred = (n: number, seed: number) => records(Array.from({ length: n }, (_, i) => [(i + seed) % 20, (i * 7 + seed) % 100]), seed);
const names = (list: readonly string[]) => list.join('\n') + '\n\n';
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

function writeFiles(dir: string, files: Record<string, Uint8Array | string>): string {
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return dir;
}

async function writeTarGz(name: string, entries: Parameters<typeof tarBytes>[0]): Promise<string> {
  const path = join(newDir(), name);
  writeFileSync(path, gzipSync(await tarBytes(entries)));
  return path;
}

const openError = openDatasetError;

const META10 = names(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']);

describe('opening CIFAR-10 folders and files', () => {
  const b1 = ten(5, 1);
  const b2 = ten(3, 2);
  const test = ten(4, 9, (i) => [9, 9, 0, 3][i]);

  it('reads a cifar-10-batches-bin folder: train = data_batch_1.. in numeric order, test = test_batch', async () => {
    const dir = writeFiles(newDir('cifar-10-batches-bin'), { 'data_batch_2.bin': b2, 'data_batch_1.bin': b1, 'test_batch.bin': test, 'batches.meta.txt': META10, 'readme.html': 'x' });
    const ds = await openDataset(dir);
    expect(ds.info.format).toBe('cifar-10');
    expect(ds.info.synthetic).toBe(false);
    expect(ds.info.title).toBe('CIFAR-10 (cifar-10-batches-bin)');
    expect(ds.info.source).toBe(dir);
    expect(ds.info.splits).toEqual([{ split: 'train', count: 8 }, { split: 'test', count: 4 }]);
    expect(ds.info.imageShape).toEqual([3, 32, 32]);
    expect(ds.info.classNames[9]).toBe('nine');
    expect(ds.info.classCounts.test).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 2]);
    expect(ds.info.classCounts.train!.reduce((a, b) => a + b)).toBe(8);
    expect(ds.records.train!.bytes).toEqual(concat(b1, b2));
    expect(ds.records.test!.bytes).toEqual(test);
    expect(ds.records.train!.recordSize).toBe(3073);
    // One buffer of exactly the split's size: each file read once into its place.
    expect(ds.records.train!.bytes.buffer.byteLength).toBe(b1.length + b2.length);
    expect(ds.files.train!.map((f) => f.split('/').pop())).toEqual(['data_batch_1.bin', 'data_batch_2.bin']);
    expect(ds.coarse).toBeNull();
  });

  it('orders data_batch_10 after data_batch_2 and finds the batches folder inside a parent folder', async () => {
    const parent = newDir();
    writeFiles(join(mkdirSync(join(parent, 'cifar-10-batches-bin'), { recursive: true })!), { 'data_batch_10.bin': b2, 'data_batch_2.bin': b1 });
    const ds = await openDataset(parent);
    expect(ds.records.train!.bytes).toEqual(concat(b1, b2));
    expect(ds.info.splits).toEqual([{ split: 'train', count: 8 }]);
    expect(ds.records.test).toBeUndefined();
    // No batches.meta.txt: the dataset's own names.
    expect(ds.info.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(ds.classNamesFrom).toMatch(/built-in CIFAR-10 names/);
  });

  it('reads a single .bin, its split from its name and the meta file beside it', async () => {
    const dir = writeFiles(newDir(), { 'test_batch.bin': test, 'data_batch_3.bin': b1, 'batches.meta.txt': META10 });
    const t = await openDataset(join(dir, 'test_batch.bin'));
    expect(t.info.splits).toEqual([{ split: 'test', count: 4 }]);
    expect(t.info.title).toBe('CIFAR-10 (test_batch.bin)');
    expect(t.info.classNames[0]).toBe('zero');
    const d = await openDataset(join(dir, 'data_batch_3.bin'));
    expect(d.info.splits).toEqual([{ split: 'train', count: 5 }]);
    expect(d.records.train!.bytes).toEqual(b1);
  });

  it('infers the format of an oddly named .bin from its size', async () => {
    const dir = writeFiles(newDir(), { 'my_test_images.bin': ten(2, 4), 'latest.bin': ten(1, 4), 'picked.bin': hundred(3, 1), 'test.bin': ten(2, 5) });
    const a = await openDataset(join(dir, 'my_test_images.bin'));
    expect([a.info.format, a.info.splits]).toEqual(['cifar-10', [{ split: 'test', count: 2 }]]);
    expect((await openDataset(join(dir, 'latest.bin'))).info.splits).toEqual([{ split: 'train', count: 1 }]);
    const b = await openDataset(join(dir, 'picked.bin'));
    expect([b.info.format, b.info.splits]).toEqual(['cifar-100', [{ split: 'train', count: 3 }]]);
    expect(b.info.classNames).toEqual(CIFAR100_FINE_CLASS_NAMES);
    // test.bin is CIFAR-100's name, but 3073-byte records can only be CIFAR-10.
    const c = await openDataset(join(dir, 'test.bin'));
    expect([c.info.format, c.info.splits]).toEqual(['cifar-10', [{ split: 'test', count: 2 }]]);
  });
});

describe('opening CIFAR-100', () => {
  it('reads train.bin / test.bin with fine and coarse names and counts', async () => {
    const fine = CIFAR100_FINE_CLASS_NAMES.map((n) => n.toUpperCase());
    const dir = writeFiles(newDir('cifar-100-binary'), {
      'train.bin': hundred(6, 0), 'test.bin': hundred(2, 3),
      'fine_label_names.txt': names(fine), 'coarse_label_names.txt': names(Array.from({ length: 20 }, (_, i) => `super${i}`)),
    });
    const ds = await openDataset(dir);
    expect(ds.info.format).toBe('cifar-100');
    expect(ds.info.splits).toEqual([{ split: 'train', count: 6 }, { split: 'test', count: 2 }]);
    expect(ds.info.classNames).toEqual(fine);
    expect(ds.records.train!.recordSize).toBe(3074);
    const fineTrain = ds.info.classCounts.train!;
    expect(fineTrain).toHaveLength(100);
    expect([0, 7, 14, 21, 28, 35].every((l) => fineTrain[l] === 1)).toBe(true);
    expect(ds.coarse!.classNames[19]).toBe('super19');
    expect(ds.coarse!.classCounts.test!.slice(0, 6)).toEqual([0, 0, 0, 1, 1, 0]);
    const text = describeDataset(ds);
    expect(text).toMatch(/^CIFAR-100 \(cifar-100-binary\)\n/);
    expect(text).toMatch(/coarse classes: 20/);
    expect(text).toMatch(/\n\s+19\s+super19\s+0\s+0(\n|$)/);
  });
});

describe('reading the .tar.gz archive directly', () => {
  const size = 4;
  const batches = [1, 2, 3, 4, 5].map((k) => ten(size, k));
  const test = ten(3, 8);

  it('reads cifar-10-binary.tar.gz with entries in any order, into the same bytes as the folder', async () => {
    const path = await writeTarGz('cifar-10-binary.tar.gz', [
      { name: 'cifar-10-batches-bin/', type: 'directory' },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: batches[0] },
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: META10 },
      { name: 'cifar-10-batches-bin/data_batch_3.bin', data: batches[2] },
      { name: 'cifar-10-batches-bin/data_batch_4.bin', data: batches[3] },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: test },
      { name: 'cifar-10-batches-bin/readme.html', data: '<html>' },
      { name: 'cifar-10-batches-bin/data_batch_2.bin', data: batches[1] },
      { name: 'cifar-10-batches-bin/data_batch_5.bin', data: batches[4] },
    ]);
    const ds = await openDataset(path);
    expect(ds.info.title).toBe('CIFAR-10 (cifar-10-binary.tar.gz)');
    expect(ds.info.splits).toEqual([{ split: 'train', count: 20 }, { split: 'test', count: 3 }]);
    expect(ds.info.classNames[3]).toBe('three');
    expect(ds.records.train!.bytes).toEqual(concat(...batches));
    expect(ds.records.test!.bytes).toEqual(test);
    // Written in place: the train split is the one buffer the entries streamed into.
    expect(ds.records.train!.bytes.buffer.byteLength).toBe(5 * size * 3073);
    expect(ds.files.train!.map((f) => f.split('/').pop())).toEqual([1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`));
  });

  it('puts irregular archives together too (unequal batch sizes, a missing batch, a plain .tar)', async () => {
    const odd = ten(7, 6);
    const path = await writeTarGz('odd.tgz', [
      { name: 'x/data_batch_3.bin', data: batches[2] },
      { name: 'x/data_batch_1.bin', data: odd },
      { name: 'x/data_batch_7.bin', data: batches[0] },
    ]);
    const ds = await openDataset(path);
    expect(ds.records.train!.bytes).toEqual(concat(odd, batches[2], batches[0]));
    expect(ds.info.splits).toEqual([{ split: 'train', count: 15 }]);

    const plain = join(newDir(), 'cifar.tar');
    writeFileSync(plain, await tarBytes([{ name: 'data_batch_2.bin', data: batches[1] }, { name: 'data_batch_1.bin', data: batches[0] }]));
    const p = await openDataset(plain);
    expect(p.records.train!.bytes).toEqual(concat(batches[0], batches[1]));
  });

  it('reads cifar-100-binary.tar.gz', async () => {
    const train = hundred(5, 2);
    const path = await writeTarGz('cifar-100-binary.tar.gz', [
      { name: 'cifar-100-binary/coarse_label_names.txt', data: names(Array.from({ length: 20 }, (_, i) => `c${i}`)) },
      { name: 'cifar-100-binary/train.bin', data: train },
      { name: 'cifar-100-binary/test.bin', data: hundred(1, 0) },
    ]);
    const ds = await openDataset(path);
    expect(ds.info.format).toBe('cifar-100');
    expect(ds.records.train!.bytes).toEqual(train);
    expect(ds.coarse!.classNames[0]).toBe('c0');
    expect(ds.info.classNames).toEqual(CIFAR100_FINE_CLASS_NAMES);
  });
});

describe('bad input: one line naming the file and the problem, nothing half-loaded', () => {
  it('a missing or empty path', async () => {
    expect((await openError('')).message).toBe('dataset path is empty');
    const missing = join(tmp, 'nope', 'cifar-10-batches-bin');
    expect((await openError(missing)).message).toBe(`${missing}: no such file or folder`);
  });

  it('an empty file, alone or in a folder', async () => {
    const dir = writeFiles(newDir(), { 'test_batch.bin': new Uint8Array(0), 'data_batch_1.bin': ten(1, 0), 'empty.bin': '' });
    expect((await openError(join(dir, 'test_batch.bin'))).message).toBe(`${join(dir, 'test_batch.bin')}: the file is empty`);
    expect((await openError(join(dir, 'empty.bin'))).message).toBe(`${join(dir, 'empty.bin')}: the file is empty`);
    expect((await openError(dir)).message).toBe(`${join(dir, 'test_batch.bin')}: the file is empty`);
  });

  it('a size that is not a whole number of records', async () => {
    const dir = writeFiles(newDir(), { 'data_batch_1.bin': ten(2, 0), 'data_batch_2.bin': ten(2, 0).subarray(0, 3073 + 100) });
    const e = await openError(dir);
    expect(e.message).toBe(`${join(dir, 'data_batch_2.bin')}: 3173 bytes is not a whole number of 3073-byte CIFAR-10 records (1 records and 100 bytes left over)`);
    expect((await openError(join(dir, 'data_batch_2.bin'))).message).toContain('3173 bytes is not a whole number of 3073-byte CIFAR-10 records');
    const odd = writeFiles(newDir(), { 'stuff.bin': new Uint8Array(5000) });
    expect((await openError(join(odd, 'stuff.bin'))).message).toBe(`${join(odd, 'stuff.bin')}: 5000 bytes is not a whole number of CIFAR-10 (3073-byte) or CIFAR-100 (3074-byte) records`);
    const archive = await writeTarGz('cifar-10-binary.tar.gz', [{ name: 'c/data_batch_1.bin', data: ten(1, 0) }, { name: 'c/test_batch.bin', data: new Uint8Array(3000) }]);
    expect((await openError(archive)).message).toBe(`${archive}:c/test_batch.bin: 3000 bytes is not a whole number of 3073-byte CIFAR-10 records (0 records and 3000 bytes left over)`);
    const emptyEntry = await writeTarGz('empty-entry.tar.gz', [{ name: 'c/data_batch_1.bin', data: new Uint8Array(0) }]);
    expect((await openError(emptyEntry)).message).toBe(`${emptyEntry}:c/data_batch_1.bin: the file is empty`);
    const cifar100 = writeFiles(newDir(), { 'train.bin': hundred(2, 0).subarray(1) });
    expect((await openError(cifar100)).message).toMatch(/train\.bin: 6147 bytes is not a whole number of 3074-byte CIFAR-100 records/);
  });

  it('a size that fits both formats needs a telling name', async () => {
    const dir = writeFiles(newDir(), { 'both.bin': new Uint8Array(3073 * 3074) });
    expect((await openError(join(dir, 'both.bin'))).message).toMatch(/both\.bin: 9446402 bytes fits both CIFAR-10 and CIFAR-100 records/);
  });

  it('a folder with no batches, and a path that is no dataset', async () => {
    const dir = writeFiles(newDir(), { 'notes.txt': 'hello', 'image.bin.bak': 'x' });
    expect((await openError(dir)).message).toMatch(new RegExp(`^${dir}: no CIFAR batches in this folder \\(expected data_batch_1\\.bin`));
    expect((await openError(join(dir, 'notes.txt'))).message).toMatch(/notes\.txt: not a CIFAR binary dataset/);
  });

  it('a label out of range for the format, naming the file and record', async () => {
    const bad10 = ten(3, 0, (i) => (i === 2 ? 10 : 1));
    const dir = writeFiles(newDir(), { 'data_batch_1.bin': ten(2, 0), 'data_batch_2.bin': bad10 });
    expect((await openError(dir)).message).toBe(`${join(dir, 'data_batch_2.bin')}: record 2 (byte 6146) has label 10, but CIFAR-10 labels are 0..9`);
    const fine = records([[0, 1], [3, 100]], 0);
    const coarse = records([[20, 1]], 0);
    const d100 = writeFiles(newDir(), { 'train.bin': fine, 'test.bin': coarse });
    expect((await openError(join(d100, 'train.bin'))).message).toBe(`${join(d100, 'train.bin')}: record 1 (byte 3074) has fine label 100, but CIFAR-100 fine labels are 0..99`);
    expect((await openError(join(d100, 'test.bin'))).message).toBe(`${join(d100, 'test.bin')}: record 0 (byte 0) has coarse label 20, but CIFAR-100 coarse labels are 0..19`);
    const archive = await writeTarGz('bad.tar.gz', [{ name: 'b/test_batch.bin', data: ten(2, 0, () => 255) }]);
    expect((await openError(archive)).message).toBe(`${archive}:b/test_batch.bin: record 0 (byte 0) has label 255, but CIFAR-10 labels are 0..9`);
  });

  it('a mix of CIFAR-10 and CIFAR-100 files', async () => {
    const dir = writeFiles(newDir(), { 'data_batch_1.bin': ten(1, 0), 'train.bin': hundred(1, 0) });
    expect((await openError(dir)).message).toBe(`${dir}: mixes CIFAR-10 (data_batch_1.bin) and CIFAR-100 (train.bin) batch files; open one of them on its own`);
    const archive = await writeTarGz('mixed.tar.gz', [{ name: 'a/test_batch.bin', data: ten(1, 0) }, { name: 'b/test.bin', data: hundred(1, 0) }]);
    expect((await openError(archive)).message).toBe(`${archive}: mixes CIFAR-10 (a/test_batch.bin) and CIFAR-100 (b/test.bin) batch files; open one of them on its own`);
  });

  it('a meta file with the wrong number of names', async () => {
    const dir = writeFiles(newDir(), { 'test_batch.bin': ten(1, 0), 'batches.meta.txt': 'cat\ndog\n' });
    expect((await openError(dir)).message).toBe(`${join(dir, 'batches.meta.txt')}: has 2 class names, expected 10 (one a line)`);
  });

  it('a truncated archive (gzip ends early)', async () => {
    const good = await writeTarGz('cifar-10-binary.tar.gz', [{ name: 'c/data_batch_1.bin', data: ten(30, 1) }, { name: 'c/test_batch.bin', data: ten(30, 2) }]);
    const bytes = new Uint8Array(readFileSync(good));
    const cut = join(newDir(), 'cifar-10-binary.tar.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await openError(cut)).message).toBe(`${cut}: the archive is truncated (gzip data ends early)`);
  });

  it('a truncated tar entry inside intact gzip data', async () => {
    const full = await tarBytes([{ name: 'c/test_batch.bin', data: ten(4, 1) }]);
    const path = join(newDir(), 'short.tar.gz');
    writeFileSync(path, gzipSync(full.subarray(0, 512 + 3073 * 2)));
    expect((await openError(path)).message).toBe(`${path}: the archive is truncated (a tar entry ends early)`);
  });

  it('corrupt gzip data, and a file that is not gzip at all', async () => {
    const good = gzipSync(await tarBytes([{ name: 'c/test_batch.bin', data: ten(20, 1) }]));
    const bad = new Uint8Array(good);
    for (let i = 100; i < 400; i++) bad[i] ^= 0x5a;
    const path = join(newDir(), 'corrupt.tar.gz');
    writeFileSync(path, bad);
    expect((await openError(path)).message).toMatch(new RegExp(`^${path}: corrupt gzip data \\(.+\\)$`));
    const notGzip = join(newDir(), 'cifar-10-binary.tar.gz');
    writeFileSync(notGzip, 'this is not an archive');
    expect((await openError(notGzip)).message).toBe(`${notGzip}: corrupt gzip data (incorrect header check)`);
  });

  it('a tar of something else, and an archive without batches', async () => {
    const notTar = join(newDir(), 'x.tar.gz');
    writeFileSync(notTar, gzipSync(new Uint8Array(4096).fill(65)));
    expect((await openError(notTar)).message).toMatch(new RegExp(`^${notTar}: not a valid tar.gz archive`));
    const empty = await writeTarGz('other.tar.gz', [{ name: 'readme.txt', data: 'hi' }]);
    expect((await openError(empty)).message).toMatch(new RegExp(`^${empty}: no CIFAR batches in this archive`));
  });
});

describe('describeDataset', () => {
  it('lists format, source, splits with counts and per-class counts per split', async () => {
    const dir = writeFiles(newDir('cifar-10-batches-bin'), { 'data_batch_1.bin': ten(3, 0, () => 2), 'test_batch.bin': ten(2, 0, (i) => i * 9), 'batches.meta.txt': META10 });
    const text = describeDataset(await openDataset(dir));
    const lines = text.split('\n');
    expect(lines[0]).toBe('CIFAR-10 (cifar-10-batches-bin)');
    expect(lines[1]).toBe('format:  CIFAR-10 binary, 3073-byte records, images 3x32x32 (C x H x W)');
    expect(lines[2]).toBe(`source:  ${dir}`);
    expect(text).toContain('\n  train  3 images  (data_batch_1.bin)\n  test   2 images  (test_batch.bin)\n');
    expect(text).toContain(`classes: 10 (names from ${join(dir, 'batches.meta.txt')})`);
    expect(lines.find((l) => /^\s+0\s+zero\s/.test(l))!.trim().split(/\s+/)).toEqual(['0', 'zero', '0', '1']);
    expect(lines.find((l) => /^\s+2\s+two\s/.test(l))!.trim().split(/\s+/)).toEqual(['2', 'two', '3', '0']);
    expect(lines.find((l) => /^\s+9\s+nine\s/.test(l))!.trim().split(/\s+/)).toEqual(['9', 'nine', '0', '1']);
  });
});
