// The layer the user edits: nn.Conv2d's constructor arguments as the page and the CLI hold them.
// The schema is the single source of the type and of its validation at the host boundary.
import './zodSetup';
import { z } from 'zod';
import { PADDING_MODES, type PaddingMode } from './conv2dOptions';

/**
 * Layer numbers beyond these are certainly mistakes and would only allocate absurd buffers. Only
 * the type and a generous magnitude are checked at the boundary: what PyTorch refuses (stride 0,
 * negative padding, ...) reaches planConv2d, so the user sees PyTorch's own message.
 */
export const LAYER_LIMITS = {
  magnitude: 1024,
  maxOutChannels: 1024,
  maxKernel: 64,
} as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const pair = (min: number, max: number) => z.tuple([int(min, max), int(min, max)]);
const m = LAYER_LIMITS.magnitude;

export const layerConfigSchema = z.strictObject({
  outChannels: int(1, LAYER_LIMITS.maxOutChannels),
  kernelSize: pair(1, LAYER_LIMITS.maxKernel),
  stride: pair(-m, m),
  padding: z.union([pair(-m, m), z.literal('same'), z.literal('valid')]),
  dilation: pair(-m, m),
  groups: int(-m, m),
  bias: z.boolean(),
  paddingMode: z.enum(PADDING_MODES as [PaddingMode, ...PaddingMode[]]),
  /** nn.ReLU after the conv. Defaulted so configs written before it existed stay valid. */
  relu: z.boolean().default(false),
  /** nn.MaxPool2d after the conv (and ReLU); stride null is PyTorch's stride=None (the kernel size). */
  pool: z
    .strictObject({
      kernelSize: pair(-m, m),
      stride: pair(-m, m).nullable(),
      padding: pair(-m, m),
      dilation: pair(-m, m),
      ceilMode: z.boolean(),
    })
    .nullable()
    .default(null),
});

/**
 * The schema's input type: relu and pool may be absent (meaning no ReLU, no pool), so configs built
 * before they existed still type-check; what passed the schema always has both.
 */
export type LayerConfig = z.input<typeof layerConfigSchema>;
/** A config that passed the schema: relu and pool always present. */
export type CheckedLayerConfig = z.output<typeof layerConfigSchema>;
export type PoolConfig = NonNullable<LayerConfig['pool']>;

/** The defaults shared by the CLI and the app: `convboard export` with no options writes what the app first shows. */
export const DEFAULT_LAYER: CheckedLayerConfig = {
  outChannels: 6,
  kernelSize: [3, 3],
  stride: [1, 1],
  padding: [0, 0],
  dilation: [1, 1],
  groups: 1,
  bias: true,
  paddingMode: 'zeros',
  relu: false,
  pool: null,
};
export const DEFAULT_SEED = 0;
