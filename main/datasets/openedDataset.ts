// An opened CIFAR dataset: each split's records (one byte array, read once) and what the UI and
// `convboard info` show about it. Built from whatever was read (folder, .bin, archive, sample)
// only after every check has passed, so nothing is ever half-loaded.
import { CIFAR_LAYOUTS, IMAGE_SHAPE, allCoarseLabels, allLabels, cifarRecords, countPerClass, findBadLabel, type CifarFormat, type CifarRecords } from '../../core/cifarBinary';
import { META_FILES, parseClassNames, type MetaFileSpec } from '../../core/cifarMeta';
import type { DatasetInfo, Split } from '../../core/hostContract';
import { DatasetError } from './datasetError';

export interface OpenedDataset {
  readonly info: DatasetInfo;
  readonly records: Partial<Record<Split, CifarRecords>>;
  /** CIFAR-100's 20 superclass names and per-split counts; null for CIFAR-10. */
  readonly coarse: { classNames: string[]; classCounts: Partial<Record<Split, number[]>> } | null;
  /** The batch files behind each split, in order (names as shown in messages). */
  readonly files: Partial<Record<Split, string[]>>;
  /** Where the class names came from: the meta file, or the format's built-in list when it was absent. */
  readonly classNamesFrom: string;
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
  const classCounts: Partial<Record<Split, number[]>> = {};
  const coarseCounts: Partial<Record<Split, number[]>> = {};
  const files: Partial<Record<Split, string[]>> = {};
  for (const part of splits) {
    const rec = cifarRecords(loaded.format, part.bytes);
    records[part.split] = rec;
    classCounts[part.split] = countPerClass(allLabels(rec), layout.classCount);
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
    records,
    coarse: coarseNames ? { classNames: coarseNames, classCounts: coarseCounts } : null,
    files,
    classNamesFrom: loaded.classNames?.displayName ?? `built-in ${layout.displayName} names (no ${meta.classes.fileName} found)`,
  };
}

/** How a source is named when the path alone does not say it (the embedded sample). */
export interface SourceLabel {
  title?: string;
  source?: string;
  synthetic?: boolean;
}
