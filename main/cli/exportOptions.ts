import { parseArgs } from 'node:util';
import type { DisplayConfig } from '../../core/displayConfig';
import { DEFAULT_DISPLAY, DISPLAY_PRESETS } from '../../core/displayPresets';
import { DEFAULT_LAYER, DEFAULT_SEED, DEFAULT_VIEW, type LayerConfig, type ViewConfig } from '../../core/hostContract';
import { LAYER_LIMITS } from '../../core/layerConfig';
import { VIEW_LIMITS } from '../../core/viewConfig';
import { PRESET_NAMES } from '../../core/weightPresets';
import { UsageError } from './cliErrors';
import { parseImageTransform, type ImageFolderTransform } from './imageTransformOptions';
import { namedChoice, parseInteger, parsePair, parsePadding, parsePaddingMode, parsePathOption, parseStepRange } from './cliValues';
import { parseTensorboardOptions, type TensorboardOptions } from './tensorboardOptions';
import { LAYER_PIPELINE_OPTIONS, LAYER_PIPELINE_USAGE, parseLayerPipeline } from './layerPipelineOptions';

// The app's own limits (core/layerConfig.ts), so the CLI and the page accept the same layers.
const GEOMETRY = { min: -LAYER_LIMITS.magnitude, max: LAYER_LIMITS.magnitude };
const KERNEL = { min: 1, max: LAYER_LIMITS.maxKernel };
const SPLIT_NAMES = { test: 'test', train: 'train' } as const;

export const EXPORT_USAGE = `convboard export [--data PATH] [--split test|train] [--batch-size 64] [--steps A-B]
               [--out-channels 6] [--kernel-size K] [--stride S] [--padding P] [--dilation D]
               [--groups G] [--padding-mode M] [--no-bias] [--seed N] [--preset NAME]
               [--weight W.npy|MODEL:NAME] [--bias B.npy|MODEL:NAME] [--display NAME]
               [--tensorboard [--tag-input T] [--tag-output T] [--logdir L]]
               [--resize N] [--center-crop N] [--overwrite] [--allow-large] --out DIR
               ${LAYER_PIPELINE_USAGE}
  The workflow headless: DIR/input/NNNNNN.png and DIR/output/NNNNNN.png per step;
  --tensorboard also writes DIR/events.out.tfevents.* (or L/...) with every step's add_images
  under the tags 'input' and 'output' (or T).
  --overwrite replaces files already in DIR; --allow-large lifts the per-step work budget.
  --data: a CIFAR folder/.bin/.tar.gz, MNIST-family idx files or their folder, or an image
  folder (root/<class>/<image>; --resize N and --center-crop N as torchvision's Resize/CenterCrop).
  --weight model.pt:conv1.weight takes a tensor of a PyTorch checkpoint, .safetensors, .npz or
  .onnx: out_channels and kernel size follow its shape, its bias pairs by name (conv1.bias, or the
  ONNX Conv's third input) unless --bias or --no-bias, and an ONNX Conv sets stride, padding,
  dilation and groups. Layer options that contradict the file are refused.
  Defaults: the embedded sample, test split, batch 64, Conv2d(C, 6, 3) with C the images'
  channels (1 grey, 3 colour), stride 1, padding 0, torch.manual_seed(0) weights, TensorBoard display.
  --relu and --pool-* add nn.ReLU and nn.MaxPool2d after the conv (pool stride defaults to its kernel, as in PyTorch).`;

export interface ExportOptions {
  dataPath: string | null;
  view: ViewConfig;
  steps: { first: number; last: number | null };
  layer: LayerConfig;
  seed: number;
  preset: string | null;
  weightPath: string | null;
  biasPath: string | null;
  display: DisplayConfig;
  outDir: string;
  tensorboard: boolean;
  transform: ImageFolderTransform;
  tensorboardOptions: TensorboardOptions;
  /** The layer options typed on the command line (a model file's weight must agree with them). */
  layerGiven: Partial<LayerConfig>;
  /** Replace files that were in outDir before this run. */
  overwrite: boolean;
  /** Go past the per-step budget (main/session/layerBudget.ts). */
  allowLarge: boolean;
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
      overwrite: { type: 'boolean' }, 'allow-large': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.out === undefined) throw new UsageError(`export: --out DIR is required\n${EXPORT_USAGE}`);
  const outDir = parsePathOption('out', values.out)!;
  const dataPath = parsePathOption('data', values.data);
  const weightPath = parsePathOption('weight', values.weight);
  const biasPath = parsePathOption('bias', values.bias);
  const split = values.split ?? DEFAULT_VIEW.split;
  if (!Object.hasOwn(SPLIT_NAMES, split)) throw new UsageError(`--split: expected test or train, got '${split.slice(0, 40)}'`);
  const padding = values.padding !== undefined ? parsePadding(values.padding, GEOMETRY) : DEFAULT_LAYER.padding;
  const layer: LayerConfig = {
    outChannels: values['out-channels'] !== undefined ? parseInteger('out-channels', values['out-channels'], 1, LAYER_LIMITS.maxOutChannels) : DEFAULT_LAYER.outChannels,
    kernelSize: values['kernel-size'] !== undefined ? parsePair('kernel-size', values['kernel-size'], KERNEL) : DEFAULT_LAYER.kernelSize,
    stride: values.stride !== undefined ? parsePair('stride', values.stride, GEOMETRY) : DEFAULT_LAYER.stride,
    padding: typeof padding === 'number' ? [padding, padding] : typeof padding === 'string' ? padding : [padding[0], padding[1]],
    dilation: values.dilation !== undefined ? parsePair('dilation', values.dilation, GEOMETRY) : DEFAULT_LAYER.dilation,
    groups: values.groups !== undefined ? parseInteger('groups', values.groups, 1, LAYER_LIMITS.magnitude) : DEFAULT_LAYER.groups,
    bias: !values['no-bias'],
    paddingMode: values['padding-mode'] !== undefined ? parsePaddingMode(values['padding-mode']) : DEFAULT_LAYER.paddingMode,
    ...parseLayerPipeline(values),
  };
  if (values.preset !== undefined) namedChoice('preset', values.preset, Object.fromEntries(PRESET_NAMES.map((n) => [n, n])), 'preset');
  if (values.preset !== undefined && values.weight !== undefined) throw new UsageError('--preset and --weight cannot be used together');
  if (values.bias !== undefined && values.weight === undefined) throw new UsageError('--bias needs --weight');
  if (values.bias !== undefined && values['no-bias']) throw new UsageError('--bias and --no-bias cannot be used together');
  const displayName = values.display ?? 'tensorboard';
  const display = namedChoice('display', displayName, DISPLAY_PRESETS, 'display');
  return {
    dataPath,
    view: {
      ...DEFAULT_VIEW,
      split: split as 'test' | 'train',
      batchSize: values['batch-size'] !== undefined ? parseInteger('batch-size', values['batch-size'], 1, VIEW_LIMITS.maxBatchSize) : DEFAULT_VIEW.batchSize,
    },
    steps: values.steps !== undefined ? parseStepRange(values.steps) : { first: 0, last: null },
    layer,
    seed: values.seed !== undefined ? parseInteger('seed', values.seed, 0) : DEFAULT_SEED,
    preset: values.preset ?? null,
    weightPath,
    biasPath,
    display: display ?? DEFAULT_DISPLAY,
    outDir,
    tensorboard: values.tensorboard === true,
    transform: parseImageTransform(values.resize, values['center-crop']),
    tensorboardOptions: parseTensorboardOptions(values),
    layerGiven: Object.fromEntries(
      ([['outChannels', 'out-channels'], ['kernelSize', 'kernel-size'], ['stride', 'stride'], ['padding', 'padding'], ['dilation', 'dilation'], ['groups', 'groups'], ['paddingMode', 'padding-mode']] as const)
        .filter(([, option]) => values[option] !== undefined)
        .map(([field]) => [field, layer[field]]),
    ),
    overwrite: values.overwrite === true,
    allowLarge: values['allow-large'] === true,
  };
}
