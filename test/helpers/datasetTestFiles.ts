import { expect } from 'vitest';
import * as tar from 'tar-stream';
import { DatasetError, openDataset } from '../../main/datasetSource';

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
