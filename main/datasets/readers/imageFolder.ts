// torchvision's ImageFolder: root/<class>/<image>, classes and samples in its order
// (core/imageFolderIndex.ts), each image loaded as pil_loader does (PNG/JPEG -> RGB), then the
// optional Resize(n) and CenterCrop(n). Opening reads only each file's header (sizes, and that it
// is a PNG or JPEG at all); pixels are decoded when a step asks for them, that step's files only.
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { torchvisionCenterCrop } from '../../../core/centerCrop';
import type { HwcImage } from '../../../core/hwcImage';
import { imageFolderIndex, type FolderTree, type ImageFolderIndex } from '../../../core/imageFolderIndex';
import { torchvisionResize, torchvisionResizeSize } from '../../../core/pilResize';
import { quoteInput } from '../../../core/quotedText';
import { asDatasetError, DatasetError, fsProblem } from '../datasetError';
import { readRegularFile } from '../datasetFiles';
import { shownName } from '../shownName';
import { loadImageRgb } from '../imageDecode/decodeImage';
import { DEFAULT_MAX_PIXELS } from '../imageDecode/imageDecodeError';
import { checkImageSize, readJpegHeader, readPngHeader, sniffImageFormat } from '../imageDecode/imageHeader';
import { checkOutLength, finishReaderDataset, type OpenedDataset } from '../openedDataset';

/** torchvision's Resize(n) then CenterCrop(n), either optional, in that order. */
export interface ImageFolderTransform {
  resize?: number;
  centerCrop?: number;
}

/** More files than this in one tree is refused rather than listed. */
export const MAX_IMAGE_FOLDER_FILES = 5_000_000;
/** One image file may not exceed this (a 50-megapixel PNG is well under it). */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;
/** Enough for a PNG's IHDR and the JPEG markers before the frame header in all but odd files. */
const HEADER_READ_BYTES = 64 * 1024;
/** Headers read at once while opening (64 KB each). */
const PARALLEL_HEADERS = 16;
/** Whole files held at once while gathering a step (each decoded as soon as it is read). */
const PARALLEL_FILES = 4;

/** Lists a folder tree, following symbolic links as os.walk(followlinks=True), refusing a loop. */
async function listTree(dir: string, name: string, ancestors: Set<string>, budget: { files: number }): Promise<FolderTree> {
  const real = await realpath(dir).catch((err) => {
    throw new DatasetError(`${dir}: ${fsProblem(err)}`);
  });
  if (ancestors.has(real)) throw new DatasetError(`${dir}: a symbolic link loops back to ${real}; ImageFolder would walk it forever`);
  const inside = new Set(ancestors).add(real);
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch (err) {
    throw new DatasetError(`${dir}: ${fsProblem(err)}`);
  }
  const files: string[] = [];
  const folders: FolderTree[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    let isDir = false;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch {
      // A dangling link: os.walk lists it as a file, and ImageFolder fails on it only if it has an image extension.
    }
    if (isDir) folders.push(await listTree(path, entry, inside, budget));
    else {
      files.push(entry);
      if (++budget.files > MAX_IMAGE_FOLDER_FILES) throw new DatasetError(`${dir}: more than ${MAX_IMAGE_FOLDER_FILES} files under the image folder; open a smaller one`);
    }
  }
  return { name, files, folders };
}

/** The class folders of `root` (its sub-folders, links followed) as trees. */
async function classFolders(root: string): Promise<FolderTree[]> {
  const tree = await listTree(root, basename(resolve(root)), new Set(), { files: 0 });
  return [...tree.folders];
}

interface ImageSize {
  width: number;
  height: number;
}

/** Width and height from the first bytes of the file (the whole file when a JPEG's frame header comes late). */
async function headerSize(path: string): Promise<ImageSize> {
  let head: Uint8Array;
  let size: number;
  try {
    const handle = await open(path, 'r');
    try {
      size = (await handle.stat()).size;
      head = new Uint8Array(Math.min(HEADER_READ_BYTES, size));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
  const format = sniffImageFormat(head, path);
  if (format === 'png') return readPngHeader(head, path);
  try {
    return readJpegHeader(head, path);
  } catch (err) {
    if (size <= head.length) throw err;
    return readJpegHeader(await readRegularFile(path, MAX_IMAGE_FILE_BYTES, 'image file'), path);
  }
}

/** The size an image of `s` has after the transform, as torchvision computes it. */
export function transformedSize(s: ImageSize, t: ImageFolderTransform): ImageSize {
  let out = s;
  if (t.resize !== undefined) out = torchvisionResizeSize(out.width, out.height, t.resize);
  if (t.centerCrop !== undefined) out = { width: t.centerCrop, height: t.centerCrop };
  return out;
}

function transformText(t: ImageFolderTransform): string {
  const parts = [];
  if (t.resize !== undefined) parts.push(`Resize(${t.resize})`);
  if (t.centerCrop !== undefined) parts.push(`CenterCrop(${t.centerCrop})`);
  return parts.length ? parts.join(' + ') : 'none';
}

async function inBatches<T, R>(items: readonly T[], parallel: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  for (let at = 0; at < items.length; at += parallel) {
    const slice = items.slice(at, at + parallel);
    const done = await Promise.all(slice.map((item, k) => work(item, at + k)));
    done.forEach((r, k) => (out[at + k] = r));
  }
  return out;
}

const sizeText = (s: ImageSize) => `${s.width}x${s.height}`;

/** HWC RGB into CHW planes at `out[offset..]`. */
function toChw(image: HwcImage, out: Uint8Array, offset: number): void {
  const plane = image.width * image.height;
  const { data } = image;
  for (let p = 0; p < plane; p++) {
    out[offset + p] = data[p * 3]!;
    out[offset + plane + p] = data[p * 3 + 1]!;
    out[offset + 2 * plane + p] = data[p * 3 + 2]!;
  }
}

/** One image as the dataset's __getitem__ returns it before ToTensor: loaded, RGB, transformed. */
export function transformImage(bytes: Uint8Array, name: string, t: ImageFolderTransform): HwcImage {
  let image = loadImageRgb(bytes, name, DEFAULT_MAX_PIXELS);
  if (t.resize !== undefined) image = torchvisionResize(image, t.resize);
  if (t.centerCrop !== undefined) image = torchvisionCenterCrop(image, t.centerCrop);
  return image;
}

/** ImageFolder(root, transform=Compose([Resize(n), CenterCrop(n)])) as one 'test' split (the folder has no splits). */
export async function readImageFolder(root: string, transform: ImageFolderTransform = {}): Promise<OpenedDataset> {
  try {
    return await readChecked(root, transform);
  } catch (err) {
    throw asDatasetError(err);
  }
}

async function readChecked(root: string, transform: ImageFolderTransform): Promise<OpenedDataset> {
  const index: ImageFolderIndex = imageFolderIndex(await classFolders(root), root);
  if (index.classes.length > 65536) throw new DatasetError(`${root}: ${index.classes.length} class folders, more than the 65536 this app labels`);
  const paths = index.samples.map((s) => join(root, ...s.path.split('/')));
  const sizes = await inBatches(paths, PARALLEL_HEADERS, async (path) => {
    const s = await headerSize(path);
    checkImageSize(s.width, s.height, DEFAULT_MAX_PIXELS, path);
    return s;
  });
  const outSizes = sizes.map((s) => transformedSize(s, transform));
  const distinct = new Map<string, number[]>();
  outSizes.forEach((s, i) => {
    const key = sizeText(s);
    const list = distinct.get(key) ?? [];
    list.push(i);
    distinct.set(key, list);
  });
  const byCount = [...distinct.entries()].sort((a, b) => b[1].length - a[1].length);
  if (byCount.length > 1) {
    const after = transform.resize !== undefined ? ` after Resize(${transform.resize})` : '';
    const odd = byCount.slice(1).flatMap(([, list]) => list).slice(0, 3).map((i) => `${quoteInput(index.samples[i]!.path, 60)} ${sizeText(outSizes[i]!)}`);
    throw new DatasetError(
      `${root}: images differ in size${after} (${byCount.length} sizes, most are ${byCount[0]![0]}; e.g. ${odd.join(', ')}); give --resize N and --center-crop N to bring them to one size`,
    );
  }
  const { width, height } = outSizes[0]!;
  const labels = Uint16Array.from(index.samples, (s) => s.classIndex);
  const plane = 3 * width * height;
  const readPixels = async (indices: Uint32Array, out: Uint8Array) => {
    checkOutLength(out, indices.length * plane);
    try {
      await inBatches([...indices], PARALLEL_FILES, async (index, i) => {
        if (index >= paths.length) throw new RangeError(`image index ${index} is outside 0..${paths.length - 1}`);
        const path = paths[index]!;
        const image = transformImage(await readRegularFile(path, MAX_IMAGE_FILE_BYTES, 'image file'), path, transform);
        if (image.width !== width || image.height !== height) {
          throw new DatasetError(`${path}: is now ${image.width}x${image.height}, not the ${width}x${height} it had when the folder was opened`);
        }
        toChw(image, out, i * plane);
      });
    } catch (err) {
      throw asDatasetError(err);
    }
  };
  const seen = [...distinct.keys()];
  const original = new Map<string, number>();
  for (const s of sizes) original.set(sizeText(s), (original.get(sizeText(s)) ?? 0) + 1);
  const originalSorted = [...original.entries()].sort((a, b) => b[1] - a[1]);
  const notes = [
    `image folder: ${index.classes.length} class folders, ${paths.length} images (${[...new Set(paths.map((p) => p.slice(p.lastIndexOf('.')).toLowerCase()))].sort().join(' ')})`,
    `sizes seen (W x H): ${originalSorted.slice(0, 8).map(([s, n]) => `${s} (${n})`).join(', ')}${originalSorted.length > 8 ? `, and ${originalSorted.length - 8} more sizes` : ''}`,
    `transform: ${transformText(transform)} -> ${seen[0]} (W x H)`,
  ];
  return finishReaderDataset({
    title: `ImageFolder (${shownName(basename(resolve(root)))})`,
    format: 'image-folder',
    source: resolve(root),
    imageShape: [3, height, width],
    // Shown in the page and by info: a folder name with control or bidi characters is escaped, as everywhere.
    classNames: index.classes.map((c) => shownName(c)),
    classNamesFrom: 'the class folders, in sorted order',
    formatLine: `ImageFolder (root/<class>/<image>), PNG/JPEG loaded as RGB, images ${[3, height, width].join('x')} (C x H x W)`,
    notes,
    splits: [{ split: 'test', labels, files: [resolve(root)], readPixels }],
  });
}
