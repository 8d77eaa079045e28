// The idx format of MNIST and its relatives (big-endian): a magic whose third byte is the type
// (0x08 = uint8) and fourth the number of dimensions, one uint32 per dimension, then the values.
// torchvision reads these with read_image_file / read_label_file; only their uint8 3-D images
// and 1-D labels are accepted here, exactly sized (torchvision's view() fails otherwise).
export class IdxFileError extends Error {
  override readonly name = 'IdxFileError';
}

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export type IdxKind = 'images' | 'labels';

export interface IdxHeader {
  readonly kind: IdxKind;
  readonly count: number;
  /** 1 for labels. */
  readonly rows: number;
  readonly cols: number;
  readonly headerBytes: 8 | 16;
  /** Header plus values: the exact size the file must have. */
  readonly totalBytes: number;
}

export interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** [count, rows, cols] row-major, a view into the file's bytes. */
  readonly pixels: Uint8Array;
}

export interface IdxLabels {
  readonly count: number;
  readonly labels: Uint8Array;
}

const KIND_MAGIC: Record<IdxKind, number> = { images: IDX_IMAGES_MAGIC, labels: IDX_LABELS_MAGIC };

function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

function describeMagic(magic: number): string {
  if (magic >>> 16 !== 0) return `${hex32(magic)}, which is not an idx magic`;
  const type = (magic >>> 8) & 0xff;
  const dims = magic & 0xff;
  const types: Record<number, string> = { 0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };
  return `${hex32(magic)} (${types[type] ?? `unknown type 0x${type.toString(16)}`}, ${dims} dimension${dims === 1 ? '' : 's'})`;
}

/**
 * Reads and checks the header from the file's first bytes (16 are enough). `fileBytes` is the
 * file's whole size, so a reader can refuse a file before reading or allocating it.
 */
export function readIdxHeader(head: Uint8Array, fileBytes: number, expected: IdxKind, name: string): IdxHeader {
  const fail = (what: string): never => {
    throw new IdxFileError(`${name}: ${what}`);
  };
  const headerBytes = expected === 'images' ? 16 : 8;
  if (head.length < 4 || fileBytes < 4) fail(`header truncated (${Math.min(head.length, fileBytes)} bytes; an idx ${expected} file starts with a ${headerBytes}-byte header)`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0);
  if (magic !== KIND_MAGIC[expected]) {
    fail(`not an idx ${expected} file: magic is ${describeMagic(magic)}, expected ${hex32(KIND_MAGIC[expected])} (uint8, ${expected === 'images' ? 3 : 1} dimension${expected === 'images' ? 's' : ''})`);
  }
  if (head.length < headerBytes || fileBytes < headerBytes) fail(`header truncated (${Math.min(head.length, fileBytes)} of ${headerBytes} bytes)`);
  const count = view.getUint32(4);
  const rows = expected === 'images' ? view.getUint32(8) : 1;
  const cols = expected === 'images' ? view.getUint32(12) : 1;
  // Exact in float64: each factor is < 2^32, and a product past 2^53 is refused as too large anyway.
  const values = count * rows * cols;
  const totalBytes = headerBytes + values;
  if (totalBytes !== fileBytes) {
    const dims = expected === 'images' ? `${count} x ${rows} x ${cols}` : `${count}`;
    fail(`size does not match the header: ${dims} values need ${totalBytes} bytes, the file has ${fileBytes}`);
  }
  return { kind: expected, count, rows, cols, headerBytes, totalBytes };
}

/** The images of a whole idx3 file (already in memory; views, no copy). */
export function parseIdxImages(bytes: Uint8Array, name: string): IdxImages {
  const h = readIdxHeader(bytes, bytes.length, 'images', name);
  return { count: h.count, rows: h.rows, cols: h.cols, pixels: bytes.subarray(h.headerBytes) };
}

/** The labels of a whole idx1 file (already in memory; a view, no copy). */
export function parseIdxLabels(bytes: Uint8Array, name: string): IdxLabels {
  const h = readIdxHeader(bytes, bytes.length, 'labels', name);
  return { count: h.count, labels: bytes.subarray(h.headerBytes) };
}

/** Refuses an images file and a labels file that do not describe the same number of samples. */
export function checkIdxPair(images: { count: number }, labels: { count: number }, imagesName: string, labelsName: string): void {
  if (images.count !== labels.count) {
    throw new IdxFileError(`${imagesName} has ${images.count} images but ${labelsName} has ${labels.count} labels: they are not a pair`);
  }
}

/** One image's pixels [rows, cols] as a view. */
export function idxImage(images: IdxImages, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= images.count) {
    throw new RangeError(`image index ${index} is outside 0..${images.count - 1}`);
  }
  const size = images.rows * images.cols;
  return images.pixels.subarray(index * size, (index + 1) * size);
}
