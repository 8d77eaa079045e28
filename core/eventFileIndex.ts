import { Field, OneOf, Type, util } from 'protobufjs/light';
import { readTfRecords, type RecordProblem } from './tfRecordReader';

// Field numbers from tensorboard/compat/proto/{event,summary,tensor,tensor_shape}.proto. Sub-messages
// this reader never looks into (histograms, audio, graphs, session logs) are declared as `bytes`:
// same wire type, so they are skipped as views instead of being decoded.
const PluginDataProto = new Type('PluginData')
  .add(new Field('pluginName', 1, 'string'))
  .add(new Field('content', 2, 'bytes'));
const SummaryMetadataProto = new Type('SummaryMetadata')
  .add(new Field('pluginData', 1, 'PluginData'))
  .add(new Field('dataClass', 4, 'int32'))
  .add(PluginDataProto);
const DimProto = new Type('Dim').add(new Field('size', 1, 'int64'));
const TensorShapeProto = new Type('TensorShapeProto')
  .add(new Field('dim', 2, 'Dim', 'repeated'))
  .add(DimProto);
const TensorProto = new Type('TensorProto')
  .add(new Field('dtype', 1, 'int32'))
  .add(new Field('tensorShape', 2, 'TensorShapeProto'))
  .add(new Field('tensorContent', 4, 'bytes'))
  .add(new Field('floatVal', 5, 'float', 'repeated'))
  .add(new Field('stringVal', 8, 'bytes', 'repeated'))
  .add(TensorShapeProto);
const ImageProto = new Type('Image')
  .add(new Field('height', 1, 'int32'))
  .add(new Field('width', 2, 'int32'))
  .add(new Field('colorspace', 3, 'int32'))
  .add(new Field('encodedImageString', 4, 'bytes'));
const ValueProto = new Type('Value')
  .add(new Field('tag', 1, 'string'))
  .add(new Field('simpleValue', 2, 'float'))
  .add(new Field('obsoleteOldStyleHistogram', 3, 'bytes'))
  .add(new Field('image', 4, 'Image'))
  .add(new Field('histo', 5, 'bytes'))
  .add(new Field('audio', 6, 'bytes'))
  .add(new Field('tensor', 8, 'TensorProto'))
  .add(new Field('metadata', 9, 'SummaryMetadata'))
  .add(new OneOf('value', ['simpleValue', 'obsoleteOldStyleHistogram', 'image', 'histo', 'audio', 'tensor']))
  .add(ImageProto)
  .add(TensorProto)
  .add(SummaryMetadataProto);
const SummaryProto = new Type('Summary').add(new Field('value', 1, 'Value', 'repeated')).add(ValueProto);
const EventProto = new Type('Event')
  .add(new Field('wallTime', 1, 'double'))
  .add(new Field('step', 2, 'int64'))
  .add(new Field('fileVersion', 3, 'string'))
  .add(new Field('graphDef', 4, 'bytes'))
  .add(new Field('summary', 5, 'Summary'))
  .add(new Field('logMessage', 6, 'bytes'))
  .add(new Field('sessionLog', 7, 'bytes'))
  .add(new Field('taggedRunMetadata', 8, 'bytes'))
  .add(new Field('metaGraphDef', 9, 'bytes'))
  .add(new OneOf('what', ['fileVersion', 'graphDef', 'summary', 'logMessage', 'sessionLog', 'taggedRunMetadata', 'metaGraphDef']))
  .add(SummaryProto);

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
      // protobufjs's messages are one line ("index out of range: 12 + 40 > 30").
      index.problem = { file, offset: record.offset, reason: `not a valid Event: ${(e as Error).message.split('\n')[0]}` };
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
