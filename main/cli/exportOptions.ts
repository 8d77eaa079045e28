import { parseArgs } from 'node:util';
import type { DisplayConfig } from '../../core/displayConfig';
import { DEFAULT_DISPLAY, DISPLAY_PRESETS } from '../../core/displayPresets';
import { DEFAULT_LAYER, DEFAULT_SEED, DEFAULT_VIEW, type LayerConfig, type ViewConfig } from '../../core/hostContract';
import { LAYER_LIMITS } from '../../core/layerConfig';
import { VIEW_LIMITS } from '../../core/viewConfig';
import { PRESET_NAMES } from '../../core/weightPresets';
import { UsageError } from './cliErrors';
import { namedChoice, parseInteger, parsePair, parsePadding, parsePaddingMode, parsePathOption, parseStepRange } from './cliValues';

// The app's own limits (core/layerConfig.ts), so the CLI and the page accept the same layers.
const GEOMETRY = { min: -LAYER_LIMITS.magnitude, max: LAYER_LIMITS.magnitude };
const KERNEL = { min: 1, max: LAYER_LIMITS.maxKernel };
const SPLIT_NAMES = { test: 'test', train: 'train' } as const;

export const EXPORT_USAGE = `convboard export [--data PATH] [--split test|train] [--batch-size 64] [--steps A-B]
               [--out-channels 6] [--kernel-size K] [--stride S] [--padding P] [--dilation D]
               [--groups G] [--padding-mode M] [--no-bias] [--seed N] [--preset NAME]
               [--weight W.npy] [--bias B.npy] [--display NAME] [--tensorboard]
               [--overwrite] [--allow-large] --out DIR
  The workflow headless: DIR/input/NNNNNN.png and DIR/output/NNNNNN.png per step;
  --tensorboard also writes DIR/events.out.tfevents.* with every step's add_images.
  --overwrite replaces files already in DIR; --allow-large lifts the per-step work budget.
  Defaults: the embedded sample, test split, batch 64, Conv2d(3, 6, 3), stride 1, padding 0,
  torch.manual_seed(0) weights, TensorBoard display.`;

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
    displayName,
    display: display ?? DEFAULT_DISPLAY,
    outDir,
    tensorboard: values.tensorboard === true,
    overwrite: values.overwrite === true,
    allowLarge: values['allow-large'] === true,
  };
}
