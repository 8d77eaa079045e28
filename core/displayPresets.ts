// Named displays for `convboard export --display NAME` and the app's display panel.
import type { DisplayConfig } from './displayConfig';

/** add_images exactly: output reshaped to (-1, 3, H, W), x255, clip, truncate, 8 columns, no padding. */
export const DEFAULT_DISPLAY: DisplayConfig = {
  layout: 'rgb', normalization: 'tensorboard', colorMap: 'gray', grid: 'tensorboard', columns: 8, padding: 0, padValue: 0,
};

// One grey tile per channel; 12 columns keep whole samples on a row for C = 1, 2, 3, 4, 6 and 12
// (two samples a row for the workflow's 6 channels), and a 1-pixel white gap separates the tiles.
const PER_CHANNEL: DisplayConfig = {
  layout: 'channels', normalization: 'channel', colorMap: 'gray', grid: 'torchvision', columns: 12, padding: 1, padValue: 1,
};

/** Named displays; the first is the default. */
export const DISPLAY_PRESETS: Record<string, DisplayConfig> = {
  tensorboard: DEFAULT_DISPLAY,
  /** Grey per channel, each channel scaled to its own min..max over the step. */
  channels: PER_CHANNEL,
  'channels-viridis': { ...PER_CHANNEL, colorMap: 'viridis' },
  /** Grey per channel, one min..max for the whole step: channels' strengths stay comparable. */
  'channels-batch': { ...PER_CHANNEL, normalization: 'batch' },
  /** Signed activations: each tile's own symmetric range [-m, m], blue < 0 < red. */
  diverging: { ...PER_CHANNEL, normalization: 'tile', colorMap: 'diverging' },
  /** torchvision's save_image(make_grid(x)) defaults: padding 2, black, raw values rounded. */
  torchvision: { layout: 'rgb', normalization: 'tensorboard', colorMap: 'gray', grid: 'torchvision', columns: 8, padding: 2, padValue: 0 },
};

export const DISPLAY_PRESET_NAMES: readonly string[] = Object.keys(DISPLAY_PRESETS);

/** One line for each preset, for `--help` and tooltips. */
export const DISPLAY_PRESET_DESCRIPTIONS: Record<string, string> = {
  tensorboard: 'exactly what TensorBoard add_images shows (RGB tiles of 3 channels, x255, clip, truncate)',
  channels: 'one grey tile per channel, each channel scaled to its min..max over the step',
  'channels-viridis': 'as channels, through the viridis colour map',
  'channels-batch': 'one grey tile per channel, one min..max for the whole step',
  diverging: 'one tile per channel, symmetric range per tile, blue < 0 < red',
  torchvision: "torchvision's save_image(make_grid(x)): padding 2, values rounded",
};
