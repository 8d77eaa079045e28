// CIFAR's python version (what torchvision downloads): each batch a pickled dict with 'data'
// (N x 3072 uint8, rows of R, G, B planes) and the labels as lists of ints ('labels' for CIFAR-10,
// 'fine_labels' and 'coarse_labels' for CIFAR-100). Turned into the binary version's records, so
// everything downstream reads one layout. Validation mirrors what torchvision relies on.
import { CIFAR_LAYOUTS, PIXELS_PER_IMAGE, type CifarFormat } from './cifarBinary';
import { MAX_CLASS_NAME_LENGTH } from './cifarMeta';
import type { NdArray, PyDict, PyValue } from './pythonPickle';
import { latin1 } from './textDecoding';
import { hasUnsafeCharacters, quoteInput } from './quotedText';

/** A shape for a message: at most a few dimensions written out, however many the pickle claims. */
function shapeText(shape: readonly number[]): string {
  const shown = shape.slice(0, 6).join(', ');
  return shape.length > 6 ? `(${shown}, … ${shape.length} dimensions)` : `(${shown})`;
}

/** A batch or meta dict that is not what CIFAR's python version holds (one-line reason). */
export class CifarPythonError extends Error {
  override readonly name = 'CifarPythonError';
}

/** One validated batch: a view of its pixels and its labels per record. */
export interface PythonBatch {
  readonly count: number;
  readonly data: NdArray;
  /** CIFAR-10: the label; CIFAR-100: the fine label. */
  readonly labels: readonly number[];
  /** CIFAR-100 only. */
  readonly coarseLabels: readonly number[] | null;
}

function asDict(value: PyValue, what: string): PyDict {
  if (!(value instanceof Map)) throw new CifarPythonError(`does not hold a dict (CIFAR ${what} are pickled dicts)`);
  return value;
}

function labelList(dict: PyDict, key: string, count: number, max: number, formatName: string): number[] {
  const list = dict.get(key);
  if (!Array.isArray(list)) {
    throw new CifarPythonError(list === undefined ? `has no '${key}' (a ${formatName} batch holds 'data' and '${key}')` : `'${key}' is not a list of integers`);
  }
  if (list.length !== count) throw new CifarPythonError(`'${key}' has ${list.length} labels but 'data' holds ${count} images`);
  list.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isInteger(l)) throw new CifarPythonError(`'${key}'[${i}] is not an integer`);
    if (l < 0 || l > max) throw new CifarPythonError(`'${key}'[${i}] is ${l}, but ${formatName} ${key.replace(/s$/, '').replace('_', ' ')}s are 0..${max}`);
  });
  return list as number[];
}

/** Validates an unpickled batch dict of the given format. */
export function pythonBatch(format: CifarFormat, value: PyValue): PythonBatch {
  const layout = CIFAR_LAYOUTS[format];
  const dict = asDict(value, 'batches');
  const data = dict.get('data');
  if (data === undefined) throw new CifarPythonError(`has no 'data' (a ${layout.displayName} batch holds 'data', an N x 3072 uint8 array)`);
  if (!data || typeof data !== 'object' || !('kind' in data) || data.kind !== 'ndarray') throw new CifarPythonError(`'data' is not a numpy array`);
  // An array's dtype has passed the unpickler's pattern (at most four plain characters), so it is shown as it is.
  if (data.dtype !== '|u1') throw new CifarPythonError(`'data' has dtype ${data.dtype}, expected uint8 (|u1)`);
  if (data.shape.length !== 2 || data.shape[1] !== PIXELS_PER_IMAGE) {
    throw new CifarPythonError(`'data' has shape ${shapeText(data.shape)}, expected (N, ${PIXELS_PER_IMAGE}): one row of 3 x 32 x 32 pixels per image`);
  }
  const count = data.shape[0];
  if (count === 0) throw new CifarPythonError(`'data' holds no images`);
  if (format === 'cifar-10') return { count, data, labels: labelList(dict, 'labels', count, layout.classCount - 1, layout.displayName), coarseLabels: null };
  return {
    count,
    data,
    labels: labelList(dict, 'fine_labels', count, layout.classCount - 1, layout.displayName),
    coarseLabels: labelList(dict, 'coarse_labels', count, layout.coarseClassCount! - 1, layout.displayName),
  };
}

/**
 * Writes the batches, in order, as binary-version records into `out` (one copy of each pixel).
 * `out` must hold exactly the batches' records.
 */
export function writePythonRecords(format: CifarFormat, batches: readonly PythonBatch[], out: Uint8Array): void {
  const { recordSize, labelBytes } = CIFAR_LAYOUTS[format];
  const total = batches.reduce((s, b) => s + b.count, 0);
  if (out.length !== total * recordSize) throw new RangeError(`writePythonRecords: ${total} records need ${total * recordSize} bytes, got ${out.length}`);
  let record = 0;
  for (const b of batches) {
    const px = b.data.bytes;
    for (let i = 0; i < b.count; i++, record++) {
      const at = record * recordSize;
      if (b.coarseLabels) {
        out[at] = b.coarseLabels[i];
        out[at + 1] = b.labels[i];
      } else {
        out[at] = b.labels[i];
      }
      const dest = at + labelBytes;
      if (!b.data.fortran) {
        out.set(px.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), dest);
      } else {
        // Column-major (N, 3072): pixel p of image i sits at p * N + i.
        for (let p = 0; p < PIXELS_PER_IMAGE; p++) out[dest + p] = px[p * b.count + i];
      }
    }
  }
}

/** The meta file's keys per format: class names, then (CIFAR-100) superclass names. */
export const PYTHON_META_KEYS: Record<CifarFormat, { classes: string; coarse: string | null }> = {
  'cifar-10': { classes: 'label_names', coarse: null },
  'cifar-100': { classes: 'fine_label_names', coarse: 'coarse_label_names' },
};

function nameList(dict: PyDict, key: string, expected: number): string[] {
  const list = dict.get(key);
  if (!Array.isArray(list)) throw new CifarPythonError(list === undefined ? `has no '${key}'` : `'${key}' is not a list of names`);
  if (list.length !== expected) throw new CifarPythonError(`'${key}' has ${list.length} names, expected ${expected}`);
  return list.map((n, i) => {
    // Python 2 str arrives as bytes; torchvision decodes them as latin-1.
    const name = n instanceof Uint8Array ? latin1(n) : n;
    if (typeof name !== 'string' || name.trim() === '' || /[\r\n]/.test(name)) throw new CifarPythonError(`'${key}'[${i}] is not a one-line name`);
    if (name.length > MAX_CLASS_NAME_LENGTH) throw new CifarPythonError(`'${key}'[${i}] is ${quoteInput(name, 40)}, longer than ${MAX_CLASS_NAME_LENGTH} characters`);
    // Names reach the UI and terminals; control characters and bidi overrides there could act on them.
    if (hasUnsafeCharacters(name)) throw new CifarPythonError(`'${key}'[${i}] is ${quoteInput(name, 40)}, which holds control characters`);
    return name;
  });
}

/** Class names (and CIFAR-100 superclass names) from an unpickled batches.meta / meta dict. */
export function pythonClassNames(format: CifarFormat, value: PyValue): { classes: string[]; coarse: string[] | null } {
  const dict = asDict(value, 'meta files');
  const keys = PYTHON_META_KEYS[format];
  const layout = CIFAR_LAYOUTS[format];
  return {
    classes: nameList(dict, keys.classes, layout.classCount),
    coarse: keys.coarse ? nameList(dict, keys.coarse, layout.coarseClassCount!) : null,
  };
}
