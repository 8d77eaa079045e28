import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import * as tar from 'tar-stream';
import { DatasetError, openDataset } from '../../main/datasets/datasetSource';

export interface TarEntry {
  name: string;
  data?: Uint8Array | string;
  type?: 'directory';
}

/** An uncompressed tar of the entries, in the given order, as tar-stream packs it. */
export async function tarBytes(entries: TarEntry[]): Promise<Uint8Array> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === 'directory') pack.entry({ name: e.name, type: 'directory' });
    else pack.entry({ name: e.name }, Buffer.from(e.data!));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The DatasetError openDataset refuses `path` with; fails the test if it opens, or if the message is not one line. */
export async function openDatasetError(path: string): Promise<DatasetError> {
  try {
    await openDataset(path);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetError);
    const e = err as DatasetError;
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error(`expected ${path} to be refused`);
}

/**
 * A temporary root for one test file, removed after it, and a maker of fresh case folders in it
 * (`newDir('a', 'b')` is root/caseN/a/b, created).
 */
export function caseFolders(prefix: string): { root: string; newDir: (...parts: string[]) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let count = 0;
  const newDir = (...parts: string[]) => {
    const d = join(root, `case${count++}`, ...parts);
    mkdirSync(d, { recursive: true });
    return d;
  };
  return { root, newDir };
}
