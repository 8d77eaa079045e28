import { DT_FLOAT, DT_STRING, type IndexedValue, indexEventFile, type ValueMetadata } from './eventFileIndex';
import { compareFileNames } from './eventLogdir';
import type { RecordProblem } from './tfRecordReader';

export interface EventRunFile {
  name: string;
  bytes: Uint8Array;
}

export interface ScalarPoint {
  step: number;
  wallTime: number;
  value: number;
}

export interface ImageStep {
  step: number;
  wallTime: number;
  /** From the summary (legacy Image fields, or the tensor's first two strings); null if unreadable. */
  width: number | null;
  height: number | null;
  /** The encoded images (PNG for PyTorch), views into the file's bytes; add_images writes one. */
  images: Uint8Array[];
  file: string;
}

interface SeriesCounts {
  /** Values dropped because a later-read value of the tag came at the same or an earlier step. */
  superseded: number;
  /** Values of the tag's kind that could not be read as that kind (TensorBoard's data loss). */
  unreadable: number;
}

export interface ScalarSeries extends SeriesCounts { tag: string; points: ScalarPoint[] }
export interface ImageSeries extends SeriesCounts { tag: string; steps: ImageStep[] }

export interface EventRun {
  /** The files, in the order read. */
  files: string[];
  scalars: ScalarSeries[];
  images: ImageSeries[];
  /** Tags of other kinds (histograms, text, audio, ...), present but not read. */
  otherTags: string[];
  /** At most one per file: where reading that file stopped. */
  problems: RecordProblem[];
}

type SeriesKind = 'scalars' | 'images' | 'other';

const DATA_CLASS_SCALAR = 1;
const DATA_CLASS_BLOB_SEQUENCE = 3;

/**
 * A tag's kind is fixed by its first value, as TensorBoard's loader does: an explicit data class
 * wins, then the value's own kind, then the plugin named in its metadata. Tensor-kind images name
 * their plugin on the tag's first value only, so later values are read by this decision.
 */
function seriesKind(v: IndexedValue): SeriesKind {
  const md: ValueMetadata | null = v.metadata;
  if (md && md.dataClass !== 0) {
    if (md.dataClass === DATA_CLASS_SCALAR) return 'scalars';
    if (md.dataClass === DATA_CLASS_BLOB_SEQUENCE && md.pluginName === 'images') return 'images';
    return 'other';
  }
  if (v.kind === 'simple') return 'scalars';
  if (v.kind === 'image') return 'images';
  if (v.kind === 'other' && (v.what === 'histo' || v.what === 'audio')) return 'other';
  if (md?.pluginName === 'scalars') return 'scalars';
  if (md?.pluginName === 'images') return 'images';
  return 'other';
}

function scalarOf(v: IndexedValue): number | null {
  if (v.kind === 'simple') return v.value;
  if (v.kind !== 'tensor' || v.shape.length !== 0 || v.dtype !== DT_FLOAT) return null;
  if (v.floats.length === 1) return v.floats[0]!;
  if (v.floats.length === 0 && v.content.length === 4) {
    return new DataView(v.content.buffer, v.content.byteOffset, 4).getFloat32(0, true);
  }
  return null;
}

const DECIMAL = /^[0-9]{1,9}$/;

function decimalBytes(bytes: Uint8Array | undefined): number | null {
  if (!bytes || bytes.length > 9) return null;
  const text = String.fromCharCode(...bytes);
  return DECIMAL.test(text) ? Number(text) : null;
}

function imagesOf(v: IndexedValue): Pick<ImageStep, 'width' | 'height' | 'images'> | null {
  if (v.kind === 'image') return { width: v.width, height: v.height, images: [v.encoded] };
  // The images plugin's blob sequence: [width, height, image, image, ...] as a 1-D string tensor.
  if (v.kind !== 'tensor' || v.dtype !== DT_STRING || v.shape.length !== 1 || v.strings.length < 2) return null;
  return { width: decimalBytes(v.strings[0]), height: decimalBytes(v.strings[1]), images: v.strings.slice(2) };
}

interface Series<T> extends SeriesCounts {
  kind: SeriesKind;
  /** Ascending steps; null marks a value TensorBoard keeps as data loss (it still preempts). */
  entries: { step: number; item: T | null }[];
}

/**
 * TensorBoard's reservoir preemption: a value at step s first drops every kept value at a step
 * >= s (a restarted job rewrites those steps), so each series stays strictly ascending.
 */
function offer<T>(series: Series<T>, step: number, item: T | null): void {
  const entries = series.entries;
  let keep = entries.length;
  while (keep > 0 && entries[keep - 1]!.step >= step) keep--;
  series.superseded += entries.length - keep;
  entries.length = keep;
  entries.push({ step, item });
}

/**
 * Loads one run the way TensorBoard does: files in name order, each read to its end (or to its
 * first bad record) before the next; events in file order. Wall times do not reorder anything:
 * a later file's value at a lower step supersedes the values read before it at steps >= that one,
 * exactly what TensorBoard then shows.
 */
export function loadEventRun(files: readonly EventRunFile[]): EventRun {
  const ordered = [...files].sort((a, b) => compareFileNames(a.name, b.name));
  const series = new Map<string, Series<ScalarPoint | ImageStep>>();
  const problems: RecordProblem[] = [];
  for (const file of ordered) {
    const index = indexEventFile(file.name, file.bytes);
    if (index.problem) problems.push(index.problem);
    for (const event of index.events) {
      for (const v of event.values) {
        let s = series.get(v.tag);
        if (!s) {
          s = { kind: seriesKind(v), entries: [], superseded: 0, unreadable: 0 };
          series.set(v.tag, s);
        }
        if (s.kind === 'scalars') {
          const value = scalarOf(v);
          offer(s, event.step, value === null ? null : { step: event.step, wallTime: event.wallTime, value });
        } else if (s.kind === 'images') {
          const im = imagesOf(v);
          offer(s, event.step, im === null ? null : { step: event.step, wallTime: event.wallTime, ...im, file: file.name });
        }
      }
    }
  }
  const run: EventRun = { files: ordered.map((f) => f.name), scalars: [], images: [], otherTags: [], problems };
  for (const [tag, s] of [...series].sort(([a], [b]) => compareFileNames(a, b))) {
    const kept = s.entries.flatMap((e) => (e.item === null ? [] : [e.item]));
    const counts = { superseded: s.superseded, unreadable: s.entries.length - kept.length };
    if (s.kind === 'scalars') run.scalars.push({ tag, points: kept as ScalarPoint[], ...counts });
    else if (s.kind === 'images') run.images.push({ tag, steps: kept as ImageStep[], ...counts });
    else run.otherTags.push(tag);
  }
  return run;
}
