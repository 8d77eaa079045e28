// Where each tile goes. Tiles are what `x.reshape(-1, 3, H, W)` (or `(-1, 1, H, W)`) gives, so tile t
// is the contiguous run of flat channels [t*k, t*k + k) with k = 1 or 3: its data starts at t*k*H*W.
import type { DisplayConfig } from './displayConfig';

export type Nchw = readonly [number, number, number, number];

export interface TileSet {
  /** Tiles in reshape order. */
  count: number;
  /** Channels per tile: 3 for RGB tiles, 1 for grey ones. */
  channels: 1 | 3;
  height: number;
  width: number;
  /** Channels per sample (C of [N, C, H, W]). */
  sampleChannels: number;
}

/** 'rgb' groups channels in threes when C is a multiple of 3, else (and for 'channels') one grey tile per channel. */
export function tileSet(shape: Nchw, layout: DisplayConfig['layout']): TileSet {
  const [n, c, h, w] = shape;
  for (const [i, d] of shape.entries()) {
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`grid: shape [${shape.join(', ')}] needs positive sizes (dimension ${i} is ${d})`);
  }
  const channels = layout === 'rgb' && c % 3 === 0 ? 3 : 1;
  return { count: (n * c) / channels, channels, height: h, width: w, sampleChannels: c };
}

export interface GridGeometry {
  width: number;
  height: number;
  columns: number;
  rows: number;
  /** Top-left corner of tile 0, and the distance between neighbouring tiles' corners. */
  offset: number;
  pitchX: number;
  pitchY: number;
  /** Pixels outside every tile: TensorBoard's black canvas, or torchvision's pad_value. */
  background: 'black' | 'padValue';
}

/**
 * TensorBoard's _utils.make_grid: ncols = min(T, columns), nrows = ceil(T / ncols), tiles touching.
 * torchvision's make_grid: the same columns and rows with `padding` around and between tiles,
 * except that a single tile is returned as it is (make_grid squeezes a batch of one, no padding).
 */
export function gridGeometry(tiles: TileSet, display: DisplayConfig): GridGeometry {
  const { columns: wanted, padding } = display;
  if (!Number.isInteger(wanted) || wanted < 1) throw new RangeError(`grid: columns must be a positive integer, got ${wanted}`);
  const columns = Math.min(tiles.count, wanted);
  const rows = Math.ceil(tiles.count / columns);
  if (display.grid === 'tensorboard') {
    return { width: tiles.width * columns, height: tiles.height * rows, columns, rows, offset: 0, pitchX: tiles.width, pitchY: tiles.height, background: 'black' };
  }
  if (!Number.isInteger(padding) || padding < 0) throw new RangeError(`grid: padding must be a non-negative integer, got ${padding}`);
  if (tiles.count === 1) {
    return { width: tiles.width, height: tiles.height, columns: 1, rows: 1, offset: 0, pitchX: tiles.width, pitchY: tiles.height, background: 'padValue' };
  }
  const pitchX = tiles.width + padding;
  const pitchY = tiles.height + padding;
  return { width: pitchX * columns + padding, height: pitchY * rows + padding, columns, rows, offset: padding, pitchX, pitchY, background: 'padValue' };
}

/** The sample a tile belongs to: tile t holds flat channels [t*k, t*k + k), in reshape order. */
export function tileSample(tiles: TileSet, t: number): number {
  return Math.floor((t * tiles.channels) / tiles.sampleChannels);
}

/** The canvas position of tile t's top-left pixel. */
export function tileOrigin(geometry: GridGeometry, t: number): { x: number; y: number } {
  return {
    x: geometry.offset + (t % geometry.columns) * geometry.pitchX,
    y: geometry.offset + Math.floor(t / geometry.columns) * geometry.pitchY,
  };
}
