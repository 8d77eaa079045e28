import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogEntry, DATASET_CATALOG, DATASET_IDS, fileUrls, isMd5Hex, UnknownDatasetError } from '../core/datasetCatalog';

// What torchvision 0.14 itself lists, dumped by tools/fixtures/makeDatasetCatalogFixtures.py.
const torchvision = JSON.parse(readFileSync(join(__dirname, 'fixtures/download/torchvisionCatalog.json'), 'utf8')) as {
  torchvision: string;
  'cifar-10': { url: string; filename: string; md5: string };
  'cifar-100': { url: string; filename: string; md5: string };
  mnist: { mirrors: string[]; resources: { name: string; md5: string }[] };
  'fashion-mnist': { mirrors: string[]; resources: { name: string; md5: string }[] };
};

describe('datasetCatalog', () => {
  it('was compared with torchvision 0.14', () => {
    expect(torchvision.torchvision).toMatch(/^0\.14\./);
  });

  it.each(['mnist', 'fashion-mnist'] as const)('%s: the mirrors, file names and MD5s are torchvision’s, in its order', (id) => {
    const entry = DATASET_CATALOG[id];
    expect(entry.mirrors).toEqual(torchvision[id].mirrors);
    expect(entry.files).toEqual(torchvision[id].resources);
    expect(entry.opens).toBe('folder');
  });

  it.each(['cifar-10', 'cifar-100'] as const)('%s: the binary archive sits next to torchvision’s python archive, with its own MD5', (id) => {
    const entry = DATASET_CATALOG[id];
    const python = torchvision[id];
    expect(entry.files).toHaveLength(1);
    expect(fileUrls(entry, entry.files[0]!)).toEqual([python.url.replace('-python.tar.gz', '-binary.tar.gz')]);
    expect(entry.files[0]!.name).toBe(python.filename.replace('-python', '-binary'));
    // Guards against copying the python version's MD5 by mistake.
    expect(entry.files[0]!.md5).not.toBe(python.md5);
    expect(entry.opens).toBe('archive');
  });

  it('the CIFAR-10 binary MD5 is the one the dataset page publishes', () => {
    expect(DATASET_CATALOG['cifar-10'].files[0]!.md5).toBe('c32a1d4ab5d03f1284b67883e8d87530');
  });

  it('every MD5 is 32 lower-case hex digits, and every mirror ends in /', () => {
    for (const id of DATASET_IDS) {
      const entry = DATASET_CATALOG[id];
      expect(entry.id).toBe(id);
      for (const f of entry.files) expect(f.md5).toMatch(/^[0-9a-f]{32}$/);
      for (const m of entry.mirrors) expect(m).toMatch(/^https?:\/\/.*\/$/);
    }
  });

  it('names an unknown dataset in one escaped, short line', () => {
    expect(() => catalogEntry('cifar10')).toThrow(new UnknownDatasetError('unknown dataset "cifar10" (choose one of cifar-10, cifar-100, mnist, fashion-mnist)'));
    expect(() => catalogEntry('x\n'.repeat(50))).toThrow(/^unknown dataset "(x\\n){20}…"/);
    expect(catalogEntry('cifar-100').title).toBe('CIFAR-100 (binary version)');
  });

  it('isMd5Hex accepts 32 hex digits only', () => {
    expect(isMd5Hex('C32A1D4AB5D03F1284B67883E8D87530')).toBe(true);
    expect(isMd5Hex('c32a1d4ab5d03f1284b67883e8d8753')).toBe(false);
    expect(isMd5Hex('g32a1d4ab5d03f1284b67883e8d87530')).toBe(false);
  });
});
