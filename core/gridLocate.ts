// Hover read-out: which sample, channel(s) and position a canvas pixel of a card shows.
import type { DisplayConfig } from './displayConfig';
import { gridGeometry, tileSample, tileSet, type Nchw } from './gridLayout';
import { inputDisplay } from './imageGrids';

export interface GridPixel {
  /** Index of the sample within the step. */
  sample: number;
  /** The tensor channels behind the pixel: three for an RGB tile, one for a grey tile. */
  channels: number[];
  /** Tile index in reshape order. */
  tile: number;
  /** Position inside the tile, i.e. in the tensor's H and W. */
  y: number;
  x: number;
}

/** The tensor element(s) under canvas pixel (x, y) of a card, or null on padding or the empty part of the canvas. */
export function locateGridPixel(which: 'input' | 'output', shape: Nchw, display: DisplayConfig, x: number, y: number): GridPixel | null {
  const used = which === 'input' ? inputDisplay(display) : display;
  const tiles = tileSet(shape, used.layout);
  const g = gridGeometry(tiles, used);
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= g.width || y >= g.height) return null;
  const column = Math.floor((x - g.offset) / g.pitchX);
  const row = Math.floor((y - g.offset) / g.pitchY);
  const tx = x - g.offset - column * g.pitchX;
  const ty = y - g.offset - row * g.pitchY;
  if (column < 0 || row < 0 || column >= g.columns || tx >= tiles.width || ty >= tiles.height) return null;
  const tile = row * g.columns + column;
  if (tile >= tiles.count) return null;
  const first = tile * tiles.channels;
  const channel = first % tiles.sampleChannels;
  return {
    sample: tileSample(tiles, tile),
    channels: Array.from({ length: tiles.channels }, (_, k) => channel + k),
    tile,
    y: ty,
    x: tx,
  };
}
