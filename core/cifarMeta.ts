// Class names of the CIFAR binary version: batches.meta.txt (CIFAR-10), fine_label_names.txt and
// coarse_label_names.txt (CIFAR-100), one name a line. The built-in lists are the datasets' own,
// used when a single .bin is opened without its meta file beside it.
import type { CifarFormat } from './cifarBinary';
import { hasUnsafeCharacters, quoteInput } from './quotedText';

// Present in every runtime core runs in (Node, browsers, workers) but not declared by lib ES2022.
declare const TextDecoder: { new (label?: string, options?: { fatal?: boolean }): { decode(bytes: Uint8Array): string } };

/** CIFAR-10's meta file is ~60 bytes and CIFAR-100's ~1 KB; anything near this is not one. */
export const MAX_META_FILE_BYTES = 1024 * 1024;
/** The longest CIFAR class name has 29 characters. */
export const MAX_CLASS_NAME_LENGTH = 200;

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
  if (bytes.length > MAX_META_FILE_BYTES) {
    return { problem: `is ${bytes.length} bytes, too large for a class-name file (at most ${MAX_META_FILE_BYTES}; CIFAR's are under 2 KB)` };
  }
  const text = decodeUtf8(bytes);
  if (text === null) return { problem: 'is not UTF-8 text' };
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (names.length !== expected) {
    return { problem: `has ${names.length} class names, expected ${expected} (one a line)` };
  }
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name.length > MAX_CLASS_NAME_LENGTH) return { problem: `class name ${i} is ${quoteInput(name, 40)}, longer than ${MAX_CLASS_NAME_LENGTH} characters` };
    // Names reach the UI and terminals; control characters and bidi overrides there could act on them.
    if (hasUnsafeCharacters(name)) return { problem: `class name ${i} is ${quoteInput(name, 40)}, which holds control characters` };
  }
  return { names };
}

/** Whole-file UTF-8 decoding in one call; null for malformed input, as before. */
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
