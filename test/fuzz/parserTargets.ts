import { allCoarseLabels, allLabels, cifarRecords, countPerClass, findBadLabel, formatsFittingSize, gatherBatch, imagePixels, PIXELS_PER_IMAGE, CIFAR_LAYOUTS } from '../../core/cifarBinary';
import { parseClassNames } from '../../core/cifarMeta';
import { CifarPythonError, pythonBatch, pythonClassNames, writePythonRecords } from '../../core/cifarPython';
import { ContractCodecError, decodeContract } from '../../core/contractCodec';
import { indexEventFile } from '../../core/eventFileIndex';
import { formatRecordProblem } from '../../core/tfRecordReader';
import { frameRecord } from '../../core/tfRecordFrame';
import { NpyError, parseNpy } from '../../core/npy';
import { PickleError, unpickle } from '../../core/pythonPickle';
import { GzipError, gunzipCapped } from '../../core/gunzipCapped';
import { IdxFileError, parseIdxImages, parseIdxLabels } from '../../core/idxFile';
import { listModelTensors, ModelWeightsError, readModelTensor } from '../../core/modelWeights';
import { NpzError } from '../../core/npz';
import { OnnxModelError } from '../../core/onnxModel';
import { SafetensorsError } from '../../core/safetensors';
import { TorchCheckpointError } from '../../core/torchCheckpoint';
import { ZipArchiveError } from '../../core/zipArchive';
import { loadImageRgb } from '../../main/datasets/imageDecode/decodeImage';
import { ImageDecodeError } from '../../main/datasets/imageDecode/imageDecodeError';
import { cifarBinarySeeds, contractSeeds, eventFileSeeds, eventSeeds, gzipSeeds, idxSeeds, imageSeeds, metaSeeds, modelSeeds, npySeeds, pickleSeeds } from './seedCorpora';

/** What a parser made of an input without throwing: accepted, or refused with a returned reason. */
export type Outcome = { accepted: true } | { refused: string };

export interface ParserTarget {
  readonly name: string;
  readonly seeds: () => Uint8Array[];
  /** The project's own error classes: throwing one of these (with a clean message) is a refusal. */
  readonly refusals: readonly (new (...args: never[]) => Error)[];
  readonly run: (bytes: Uint8Array) => Outcome;
}

const ACCEPTED: Outcome = { accepted: true };

/** As main/ opens a binary batch: formats by size, labels checked, then every record read. */
function readCifarBinary(bytes: Uint8Array): Outcome {
  const formats = formatsFittingSize(bytes.length);
  if (bytes.length === 0 || formats.length === 0) return { refused: `${bytes.length} bytes is not a whole number of records` };
  for (const format of formats) {
    const bad = findBadLabel(format, bytes);
    if (bad) return { refused: `record ${bad.record} has ${bad.which} ${bad.value}, but labels are 0..${bad.max}` };
    const records = cifarRecords(format, bytes);
    const labels = allLabels(records);
    countPerClass(labels, CIFAR_LAYOUTS[format].classCount);
    allCoarseLabels(records);
    imagePixels(records, records.count - 1);
    const n = Math.min(4, records.count);
    gatherBatch(records, Uint32Array.from({ length: n }, (_, i) => i), new Uint8Array(n * PIXELS_PER_IMAGE), new Uint16Array(n));
  }
  return ACCEPTED;
}

/** As main/ reads the python version: a batch when it holds 'data', otherwise a meta dict. */
function readCifarPython(bytes: Uint8Array): Outcome {
  const value = unpickle(bytes);
  const dict = value instanceof Map ? value : null;
  const format = dict && (dict.has('fine_labels') || dict.has('fine_label_names')) ? 'cifar-100' : 'cifar-10';
  if (dict?.has('data')) {
    const batch = pythonBatch(format, value);
    writePythonRecords(format, [batch], new Uint8Array(batch.count * CIFAR_LAYOUTS[format].recordSize));
  } else {
    pythonClassNames(format, value);
  }
  return ACCEPTED;
}

function readClassNames(bytes: Uint8Array): Outcome {
  let problem = '';
  // CIFAR-10's list, CIFAR-100's coarse and fine lists; a count mismatch means try the next.
  for (const expected of [10, 20, 100]) {
    const parsed = parseClassNames(bytes, expected);
    if ('names' in parsed) return ACCEPTED;
    problem = parsed.problem;
    if (!problem.startsWith('has ')) break;
  }
  return { refused: problem };
}

// The product's own reader: it reports a cut or corrupt record (keeping the ones before it)
// instead of throwing, so a report is a refusal and anything thrown is a defect.
function readEventFile(bytes: Uint8Array): Outcome {
  const index = indexEventFile('events.out.tfevents.fuzz', bytes);
  return index.problem ? { refused: formatRecordProblem(index.problem) } : ACCEPTED;
}

// Every format a model file may be (detected by content): each tensor is listed and the 4-D ones
// read, as `weights` and `--weight FILE:NAME` do.
function readModelFile(bytes: Uint8Array): Outcome {
  const listing = listModelTensors(bytes, 'model.bin');
  for (const t of listing.tensors) if (t.shape.length === 4) readModelTensor(bytes, 'model.bin', t.name);
  return ACCEPTED;
}

function readIdx(bytes: Uint8Array): Outcome {
  const magic = bytes.length >= 4 ? bytes[3] : 0;
  if (magic === 1) parseIdxLabels(bytes, 'fuzz-labels-idx1-ubyte');
  else parseIdxImages(bytes, 'fuzz-images-idx3-ubyte');
  return ACCEPTED;
}

export const PARSER_TARGETS: readonly ParserTarget[] = [
  { name: 'parseNpy', seeds: npySeeds, refusals: [NpyError], run: (b) => (parseNpy(b, 'fuzz.npy'), ACCEPTED) },
  { name: 'cifarBinary', seeds: cifarBinarySeeds, refusals: [], run: readCifarBinary },
  { name: 'unpickle', seeds: pickleSeeds, refusals: [PickleError], run: (b) => (unpickle(b), ACCEPTED) },
  { name: 'cifarPython', seeds: pickleSeeds, refusals: [PickleError, CifarPythonError], run: readCifarPython },
  { name: 'parseClassNames', seeds: metaSeeds, refusals: [], run: readClassNames },
  { name: 'decodeContract', seeds: contractSeeds, refusals: [ContractCodecError], run: (b) => (decodeContract(b), ACCEPTED) },
  { name: 'eventFile', seeds: eventFileSeeds, refusals: [], run: readEventFile },
  // The framing's CRCs refuse almost every mutated file, so the Event decoder also gets raw messages.
  { name: 'decodeEvent', seeds: eventSeeds, refusals: [], run: (b) => readEventFile(frameRecord(b)) },
  {
    name: 'modelFile', seeds: modelSeeds, run: readModelFile,
    refusals: [ModelWeightsError, TorchCheckpointError, SafetensorsError, NpzError, OnnxModelError, ZipArchiveError, PickleError, NpyError],
  },
  { name: 'idxFile', seeds: idxSeeds, refusals: [IdxFileError], run: readIdx },
  { name: 'gunzip', seeds: gzipSeeds, refusals: [GzipError], run: (b) => (gunzipCapped(b, 64 * 1024 * 1024, 'fuzz.gz'), ACCEPTED) },
  { name: 'imageFile', seeds: imageSeeds, refusals: [ImageDecodeError], run: (b) => (loadImageRgb(b, 'fuzz.png'), ACCEPTED) },
];
