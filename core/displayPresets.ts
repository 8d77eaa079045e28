// STUB by lead — the grids helper owns and implements this file.
import type { DisplayConfig } from './displayConfig';

export const DEFAULT_DISPLAY: DisplayConfig = {
  layout: 'rgb', normalization: 'tensorboard', colorMap: 'gray', grid: 'tensorboard', columns: 8, padding: 0, padValue: 0,
};

/** Named displays for `convboard export --display NAME` and the app's display panel. */
export const DISPLAY_PRESETS: Record<string, DisplayConfig> = { tensorboard: DEFAULT_DISPLAY };
