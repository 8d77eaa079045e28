// MNIST-family idx files (MNIST, FashionMNIST, KMNIST, EMNIST): a pair of images and labels files
// per split, plain or gzipped, in the folder given (torchvision's root/<Family>/raw/, a download
// folder, Debian's /usr/share/datasets/fashion-mnist). Each file's header is checked against its
// size before the file is read, and a .gz is inflated under a cap: a hostile file cannot make the
// reader allocate more than the largest real dataset needs.
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gunzipCapped } from '../../../core/gunzipCapped';
import type { DatasetInfo, Split } from '../../../core/hostContract';
import { checkIdxPair, parseIdxImages, parseIdxLabels, readIdxHeader, type IdxKind } from '../../../core/idxFile';
import { familyFromFolderPath, findIdxSplits, type IdxSplitFiles, type MnistFamily } from '../../../core/mnistFamily';
import { quoteInput } from '../../../core/quotedText';
import { shownName } from '../shownName';
import { asDatasetError, DatasetError, fsProblem } from '../datasetError';
import { readExactly, readRegularFile, regularFileSize } from '../datasetFiles';
import { checkOutLength, finishReaderDataset, type OpenedDataset, type ReaderSplit } from '../openedDataset';

/** EMNIST byclass's training images are ~547 MB; nothing real is larger. */
export const MAX_IDX_FILE_BYTES = 1024 * 1024 * 1024;
/** A gzipped idx file is at least a few bytes per kilobyte of pixels; 1 GiB compressed is already absurd. */
const MAX_GZ_FILE_BYTES = 1024 * 1024 * 1024;

const FORMATS: Record<MnistFamily, DatasetInfo['format']> = { MNIST: 'mnist', FashionMNIST: 'fashion-mnist', KMNIST: 'kmnist', EMNIST: 'emnist' };
const TITLES: Record<MnistFamily, string> = { MNIST: 'MNIST', FashionMNIST: 'Fashion-MNIST', KMNIST: 'KMNIST', EMNIST: 'EMNIST' };
/** Folder names `convboard download` and Debian's packages use, beside torchvision's class names. */
const FOLDER_FAMILIES: Record<string, MnistFamily> = { mnist: 'MNIST', 'fashion-mnist': 'FashionMNIST', kmnist: 'KMNIST', emnist: 'EMNIST' };

/** Whether a folder listing holds idx files (paired or not) by torchvision's names. */
export function hasIdxFiles(names: readonly string[]): boolean {
  const scan = findIdxSplits(names, null);
  return scan.splits.length > 0 || scan.unpaired.length > 0;
}

/** Whether a file name is one of torchvision's idx file names. */
export function isIdxFileName(name: string): boolean {
  return hasIdxFiles([name]);
}

/** The family a folder's own name says: torchvision's (FashionMNIST, .../FashionMNIST/raw) or a download folder's (fashion-mnist). */
export function folderFamily(dir: string): MnistFamily | null {
  const byTorchvision = familyFromFolderPath(resolve(dir));
  if (byTorchvision) return byTorchvision;
  return FOLDER_FAMILIES[basename(resolve(dir)).toLowerCase()] ?? null;
}

/** An idx file's bytes, plain or inflated, its header checked against its size before any large read. */
async function readIdx(path: string, kind: IdxKind, gzipped: boolean): Promise<Uint8Array> {
  const size = await regularFileSize(path);
  if (gzipped) {
    const gz = await readRegularFile(path, MAX_GZ_FILE_BYTES, 'gzipped idx file');
    return gunzipCapped(gz, MAX_IDX_FILE_BYTES, path);
  }
  const head = new Uint8Array(Math.min(16, size));
  await readExactly(path, head);
  readIdxHeader(head, size, kind, path);
  if (size > MAX_IDX_FILE_BYTES) throw new DatasetError(`${path}: ${size} bytes is too large for an idx file (at most ${MAX_IDX_FILE_BYTES})`);
  const bytes = new Uint8Array(size);
  await readExactly(path, bytes);
  return bytes;
}

async function readSplit(dir: string, files: IdxSplitFiles, classCount: number | null): Promise<{ split: ReaderSplit; rows: number; cols: number; maxLabel: number }> {
  const imagesPath = join(dir, files.imagesFile);
  const labelsPath = join(dir, files.labelsFile);
  const images = parseIdxImages(await readIdx(imagesPath, 'images', files.imagesGzipped), imagesPath);
  const labels = parseIdxLabels(await readIdx(labelsPath, 'labels', files.labelsGzipped), labelsPath);
  checkIdxPair(images, labels, imagesPath, labelsPath);
  const wide = Uint16Array.from(labels.labels);
  let maxLabel = 0;
  for (let i = 0; i < wide.length; i++) {
    const l = wide[i]!;
    if (classCount !== null && l >= classCount) {
      throw new DatasetError(`${labelsPath}: label ${l} of image ${i} is past the ${classCount} classes of this dataset (0..${classCount - 1})`);
    }
    if (l > maxLabel) maxLabel = l;
  }
  const size = images.rows * images.cols;
  const readPixels = (indices: Uint32Array, out: Uint8Array): void => {
    checkOutLength(out, indices.length * size);
    indices.forEach((index, i) => {
      if (index >= images.count) throw new RangeError(`image index ${index} is outside 0..${images.count - 1}`);
      out.set(images.pixels.subarray(index * size, (index + 1) * size), i * size);
    });
  };
  return {
    split: { split: files.train ? 'train' : 'test', labels: wide, files: [imagesPath, labelsPath], readPixels },
    rows: images.rows,
    cols: images.cols,
    maxLabel,
  };
}

/**
 * The idx dataset of a folder, or of the one split `onlyFile` (an images or labels file, plain
 * or .gz) belongs to, read with its partner from the same folder.
 */
export async function readIdxFolder(dir: string, onlyFile: string | null = null): Promise<OpenedDataset> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    throw new DatasetError(`${dir}: ${fsProblem(err)}`);
  }
  try {
    return await readScanned(dir, names, onlyFile);
  } catch (err) {
    throw asDatasetError(err);
  }
}

async function readScanned(dir: string, names: string[], onlyFile: string | null): Promise<OpenedDataset> {
  const family = folderFamily(dir);
  const scan = findIdxSplits(names, family);
  let chosen = scan.splits;
  if (onlyFile !== null) {
    const stem = onlyFile.replace(/\.gz$/i, '');
    chosen = chosen.filter((s) => s.imagesFile.replace(/\.gz$/, '') === stem || s.labelsFile.replace(/\.gz$/, '') === stem);
    if (chosen.length === 0) {
      const why = scan.unpaired.find((u) => u.startsWith(onlyFile) || u.startsWith(stem));
      throw new DatasetError(`${join(dir, onlyFile)}: ${why ? why.slice(why.indexOf(' has no ') + 1) : `no idx partner file beside it`}`);
    }
  } else if (chosen.length === 0) {
    throw new DatasetError(`${dir}: ${scan.unpaired[0] ?? 'no idx files in this folder'}`);
  }
  const emnist = [...new Set(chosen.map((s) => s.emnistSplit).filter((s) => s !== null))];
  if (emnist.length > 1) {
    throw new DatasetError(`${dir}: holds ${emnist.length} EMNIST splits (${emnist.join(', ')}); open one of them by giving its images file, e.g. ${join(dir, chosen[0]!.imagesFile)}`);
  }
  const first = chosen[0]!;
  const classes = first.classes;
  const read = [];
  for (const files of chosen) read.push(await readSplit(dir, files, classes?.length ?? null));
  const { rows, cols } = read[0]!;
  const odd = read.find((r) => r.rows !== rows || r.cols !== cols);
  if (odd) {
    throw new DatasetError(`${odd.split.files[0]}: images are ${odd.rows} x ${odd.cols}, but ${read[0]!.split.files[0]} has ${rows} x ${cols}; the splits of one dataset share a size`);
  }
  const seen = new Set<Split>();
  for (const r of read) {
    if (seen.has(r.split.split)) throw new DatasetError(`${dir}: holds two ${r.split.split} splits (${r.split.files[0]} and another); open one file`);
    seen.add(r.split.split);
  }
  const fam = first.family;
  const maxLabel = Math.max(...read.map((r) => r.maxLabel));
  const classNames = classes ? [...classes] : Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  const name = fam ? `${TITLES[fam]}${first.emnistSplit ? ` (${first.emnistSplit})` : ''}` : 'idx images';
  const where = basename(resolve(dir));
  const gz = chosen.some((s) => s.imagesGzipped || s.labelsGzipped);
  return finishReaderDataset({
    title: `${name} (${shownName(onlyFile ?? where)})`,
    format: fam ? FORMATS[fam] : 'mnist',
    source: resolve(onlyFile ? join(dir, onlyFile) : dir),
    imageShape: [1, rows, cols],
    classNames,
    classNamesFrom: fam
      ? `torchvision's ${fam}${first.emnistSplit ? ` ${first.emnistSplit}` : ''} classes`
      : `label numbers: the folder ${quoteInput(where, 40)} names no MNIST family (MNIST, FashionMNIST, KMNIST, EMNIST)`,
    formatLine: `${fam ? `${TITLES[fam]} ` : ''}idx files${gz ? ' (gzipped)' : ''}, grey images ${[1, rows, cols].join('x')} (C x H x W)`,
    splits: read.map((r) => r.split),
  });
}
