// An opened dataset: per split, its labels and a way to fetch the uint8 [C, H, W] pixels of given
// indices (CIFAR: views of its records, read once; idx: views of the parsed files; ImageFolder:
// files decoded when a step asks for them), and what the UI and `convboard info` show about it.
// Built only after every check has passed, so nothing is ever half-loaded.
import { CIFAR_LAYOUTS, IMAGE_SHAPE, allCoarseLabels, allLabels, cifarRecords, countPerClass, findBadLabel, imagePixels, type CifarFormat, type CifarRecords } from '../../core/cifarBinary';
import { META_FILES, parseClassNames, type MetaFileSpec } from '../../core/cifarMeta';
import type { DatasetInfo, Split } from '../../core/hostContract';
import { pythonBatchRole } from './cifarFileNames';
import { DatasetError } from './datasetError';

/** One split's images: labels up front, pixels on demand. */
export interface SplitImages {
  readonly count: number;
  /** Label of every image (indices into the dataset's classNames). */
  readonly labels: Uint16Array;
  /**
   * Writes the uint8 [indices.length, C, H, W] pixels of the given images into `out`. Bounded by
   * the indices asked for: a reader that decodes files decodes only these. Data already in
   * memory answers synchronously, so a step over it reaches the compute worker without a tick.
   */
  readPixels(indices: Uint32Array, out: Uint8Array): void | Promise<void>;
}

export interface OpenedDataset {
  readonly info: DatasetInfo;
  readonly splits: Partial<Record<Split, SplitImages>>;
  /** CIFAR's records as read (empty for the other formats). */
  readonly records: Partial<Record<Split, CifarRecords>>;
  /** CIFAR-100's 20 superclass names and per-split counts; null for CIFAR-10. */
  readonly coarse: { classNames: string[]; classCounts: Partial<Record<Split, number[]>> } | null;
  /** The batch files behind each split, in order (names as shown in messages). */
  readonly files: Partial<Record<Split, string[]>>;
  /** Where the class names came from: the meta file, or the format's built-in list when it was absent. */
  readonly classNamesFrom: string;
  /** What `convboard info` prints after "format:". */
  readonly formatLine: string;
  /** More lines for `convboard info` (ImageFolder's sizes seen, transforms). */
  readonly notes: string[];
}

export interface SplitBytes {
  split: Split;
  bytes: Uint8Array;
  /** The files the bytes came from, in order, for naming the culprit of a bad label. */
  files: { displayName: string; byteLength: number }[];
}

export interface MetaBytes {
  displayName: string;
  bytes: Uint8Array;
}

export interface LoadedCifar {
  format: CifarFormat;
  title: string;
  source: string;
  synthetic: boolean;
  splits: SplitBytes[];
  classNames: MetaBytes | null;
  coarseNames: MetaBytes | null;
}

const SPLIT_ORDER: Split[] = ['train', 'test'];

function namesFrom(spec: MetaFileSpec, meta: MetaBytes | null): string[] {
  if (!meta) return [...spec.defaults];
  const parsed = parseClassNames(meta.bytes, spec.count);
  if ('problem' in parsed) throw new DatasetError(`${meta.displayName}: ${parsed.problem}`);
  return parsed.names;
}

function checkLabels(format: CifarFormat, part: SplitBytes): void {
  const { recordSize, displayName: formatName } = CIFAR_LAYOUTS[format];
  let start = 0;
  for (const file of part.files) {
    const bad = findBadLabel(format, part.bytes.subarray(start, start + file.byteLength));
    if (bad) {
      throw new DatasetError(`${file.displayName}: record ${bad.record} (byte ${bad.record * recordSize}) has ${bad.which} ${bad.value}, but ${formatName} ${bad.which}s are 0..${bad.max}`);
    }
    start += file.byteLength;
  }
}

/** Validates labels and meta files, then counts classes: the dataset, or a DatasetError. */
export function finishDataset(loaded: LoadedCifar): OpenedDataset {
  const layout = CIFAR_LAYOUTS[loaded.format];
  const meta = META_FILES[loaded.format];
  const splits = [...loaded.splits].sort((a, b) => SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split));
  for (const part of splits) checkLabels(loaded.format, part);
  const classNames = namesFrom(meta.classes, loaded.classNames);
  const coarseNames = meta.coarse ? namesFrom(meta.coarse, loaded.coarseNames) : null;

  const records: Partial<Record<Split, CifarRecords>> = {};
  const images: Partial<Record<Split, SplitImages>> = {};
  const classCounts: Partial<Record<Split, number[]>> = {};
  const coarseCounts: Partial<Record<Split, number[]>> = {};
  const files: Partial<Record<Split, string[]>> = {};
  for (const part of splits) {
    const rec = cifarRecords(loaded.format, part.bytes);
    records[part.split] = rec;
    const labels = allLabels(rec);
    images[part.split] = { count: rec.count, labels, readPixels: (indices, out) => cifarPixels(rec, indices, out) };
    classCounts[part.split] = countPerClass(labels, layout.classCount);
    const coarse = allCoarseLabels(rec);
    if (coarse && layout.coarseClassCount) coarseCounts[part.split] = countPerClass(coarse, layout.coarseClassCount);
    files[part.split] = part.files.map((f) => f.displayName);
  }
  return {
    info: {
      title: loaded.title,
      format: loaded.format,
      synthetic: loaded.synthetic,
      source: loaded.source,
      splits: splits.map((p) => ({ split: p.split, count: records[p.split]!.count })),
      classNames,
      classCounts,
      imageShape: [...IMAGE_SHAPE] as [number, number, number],
    },
    splits: images,
    records,
    coarse: coarseNames ? { classNames: coarseNames, classCounts: coarseCounts } : null,
    files,
    classNamesFrom: loaded.classNames?.displayName ?? `built-in ${layout.displayName} names (no ${meta.classes.fileName} found)`,
    formatLine: `${layout.displayName} ${isPythonVersion(files) ? "python version (torchvision's download)" : `binary, ${layout.recordSize}-byte records`}, images ${IMAGE_SHAPE.join('x')} (C x H x W)${loaded.synthetic ? ', synthetic images (not real CIFAR data)' : ''}`,
    notes: [],
  };
}

function cifarPixels(records: CifarRecords, indices: Uint32Array, out: Uint8Array): void {
  const size = IMAGE_SHAPE[0] * IMAGE_SHAPE[1] * IMAGE_SHAPE[2];
  checkOutLength(out, indices.length * size);
  indices.forEach((index, i) => out.set(imagePixels(records, index), i * size));
}

export function checkOutLength(out: Uint8Array, needed: number): void {
  if (out.length !== needed) throw new RangeError(`readPixels: ${needed} bytes needed, the buffer has ${out.length}`);
}

/** Whether the dataset was read from CIFAR's python version (its batch files are named without .bin). */
function isPythonVersion(files: Partial<Record<Split, string[]>>): boolean {
  const names = Object.values(files).flat();
  return names.length > 0 && names.every((f) => pythonBatchRole(f.split(/[\\/:]/).pop()!) !== null);
}

/** One split of a non-CIFAR dataset, as a reader hands it over. */
export interface ReaderSplit {
  split: Split;
  labels: Uint16Array;
  files: string[];
  readPixels: SplitImages['readPixels'];
}

export interface ReaderDataset {
  title: string;
  format: DatasetInfo['format'];
  source: string;
  imageShape: [number, number, number];
  classNames: string[];
  classNamesFrom: string;
  formatLine: string;
  notes?: string[];
  splits: ReaderSplit[];
}

/** Counts classes (refusing a label past the class list) and puts a reader's dataset together. */
export function finishReaderDataset(d: ReaderDataset): OpenedDataset {
  const splits = [...d.splits].sort((a, b) => SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split));
  const images: Partial<Record<Split, SplitImages>> = {};
  const classCounts: Partial<Record<Split, number[]>> = {};
  const files: Partial<Record<Split, string[]>> = {};
  for (const s of splits) {
    const counts = new Array<number>(d.classNames.length).fill(0);
    for (let i = 0; i < s.labels.length; i++) {
      const label = s.labels[i]!;
      if (label >= counts.length) {
        throw new DatasetError(`${s.files[s.files.length - 1] ?? d.source}: label ${label} of image ${i} is past the ${counts.length} classes (0..${counts.length - 1})`);
      }
      counts[label]++;
    }
    images[s.split] = { count: s.labels.length, labels: s.labels, readPixels: s.readPixels };
    classCounts[s.split] = counts;
    files[s.split] = s.files;
  }
  return {
    info: {
      title: d.title,
      format: d.format,
      synthetic: false,
      source: d.source,
      splits: splits.map((s) => ({ split: s.split, count: s.labels.length })),
      classNames: d.classNames,
      classCounts,
      imageShape: d.imageShape,
    },
    splits: images,
    records: {},
    coarse: null,
    files,
    classNamesFrom: d.classNamesFrom,
    formatLine: d.formatLine,
    notes: d.notes ?? [],
  };
}

/** How a source is named when the path alone does not say it (the embedded sample). */
export interface SourceLabel {
  title?: string;
  source?: string;
  synthetic?: boolean;
}
