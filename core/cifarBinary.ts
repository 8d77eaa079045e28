// STUB by lead — the data helper owns and implements this file; signatures are the agreed API.
export type CifarFormat = 'cifar-10' | 'cifar-100';

/**
 * Records of one split in the CIFAR binary layout, as one byte array read once from disk.
 * CIFAR-10: [label, 3072 pixels]; CIFAR-100: [coarse, fine, 3072 pixels]. Slices are views.
 */
export interface CifarRecords {
  readonly format: CifarFormat;
  readonly bytes: Uint8Array;
  readonly count: number;
  readonly recordSize: 3073 | 3074;
}

/** Pixels [N, 3, 32, 32] and labels (CIFAR-100: fine label) of the given record indices. */
export function gatherBatch(_records: CifarRecords, _indices: Uint32Array, _pixelsOut: Uint8Array, _labelsOut: Uint16Array): void {
  throw new Error('not implemented');
}
