// STUB by lead — the data helper owns and implements this file.
import type { ViewConfig } from './hostContract';

/** Number of steps DataLoader yields for `count` items. */
export function stepCount(_count: number, _view: ViewConfig): number {
  throw new Error('not implemented');
}

/** Dataset indices of step `step` (shuffle uses a seeded permutation, same on every machine). */
export function stepIndices(_count: number, _view: ViewConfig, _step: number): Uint32Array {
  throw new Error('not implemented');
}
