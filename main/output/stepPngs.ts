import type { DisplayConfig } from '../../core/displayConfig';
import { renderInputGrid, renderOutputGrid } from '../../core/imageGrids';
import { encodePng } from './pngFile';

/** File names of one step's export, relative to the export folder: what the CLI and the app both write. */
export function stepPngNames(step: number): { input: string; output: string } {
  const n = String(step).padStart(6, '0');
  return { input: `input/${n}.png`, output: `output/${n}.png` };
}

/** One encoded card with its size, so nobody has to read the size back from the PNG header. */
export interface EncodedGrid {
  png: Uint8Array;
  width: number;
  height: number;
}

function encoded(image: { width: number; height: number; rgba: Uint8Array }): EncodedGrid {
  return { png: encodePng(image), width: image.width, height: image.height };
}

/** The two cards of one step as PNG bytes: the same core renderers the screen uses. */
export function renderStepPngs(
  pixels: Uint8Array,
  inputShape: readonly [number, number, number, number],
  output: Float32Array,
  outputShape: readonly [number, number, number, number],
  display: DisplayConfig,
): { input: EncodedGrid; output: EncodedGrid } {
  return {
    input: encoded(renderInputGrid(pixels, inputShape, display)),
    output: encoded(renderOutputGrid(output, outputShape, display)),
  };
}
