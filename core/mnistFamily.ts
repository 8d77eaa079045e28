// Which MNIST-family dataset a folder holds, from torchvision's own names: its datasets read
// <root>/<ClassName>/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte (EMNIST:
// emnist-<split>-{train,test}-...), the same for MNIST, FashionMNIST and KMNIST, so the family
// is told by the folder above raw/. torchvision reads only the uncompressed files (its download
// leaves the .gz beside them); a lone .gz is accepted here as a convenience.
// EMNIST images are stored transposed relative to MNIST; torchvision (0.14, mnist.py) returns
// them as stored, without transposing, and so does ConvBoard.

export type MnistFamily = 'MNIST' | 'FashionMNIST' | 'KMNIST' | 'EMNIST';
export type EmnistSplit = 'byclass' | 'bymerge' | 'balanced' | 'letters' | 'digits' | 'mnist';

export const MNIST_FAMILIES: readonly MnistFamily[] = ['MNIST', 'FashionMNIST', 'KMNIST', 'EMNIST'];
/** torchvision's EMNIST.splits, in its order. */
export const EMNIST_SPLITS: readonly EmnistSplit[] = ['byclass', 'bymerge', 'balanced', 'letters', 'digits', 'mnist'];

const DIGITS = '0123456789'.split('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');
const UPPER = LOWER.map((c) => c.toUpperCase());
/** EMNIST's merged letters: upper and lower case look alike, so bymerge/balanced keep only upper. */
const MERGED = new Set('cijklmopsuvwxyz'.split(''));
/** sorted(set(digits + ascii_letters)) is digits, then uppercase, then lowercase (code-point order). */
const ALL = [...DIGITS, ...UPPER, ...LOWER];

const CLASSES: Record<Exclude<MnistFamily, 'EMNIST'>, readonly string[]> = {
  MNIST: ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'],
  FashionMNIST: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  KMNIST: ['o', 'ki', 'su', 'tsu', 'na', 'ha', 'ma', 'ya', 're', 'wo'],
};

const EMNIST_CLASSES: Record<EmnistSplit, readonly string[]> = {
  byclass: ALL,
  bymerge: ALL.filter((c) => !MERGED.has(c)),
  balanced: ALL.filter((c) => !MERGED.has(c)),
  letters: ['N/A', ...LOWER],
  digits: DIGITS,
  mnist: DIGITS,
};

/** torchvision's `classes` list of the dataset (label i is named classes[i]). */
export function mnistClasses(family: MnistFamily, emnistSplit: EmnistSplit | null = null): readonly string[] {
  if (family !== 'EMNIST') return CLASSES[family];
  if (emnistSplit === null) throw new Error('EMNIST needs a split to name its classes');
  return EMNIST_CLASSES[emnistSplit];
}

/** The family a folder path names: ".../<Family>/raw" or ".../<Family>" (either separator). */
export function familyFromFolderPath(path: string): MnistFamily | null {
  const parts = path.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  let last = parts[parts.length - 1];
  if (last === 'raw') last = parts[parts.length - 2];
  return MNIST_FAMILIES.find((f) => f === last) ?? null;
}

export interface IdxSplitFiles {
  /** null: torchvision's file names in a folder that names no family (labels are then shown as numbers). */
  readonly family: MnistFamily | null;
  readonly emnistSplit: EmnistSplit | null;
  /** torchvision's `train` flag: train-* (true) or t10k-* / emnist-*-test-* (false). */
  readonly train: boolean;
  readonly imagesFile: string;
  readonly labelsFile: string;
  readonly imagesGzipped: boolean;
  readonly labelsGzipped: boolean;
  /** torchvision's classes, or null when the family is unknown. */
  readonly classes: readonly string[] | null;
}

export interface IdxFolderScan {
  /** Train before test; EMNIST splits in torchvision's order. */
  readonly splits: IdxSplitFiles[];
  /** One line each: an images file without its labels file, or the reverse. */
  readonly unpaired: string[];
}

const PLAIN_RE = /^(train|t10k)-(images-idx3|labels-idx1)-ubyte(\.gz)?$/;
const EMNIST_RE = /^emnist-(byclass|bymerge|balanced|letters|digits|mnist)-(train|test)-(images-idx3|labels-idx1)-ubyte(\.gz)?$/;

interface Found {
  family: MnistFamily | null;
  emnistSplit: EmnistSplit | null;
  train: boolean;
  images?: string;
  labels?: string;
  imagesPrefix: string;
  labelsPrefix: string;
}

/**
 * The idx datasets among the names in one folder. `folderFamily` is what the folder path says
 * (familyFromFolderPath); EMNIST's own file names say EMNIST whatever the folder.
 */
export function findIdxSplits(fileNames: readonly string[], folderFamily: MnistFamily | null): IdxFolderScan {
  const found = new Map<string, Found>();
  const setFile = (key: string, base: Omit<Found, 'images' | 'labels'>, kind: 'images' | 'labels', name: string) => {
    const entry = found.get(key) ?? { ...base };
    const current = entry[kind];
    // torchvision reads the uncompressed file; the .gz is used only when it is alone.
    if (current === undefined || (current.endsWith('.gz') && !name.endsWith('.gz'))) entry[kind] = name;
    found.set(key, entry);
  };
  for (const name of fileNames) {
    const plain = PLAIN_RE.exec(name);
    if (plain) {
      const [, split, what] = plain;
      const base = { family: folderFamily === 'EMNIST' ? null : folderFamily, emnistSplit: null, train: split === 'train', imagesPrefix: `${split}-images-idx3-ubyte`, labelsPrefix: `${split}-labels-idx1-ubyte` };
      setFile(split, base, what === 'images-idx3' ? 'images' : 'labels', name);
      continue;
    }
    const em = EMNIST_RE.exec(name);
    if (em) {
      const [, emSplit, split, what] = em;
      const prefix = `emnist-${emSplit}-${split}`;
      const base = { family: 'EMNIST' as const, emnistSplit: emSplit as EmnistSplit, train: split === 'train', imagesPrefix: `${prefix}-images-idx3-ubyte`, labelsPrefix: `${prefix}-labels-idx1-ubyte` };
      setFile(prefix, base, what === 'images-idx3' ? 'images' : 'labels', name);
    }
  }
  const rank = (f: Found) => (f.emnistSplit === null ? -1 : EMNIST_SPLITS.indexOf(f.emnistSplit)) * 2 + (f.train ? 0 : 1);
  const splits: IdxSplitFiles[] = [];
  const unpaired: string[] = [];
  for (const f of [...found.values()].sort((a, b) => rank(a) - rank(b))) {
    if (f.images === undefined || f.labels === undefined) {
      unpaired.push(f.images !== undefined ? `${f.images} has no ${f.labelsPrefix} beside it` : `${f.labels} has no ${f.imagesPrefix} beside it`);
      continue;
    }
    splits.push({
      family: f.family,
      emnistSplit: f.emnistSplit,
      train: f.train,
      imagesFile: f.images,
      labelsFile: f.labels,
      imagesGzipped: f.images.endsWith('.gz'),
      labelsGzipped: f.labels.endsWith('.gz'),
      classes: f.family === null ? null : mnistClasses(f.family, f.emnistSplit),
    });
  }
  return { splits, unpaired };
}

/** torchvision's raw folder of a family under a root: `<root>/<Family>/raw`. */
export function torchvisionRawFolder(root: string, family: MnistFamily): string {
  return `${root.replace(/[\\/]+$/, '')}/${family}/raw`;
}
