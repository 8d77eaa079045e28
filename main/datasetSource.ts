// Opening a dataset from whatever the user points at, and describing it for `convboard info`.
import { stat } from 'node:fs/promises';
import { CIFAR_LAYOUTS } from '../core/cifarBinary';
import type { Split } from '../core/hostContract';
import { isArchiveName, readCifarArchive } from './cifarArchive';
import { readCifarBinFile, readCifarFolder } from './cifarFolder';
import { DatasetError, fsProblem } from './datasetError';
import { finishDataset, type OpenedDataset } from './openedDataset';
import { SAMPLE_SOURCE, SAMPLE_TITLE, sampleFolder } from './sampleDataset';

export { DatasetError } from './datasetError';
export type { OpenedDataset } from './openedDataset';

/** Opens a CIFAR folder, a single .bin, or the .tar.gz archive; null opens the embedded sample. */
export async function openDataset(path: string | null): Promise<OpenedDataset> {
  if (path === null) {
    const sample = finishDataset(await readCifarFolder(sampleFolder(), { title: SAMPLE_TITLE, source: SAMPLE_SOURCE, synthetic: true }));
    return { ...sample, classNamesFrom: 'batches.meta.txt of the embedded sample' };
  }
  if (path.trim() === '') throw new DatasetError('dataset path is empty');
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
  if (isDir) return finishDataset(await readCifarFolder(path));
  if (isArchiveName(path)) return finishDataset(await readCifarArchive(path));
  if (/\.bin$/i.test(path)) return finishDataset(await readCifarBinFile(path));
  throw new DatasetError(`${path}: not a CIFAR binary dataset (give a cifar-10-batches-bin or cifar-100-binary folder, a .bin batch, or the .tar.gz archive)`);
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
  const layout = CIFAR_LAYOUTS[info.format];
  const splits = info.splits.map((s) => s.split);
  const lines = [
    info.title,
    `format:  ${layout.displayName} binary, ${layout.recordSize}-byte records, images ${info.imageShape.join('x')} (C x H x W)${info.synthetic ? ', synthetic images (not real CIFAR data)' : ''}`,
    `source:  ${info.source}`,
    'splits:',
    ...table(
      info.splits.map((s) => [s.split, `${s.count} images`, `(${(ds.files[s.split] ?? []).map((f) => f.split(/[\\/:]/).pop()).join(', ')})`]),
      (c) => c === 1,
    ).map((l) => `  ${l}`),
    `classes: ${info.classNames.length} (names from ${ds.classNamesFrom})`,
    ...classTable('class', info.classNames, info.classCounts, splits),
  ];
  if (ds.coarse) {
    lines.push(`coarse classes: ${ds.coarse.classNames.length}`, ...classTable('superclass', ds.coarse.classNames, ds.coarse.classCounts, splits));
  }
  return lines.join('\n');
}
