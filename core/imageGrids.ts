// STUB by lead — the grids helper owns and implements this file.
import type { DisplayConfig } from './displayConfig';
import type { RgbaImage } from './rgbaImage';

/** The input card: uint8 [N, 3, H, W] through ToTensor then the display (TensorBoard: float32 x255, truncate). */
export function renderInputGrid(_pixels: Uint8Array, _shape: readonly [number, number, number, number], _display: DisplayConfig): RgbaImage {
  throw new Error('not implemented');
}

/** The output card: float32 [N, C, H, W] activations. */
export function renderOutputGrid(_output: Float32Array, _shape: readonly [number, number, number, number], _display: DisplayConfig): RgbaImage {
  throw new Error('not implemented');
}
