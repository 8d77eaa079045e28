import { parseArgs } from 'node:util';
import type { DisplayConfig } from '../../core/displayConfig';
import { DEFAULT_DISPLAY, DISPLAY_PRESETS } from '../../core/displayPresets';
import { DEFAULT_LAYER, DEFAULT_SEED, DEFAULT_VIEW, type LayerConfig, type ViewConfig } from '../../core/hostContract';
import { PRESET_NAMES } from '../../core/weightPresets';
import { UsageError } from './cliErrors';
import { parseImageTransform, type ImageFolderTransform } from './imageTransformOptions';
import { parseInteger, parsePair, parsePadding, parsePaddingMode, parseStepRange } from './cliValues';
import { parseTensorboardOptions, type TensorboardOptions } from './tensorboardOptions';
import { LAYER_PIPELINE_OPTIONS, LAYER_PIPELINE_USAGE, parseLayerPipeline } from './layerPipelineOptions';

export const EXPORT_USAGE = `convboard export [--data PATH] [--split test|train] [--batch-size 64] [--steps A-B]
               [--out-channels 6] [--kernel-size K] [--stride S] [--padding P] [--dilation D]
               [--groups G] [--padding-mode M] [--no-bias] [--seed N] [--preset NAME]
               [--weight W.npy|MODEL:NAME] [--bias B.npy|MODEL:NAME] [--display NAME]
               [--tensorboard [--tag-input T] [--tag-output T] [--logdir L]]
               [--resize N] [--center-crop N] --out DIR
               ${LAYER_PIPELINE_USAGE}
  The workflow headless: DIR/input/NNNNNN.png and DIR/output/NNNNNN.png per step;
  --tensorboard also writes DIR/events.out.tfevents.* (or L/...) with every step's add_images
  under the tags 'input' and 'output' (or T).
  --data: a CIFAR folder/.bin/.tar.gz, MNIST-family idx files or their folder, or an image
  folder (root/<class>/<image>; --resize N and --center-crop N as torchvision's Resize/CenterCrop).
  --weight model.pt:conv1.weight takes a tensor of a PyTorch checkpoint, .safetensors, .npz or
  .onnx: out_channels and kernel size follow its shape, its bias pairs by name (conv1.bias, or the
  ONNX Conv's third input) unless --bias or --no-bias, and an ONNX Conv sets stride, padding,
  dilation and groups. Layer options that contradict the file are refused.
  Defaults: the embedded sample, test split, batch 64, Conv2d(C, 6, 3) with C the images'
  channels (1 grey, 3 colour), stride 1, padding 0, torch.manual_seed(0) weights, TensorBoard display. --relu and --pool-* add nn.ReLU and
  nn.MaxPool2d after the conv (pool stride defaults to its kernel, as in PyTorch).`;

export interface ExportOptions {
  dataPath: string | null;
  view: ViewConfig;
  steps: { first: number; last: number | null };
  layer: LayerConfig;
  seed: number;
  preset: string | null;
  weightPath: string | null;
  biasPath: string | null;
  displayName: string;
  display: DisplayConfig;
  outDir: string;
  tensorboard: boolean;
  transform: ImageFolderTransform;
  tensorboardOptions: TensorboardOptions;
  /** The layer options typed on the command line (a model file's weight must agree with them). */
  layerGiven: Partial<LayerConfig>;
}

export function parseExportOptions(argv: string[]): ExportOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' }, split: { type: 'string' }, 'batch-size': { type: 'string' }, steps: { type: 'string' },
      'out-channels': { type: 'string' }, 'kernel-size': { type: 'string' }, stride: { type: 'string' },
      padding: { type: 'string' }, dilation: { type: 'string' }, groups: { type: 'string' },
      'padding-mode': { type: 'string' }, 'no-bias': { type: 'boolean' }, seed: { type: 'string' },
      preset: { type: 'string' }, weight: { type: 'string' }, bias: { type: 'string' }, display: { type: 'string' },
      out: { type: 'string' }, tensorboard: { type: 'boolean' },
      resize: { type: 'string' }, 'center-crop': { type: 'string' },
      'tag-input': { type: 'string' }, 'tag-output': { type: 'string' }, logdir: { type: 'string' },
      ...LAYER_PIPELINE_OPTIONS,
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.out) throw new UsageError(`export: --out DIR is required\n${EXPORT_USAGE}`);
  const split = values.split ?? DEFAULT_VIEW.split;
  if (split !== 'test' && split !== 'train') throw new UsageError(`--split: expected test or train, got '${split}'`);
  const padding = values.padding !== undefined ? parsePadding(values.padding) : DEFAULT_LAYER.padding;
  const layer: LayerConfig = {
    outChannels: values['out-channels'] !== undefined ? parseInteger('out-channels', values['out-channels'], 1) : DEFAULT_LAYER.outChannels,
    kernelSize: values['kernel-size'] !== undefined ? parsePair('kernel-size', values['kernel-size']) : DEFAULT_LAYER.kernelSize,
    stride: values.stride !== undefined ? parsePair('stride', values.stride) : DEFAULT_LAYER.stride,
    padding: typeof padding === 'number' ? [padding, padding] : typeof padding === 'string' ? padding : [padding[0], padding[1]],
    dilation: values.dilation !== undefined ? parsePair('dilation', values.dilation) : DEFAULT_LAYER.dilation,
    groups: values.groups !== undefined ? parseInteger('groups', values.groups, 1) : DEFAULT_LAYER.groups,
    bias: !values['no-bias'],
    paddingMode: values['padding-mode'] !== undefined ? parsePaddingMode(values['padding-mode']) : DEFAULT_LAYER.paddingMode,
    ...parseLayerPipeline(values),
  };
  if (values.preset !== undefined && !PRESET_NAMES.includes(values.preset)) {
    throw new UsageError(`--preset: unknown preset '${values.preset}' (choose one of ${PRESET_NAMES.join(', ')})`);
  }
  if (values.preset !== undefined && values.weight !== undefined) throw new UsageError('--preset and --weight cannot be used together');
  if (values.bias !== undefined && values.weight === undefined) throw new UsageError('--bias needs --weight');
  if (values.bias !== undefined && values['no-bias']) throw new UsageError('--bias and --no-bias cannot be used together');
  const displayName = values.display ?? 'tensorboard';
  const display = DISPLAY_PRESETS[displayName];
  if (!display) throw new UsageError(`--display: unknown display '${displayName}' (choose one of ${Object.keys(DISPLAY_PRESETS).join(', ')})`);
  return {
    dataPath: values.data ?? null,
    view: {
      ...DEFAULT_VIEW,
      split,
      batchSize: values['batch-size'] !== undefined ? parseInteger('batch-size', values['batch-size'], 1) : DEFAULT_VIEW.batchSize,
    },
    steps: values.steps !== undefined ? parseStepRange(values.steps) : { first: 0, last: null },
    layer,
    seed: values.seed !== undefined ? parseInteger('seed', values.seed, 0) : DEFAULT_SEED,
    preset: values.preset ?? null,
    weightPath: values.weight ?? null,
    biasPath: values.bias ?? null,
    displayName,
    display: display ?? DEFAULT_DISPLAY,
    outDir: values.out,
    tensorboard: values.tensorboard === true,
    transform: parseImageTransform(values.resize, values['center-crop']),
    tensorboardOptions: parseTensorboardOptions(values),
    layerGiven: Object.fromEntries(
      ([['outChannels', 'out-channels'], ['kernelSize', 'kernel-size'], ['stride', 'stride'], ['padding', 'padding'], ['dilation', 'dilation'], ['groups', 'groups'], ['paddingMode', 'padding-mode']] as const)
        .filter(([, option]) => values[option] !== undefined)
        .map(([field]) => [field, layer[field]]),
    ),
  };
}
