// Which file of the CIFAR binary version a name is: its format, split and place in the split.
// CIFAR-10 train is data_batch_1.bin .. data_batch_5.bin in numeric order (as torchvision's
// train_list); CIFAR-100 has one train.bin and one test.bin.
import { CIFAR_LAYOUTS, formatsFittingSize, type CifarFormat } from '../../core/cifarBinary';
import type { Split } from '../../core/hostContract';
import { DatasetError } from './datasetError';

export interface BatchRole {
  format: CifarFormat;
  split: Split;
  /** Position within the split (data_batch_k: k). */
  order: number;
}

/** CIFAR-10 train holds at most these many batches; the archive reader reserves their room up front. */
export const CIFAR10_TRAIN_BATCHES = 5;

export const FOLDER_NAMES: Record<CifarFormat, string> = { 'cifar-10': 'cifar-10-batches-bin', 'cifar-100': 'cifar-100-binary' };

/** The role of a batch file of a folder or archive by its base name, or null for other files. */
export function batchRole(baseName: string): BatchRole | null {
  const train10 = /^data_batch_([1-9][0-9]*)\.bin$/.exec(baseName);
  if (train10) return { format: 'cifar-10', split: 'train', order: Number(train10[1]) };
  if (baseName === 'test_batch.bin') return { format: 'cifar-10', split: 'test', order: 0 };
  if (baseName === 'train.bin') return { format: 'cifar-100', split: 'train', order: 0 };
  if (baseName === 'test.bin') return { format: 'cifar-100', split: 'test', order: 0 };
  return null;
}

/**
 * The role of a .bin opened on its own: the split from its name (test_batch / test -> test, else
 * train), the format from its name when it is a CIFAR name and else from its size.
 */
export function singleFileRole(baseName: string, byteLength: number, displayName: string): BatchRole {
  // "test" as a word of the name (test_batch.bin, my_test.bin), not inside one (latest.bin).
  const split: Split = /(^|[^a-z0-9])test/i.test(baseName) ? 'test' : 'train';
  const named = batchRole(baseName);
  if (named?.format === 'cifar-10') return named;
  if (byteLength === 0) throw new DatasetError(`${displayName}: the file is empty`);
  const fitting = formatsFittingSize(byteLength);
  if (named && fitting.includes(named.format)) return named;
  if (fitting.length === 1) return { format: fitting[0], split, order: 0 };
  if (fitting.length === 0) {
    throw new DatasetError(`${displayName}: ${byteLength} bytes is not a whole number of CIFAR-10 (3073-byte) or CIFAR-100 (3074-byte) records`);
  }
  throw new DatasetError(`${displayName}: ${byteLength} bytes fits both CIFAR-10 and CIFAR-100 records; name it test_batch.bin or test.bin to say which`);
}

/** The format of a set of batch files; they must not mix CIFAR-10 and CIFAR-100 names. */
export function commonFormat(roles: { name: string; role: BatchRole }[], where: string): CifarFormat {
  const ten = roles.find((r) => r.role.format === 'cifar-10');
  const hundred = roles.find((r) => r.role.format === 'cifar-100');
  if (ten && hundred) {
    throw new DatasetError(`${where}: mixes CIFAR-10 (${ten.name}) and CIFAR-100 (${hundred.name}) batch files; open one of them on its own`);
  }
  return (ten ?? hundred)!.role.format;
}

/** Refuses a batch file whose size is not a positive whole number of records. */
export function checkBatchSize(format: CifarFormat, byteLength: number, displayName: string): void {
  const { recordSize, displayName: formatName } = CIFAR_LAYOUTS[format];
  if (byteLength === 0) throw new DatasetError(`${displayName}: the file is empty`);
  if (byteLength % recordSize !== 0) {
    throw new DatasetError(
      `${displayName}: ${byteLength} bytes is not a whole number of ${recordSize}-byte ${formatName} records (${Math.floor(byteLength / recordSize)} records and ${byteLength % recordSize} bytes left over)`,
    );
  }
}

export const NO_BATCHES_HINT =
  "expected data_batch_1.bin .. data_batch_5.bin and test_batch.bin (CIFAR-10) or train.bin and test.bin (CIFAR-100), or the python version's data_batch_1 .. test_batch (cifar-10-batches-py) or train and test (cifar-100-python)";

// The python version (torchvision's download): the same names without .bin, pickled.
export const PYTHON_FOLDER_NAMES: Record<CifarFormat, string> = { 'cifar-10': 'cifar-10-batches-py', 'cifar-100': 'cifar-100-python' };
export const PYTHON_META_NAMES: Record<CifarFormat, string> = { 'cifar-10': 'batches.meta', 'cifar-100': 'meta' };

/** The distribution archives a download folder (torchvision's root) may hold; one alone is opened. */
export const ARCHIVE_NAMES = ['cifar-10-python.tar.gz', 'cifar-100-python.tar.gz', 'cifar-10-binary.tar.gz', 'cifar-100-binary.tar.gz'];

/** The role of a python-version batch by its base name (data_batch_k, test_batch, train, test), or null. */
export function pythonBatchRole(baseName: string): BatchRole | null {
  return batchRole(`${baseName}.bin`);
}

/** The format whose python meta file has this base name, or null. */
export function pythonMetaFormat(baseName: string): CifarFormat | null {
  return (Object.keys(PYTHON_META_NAMES) as CifarFormat[]).find((f) => PYTHON_META_NAMES[f] === baseName) ?? null;
}
