// STUB by lead — the data helper owns and implements this file.
import type { CifarRecords } from '../core/cifarBinary';
import type { DatasetInfo, Split } from '../core/hostContract';

export interface OpenedDataset {
  readonly info: DatasetInfo;
  readonly records: Partial<Record<Split, CifarRecords>>;
}

/** A user mistake with the data: one line naming the file and the problem, no stack trace shown. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/** Opens a CIFAR folder, a single .bin, or the .tar.gz archive; null opens the embedded sample. */
export async function openDataset(_path: string | null): Promise<OpenedDataset> {
  throw new Error('not implemented');
}
