import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCifarArchive } from '../main/datasets/readers/cifarArchive';
import { DatasetError } from '../main/datasets/datasetError';

/** One ustar header whose size field says `sizeOctal`, followed by far fewer bytes than that. */
function lyingTar(name: string, sizeOctal: string): Uint8Array {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'ascii');
  h.write('0000644\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${sizeOctal}\0`, 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0' + '00', 257, 'ascii');
  const sum = h.reduce((a, b) => a + b, 0);
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return gzipSync(Buffer.concat([h, Buffer.alloc(20000)]));
}

describe('a tar entry is checked against what its role can hold before anything is buffered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'convboard-tar-'));
  const cases: [string, string, RegExp][] = [
    ['cifar-10-batches-bin/batches.meta.txt', '77777777777', /batches\.meta\.txt: the archive says this meta file is 8589934591 bytes, more than the 1048576 a meta file can be$/],
    ['cifar-10-batches-py/data_batch_1', '77777777777', /data_batch_1: the archive says this CIFAR python batch is 8589934591 bytes, more than the 209715200 a CIFAR python batch can be$/],
    ['cifar-10-batches-py/batches.meta', '07777777777', /batches\.meta: the archive says this CIFAR python meta file is 1073741823 bytes/],
    ['cifar-10-batches-bin/data_batch_1.bin', '77777777777', /data_batch_1\.bin: the archive says this CIFAR-10 train batch is 8589934591 bytes, more than the 30730000 a CIFAR-10 train batch can be$/],
    // A whole number of records, but more than CIFAR-10's 10000 per batch file: 2 GiB would be reserved five times.
    ['cifar-10-batches-bin/data_batch_1.bin', (3073 * 500000).toString(8).padStart(11, '0'), /this CIFAR-10 train batch is 1536500000 bytes/],
  ];
  for (const [name, size, message] of cases) {
    it(`${name} claiming ${parseInt(size, 8)} bytes`, async () => {
      const path = join(dir, `${name.replace(/\W/g, '_')}-${size}.tar.gz`);
      const bytes = lyingTar(name, size);
      expect(bytes.length).toBeLessThan(1000);
      writeFileSync(path, bytes);
      const before = process.memoryUsage().arrayBuffers;
      const error = await readCifarArchive(path).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toMatch(/Invalid typed array length/);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    });
  }
});
