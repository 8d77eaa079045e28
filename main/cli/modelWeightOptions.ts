// `--weight FILE[:NAME]` and `--bias FILE[:NAME]` for export and conv: a .npy file, or a tensor of
// a model file (PyTorch checkpoint, .safetensors, .npz, .onnx) with the layer it implies.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { LayerConfig } from '../../core/layerConfig';
import type { ResolvedWeightSource } from '../../core/layerWeights';
import { asModelFileError, layerConfigFromModel, loadModelLayer, ModelFileError, type ModelLayer } from '../../core/modelLayer';
import { listModelTensors, readModelTensor } from '../../core/modelWeights';
import { type NpyArray, parseNpy } from '../../core/npy';
import { quoteInput } from '../../core/quotedText';
import { readRegularFile } from '../datasets/datasetFiles';
import { CommandError, UsageError } from './cliErrors';

/** Model files are read whole; the readers refuse any one tensor above 2^26 elements anyway. */
export const MAX_MODEL_FILE_BYTES = 512 * 1024 * 1024;

export interface WeightSpec {
  path: string;
  /** The tensor after the ':', or null for a whole .npy file. */
  tensor: string | null;
}

const isRegularFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * FILE or FILE:NAME. The split is at the last ':' whose prefix is an existing file, so Windows
 * drive letters (C:\m.pt:conv1.weight) and tensor names holding ':' both work; a spec that is
 * itself an existing file has no tensor name.
 */
export function splitWeightSpec(option: string, spec: string, isFile: (path: string) => boolean = isRegularFile): WeightSpec {
  if (isFile(spec)) return { path: spec, tensor: null };
  for (let i = spec.lastIndexOf(':'); i > 0; i = spec.lastIndexOf(':', i - 1)) {
    const path = spec.slice(0, i);
    if (!isFile(path)) continue;
    const tensor = spec.slice(i + 1);
    if (tensor === '') throw new UsageError(`${option}: no tensor name after ':' in ${quoteInput(spec)} (FILE:NAME, e.g. model.pt:conv1.weight)`);
    return { path, tensor };
  }
  return { path: spec, tensor: null };
}

async function readFileFor(option: string, path: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, MAX_MODEL_FILE_BYTES, 'weight file');
  } catch (e) {
    throw new CommandError(`${option}: ${(e as Error).message.split('\n')[0]}`);
  }
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const isNpy = (b: Uint8Array) => NPY_MAGIC.every((v, i) => b[i] === v);

function modelRefusal(option: string, e: unknown): never {
  if (e instanceof ModelFileError) throw new CommandError(`${option}: ${e.message}`);
  throw e;
}

/** A model file named without a tensor: say which tensors it has. */
function nameATensor(option: string, spec: WeightSpec, bytes: Uint8Array): never {
  const listing = asModelFileError(spec.path, () => listModelTensors(bytes, spec.path));
  const wanted = option === '--bias' ? listing.tensors.filter((t) => t.shape.length === 1) : listing.tensors.filter((t) => t.shape.length === 4);
  const names = wanted.slice(0, 6).map((t) => t.name).join(', ');
  const kind = { pytorch: 'PyTorch checkpoint', safetensors: '.safetensors file', npz: '.npz archive', onnx: 'ONNX model' }[listing.format];
  throw new UsageError(`${option}: ${spec.path} is a ${kind}, not a .npy array; name a tensor, ${option} ${spec.path}:NAME${names ? ` (e.g. ${names}${wanted.length > 6 ? ', ...' : ''})` : ''}`);
}

/** A bias from a .npy file or a model file's tensor. */
async function readBias(spec: WeightSpec): Promise<NpyArray> {
  const bytes = await readFileFor('--bias', spec.path);
  if (isNpy(bytes)) {
    if (spec.tensor !== null) throw new UsageError(`--bias: ${spec.path} is a .npy file holding one array; drop ':${spec.tensor}'`);
    return parseNpy(bytes, spec.path);
  }
  try {
    if (spec.tensor === null) nameATensor('--bias', spec, bytes);
    const fileName = basename(spec.path);
    const listing = asModelFileError(fileName, () => listModelTensors(bytes, fileName));
    const info = listing.tensors.find((t) => t.name === spec.tensor) ?? listing.tensors.find((t) => t.name.endsWith(`.${spec.tensor}`));
    const data = asModelFileError(fileName, () => readModelTensor(bytes, fileName, spec.tensor!));
    return { dtype: 'f4', shape: info ? [...info.shape] : [data.length], data };
  } catch (e) {
    modelRefusal('--bias', e);
  }
}

/** The layer options the user typed, by LayerConfig field, with their command-line names. */
export const LAYER_OPTION_NAMES: Record<keyof LayerConfig, string> = {
  outChannels: '--out-channels', kernelSize: '--kernel-size', stride: '--stride', padding: '--padding',
  dilation: '--dilation', groups: '--groups', bias: '--no-bias', paddingMode: '--padding-mode',
  relu: '--relu', pool: '--pool-kernel',
};

const valueText = (v: LayerConfig[keyof LayerConfig]): string => (Array.isArray(v) ? (v[0] === v[1] ? String(v[0]) : v.join(',')) : String(v));

/**
 * Options the user gave that the file contradicts are refused, naming both: the weight's shape
 * fixes out_channels and the kernel size, and an ONNX Conv fixes stride, padding, dilation, groups
 * and zero padding. Options the file does not record (stride and padding for a state_dict) apply.
 */
export function checkAgainstFile(given: Partial<LayerConfig>, loaded: ModelLayer, what: string): void {
  const fixed: (keyof LayerConfig)[] = ['outChannels', 'kernelSize', 'groups'];
  if (loaded.fromOnnxConv) fixed.push('stride', 'padding', 'dilation', 'paddingMode');
  const file = loaded.layer.config;
  for (const field of fixed) {
    const mine = given[field];
    if (mine === undefined || valueText(mine) === valueText(file[field])) continue;
    const source = field === 'outChannels' || field === 'kernelSize' ? `whose shape [${loaded.weight.shape.join(', ')}] gives` : field === 'paddingMode' ? 'an ONNX Conv, which pads with' : 'whose Conv has';
    const fileValue = field === 'paddingMode' ? 'zeros' : `${LAYER_OPTION_NAMES[field].slice(2)} ${valueText(file[field])}`;
    throw new UsageError(`${LAYER_OPTION_NAMES[field]} ${valueText(mine)} contradicts ${what}, ${source} ${fileValue}; drop the option or pick another tensor`);
  }
}

export interface WeightOptions {
  weight: string;
  bias: string | null;
  noBias: boolean;
}

export interface ResolvedWeights {
  source: Extract<ResolvedWeightSource, { kind: 'npy' | 'model' }>;
  /** The layer the weights make: `layer` with what a model file fixes taken from it. */
  layer: LayerConfig;
}

/**
 * Reads --weight (and --bias) for a layer over `inChannels` channels. `layer` is the layer as the
 * options give it, `given` the options the user typed (they must agree with a model file).
 */
export async function resolveWeightOptions(o: WeightOptions, layer: LayerConfig, given: Partial<LayerConfig>, inChannels: number): Promise<ResolvedWeights> {
  const spec = splitWeightSpec('--weight', o.weight);
  const biasSpec = o.bias === null ? null : splitWeightSpec('--bias', o.bias);
  const bytes = await readFileFor('--weight', spec.path);
  if (isNpy(bytes)) {
    if (spec.tensor !== null) throw new UsageError(`--weight: ${spec.path} is a .npy file holding one array; drop ':${spec.tensor}'`);
    const bias = biasSpec ? await readBias(biasSpec) : null;
    const source = { kind: 'npy' as const, weight: parseNpy(bytes, spec.path), weightName: spec.path, bias, biasName: biasSpec ? o.bias : null };
    return { source, layer };
  }
  const fileName = basename(spec.path);
  let loaded: ModelLayer;
  try {
    if (spec.tensor === null) nameATensor('--weight', spec, bytes);
    const sameFile = biasSpec !== null && biasSpec.path === spec.path && biasSpec.tensor !== null;
    const biasName = o.noBias || (biasSpec !== null && !sameFile) ? null : sameFile ? biasSpec.tensor : undefined;
    loaded = loadModelLayer(bytes, fileName, spec.tensor!, biasName, inChannels, given.groups ?? 1);
  } catch (e) {
    modelRefusal('--weight', e);
  }
  checkAgainstFile(given, loaded, `${fileName}:${loaded.layer.weightName}`);
  let bias: { shape: number[]; data: Float32Array } | null = loaded.bias === null ? null : { shape: [loaded.bias.length], data: loaded.bias };
  let biasName = loaded.layer.biasName;
  if (biasSpec !== null && !(biasSpec.path === spec.path && biasSpec.tensor !== null)) {
    bias = await readBias(biasSpec);
    biasName = biasSpec.tensor === null ? biasSpec.path : `${basename(biasSpec.path)}:${biasSpec.tensor}`;
  }
  const config = { ...layerConfigFromModel(layer, loaded), bias: bias !== null };
  return { source: { kind: 'model', fileName, weight: loaded.weight, weightName: loaded.layer.weightName, bias, biasName }, layer: config };
}
