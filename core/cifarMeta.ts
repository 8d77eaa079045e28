// Class names of the CIFAR binary version: batches.meta.txt (CIFAR-10), fine_label_names.txt and
// coarse_label_names.txt (CIFAR-100), one name a line. The built-in lists are the datasets' own,
// used when a single .bin is opened without its meta file beside it.
import type { CifarFormat } from './cifarBinary';

export const CIFAR10_CLASS_NAMES: readonly string[] = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export const CIFAR100_FINE_CLASS_NAMES: readonly string[] = [
  'apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle',
  'bowl', 'boy', 'bridge', 'bus', 'butterfly', 'camel', 'can', 'castle', 'caterpillar', 'cattle',
  'chair', 'chimpanzee', 'clock', 'cloud', 'cockroach', 'couch', 'crab', 'crocodile', 'cup', 'dinosaur',
  'dolphin', 'elephant', 'flatfish', 'forest', 'fox', 'girl', 'hamster', 'house', 'kangaroo', 'keyboard',
  'lamp', 'lawn_mower', 'leopard', 'lion', 'lizard', 'lobster', 'man', 'maple_tree', 'motorcycle', 'mountain',
  'mouse', 'mushroom', 'oak_tree', 'orange', 'orchid', 'otter', 'palm_tree', 'pear', 'pickup_truck', 'pine_tree',
  'plain', 'plate', 'poppy', 'porcupine', 'possum', 'rabbit', 'raccoon', 'ray', 'road', 'rocket',
  'rose', 'sea', 'seal', 'shark', 'shrew', 'skunk', 'skyscraper', 'snail', 'snake', 'spider',
  'squirrel', 'streetcar', 'sunflower', 'sweet_pepper', 'table', 'tank', 'telephone', 'television', 'tiger', 'tractor',
  'train', 'trout', 'tulip', 'turtle', 'wardrobe', 'whale', 'willow_tree', 'wolf', 'woman', 'worm',
];

export const CIFAR100_COARSE_CLASS_NAMES: readonly string[] = [
  'aquatic_mammals', 'fish', 'flowers', 'food_containers', 'fruit_and_vegetables',
  'household_electrical_devices', 'household_furniture', 'insects', 'large_carnivores',
  'large_man-made_outdoor_things', 'large_natural_outdoor_scenes', 'large_omnivores_and_herbivores',
  'medium_mammals', 'non-insect_invertebrates', 'people', 'reptiles', 'small_mammals', 'trees',
  'vehicles_1', 'vehicles_2',
];

export interface MetaFileSpec {
  readonly fileName: string;
  readonly count: number;
  readonly defaults: readonly string[];
}

/** The meta files of each format: the class names first, then (CIFAR-100) the coarse names. */
export const META_FILES: Record<CifarFormat, { classes: MetaFileSpec; coarse: MetaFileSpec | null }> = {
  'cifar-10': { classes: { fileName: 'batches.meta.txt', count: 10, defaults: CIFAR10_CLASS_NAMES }, coarse: null },
  'cifar-100': {
    classes: { fileName: 'fine_label_names.txt', count: 100, defaults: CIFAR100_FINE_CLASS_NAMES },
    coarse: { fileName: 'coarse_label_names.txt', count: 20, defaults: CIFAR100_COARSE_CLASS_NAMES },
  },
};

/**
 * Names from a meta file, or a one-line reason it is unusable. The original files end with
 * blank lines (and may use CRLF), so empty lines are dropped and names trimmed.
 */
export function parseClassNames(bytes: Uint8Array, expected: number): { names: string[] } | { problem: string } {
  const text = decodeUtf8(bytes);
  if (text === null) return { problem: 'is not UTF-8 text' };
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (names.length !== expected) {
    return { problem: `has ${names.length} class names, expected ${expected} (one a line)` };
  }
  return { names };
}

// core/ runs without DOM or Node types (no TextDecoder); decodeURIComponent is plain ECMAScript
// and rejects malformed UTF-8. Meta files are a few hundred bytes.
function decodeUtf8(bytes: Uint8Array): string | null {
  let escaped = '';
  for (const b of bytes) escaped += b < 0x10 ? `%0${b.toString(16)}` : `%${b.toString(16)}`;
  try {
    return decodeURIComponent(escaped);
  } catch {
    return null;
  }
}
