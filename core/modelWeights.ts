// One front for every model file a user may already have (a PyTorch checkpoint, .safetensors,
// .npz, .onnx): the format is told by content, the tensors are listed the same way, and a 4-D
// weight becomes the Conv2d it belongs to.
import type { Conv2dOptions } from './conv2dOptions';
import type { LayerConfig } from './hostContract';
import type { ModelFile, ModelTensorInfo, OnnxConvAttributes } from './modelFile';
import { openNpz } from './npz';
import { looksLikeOnnx, openOnnxModel } from './onnxModel';
import { looksLikeSafetensors, openSafetensors } from './safetensors';
import { isLegacyTorchFile, isTorchZipArchive, openTorchCheckpoint } from './torchCheckpoint';
import { isZip, quoteShort } from './zipArchive';

export type ModelFormat = 'pytorch' | 'safetensors' | 'npz' | 'onnx';

export class ModelWeightsError extends Error {
  override readonly name = 'ModelWeightsError';
}

export interface ModelTensorListing {
  readonly format: ModelFormat;
  readonly fileName: string;
  readonly tensors: readonly ModelTensorInfo[];
}

/** A Conv2d layer as a weight tensor (and its bias) in a model file describe it. */
export interface Conv2dLayerFromFile {
  readonly weightName: string;
  readonly biasName: string | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  /** F.conv2d's keyword arguments, in core/conv2dOptions' shape. */
  readonly options: Required<Conv2dOptions>;
  /** The same layer as the app's layer settings. */
  readonly config: LayerConfig;
}

/** The file's format, from its content (the extension only breaks a tie). */
export function detectModelFormat(bytes: Uint8Array, fileName: string): ModelFormat {
  if (isZip(bytes)) return isTorchZipArchive(bytes) ? 'pytorch' : 'npz';
  if (isLegacyTorchFile(bytes)) return 'pytorch';
  if (looksLikeSafetensors(bytes)) return 'safetensors';
  if (looksLikeOnnx(bytes)) return 'onnx';
  const ext = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'safetensors') return 'safetensors';
  if (ext === 'onnx') return 'onnx';
  throw new ModelWeightsError(`${fileName}: is not a model file that is read (a PyTorch checkpoint saved by torch.save, .safetensors, .npz or .onnx)`);
}

export function openModelFile(bytes: Uint8Array, fileName: string): { format: ModelFormat; file: ModelFile } {
  const format = detectModelFormat(bytes, fileName);
  switch (format) {
    case 'pytorch': return { format, file: openTorchCheckpoint(bytes, fileName) };
    case 'safetensors': return { format, file: openSafetensors(bytes, fileName) };
    case 'npz': return { format, file: openNpz(bytes, fileName) };
    case 'onnx': return { format, file: openOnnxModel(bytes, fileName) };
  }
}

export function listModelTensors(bytes: Uint8Array, fileName: string): ModelTensorListing {
  const { format, file } = openModelFile(bytes, fileName);
  return { format, fileName, tensors: file.tensors };
}

/**
 * The tensor a user named: exactly, or else the one whose name ends with it at a dot
 * (`conv1.weight` finds `model.conv1.weight` or `module.conv1.weight` when only one does).
 */
export function findModelTensor(listing: Pick<ModelTensorListing, 'fileName' | 'tensors'>, name: string): ModelTensorInfo {
  const exact = listing.tensors.find((t) => t.name === name);
  if (exact) return exact;
  const suffix = listing.tensors.filter((t) => t.name.endsWith(`.${name}`));
  if (suffix.length === 1) return suffix[0];
  if (suffix.length > 1) {
    throw new ModelWeightsError(`${listing.fileName}: ${quoteShort(name)} matches several tensors (${suffix.slice(0, 4).map((t) => quoteShort(t.name)).join(', ')}); give the full name`);
  }
  const fourD = listing.tensors.filter((t) => t.shape.length === 4).map((t) => quoteShort(t.name, 40));
  const hint = fourD.length > 0 ? `; its 4-D tensors are ${fourD.slice(0, 8).join(', ')}${fourD.length > 8 ? ` and ${fourD.length - 8} more` : ''}` : '';
  throw new ModelWeightsError(`${listing.fileName}: has no tensor named ${quoteShort(name)}${hint}`);
}

/** The named tensor as float32, C order. */
export function readModelTensor(bytes: Uint8Array, fileName: string, name: string): Float32Array {
  const { file } = openModelFile(bytes, fileName);
  return file.read(findModelTensor({ fileName, tensors: file.tensors }, name).name);
}

const dims = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function paddingFromOnnx(conv: OnnxConvAttributes, kernel: [number, number], fileName: string, weightName: string): [number, number] | 'same' | 'valid' {
  const fail = (what: string): never => {
    throw new ModelWeightsError(`${fileName}: Conv ${quoteShort(conv.node)} (weight ${quoteShort(weightName)}) ${what}`);
  };
  const autoPad = conv.autoPad;
  if (autoPad === 'VALID') return 'valid';
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    if (conv.strides.some((s) => s !== 1)) fail(`uses auto_pad=${autoPad} with strides ${dims(conv.strides)}, which nn.Conv2d's padding='same' does not allow (stride 1 only)`);
    // PyTorch's 'same' puts the odd pixel of the total padding d*(k-1) after, as SAME_UPPER does.
    const odd = [0, 1].some((i) => (conv.dilations[i] * (kernel[i] - 1)) % 2 === 1);
    if (autoPad === 'SAME_LOWER' && odd) fail('uses auto_pad=SAME_LOWER with an odd total padding, which puts the extra pixel before; nn.Conv2d\'s padding=\'same\' puts it after');
    return 'same';
  }
  if (autoPad !== 'NOTSET' && autoPad !== '') fail(`has an unknown auto_pad ${quoteShort(autoPad, 20)}`);
  const [top, left, bottom, right] = conv.pads;
  if (conv.pads.length !== 4) fail(`has pads ${dims(conv.pads)}, not [top, left, bottom, right]`);
  if (top !== bottom || left !== right) {
    fail(`has asymmetric pads [top ${top}, left ${left}, bottom ${bottom}, right ${right}], which nn.Conv2d's padding cannot express (it pads both sides equally); pad the input with F.pad first`);
  }
  return [top, left];
}

/**
 * The Conv2d layer whose weight is `weightName` (and whose bias is `biasName`: null for none,
 * undefined to pair it by name or, in ONNX, by the Conv's third input), applied to images of
 * `imageChannels` channels.
 */
export function conv2dLayerFromWeight(listing: ModelTensorListing, weightName: string, biasName: string | null | undefined, imageChannels: number): Conv2dLayerFromFile {
  const { fileName } = listing;
  const fail = (what: string): never => {
    throw new ModelWeightsError(`${fileName}: ${what}`);
  };
  const weight = findModelTensor(listing, weightName);
  const label = quoteShort(weight.name);
  if (weight.shape.length !== 4) fail(`tensor ${label} of shape ${dims(weight.shape)} is not a Conv2d weight (out_channels, in_channels/groups, kH, kW)`);
  const [outChannels, perGroup, kH, kW] = weight.shape;
  const conv = weight.conv && weight.conv.weight === weight.name ? weight.conv : undefined;
  const groups = conv?.group ?? 1;
  if (conv && (conv.strides.length !== 2 || conv.dilations.length !== 2)) fail(`Conv ${quoteShort(conv.node)} is not 2-D (strides ${dims(conv.strides)})`);
  if (!Number.isSafeInteger(groups) || groups < 1 || outChannels % groups !== 0) fail(`Conv ${quoteShort(conv?.node ?? '')} has group ${groups}, which does not divide out_channels ${outChannels}`);
  if (perGroup * groups !== imageChannels) {
    const fits = listing.tensors
      .filter((t) => t.shape.length === 4 && t.shape[1] * (t.conv?.weight === t.name ? t.conv.group : 1) === imageChannels)
      .map((t) => `${quoteShort(t.name, 40)} ${dims(t.shape)}`);
    const hint = fits.length > 0 ? `; tensors that would fit: ${fits.slice(0, 6).join(', ')}${fits.length > 6 ? ` and ${fits.length - 6} more` : ''}` : `; none of its 4-D tensors takes ${imageChannels} channels`;
    fail(`weight ${label} of shape ${dims(weight.shape)} takes ${perGroup * groups} input channel${perGroup * groups === 1 ? '' : 's'}${groups > 1 ? ` (groups=${groups})` : ''} but the images have ${imageChannels}${hint}`);
  }

  let bias: ModelTensorInfo | null = null;
  if (biasName !== null) {
    const paired = biasName ?? conv?.bias ?? (/(^|\.)weight$/.test(weight.name) ? weight.name.replace(/weight$/, 'bias') : null);
    const candidate = paired === null ? undefined : biasName === undefined ? listing.tensors.find((t) => t.name === paired) : findModelTensor(listing, paired);
    if (candidate) {
      if (candidate.shape.length !== 1 || candidate.shape[0] !== outChannels) {
        fail(`bias ${quoteShort(candidate.name)} of shape ${dims(candidate.shape)} does not fit weight ${label}, which needs [${outChannels}]`);
      }
      bias = candidate;
    }
  }

  const kernelSize: [number, number] = [kH, kW];
  const stride: [number, number] = conv ? [conv.strides[0], conv.strides[1]] : [1, 1];
  const dilation: [number, number] = conv ? [conv.dilations[0], conv.dilations[1]] : [1, 1];
  const padding = conv ? paddingFromOnnx(conv, kernelSize, fileName, weight.name) : ([0, 0] as [number, number]);
  const options: Required<Conv2dOptions> = { stride, padding, dilation, groups, paddingMode: 'zeros' };
  const config: LayerConfig = {
    outChannels, kernelSize, stride, dilation, groups, bias: bias !== null, paddingMode: 'zeros',
    padding: typeof padding === 'string' ? padding : [padding[0], padding[1]],
  };
  return { weightName: weight.name, biasName: bias?.name ?? null, inChannels: imageChannels, outChannels, kernelSize, options, config };
}
