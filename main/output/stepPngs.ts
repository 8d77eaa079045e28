import type { DisplayConfig } from '../../core/displayConfig';
import { renderInputGrid, renderOutputGrid } from '../../core/imageGrids';
import { encodePng } from './pngFile';

/** File names of one step's export, relative to the export folder: what the CLI and the app both write. */
export function stepPngNames(step: number): { input: string; output: string } {
  const n = String(step).padStart(6, '0');
  return { input: `input/${n}.png`, output: `output/${n}.png` };
}

/** The two cards of one step as PNG bytes: the same core renderers the screen uses. */
export function renderStepPngs(
  pixels: Uint8Array,
  inputShape: readonly [number, number, number, number],
  output: Float32Array,
  outputShape: readonly [number, number, number, number],
  display: DisplayConfig,
): { input: Uint8Array; output: Uint8Array } {
  return {
    input: encodePng(renderInputGrid(pixels, inputShape, display)),
    output: encodePng(renderOutputGrid(output, outputShape, display)),
  };
}
