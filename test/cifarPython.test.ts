import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { caseFolders, openDatasetError, tarBytes } from './helpers/datasetTestFiles';
import { describe, expect, it } from 'vitest';
import { PIXELS_PER_IMAGE, allCoarseLabels, allLabels, imagePixels, type CifarRecords } from '../core/cifarBinary';
import { CifarPythonError, pythonBatch, writePythonRecords } from '../core/cifarPython';
import { unpickle } from '../core/pythonPickle';
import { describeDataset, openDataset, type OpenedDataset } from '../main/datasets/datasetSource';

// Small python-version batches (the embedded sample's images) in the original files' Python 2
// cPickle form and in Python 3's protocol 4, and what torchvision.datasets.CIFAR10 / CIFAR100
// read from them (tools/fixtures/makePythonBatchFixtures.py).
const FIX = join(__dirname, 'fixtures', 'python');
const SAMPLE = join(__dirname, '..', 'assets', 'sample', 'cifar-10-batches-bin');
interface SplitView { count: number; pixelsSha256: string; targets: number[]; coarseLabels?: number[] }
interface TorchvisionView { train: SplitView; test: SplitView; classes: string[]; coarseClasses?: string[] }
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as Record<'py2' | 'py3' | 'py2-100', TorchvisionView>;

const { newDir } = caseFolders('convboard-python-');

/** The pixels of every record in C x H x W order, as torchvision's data.transpose(0, 3, 1, 2). */
function pixelsSha256(rec: CifarRecords): string {
  const hash = createHash('sha256');
  for (let i = 0; i < rec.count; i++) hash.update(imagePixels(rec, i));
  return hash.digest('hex');
}

function expectTorchvision(ds: OpenedDataset, view: TorchvisionView): void {
  for (const split of ['train', 'test'] as const) {
    const rec = ds.records[split]!;
    expect(rec.count).toBe(view[split].count);
    expect(pixelsSha256(rec), split).toBe(view[split].pixelsSha256);
    expect([...allLabels(rec)], split).toEqual(view[split].targets);
    if (view[split].coarseLabels) expect([...allCoarseLabels(rec)!], split).toEqual(view[split].coarseLabels);
  }
  expect(ds.info.classNames).toEqual(view.classes);
  if (view.coarseClasses) expect(ds.coarse!.classNames).toEqual(view.coarseClasses);
}

async function tarGz(path: string, folder: string, inside: string, skip: string[] = []): Promise<string> {
  const names = readdirSync(folder).sort().reverse().filter((name) => !skip.includes(name));
  const entries = [{ name: `${inside}/`, type: 'directory' as const }, ...names.map((name) => ({ name: `${inside}/${name}`, data: readFileSync(join(folder, name)) }))];
  writeFileSync(path, gzipSync(await tarBytes(entries)));
  return path;
}

async function openError(path: string): Promise<string> {
  return (await openDatasetError(path)).message;
}

/** A cifar-10-batches-py folder: the fixture's, with some files replaced or removed. */
function pyFolder(replace: Record<string, Uint8Array | string | null> = {}): string {
  const dir = newDir('cifar-10-batches-py');
  cpSync(join(FIX, 'py2', 'cifar-10-batches-py'), dir, { recursive: true });
  for (const [name, data] of Object.entries(replace)) {
    if (data === null) rmSync(join(dir, name));
    else writeFileSync(join(dir, name), data);
  }
  return dir;
}
const badPickle = (name: string) => readFileSync(join(FIX, 'pickles', `${name}.pkl`));

describe("opening torchvision's download of CIFAR-10 (the python version)", () => {
  it('reads cifar-10-batches-py as written by Python 2 cPickle: the pixels and labels torchvision reads', async () => {
    const dir = join(FIX, 'py2', 'cifar-10-batches-py');
    const ds = await openDataset(dir);
    expect(ds.info.format).toBe('cifar-10');
    expect(ds.info.title).toBe('CIFAR-10 (cifar-10-batches-py)');
    expect(ds.info.synthetic).toBe(false);
    expect(ds.info.splits).toEqual([{ split: 'train', count: 16 }, { split: 'test', count: 16 }]);
    expectTorchvision(ds, expected.py2);
    expect(ds.files.train).toEqual([join(dir, 'data_batch_1'), join(dir, 'data_batch_2')]);
    expect(ds.classNamesFrom).toBe(join(dir, 'batches.meta'));
    expect(ds.records.train!.recordSize).toBe(3073);
    // One buffer per split, exactly its records: pixels copied once into place.
    expect(ds.records.train!.bytes.buffer.byteLength).toBe(16 * 3073);
  });

  it('gives byte for byte the records of the binary version the images came from', async () => {
    const ds = await openDataset(join(FIX, 'py2', 'cifar-10-batches-py'));
    const train = new Uint8Array(readFileSync(join(SAMPLE, 'data_batch_1.bin')));
    const test = new Uint8Array(readFileSync(join(SAMPLE, 'test_batch.bin')));
    expect(Buffer.from(ds.records.train!.bytes).equals(Buffer.from(train.subarray(0, 16 * 3073)))).toBe(true);
    expect(Buffer.from(ds.records.test!.bytes).equals(Buffer.from(test.subarray(0, 16 * 3073)))).toBe(true);
  });

  it('reads the Python 3 protocol 4 form to the same dataset', async () => {
    const ds = await openDataset(join(FIX, 'py3', 'cifar-10-batches-py'));
    expectTorchvision(ds, expected.py3);
    expect(expected.py3).toEqual(expected.py2);
  });

  it("opens the tutorial's ./data folder (the dataset folder inside it wins over the archive beside it)", async () => {
    const ds = await openDataset(join(FIX, 'py2'));
    expectTorchvision(ds, expected.py2);
    expect(ds.info.source).toBe(join(FIX, 'py2', 'cifar-10-batches-py'));

    const data = newDir('data');
    cpSync(join(FIX, 'py3', 'cifar-10-batches-py'), join(data, 'cifar-10-batches-py'), { recursive: true });
    await tarGz(join(data, 'cifar-10-python.tar.gz'), join(FIX, 'py2', 'cifar-10-batches-py'), 'cifar-10-batches-py', ['data_batch_2']);
    const both = await openDataset(data);
    expect(both.info.source).toBe(join(data, 'cifar-10-batches-py'));
    expect(both.info.splits).toEqual([{ split: 'train', count: 16 }, { split: 'test', count: 16 }]);
  });

  it('reads cifar-10-python.tar.gz directly, and a ./data holding only the archive', async () => {
    const data = newDir('data');
    const archive = await tarGz(join(data, 'cifar-10-python.tar.gz'), join(FIX, 'py2', 'cifar-10-batches-py'), 'cifar-10-batches-py');
    const ds = await openDataset(archive);
    expectTorchvision(ds, expected.py2);
    expect(ds.info.title).toBe('CIFAR-10 (cifar-10-python.tar.gz)');
    expect(ds.files.train).toEqual([`${archive}:cifar-10-batches-py/data_batch_1`, `${archive}:cifar-10-batches-py/data_batch_2`]);
    expect(ds.classNamesFrom).toBe(`${archive}:cifar-10-batches-py/batches.meta`);
    const viaFolder = await openDataset(data);
    expect(viaFolder.info.source).toBe(archive);
    expectTorchvision(viaFolder, expected.py2);
  });

  it('reads a single python batch with the class names beside it', async () => {
    const file = join(FIX, 'py3', 'cifar-10-batches-py', 'test_batch');
    const ds = await openDataset(file);
    expect(ds.info.title).toBe('CIFAR-10 (test_batch)');
    expect(ds.info.splits).toEqual([{ split: 'test', count: 16 }]);
    expect(pixelsSha256(ds.records.test!)).toBe(expected.py3.test.pixelsSha256);
    expect(ds.info.classNames).toEqual(expected.py3.classes);
    const second = await openDataset(join(FIX, 'py2', 'cifar-10-batches-py', 'data_batch_2'));
    expect(second.info.splits).toEqual([{ split: 'train', count: 6 }]);
    expect([...allLabels(second.records.train!)]).toEqual(expected.py2.train.targets.slice(10));
  });

  it('says in `convboard info` that it is the python version', async () => {
    const text = describeDataset(await openDataset(join(FIX, 'py2')));
    expect(text.split('\n')[1]).toBe("format:  CIFAR-10 python version (torchvision's download), images 3x32x32 (C x H x W)");
    expect(text).toContain('\n  train  16 images  (data_batch_1, data_batch_2)\n  test   16 images  (test_batch)\n');
    const archive = await tarGz(join(newDir(), 'cifar-10-python.tar.gz'), join(FIX, 'py2', 'cifar-10-batches-py'), 'cifar-10-batches-py');
    expect(describeDataset(await openDataset(archive))).toContain("CIFAR-10 python version (torchvision's download)");
    expect(describeDataset(await openDataset(SAMPLE)).split('\n')[1]).toMatch(/^format: {2}CIFAR-10 binary, 3073-byte records/);
  });
});

describe('opening CIFAR-100 (python version)', () => {
  it('reads cifar-100-python: fine labels as torchvision, coarse labels and both name lists from meta', async () => {
    const dir = join(FIX, 'py2-100', 'cifar-100-python');
    const ds = await openDataset(dir);
    expect(ds.info.format).toBe('cifar-100');
    expect(ds.info.title).toBe('CIFAR-100 (cifar-100-python)');
    expect(ds.records.train!.recordSize).toBe(3074);
    expectTorchvision(ds, expected['py2-100']);
    expect(ds.info.classCounts.train![99]).toBe(1);
    expect(ds.coarse!.classCounts.test![19]).toBe(1);
    expect(describeDataset(ds)).toContain("format:  CIFAR-100 python version (torchvision's download)");
    expectTorchvision(await openDataset(join(FIX, 'py2-100')), expected['py2-100']);
    const archive = await tarGz(join(newDir(), 'cifar-100-python.tar.gz'), dir, 'cifar-100-python');
    expectTorchvision(await openDataset(archive), expected['py2-100']);
  });
});

describe('bad python batches: one line naming the file, nothing half-loaded', () => {
  it('a pickle that would run code (a forbidden GLOBAL)', async () => {
    const dir = pyFolder({ data_batch_2: badPickle('evil-system') });
    expect(await openError(dir)).toBe(`${join(dir, 'data_batch_2')}: refuses to load posix.system: a CIFAR batch may only reconstruct numpy arrays, so this pickle is not one (and could run code in Python)`);
    const meta = pyFolder({ 'batches.meta': badPickle('evil-eval') });
    expect(await openError(meta)).toMatch(new RegExp(`^${join(meta, 'batches.meta')}: refuses to load builtins\\.eval: `));
  });

  it('a truncated pickle, in a folder and in an archive', async () => {
    const whole = readFileSync(join(FIX, 'py2', 'cifar-10-batches-py', 'test_batch'));
    const dir = pyFolder({ test_batch: whole.subarray(0, 20000) });
    expect(await openError(dir)).toMatch(new RegExp(`^${join(dir, 'test_batch')}: the pickle is truncated \\(it ends at byte 20000, inside BINSTRING at byte \\d+\\)$`));
    const archive = await tarGz(join(newDir(), 'cifar-10-python.tar.gz'), dir, 'cifar-10-batches-py');
    expect(await openError(archive)).toMatch(new RegExp(`^${archive}:cifar-10-batches-py/test_batch: the pickle is truncated`));
  });

  it('wrong array dtype or shape, labels out of range or not one per image, no labels', async () => {
    const cases: [string, string][] = [
      ['bad-dtype', "'data' has dtype <f4, expected uint8 (|u1)"],
      ['bad-shape', "'data' has shape (1, 32, 96), expected (N, 3072): one row of 3 x 32 x 32 pixels per image"],
      ['bad-label', "'labels'[1] is 10, but CIFAR-10 labels are 0..9"],
      ['bad-count', "'labels' has 1 labels but 'data' holds 2 images"],
      ['no-labels', "has no 'labels' (a CIFAR-10 batch holds 'data' and 'labels')"],
    ];
    for (const [name, problem] of cases) {
      const dir = pyFolder({ data_batch_1: badPickle(name) });
      expect(await openError(dir)).toBe(`${join(dir, 'data_batch_1')}: ${problem}`);
    }
    const hundred = newDir('cifar-100-python');
    writeFileSync(join(hundred, 'train'), badPickle('bad-label'));
    expect(await openError(hundred)).toBe(`${join(hundred, 'train')}: has no 'fine_labels' (a CIFAR-100 batch holds 'data' and 'fine_labels')`);
  });

  it('a folder without batches, a meta file that is no name list, a file that is no pickle', async () => {
    const onlyMeta = pyFolder({ data_batch_1: null, data_batch_2: null, test_batch: null });
    expect(await openError(onlyMeta)).toMatch(new RegExp(`^${onlyMeta}: no CIFAR batches in this folder \\(expected .*cifar-10-batches-py`));
    const badMeta = pyFolder({ 'batches.meta': readFileSync(join(FIX, 'py2', 'cifar-10-batches-py', 'data_batch_2')) });
    expect(await openError(badMeta)).toBe(`${join(badMeta, 'batches.meta')}: has no 'label_names'`);
    const text = pyFolder({ test_batch: 'just text\n' });
    expect(await openError(text)).toBe(`${join(text, 'test_batch')}: not a Python pickle of protocol 2 or later (CIFAR's python batches start with byte 0x80, this one with 0x6a)`);
    const empty = pyFolder({ data_batch_2: '' });
    expect(await openError(empty)).toBe(`${join(empty, 'data_batch_2')}: the file is empty`);
  });

  it('a missing train batch (an incomplete download), in a folder and in an archive', async () => {
    const dir = pyFolder({ data_batch_1: null });
    expect(await openError(dir)).toBe(`${dir}: data_batch_1 is missing (found data_batch_2); the download looks incomplete`);
    writeFileSync(join(dir, 'data_batch_4'), readFileSync(join(FIX, 'py2', 'cifar-10-batches-py', 'data_batch_1')));
    writeFileSync(join(dir, 'data_batch_1'), readFileSync(join(FIX, 'py2', 'cifar-10-batches-py', 'data_batch_1')));
    expect(await openError(dir)).toBe(`${dir}: data_batch_3 is missing (found data_batch_1, data_batch_2, data_batch_4); the download looks incomplete`);
    const archive = await tarGz(join(newDir(), 'cifar-10-python.tar.gz'), dir, 'cifar-10-batches-py');
    expect(await openError(archive)).toBe(`${archive}: data_batch_3 is missing (found data_batch_1, data_batch_2, data_batch_4); the download looks incomplete`);
    // The test batch alone (no train batches at all) is a test-only dataset, as with the binary version.
    const testOnly = pyFolder({ data_batch_1: null, data_batch_2: null });
    expect((await openDataset(testOnly)).info.splits).toEqual([{ split: 'test', count: 16 }]);
  });

  it('a download folder holding two datasets, and mixed versions in one archive', async () => {
    const data = newDir('data');
    cpSync(join(FIX, 'py2', 'cifar-10-batches-py'), join(data, 'cifar-10-batches-py'), { recursive: true });
    cpSync(join(FIX, 'py2-100', 'cifar-100-python'), join(data, 'cifar-100-python'), { recursive: true });
    expect(await openError(data)).toBe(`${data}: holds several CIFAR datasets (cifar-10-batches-py, cifar-100-python); open one of them`);
    const mixed = newDir('mixed');
    writeFileSync(join(mixed, 'data_batch_1.bin'), readFileSync(join(SAMPLE, 'test_batch.bin')).subarray(0, 3073));
    cpSync(join(FIX, 'py2', 'cifar-10-batches-py', 'test_batch'), join(mixed, 'test_batch'));
    const archive = await tarGz(join(newDir(), 'mixed.tar.gz'), mixed, 'x');
    expect(await openError(archive)).toBe(`${archive}: mixes the binary (x/data_batch_1.bin) and python (x/test_batch) versions of CIFAR; open one of them on its own`);
    // A folder holding both versions reads the binary batches (the same images), as before.
    expect((await openDataset(mixed)).info.splits).toEqual([{ split: 'train', count: 1 }]);
  });
});

describe('core/cifarPython on its own', () => {
  it('reads column-major (Fortran order) data as numpy does', () => {
    const px = new Uint8Array(2 * PIXELS_PER_IMAGE);
    for (let i = 0; i < px.length; i++) px[i] = (i * 13) % 251;
    // The same two images, column-major: element (i, p) at p * 2 + i.
    const fortran = new Uint8Array(px.length);
    for (let i = 0; i < 2; i++) for (let p = 0; p < PIXELS_PER_IMAGE; p++) fortran[p * 2 + i] = px[i * PIXELS_PER_IMAGE + p];
    const batch = (bytes: Uint8Array, isF: boolean) => pythonBatch('cifar-10', new Map<string, never>([
      ['data', { kind: 'ndarray', dtype: '|u1', shape: [2, PIXELS_PER_IMAGE], fortran: isF, bytes } as never],
      ['labels', [3, 7] as never],
    ]));
    const outC = new Uint8Array(2 * 3073);
    const outF = new Uint8Array(2 * 3073);
    writePythonRecords('cifar-10', [batch(px, false)], outC);
    writePythonRecords('cifar-10', [batch(fortran, true)], outF);
    expect(outF).toEqual(outC);
    expect([outC[0], outC[3073]]).toEqual([3, 7]);
    expect(outC.subarray(3074, 2 * 3073)).toEqual(px.subarray(PIXELS_PER_IMAGE));
  });

  it('refuses a value that is not a batch dict', () => {
    expect(() => pythonBatch('cifar-10', unpickle(new Uint8Array([0x80, 0x02, 0x5d, 0x2e])))).toThrow(new CifarPythonError('does not hold a dict (CIFAR batches are pickled dicts)'));
  });
});
