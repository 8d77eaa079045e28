import { util } from 'protobufjs/light';
import { EventProto } from './tensorboardProto';
import { readTfRecords, type RecordProblem } from './tfRecordReader';


type Int64 = number | { low: number; high: number; unsigned: boolean };
interface DecodedMetadata { pluginData?: { pluginName: string }; dataClass: number }
interface DecodedValue {
  tag: string;
  value?: string;
  simpleValue: number;
  image?: { height: number; width: number; colorspace: number; encodedImageString: Uint8Array };
  tensor?: {
    dtype: number; tensorShape?: { dim: { size: Int64 }[] };
    tensorContent: Uint8Array; floatVal: number[]; stringVal: Uint8Array[];
  };
  metadata?: DecodedMetadata;
}
interface DecodedEvent { wallTime: number; step: Int64; what?: string; fileVersion: string; summary?: { value: DecodedValue[] } }

/** SummaryMetadata as far as the loaders need it; null when the value carried none. */
export interface ValueMetadata {
  pluginName: string;
  /** DataClass: 0 unknown, 1 scalar, 2 tensor, 3 blob sequence. */
  dataClass: number;
}

/** The DataType numbers of types.proto this reader interprets. */
export const DT_FLOAT = 1;
export const DT_STRING = 7;

/** One Summary.Value, kept as it is on disk; bytes are views into the file, never copies. */
export type IndexedValue =
  | { kind: 'simple'; tag: string; metadata: ValueMetadata | null; value: number }
  | { kind: 'image'; tag: string; metadata: ValueMetadata | null; width: number; height: number; colorspace: number; encoded: Uint8Array }
  | {
    kind: 'tensor'; tag: string; metadata: ValueMetadata | null;
    dtype: number; shape: number[]; strings: Uint8Array[]; floats: number[]; content: Uint8Array;
  }
  /** Histograms, audio, or a value with metadata only ('none'): the tag exists, nothing here reads it. */
  | { kind: 'other'; tag: string; metadata: ValueMetadata | null; what: 'histo' | 'audio' | 'obsolete' | 'none' };

export interface IndexedEvent {
  /** Byte offset of the event's record in its file. */
  offset: number;
  wallTime: number;
  step: number;
  values: IndexedValue[];
}

export interface EventFileIndex {
  file: string;
  /** The file_version record's text ("brain.Event:2"), or null if the file has none. */
  fileVersion: string | null;
  /** Summary events in file order. */
  events: IndexedEvent[];
  /** Records that are valid Events of kinds nothing here reads (graphs, session logs, ...). */
  skippedRecords: number;
  problem: RecordProblem | null;
}

const toNumber = (v: Int64): number => (typeof v === 'number' ? v : util.LongBits.from(v).toNumber(false));

function metadataOf(v: DecodedValue): ValueMetadata | null {
  if (!v.metadata) return null;
  return { pluginName: v.metadata.pluginData?.pluginName ?? '', dataClass: v.metadata.dataClass };
}

function indexValue(v: DecodedValue): IndexedValue {
  const base = { tag: v.tag, metadata: metadataOf(v) };
  switch (v.value) {
    case 'simpleValue':
      return { ...base, kind: 'simple', value: v.simpleValue };
    case 'image': {
      const im = v.image!;
      return { ...base, kind: 'image', width: im.width, height: im.height, colorspace: im.colorspace, encoded: im.encodedImageString };
    }
    case 'tensor': {
      const t = v.tensor!;
      const shape = (t.tensorShape?.dim ?? []).map((d) => toNumber(d.size));
      return { ...base, kind: 'tensor', dtype: t.dtype, shape, strings: t.stringVal, floats: t.floatVal, content: t.tensorContent };
    }
    case 'histo':
      return { ...base, kind: 'other', what: 'histo' };
    case 'audio':
      return { ...base, kind: 'other', what: 'audio' };
    case 'obsoleteOldStyleHistogram':
      return { ...base, kind: 'other', what: 'obsolete' };
    default:
      return { ...base, kind: 'other', what: 'none' };
  }
}

/**
 * Reads an event file's records and decodes each Event, keeping image bytes as views. Like
 * TensorBoard, the first record that is not a valid Event (or has a NaN wall time) ends the file;
 * the events before it are kept and the problem is returned, never thrown.
 */
export function indexEventFile(file: string, bytes: Uint8Array): EventFileIndex {
  const scan = readTfRecords(file, bytes);
  const index: EventFileIndex = { file, fileVersion: null, events: [], skippedRecords: 0, problem: null };
  for (const record of scan.records) {
    let event: DecodedEvent;
    try {
      event = EventProto.decode(record.data) as unknown as DecodedEvent;
    } catch (e) {
      // protobufjs's messages are one line ("index out of range: 12 + 40 > 30"); it skips unknown
      // groups recursively, so a record of nested groups can exhaust the stack.
      const why = e instanceof RangeError && /call stack/i.test(e.message) ? 'groups nested too deeply' : (e as Error).message.split('\n')[0];
      index.problem = { file, offset: record.offset, reason: `not a valid Event: ${why}` };
      return index;
    }
    const step = toNumber(event.step);
    if (Number.isNaN(event.wallTime)) {
      index.problem = { file, offset: record.offset, reason: `NaN wall time at step ${step}` };
      return index;
    }
    if (event.what === 'fileVersion') {
      index.fileVersion ??= event.fileVersion;
    } else if (event.what === 'summary') {
      index.events.push({ offset: record.offset, wallTime: event.wallTime, step, values: event.summary!.value.map(indexValue) });
    } else {
      index.skippedRecords++;
    }
  }
  index.problem = scan.problem;
  return index;
}
