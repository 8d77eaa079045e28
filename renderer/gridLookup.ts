import type { DisplayConfig } from '../core/displayConfig';
import { gridGeometry, tileOrigin, tileSample, tileSet, type Nchw } from '../core/gridLayout';
import { inputDisplay } from '../core/imageGrids';
import type { TileRect } from './views/gridCard';

/** Rectangles of the tiles whose sample satisfies `keep`, laid out exactly as the core draws the card. */
export function tileRectsWhere(which: 'input' | 'output', shape: Nchw, display: DisplayConfig, keep: (sample: number) => boolean): TileRect[] {
  const used = which === 'input' ? inputDisplay(display) : display;
  const tiles = tileSet(shape, used.layout);
  const geometry = gridGeometry(tiles, used);
  const rects: TileRect[] = [];
  for (let t = 0; t < tiles.count; t++) {
    if (!keep(tileSample(tiles, t))) continue;
    const { x, y } = tileOrigin(geometry, t);
    rects.push({ x, y, width: tiles.width, height: tiles.height });
  }
  return rects;
}
