// A Conv2d layer taken from a model file the user already has: which of its tensors could be the
// layer for the open images, the weights read from it, and the layer settings it implies.
import type { ModelTensorEntry, ModelTensorTable } from './hostContract';
import type { LayerConfig } from './layerConfig';
import type { ResolvedWeightSource } from './layerWeights';
import type { ModelTensorInfo, OnnxConvAttributes } from './modelFile';
import { type Conv2dLayerFromFile, conv2dLayerFromWeight, findModelTensor, listModelTensors, type ModelFormat, type ModelTensorListing, openModelFile } from './modelWeights';
import { quoteShort } from './zipArchive';

/** Any refusal while reading a model file, in one line naming the file. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

// The readers under core/ each throw their own class; callers need only this module's.
const READER_ERRORS = new Set([
  'ModelWeightsError', 'TorchCheckpointError', 'SafetensorsError', 'NpzError', 'OnnxModelError',
  'ZipArchiveError', 'PickleError', 'GzipError', 'NpyError', 'ModelFileError',
]);

/** Runs `read`, turning a reader's refusal (or a RangeError from a hostile file) into ModelFileError. */
export function asModelFileError<T>(fileName: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof Error && READER_ERRORS.has(e.name)) throw new ModelFileError(e.message.split('\n')[0]!);
    if (e instanceof RangeError) throw new ModelFileError(`${fileName}: is damaged (${e.message.split('\n')[0]})`);
    throw e;
  }
}

const dims = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const withoutFileName = (message: string, fileName: string) => (message.startsWith(`${fileName}: `) ? message.slice(fileName.length + 2) : message);

function onnxConvOf(t: ModelTensorInfo): OnnxConvAttributes | undefined {
  return t.conv && t.conv.weight === t.name ? t.conv : undefined;
}

/** Every tensor of the file, each 4-D one judged against images of `imageChannels` channels. */
export function modelTensorTable(bytes: Uint8Array, fileName: string, imageChannels: number): ModelTensorTable {
  return asModelFileError(fileName, () => {
    const listing = listModelTensors(bytes, fileName);
    const tensors = listing.tensors.map((t): ModelTensorEntry => {
      const base = { name: t.name, shape: [...t.shape], dtype: t.dtype, ...(t.conv ? { conv: t.conv } : {}) };
      if (t.shape.length !== 4) {
        return { ...base, pairedBias: null, fits: false, why: `shape ${dims(t.shape)} is not a Conv2d weight (4-D: out_channels, in_channels/groups, kH, kW)` };
      }
      const conv = onnxConvOf(t);
      const group = conv?.group ?? 1;
      const takes = t.shape[1]! * group;
      const pairedBias = pairedBiasName(listing, t);
      if (takes !== imageChannels) {
        const why = `takes ${takes} input channel${takes === 1 ? '' : 's'}${group > 1 ? ` (groups=${group})` : ''} but the images have ${imageChannels}`;
        return { ...base, pairedBias, fits: false, why };
      }
      try {
        conv2dLayerFromWeight(listing, t.name, undefined, imageChannels);
        return { ...base, pairedBias, fits: true, why: null };
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'ModelWeightsError') throw e;
        return { ...base, pairedBias, fits: false, why: withoutFileName(e.message, fileName) };
      }
    });
    return { format: listing.format, tensors };
  });
}

/** The bias conv2dLayerFromWeight pairs with a 4-D weight when none is named, if the file has it. */
export function pairedBiasName(listing: Pick<ModelTensorListing, 'tensors'>, weight: ModelTensorInfo): string | null {
  const conv = onnxConvOf(weight);
  const name = conv ? conv.bias : /(^|\.)weight$/.test(weight.name) ? weight.name.replace(/weight$/, 'bias') : null;
  return name !== null && listing.tensors.some((t) => t.name === name) ? name : null;
}

/** A layer from a model file, with its weights read. */
export interface ModelLayer {
  format: ModelFormat;
  /** What the file fixes: out_channels, kernel size, bias, and for ONNX stride/padding/dilation/groups. */
  layer: Conv2dLayerFromFile;
  fromOnnxConv: boolean;
  weight: { shape: [number, number, number, number]; data: Float32Array };
  bias: Float32Array | null;
}

/**
 * Reads the Conv2d whose weight is `weightName` from a model file. `biasName`: a tensor name, null
 * for none, undefined to pair one by name. `groups` applies to files that do not record it (all
 * but ONNX): the weight then takes imageChannels/groups channels per group.
 */
export function loadModelLayer(
  bytes: Uint8Array, fileName: string, weightName: string, biasName: string | null | undefined, imageChannels: number, groups = 1,
): ModelLayer {
  return asModelFileError(fileName, () => {
    const { format, file } = openModelFile(bytes, fileName);
    const listing: ModelTensorListing = { format, fileName, tensors: file.tensors };
    const fromOnnxConv = onnxConvOf(findModelTensor(listing, weightName)) !== undefined;
    let layer: Conv2dLayerFromFile;
    if (groups !== 1 && !fromOnnxConv) {
      // The file's weight is [out, in/groups, kH, kW]: read it as a layer over one group's channels.
      if (!Number.isSafeInteger(groups) || groups < 1 || imageChannels % groups !== 0) {
        throw new ModelFileError(`${fileName}: groups=${groups} does not divide the images' ${imageChannels} channels`);
      }
      const perGroup = conv2dLayerFromWeight(listing, weightName, biasName, imageChannels / groups);
      if (perGroup.outChannels % groups !== 0) {
        throw new ModelFileError(`${fileName}: weight ${quoteShort(perGroup.weightName)} has ${perGroup.outChannels} output channels, which groups=${groups} does not divide`);
      }
      layer = {
        ...perGroup, inChannels: imageChannels,
        options: { ...perGroup.options, groups }, config: { ...perGroup.config, groups },
      };
    } else {
      layer = conv2dLayerFromWeight(listing, weightName, biasName, imageChannels);
    }
    const data = file.read(layer.weightName);
    const shape = [layer.outChannels, imageChannels / layer.config.groups, layer.kernelSize[0], layer.kernelSize[1]] as [number, number, number, number];
    const bias = layer.biasName === null ? null : file.read(layer.biasName);
    return { format, layer, fromOnnxConv, weight: { shape, data }, bias };
  });
}

/** The loaded layer as the weight source layerWeights checks and LayerState describes. */
export function modelWeightSource(fileName: string, loaded: ModelLayer): ResolvedWeightSource {
  return {
    kind: 'model', fileName, weight: loaded.weight, weightName: loaded.layer.weightName,
    bias: loaded.bias === null ? null : { shape: [loaded.bias.length], data: loaded.bias }, biasName: loaded.layer.biasName,
  };
}

/**
 * The layer after loading weights from a file: what the file fixes comes from it, the rest stays
 * as the user had it (stride, padding, dilation and padding mode for files that do not record them).
 */
export function layerConfigFromModel(current: LayerConfig, loaded: ModelLayer): LayerConfig {
  const c = loaded.layer.config;
  const next: LayerConfig = { ...current, outChannels: c.outChannels, kernelSize: [...c.kernelSize], bias: c.bias, groups: c.groups };
  if (loaded.fromOnnxConv) {
    return { ...next, stride: [...c.stride], padding: typeof c.padding === 'string' ? c.padding : [...c.padding], dilation: [...c.dilation], paddingMode: 'zeros' };
  }
  return next;
}
