// Opening a dataset from whatever the user points at, and describing it for `convboard info`.
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Split } from '../../core/hostContract';
import { MNIST_FAMILIES } from '../../core/mnistFamily';
import { ARCHIVE_NAMES, FOLDER_NAMES, NO_BATCHES_HINT, PYTHON_FOLDER_NAMES, batchRole, pythonBatchRole, type BatchRole } from './cifarFileNames';
import { isRegularFile } from './datasetFiles';
import { DatasetError, fsProblem } from './datasetError';
import { finishDataset, type LoadedCifar, type OpenedDataset, type SourceLabel } from './openedDataset';
import { isArchiveName, readCifarArchive } from './readers/cifarArchive';
import { readCifarBinFile, readCifarBinaryFolder } from './readers/cifarBinaryFolder';
import { readCifarPythonFile, readCifarPythonFolder } from './readers/cifarPythonFolder';
import { folderFamily, hasIdxFiles, isIdxFileName, readIdxFolder } from './readers/idxFolder';
import { readImageFolder, type ImageFolderTransform } from './readers/imageFolder';
import { escapeControls, shownName } from './shownName';
import { SAMPLE_SOURCE, SAMPLE_TITLE, sampleFolder } from './sampleDataset';

export { DatasetError } from './datasetError';
export type { OpenedDataset } from './openedDataset';
export type { ImageFolderTransform } from './readers/imageFolder';

/** How to open a path beyond the path itself. */
export interface OpenOptions {
  /** ImageFolder only: torchvision's Resize(n) and CenterCrop(n). */
  transform?: ImageFolderTransform;
}

/** The sample's folder as the file system resolves it (symlinks, relative paths), or null. */
async function realSampleFolder(): Promise<string | null> {
  try {
    return await realpath(sampleFolder());
  } catch {
    return null;
  }
}

const SAMPLE_LABEL = { title: SAMPLE_TITLE, synthetic: true };

type Found = { name: string; role: BatchRole }[];

/** The python batch files of a folder (only files: a train/ or test/ subfolder is not a batch). */
async function pythonBatchNames(dir: string, names: string[]): Promise<Found> {
  const found: Found = [];
  for (const name of names) {
    const role = pythonBatchRole(name);
    if (role && (await isRegularFile(join(dir, name)))) found.push({ name, role });
  }
  return found;
}

/**
 * What a folder holds: binary batches, python batches (binary ones win when both are there: the
 * same images), or, as a download folder such as the tutorial's ./data, one dataset folder or
 * the archive it was extracted from.
 */
async function readCifarFolder(dir: string, label: SourceLabel): Promise<LoadedCifar> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    throw new DatasetError(`${dir}: ${fsProblem(err)}`);
  }
  const binary = names.flatMap((name) => {
    const role = batchRole(name);
    return role ? [{ name, role }] : [];
  });
  if (binary.length > 0) return readCifarBinaryFolder(dir, binary, label);
  const python = await pythonBatchNames(dir, names);
  if (python.length > 0) return readCifarPythonFolder(dir, python, label);
  const inner = [...Object.values(FOLDER_NAMES), ...Object.values(PYTHON_FOLDER_NAMES)].filter((n) => names.includes(n));
  if (inner.length === 1) return readCifarFolder(join(dir, inner[0]), label);
  const archives = ARCHIVE_NAMES.filter((n) => names.includes(n));
  if (inner.length === 0 && archives.length === 1) return readCifarArchive(join(dir, archives[0]));
  const several = inner.length > 1 ? inner : archives;
  if (several.length > 1) throw new DatasetError(`${dir}: holds several CIFAR datasets (${several.join(', ')}); open one of them`);
  throw new DatasetError(`${dir}: no CIFAR batches in this folder (${NO_BATCHES_HINT}), nor MNIST-family idx files, nor class folders of images`);
}

/**
 * Opens a CIFAR folder (binary or python version, or the download folder holding one), a single
 * batch, or the .tar.gz archive; null opens the embedded sample. The sample opened by its path
 * (its folder, the folder above it, or one of its files) is marked synthetic all the same.
 */
export async function openDataset(path: string | null, options: OpenOptions = {}): Promise<OpenedDataset> {
  const opened = await openAny(path, options);
  const transform = options.transform ?? {};
  if ((transform.resize !== undefined || transform.centerCrop !== undefined) && opened.info.format !== 'image-folder') {
    throw new DatasetError(`${opened.info.source}: --resize and --center-crop apply to an image folder (root/<class>/<image>), not to ${opened.formatLine.split(',')[0]}`);
  }
  return opened;
}

async function listFolder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    throw new DatasetError(`${dir}: ${fsProblem(err)}`);
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a listing holds CIFAR's batches, folders or archives. */
function hasCifar(names: string[]): boolean {
  return names.some((n) => batchRole(n) !== null || pythonBatchRole(n) !== null)
    || [...Object.values(FOLDER_NAMES), ...Object.values(PYTHON_FOLDER_NAMES), ...ARCHIVE_NAMES].some((n) => names.includes(n));
}

/**
 * The idx folder a folder leads to: itself, its raw/, torchvision's root/<Family>/raw, or a
 * download folder's mnist/ or fashion-mnist/; null when there is none. Several are refused.
 */
async function idxFolderUnder(dir: string, names: string[]): Promise<string | null> {
  if (hasIdxFiles(names)) return dir;
  const candidates: string[] = [];
  const look = async (sub: string) => {
    if (await isFolder(sub)) {
      const inner = await listFolder(sub);
      if (hasIdxFiles(inner)) candidates.push(sub);
      else if (inner.includes('raw') && hasIdxFiles(await listFolder(join(sub, 'raw')).catch(() => []))) candidates.push(join(sub, 'raw'));
    }
  };
  if (names.includes('raw')) await look(join(dir, 'raw'));
  if (candidates.length === 0) {
    for (const name of names) {
      if ((MNIST_FAMILIES as readonly string[]).includes(name) || folderFamily(name) !== null) await look(join(dir, name));
    }
  }
  if (candidates.length > 1) throw new DatasetError(`${dir}: holds several idx datasets (${candidates.map((c) => c.slice(dir.length + 1)).join(', ')}); open one of them`);
  return candidates[0] ?? null;
}

/** A folder: CIFAR first (as before), then idx files, then an ImageFolder tree. */
async function openFolder(dir: string, label: SourceLabel, options: OpenOptions): Promise<OpenedDataset> {
  const names = await listFolder(dir);
  const cifarNamed = [...Object.values(FOLDER_NAMES), ...Object.values(PYTHON_FOLDER_NAMES)].includes(basename(dir.replace(/[\\/]+$/, '')));
  if (!cifarNamed && !hasCifar(names)) {
    const idx = await idxFolderUnder(dir, names);
    if (idx !== null) return readIdxFolder(idx);
    for (const name of names) if (await isFolder(join(dir, name))) return readImageFolder(dir, options.transform ?? {});
  }
  // CIFAR, or nothing: CIFAR's reader says what it expected.
  return finishDataset(await readCifarFolder(dir, label));
}

async function openAny(path: string | null, options: OpenOptions): Promise<OpenedDataset> {
  if (path === null) {
    const sample = finishDataset(await readCifarFolder(sampleFolder(), { ...SAMPLE_LABEL, source: SAMPLE_SOURCE }));
    return { ...sample, classNamesFrom: 'batches.meta.txt of the embedded sample' };
  }
  if (path.trim() === '') throw new DatasetError('dataset path is empty');
  let isDir: boolean;
  let real: string;
  try {
    isDir = (await stat(path)).isDirectory();
    real = await realpath(path);
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
  const sample = await realSampleFolder();
  const isSample = sample !== null && (real === sample || (isDir ? real === dirname(sample) : dirname(real) === sample));
  const label = isSample ? SAMPLE_LABEL : {};
  if (isDir) return openFolder(path, label, options);
  if (isIdxFileName(basename(path))) return readIdxFolder(dirname(path), basename(path));
  if (isArchiveName(path)) return finishDataset(await readCifarArchive(path));
  if (/\.bin$/i.test(path)) return finishDataset(await readCifarBinFile(path, label));
  const pythonRole = pythonBatchRole(basename(path));
  if (pythonRole) return finishDataset(await readCifarPythonFile(path, pythonRole));
  throw new DatasetError(
    `${path}: not a CIFAR binary dataset or its python version, nor an MNIST-family idx file (give a CIFAR folder, batch file or .tar.gz archive; idx files or their folder; or an image folder of class folders)`,
  );
}

function table(rows: string[][], rightAligned: (col: number) => boolean): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

function classTable(title: string, names: string[], counts: Partial<Record<Split, number[]>>, splits: Split[]): string[] {
  const rows = [['', title, ...splits]];
  names.forEach((name, i) => rows.push([String(i), name, ...splits.map((s) => String(counts[s]?.[i] ?? 0))]));
  return table(rows, (c) => c === 0 || c >= 2).map((l) => `  ${l}`);
}

/** The multi-line text of `convboard info PATH`: format, source, splits, classes and counts. */
export function describeDataset(ds: OpenedDataset): string {
  const { info } = ds;
  const splits = info.splits.map((s) => s.split);
  const lines = [
    escapeControls(info.title),
    `format:  ${ds.formatLine}`,
    `source:  ${escapeControls(info.source)}`,
    'splits:',
    ...table(
      info.splits.map((s) => [s.split, `${s.count} images`, `(${(ds.files[s.split] ?? []).map((f) => shownName(f.split(/[\\/:]/).pop()!)).join(', ')})`]),
      (c) => c === 1,
    ).map((l) => `  ${l}`),
    ...ds.notes.map(escapeControls),
    `classes: ${info.classNames.length} (names from ${ds.classNamesFrom})`,
    ...classTable('class', info.classNames.map(shownName), info.classCounts, splits),
  ];
  if (ds.coarse) {
    lines.push(`coarse classes: ${ds.coarse.classNames.length}`, ...classTable('superclass', ds.coarse.classNames.map(shownName), ds.coarse.classCounts, splits));
  }
  return lines.join('\n');
}
