// How many activations a display draws clipped: TensorBoard's x255-and-clip puts everything below 0
// at black and above 1 at full intensity, and a fixed range does the same outside its ends.
import type { DisplayConfig } from './displayConfig';

export interface ClippedCount {
  below: number;
  above: number;
  total: number;
  /** The range values are clipped to. */
  lo: number;
  hi: number;
}

/** Values outside what the display can show, or null when the display scales to the data (nothing is clipped). */
export function clippedValues(values: Float32Array, display: DisplayConfig): ClippedCount | null {
  let lo: number;
  let hi: number;
  if (display.normalization === 'tensorboard') [lo, hi] = [0, 1];
  else if (display.normalization === 'fixed' && display.range) [lo, hi] = display.range;
  else return null;
  let below = 0;
  let above = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) below++;
    else if (v > hi) above++;
  }
  return { below, above, total: values.length, lo, hi };
}
