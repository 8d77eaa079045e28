// Reads a CIFAR binary folder or a single .bin straight into one preallocated buffer per split:
// every file's bytes are copied once, from the kernel into their final place. A folder of the
// python version, or a download folder holding a dataset folder or archive, is handed on.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CIFAR_LAYOUTS, type CifarFormat } from '../core/cifarBinary';
import { META_FILES } from '../core/cifarMeta';
import type { Split } from '../core/hostContract';
import { DatasetError, fsProblem } from './datasetError';
import { ARCHIVE_NAMES, NO_BATCHES_HINT, FOLDER_NAMES, PYTHON_FOLDER_NAMES, batchRole, checkBatchSize, commonFormat, singleFileRole, type BatchRole } from './cifarFileNames';
import { readCifarArchive } from './cifarArchive';
import { pythonBatchNames, readCifarPythonFolder } from './cifarPythonFolder';
import type { LoadedCifar, MetaBytes, SplitBytes } from './openedDataset';

interface PlannedFile {
  path: string;
  role: BatchRole;
  byteLength: number;
}

async function readExactly(path: string, dest: Uint8Array): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
  try {
    let done = 0;
    while (done < dest.length) {
      const { bytesRead } = await handle.read(dest, done, dest.length - done, done);
      if (bytesRead === 0) throw new DatasetError(`${path}: the file shrank from ${dest.length} to ${done} bytes while being read`);
      done += bytesRead;
    }
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  } finally {
    await handle.close();
  }
}

async function readSplits(format: CifarFormat, files: PlannedFile[]): Promise<SplitBytes[]> {
  for (const f of files) checkBatchSize(format, f.byteLength, f.path);
  const splits: SplitBytes[] = [];
  for (const split of ['train', 'test'] as Split[]) {
    const parts = files.filter((f) => f.role.split === split).sort((a, b) => a.role.order - b.role.order);
    if (parts.length === 0) continue;
    const bytes = new Uint8Array(parts.reduce((sum, f) => sum + f.byteLength, 0));
    let offset = 0;
    for (const f of parts) {
      await readExactly(f.path, bytes.subarray(offset, offset + f.byteLength));
      offset += f.byteLength;
    }
    splits.push({ split, bytes, files: parts.map((f) => ({ displayName: f.path, byteLength: f.byteLength })) });
  }
  return splits;
}

async function readMeta(dir: string, fileName: string | undefined): Promise<MetaBytes | null> {
  if (!fileName) return null;
  const path = join(dir, fileName);
  try {
    return { displayName: path, bytes: new Uint8Array(await readFile(path)) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') return null;
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
}

async function statSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
}

export interface SourceLabel {
  title?: string;
  source?: string;
  synthetic?: boolean;
}

/** A `cifar-10-batches-bin` / `cifar-100-binary` folder, or the folder holding one of them. */
export async function readCifarFolder(dir: string, label: SourceLabel = {}): Promise<LoadedCifar> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    throw new DatasetError(`${dir}: ${fsProblem(err)}`);
  }
  const found = names.flatMap((name) => {
    const role = batchRole(name);
    return role ? [{ name, role }] : [];
  });
  if (found.length === 0) {
    // Binary batches win over python ones when a folder holds both (the same images).
    const python = await pythonBatchNames(dir, names);
    if (python.length > 0) return readCifarPythonFolder(dir, python, label);
    // A download folder (torchvision's root, e.g. the tutorial's ./data): the dataset folder
    // inside it, else the archive it was extracted from.
    const inner = [...Object.values(FOLDER_NAMES), ...Object.values(PYTHON_FOLDER_NAMES)].filter((n) => names.includes(n));
    if (inner.length === 1) return readCifarFolder(join(dir, inner[0]), label);
    const archives = ARCHIVE_NAMES.filter((n) => names.includes(n));
    if (inner.length === 0 && archives.length === 1) return readCifarArchive(join(dir, archives[0]));
    const several = inner.length > 1 ? inner : archives;
    if (several.length > 1) throw new DatasetError(`${dir}: holds several CIFAR datasets (${several.join(', ')}); open one of them`);
    throw new DatasetError(`${dir}: no CIFAR batches in this folder (${NO_BATCHES_HINT})`);
  }
  const format = commonFormat(found, dir);
  const files: PlannedFile[] = [];
  for (const { name, role } of found) {
    const path = join(dir, name);
    files.push({ path, role, byteLength: await statSize(path) });
  }
  const splits = await readSplits(format, files);
  const meta = META_FILES[format];
  return {
    format,
    title: label.title ?? `${CIFAR_LAYOUTS[format].displayName} (${basename(resolve(dir))})`,
    source: label.source ?? resolve(dir),
    synthetic: label.synthetic ?? false,
    splits,
    classNames: await readMeta(dir, meta.classes.fileName),
    coarseNames: await readMeta(dir, meta.coarse?.fileName),
  };
}

/** One batch file; its split from its name, class names from the meta file beside it if present. */
export async function readCifarBinFile(path: string, label: SourceLabel = {}): Promise<LoadedCifar> {
  const byteLength = await statSize(path);
  const role = singleFileRole(basename(path), byteLength, path);
  const splits = await readSplits(role.format, [{ path, role, byteLength }]);
  const meta = META_FILES[role.format];
  const dir = dirname(path);
  return {
    format: role.format,
    title: label.title ?? `${CIFAR_LAYOUTS[role.format].displayName} (${basename(path)})`,
    source: label.source ?? resolve(path),
    synthetic: label.synthetic ?? false,
    splits,
    classNames: await readMeta(dir, meta.classes.fileName),
    coarseNames: await readMeta(dir, meta.coarse?.fileName),
  };
}
