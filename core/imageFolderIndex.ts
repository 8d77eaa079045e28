// torchvision 0.14's ImageFolder index (datasets/folder.py): classes are the sub-folders of the
// root in Python's sorted() order, which compares code points (not locale, not UTF-16 units);
// each class folder is walked with os.walk(followlinks=True) and the walk's (root, dirs, files)
// tuples are *sorted*, i.e. folders are visited in the order of their whole path strings
// ("c/sub-a" before "c/sub/deep", since '-' < '/'), and each folder's files in sorted order.
// A file counts when its lowercased name ends with one of IMG_EXTENSIONS.

import { quoteInput } from './quotedText';

export class ImageFolderError extends Error {
  override readonly name = 'ImageFolderError';
}

export const IMG_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

/** One folder as listed from disk (symbolic links already followed by the lister). */
export interface FolderTree {
  readonly name: string;
  readonly files: readonly string[];
  readonly folders: readonly FolderTree[];
}

export interface ImageFolderSample {
  /** Relative to the root, '/'-separated, starting with the class folder. */
  readonly path: string;
  readonly classIndex: number;
}

export interface ImageFolderIndex {
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  readonly samples: ImageFolderSample[];
}

/**
 * Python's string comparison: by code point. UTF-16 order differs only where a surrogate (a
 * character past U+FFFF) meets a unit in U+E000..U+FFFF, so the first differing units are
 * remapped to put surrogates above that range.
 */
export function comparePythonStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** has_file_allowed_extension(name, IMG_EXTENSIONS). */
export function hasImageExtension(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return IMG_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function collectFolders(tree: FolderTree, path: string, out: { path: string; files: readonly string[] }[]): void {
  out.push({ path, files: tree.files });
  for (const sub of tree.folders) collectFolders(sub, `${path}/${sub.name}`, out);
}

/** ImageFolder(root).classes, .class_to_idx and .samples from the root's class folders. */
export function imageFolderIndex(classFolders: readonly FolderTree[], rootName: string): ImageFolderIndex {
  const classes = classFolders.map((f) => f.name).sort(comparePythonStrings);
  if (classes.length === 0) throw new ImageFolderError(`${rootName}: no class folders found (ImageFolder needs one sub-folder per class)`);
  const classToIdx: Record<string, number> = Object.create(null);
  classes.forEach((c, i) => (classToIdx[c] = i));
  const byName = new Map(classFolders.map((f) => [f.name, f]));
  const samples: ImageFolderSample[] = [];
  const empty: string[] = [];
  for (const [classIndex, className] of classes.entries()) {
    const folders: { path: string; files: readonly string[] }[] = [];
    collectFolders(byName.get(className)!, className, folders);
    folders.sort((x, y) => comparePythonStrings(x.path, y.path));
    const before = samples.length;
    for (const folder of folders) {
      for (const file of [...folder.files].sort(comparePythonStrings)) {
        if (hasImageExtension(file)) samples.push({ path: `${folder.path}/${file}`, classIndex });
      }
    }
    if (samples.length === before) empty.push(className);
  }
  if (empty.length > 0) {
    const names = empty.sort(comparePythonStrings).map((c) => quoteInput(c, 40));
    throw new ImageFolderError(`${rootName}: no image files in the class folder${empty.length === 1 ? '' : 's'} ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''} (ImageFolder reads ${IMG_EXTENSIONS.join(' ')})`);
  }
  return { classes, classToIdx, samples };
}
