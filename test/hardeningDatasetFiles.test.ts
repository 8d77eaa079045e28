// Files where a regular file is expected: a FIFO would hang the reader and /dev/zero would grow
// without end. Each is refused at once, in one line naming the file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, openDataset } from '../main/datasets/datasetSource';

const SAMPLE = resolve(__dirname, '..', 'assets', 'sample', 'cifar-10-batches-bin');
const work = mkdtempSync(join(tmpdir(), 'convboard-special-files-'));

function folderWithMeta(name: string, makeMeta: (path: string) => void): string {
  const dir = join(work, name, 'cifar-10-batches-bin');
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(SAMPLE, 'test_batch.bin'), join(dir, 'test_batch.bin'));
  makeMeta(join(dir, 'batches.meta.txt'));
  return dir;
}

async function refusal(path: string): Promise<{ message: string; ms: number }> {
  const t0 = performance.now();
  try {
    await openDataset(path);
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return { message: (e as Error).message, ms: performance.now() - t0 };
  }
  throw new Error(`${path} was opened`);
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('special files where a dataset file is expected', () => {
  it('refuses a FIFO as the class-names file at once, instead of waiting on it forever', async () => {
    const dir = folderWithMeta('fifo', (p) => execFileSync('mkfifo', [p]));
    const r = await refusal(dir);
    expect(r.message).toBe(`${join(dir, 'batches.meta.txt')}: is not a regular file (a device, FIFO or socket cannot be a dataset file)`);
    expect(r.ms).toBeLessThan(5000);
  });

  it('refuses a class-names file that links to /dev/zero, instead of reading it without end', async () => {
    const dir = folderWithMeta('zero', (p) => symlinkSync('/dev/zero', p));
    expect((await refusal(dir)).message).toBe(`${join(dir, 'batches.meta.txt')}: is not a regular file (a device, FIFO or socket cannot be a dataset file)`);
  });

  it('refuses a batch file that is a folder, naming it', async () => {
    const dir = join(work, 'folder-batch', 'cifar-10-batches-bin');
    mkdirSync(join(dir, 'test_batch.bin'), { recursive: true });
    expect((await refusal(dir)).message).toBe(`${join(dir, 'test_batch.bin')}: is a folder, not a file`);
  });
});
