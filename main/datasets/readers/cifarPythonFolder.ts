// Reads CIFAR's python version from a cifar-10-batches-py / cifar-100-python folder or one batch file.
import { basename, dirname, join, resolve } from 'node:path';
import { CIFAR_LAYOUTS } from '../../../core/cifarBinary';
import { PYTHON_META_NAMES, commonFormat, type BatchRole } from '../cifarFileNames';
import { assemblePythonDataset, type PythonFile } from '../cifarPythonBatches';
import { MAX_BATCH_FILE_BYTES, MAX_META_FILE_BYTES, readOptionalFile, readRegularFile } from '../datasetFiles';
import type { LoadedCifar, SourceLabel } from '../openedDataset';

const readBatch = (path: string) => readRegularFile(path, MAX_BATCH_FILE_BYTES, 'CIFAR python batch');
const readMetaFile = (path: string) => readOptionalFile(path, MAX_META_FILE_BYTES, 'CIFAR python meta file');

/** A cifar-10-batches-py / cifar-100-python folder whose batch files are `found`. */
export async function readCifarPythonFolder(dir: string, found: { name: string; role: BatchRole }[], label: SourceLabel = {}): Promise<LoadedCifar> {
  const format = commonFormat(found, dir);
  const files: PythonFile[] = [];
  for (const { name, role } of found) {
    const path = join(dir, name);
    files.push({ displayName: path, role, bytes: await readBatch(path) });
  }
  const meta = await readMetaFile(join(dir, PYTHON_META_NAMES[format]));
  const assembled = assemblePythonDataset(files, () => meta, dir);
  return {
    ...assembled,
    title: label.title ?? `${CIFAR_LAYOUTS[format].displayName} (${basename(resolve(dir))})`,
    source: label.source ?? resolve(dir),
    synthetic: label.synthetic ?? false,
  };
}

/** One python batch file; class names from the meta file beside it if present. */
export async function readCifarPythonFile(path: string, role: BatchRole): Promise<LoadedCifar> {
  const files = [{ displayName: path, role, bytes: await readBatch(path) }];
  const meta = await readMetaFile(join(dirname(path), PYTHON_META_NAMES[role.format]));
  return {
    ...assemblePythonDataset(files, () => meta, path, false),
    title: `${CIFAR_LAYOUTS[role.format].displayName} (${basename(path)})`,
    source: resolve(path),
    synthetic: false,
  };
}
