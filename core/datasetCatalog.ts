// Where each dataset ConvBoard can fetch lives, and the MD5 its publisher gives for every file.
// MNIST and Fashion-MNIST are exactly torchvision 0.14's `mirrors` and `resources` (same order:
// torchvision tries the mirrors in turn, and so do we). For CIFAR, torchvision downloads the
// python version; ConvBoard wants the BINARY version of the same archives, whose MD5s torchvision
// does not list. Those two come from the download table of https://www.cs.toronto.edu/~kriz/cifar.html
// (the same table lists the python versions' c58f3010… and eb9058c3…, which match torchvision's
// tgz_md5, so it is the same publisher's list). Every MD5 here was published by someone else: none
// is computed by us, and none may be added without a published source.

export type DatasetId = 'cifar-10' | 'cifar-100' | 'mnist' | 'fashion-mnist';

export interface CatalogFile {
  /** Name on the mirror and on disk. */
  readonly name: string;
  /** Lower-case hex MD5 of the whole file as published. */
  readonly md5: string;
}

export interface CatalogEntry {
  readonly id: DatasetId;
  readonly title: string;
  readonly homepage: string;
  /** Base addresses ending in '/', tried in order; a file's address is base + file name. */
  readonly mirrors: readonly string[];
  readonly files: readonly CatalogFile[];
  /** Folder under the download folder that holds the files; null puts them in the download folder itself. */
  readonly subfolder: string | null;
  /** What a reader opens afterwards: the one archive file, or the folder holding the files. */
  readonly opens: 'archive' | 'folder';
}

export const DATASET_CATALOG: Readonly<Record<DatasetId, CatalogEntry>> = {
  'cifar-10': {
    id: 'cifar-10',
    title: 'CIFAR-10 (binary version)',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    mirrors: ['https://www.cs.toronto.edu/~kriz/'],
    files: [{ name: 'cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' }],
    subfolder: null,
    opens: 'archive',
  },
  'cifar-100': {
    id: 'cifar-100',
    title: 'CIFAR-100 (binary version)',
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    mirrors: ['https://www.cs.toronto.edu/~kriz/'],
    files: [{ name: 'cifar-100-binary.tar.gz', md5: '03b5dce01913d631647c71ecec9e9cb8' }],
    subfolder: null,
    opens: 'archive',
  },
  mnist: {
    id: 'mnist',
    title: 'MNIST',
    homepage: 'http://yann.lecun.com/exdb/mnist/',
    mirrors: ['http://yann.lecun.com/exdb/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'],
    files: [
      { name: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
      { name: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
      { name: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3' },
      { name: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
    ],
    subfolder: 'mnist',
    opens: 'folder',
  },
  'fashion-mnist': {
    id: 'fashion-mnist',
    title: 'Fashion-MNIST',
    homepage: 'https://github.com/zalandoresearch/fashion-mnist',
    mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    files: [
      { name: 'train-images-idx3-ubyte.gz', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
      { name: 'train-labels-idx1-ubyte.gz', md5: '25c81989df183df01b3e8a0aad5dffbe' },
      { name: 't10k-images-idx3-ubyte.gz', md5: 'bef4ecab320f06d8554ea6380940ec79' },
      { name: 't10k-labels-idx1-ubyte.gz', md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
    ],
    subfolder: 'fashion-mnist',
    opens: 'folder',
  },
};

export const DATASET_IDS: readonly DatasetId[] = ['cifar-10', 'cifar-100', 'mnist', 'fashion-mnist'];

/** A dataset name the catalog does not know. */
export class UnknownDatasetError extends Error {
  override readonly name = 'UnknownDatasetError';
}

export function isDatasetId(name: string): name is DatasetId {
  return (DATASET_IDS as readonly string[]).includes(name);
}

/** The entry for `name`, or an UnknownDatasetError listing the names it knows. */
export function catalogEntry(name: string): CatalogEntry {
  if (isDatasetId(name)) return DATASET_CATALOG[name];
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  throw new UnknownDatasetError(`unknown dataset ${shown} (choose one of ${DATASET_IDS.join(', ')})`);
}

/** The addresses to try for one file of an entry, in order. */
export function fileUrls(entry: CatalogEntry, file: CatalogFile): string[] {
  return entry.mirrors.map((base) => base + file.name);
}

/** True for 32 hex digits (either case), the only MD5 spelling we accept. */
export function isMd5Hex(text: string): boolean {
  return /^[0-9a-fA-F]{32}$/.test(text);
}
