// CIFAR's python version (torchvision's download) as records: each pickle unpickled without
// running anything, checked, and its pixels copied once into the split's records. Shared by the
// python folder reader and the archive reader, which get the files' bytes in different ways.
import { basename } from 'node:path';
import { CIFAR_LAYOUTS, type CifarFormat } from '../../core/cifarBinary';
import { CifarPythonError, pythonBatch, pythonClassNames, writePythonRecords, type PythonBatch } from '../../core/cifarPython';
import type { Split } from '../../core/hostContract';
import { PickleError, unpickle, type PyValue } from '../../core/pythonPickle';
import { commonFormat, type BatchRole } from './cifarFileNames';
import { DatasetError } from './datasetError';
import type { LoadedCifar, MetaBytes, SplitBytes } from './openedDataset';

/** A python batch file's bytes, however they were read. */
export interface PythonFile {
  displayName: string;
  role: BatchRole;
  bytes: Uint8Array;
}

function unpickled(displayName: string, bytes: Uint8Array): PyValue {
  try {
    return unpickle(bytes);
  } catch (err) {
    if (err instanceof PickleError) throw new DatasetError(`${displayName}: ${err.message}`);
    throw err;
  }
}

function checked<T>(displayName: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof CifarPythonError) throw new DatasetError(`${displayName}: ${err.message}`);
    throw err;
  }
}

/** One split's records from its batch files (in any order), each pixel copied once. */
function pythonSplit(format: CifarFormat, split: Split, files: PythonFile[]): SplitBytes {
  const parts = files.filter((f) => f.role.split === split).sort((a, b) => a.role.order - b.role.order);
  const batches: PythonBatch[] = parts.map((f) => checked(f.displayName, () => pythonBatch(format, unpickled(f.displayName, f.bytes))));
  const { recordSize } = CIFAR_LAYOUTS[format];
  const bytes = new Uint8Array(batches.reduce((s, b) => s + b.count * recordSize, 0));
  writePythonRecords(format, batches, bytes);
  // byteLength is what the file became in records: finishDataset walks the split by it.
  return { split, bytes, files: parts.map((f, i) => ({ displayName: f.displayName, byteLength: batches[i].count * recordSize })) };
}

/** The meta pickle's names as the one-name-a-line text finishDataset reads from any source. */
function metaAsText(format: CifarFormat, meta: { displayName: string; bytes: Uint8Array } | null): { classNames: MetaBytes | null; coarseNames: MetaBytes | null } {
  if (!meta) return { classNames: null, coarseNames: null };
  const names = checked(meta.displayName, () => pythonClassNames(format, unpickled(meta.displayName, meta.bytes)));
  const text = (list: string[]): MetaBytes => ({ displayName: meta.displayName, bytes: new Uint8Array(Buffer.from(`${list.join('\n')}\n`, 'utf8')) });
  return { classNames: text(names.classes), coarseNames: names.coarse ? text(names.coarse) : null };
}

/**
 * Splits and class names of python batch files (train before test); validated, nothing half-read.
 * `wholeDownload`: the files are a folder's or archive's, so CIFAR-10 train batches must not skip one.
 */
export function assemblePythonDataset(
  files: PythonFile[],
  metaFor: (format: CifarFormat) => { displayName: string; bytes: Uint8Array } | null,
  where: string,
  wholeDownload = true,
): Pick<LoadedCifar, 'format' | 'splits' | 'classNames' | 'coarseNames'> {
  const format = commonFormat(files.map((f) => ({ name: basename(f.displayName), role: f.role })), where);
  // torchvision refuses a download with a batch missing; the binary reader takes what is there,
  // but a gap in the tutorial's own download is a broken download, not a choice.
  const train = files.filter((f) => f.role.split === 'train').map((f) => f.role.order).sort((a, b) => a - b);
  const gap = train.findIndex((order, i) => order !== i + 1);
  if (wholeDownload && format === 'cifar-10' && gap >= 0) {
    throw new DatasetError(`${where}: data_batch_${gap + 1} is missing (found ${train.map((k) => `data_batch_${k}`).join(', ')}); the download looks incomplete`);
  }
  const splits = (['train', 'test'] as Split[]).filter((s) => files.some((f) => f.role.split === s)).map((s) => pythonSplit(format, s, files));
  return { format, splits, ...metaAsText(format, metaFor(format)) };
}
