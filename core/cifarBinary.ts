// The CIFAR "binary version" record layout (the dataset's own readme): parsing and gathering
// only; reading files and archives lives in main/.
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

export const IMAGE_SHAPE: readonly [number, number, number] = [3, 32, 32];
export const PIXELS_PER_IMAGE = 3 * 32 * 32;

export interface CifarLayout {
  readonly format: CifarFormat;
  readonly displayName: string;
  readonly recordSize: 3073 | 3074;
  /** Bytes before the pixels: the label (CIFAR-10) or coarse then fine label (CIFAR-100). */
  readonly labelBytes: 1 | 2;
  /** Offset of the label gatherBatch returns (CIFAR-100: the fine label, as torchvision does). */
  readonly labelOffset: 0 | 1;
  readonly classCount: 10 | 100;
  readonly coarseClassCount: 20 | null;
}

export const CIFAR_LAYOUTS: Record<CifarFormat, CifarLayout> = {
  'cifar-10': { format: 'cifar-10', displayName: 'CIFAR-10', recordSize: 3073, labelBytes: 1, labelOffset: 0, classCount: 10, coarseClassCount: null },
  'cifar-100': { format: 'cifar-100', displayName: 'CIFAR-100', recordSize: 3074, labelBytes: 2, labelOffset: 1, classCount: 100, coarseClassCount: 20 },
};

/** Formats whose record size divides `byteLength` (both when it is a multiple of 3073 * 3074). */
export function formatsFittingSize(byteLength: number): CifarFormat[] {
  return (['cifar-10', 'cifar-100'] as const).filter((f) => byteLength % CIFAR_LAYOUTS[f].recordSize === 0);
}

/** Wraps bytes already known to be whole records; throws (a programming error) otherwise. */
export function cifarRecords(format: CifarFormat, bytes: Uint8Array): CifarRecords {
  const { recordSize } = CIFAR_LAYOUTS[format];
  if (bytes.length % recordSize !== 0) {
    throw new Error(`${bytes.length} bytes is not a whole number of ${recordSize}-byte records`);
  }
  return { format, bytes, count: bytes.length / recordSize, recordSize };
}

export interface BadLabel {
  /** Record index within the scanned bytes. */
  record: number;
  which: 'label' | 'coarse label' | 'fine label';
  value: number;
  max: number;
}

/** The first label out of range for the format among the whole records in `bytes`, or null. */
export function findBadLabel(format: CifarFormat, bytes: Uint8Array): BadLabel | null {
  const layout = CIFAR_LAYOUTS[format];
  const size = layout.recordSize;
  const count = Math.floor(bytes.length / size);
  for (let r = 0; r < count; r++) {
    const at = r * size;
    if (layout.format === 'cifar-10') {
      if (bytes[at] > 9) return { record: r, which: 'label', value: bytes[at], max: 9 };
    } else {
      if (bytes[at] > 19) return { record: r, which: 'coarse label', value: bytes[at], max: 19 };
      if (bytes[at + 1] > 99) return { record: r, which: 'fine label', value: bytes[at + 1], max: 99 };
    }
  }
  return null;
}

/** Labels of every record (CIFAR-100: the fine label). */
export function allLabels(records: CifarRecords): Uint16Array {
  const { labelOffset } = CIFAR_LAYOUTS[records.format];
  const out = new Uint16Array(records.count);
  for (let i = 0; i < records.count; i++) out[i] = records.bytes[i * records.recordSize + labelOffset];
  return out;
}

/** CIFAR-100 coarse labels of every record; null for CIFAR-10. */
export function allCoarseLabels(records: CifarRecords): Uint16Array | null {
  if (records.format !== 'cifar-100') return null;
  const out = new Uint16Array(records.count);
  for (let i = 0; i < records.count; i++) out[i] = records.bytes[i * records.recordSize];
  return out;
}

/** Images per class, indexed by label. */
export function countPerClass(labels: Uint16Array, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

/** The pixels of one record ([3, 32, 32], planes R, G, B, each row-major): a view, no copy. */
export function imagePixels(records: CifarRecords, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= records.count) {
    throw new RangeError(`image index ${index} is outside 0..${records.count - 1}`);
  }
  const start = index * records.recordSize + CIFAR_LAYOUTS[records.format].labelBytes;
  return records.bytes.subarray(start, start + PIXELS_PER_IMAGE);
}

/** Pixels [N, 3, 32, 32] and labels (CIFAR-100: fine label) of the given record indices. */
export function gatherBatch(records: CifarRecords, indices: Uint32Array, pixelsOut: Uint8Array, labelsOut: Uint16Array): void {
  const n = indices.length;
  if (pixelsOut.length < n * PIXELS_PER_IMAGE || labelsOut.length < n) {
    throw new RangeError(`gatherBatch: ${n} images need ${n * PIXELS_PER_IMAGE} pixel bytes and ${n} labels, got ${pixelsOut.length} and ${labelsOut.length}`);
  }
  const { labelOffset } = CIFAR_LAYOUTS[records.format];
  for (let i = 0; i < n; i++) {
    const index = indices[i];
    pixelsOut.set(imagePixels(records, index), i * PIXELS_PER_IMAGE);
    labelsOut[i] = records.bytes[index * records.recordSize + labelOffset];
  }
}
