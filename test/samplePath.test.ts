import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDataset, openDataset } from '../main/datasets/datasetSource';
import { SAMPLE_TITLE, sampleFolder } from '../main/datasets/sampleDataset';

const tmp = mkdtempSync(join(tmpdir(), 'convboard-samplepath-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the embedded sample opened by its path is still marked synthetic', () => {
  it('by its folder, relative or absolute, through a symlink, or by the folder above it', async () => {
    const folder = sampleFolder();
    symlinkSync(folder, join(tmp, 'linked'));
    for (const path of [folder, relative(process.cwd(), folder), join(tmp, 'linked'), dirname(folder)]) {
      const ds = await openDataset(path);
      expect(ds.info.synthetic, path).toBe(true);
      expect(ds.info.title, path).toBe(SAMPLE_TITLE);
      expect(ds.info.splits).toEqual([{ split: 'train', count: 192 }, { split: 'test', count: 320 }]);
      expect(describeDataset(ds)).toContain('synthetic images (not real CIFAR data)');
    }
  });

  it('by one of its batch files', async () => {
    const ds = await openDataset(join(sampleFolder(), 'test_batch.bin'));
    expect([ds.info.synthetic, ds.info.title]).toEqual([true, SAMPLE_TITLE]);
    expect(ds.info.splits).toEqual([{ split: 'test', count: 320 }]);
  });

  it('is recognised by where it is, not by its bytes: a copy elsewhere opens as a plain dataset', async () => {
    const copy = join(tmp, 'cifar-10-batches-bin');
    cpSync(sampleFolder(), copy, { recursive: true });
    const ds = await openDataset(copy);
    expect([ds.info.synthetic, ds.info.title]).toEqual([false, 'CIFAR-10 (cifar-10-batches-bin)']);
  });
});
