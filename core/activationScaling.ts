// How values become bytes, in float32 step by step as numpy and PyTorch compute them (Math.fround
// after every operation), so grids match PyTorch's to the pixel, not just to within one level.
import type { DisplayConfig } from './displayConfig';
import { tileSet, type Nchw, type TileSet } from './gridLayout';
import type { ColorMapName } from './colorMaps';

/**
 * TensorBoard's summary.image on float input: `(x * 255).clip(0, 255).astype(np.uint8)`, i.e. scale
 * in float32, clip, truncate. NaN gives 0 (what the x86 cast gives). Current PyTorch; 1.13 had no clip.
 */
export function tensorboardByte(x: number): number {
  const s = Math.fround(x * 255);
  return s >= 255 ? 255 : s > 0 ? s | 0 : 0;
}

/** torchvision's save_image: `mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8)`, i.e. round half up. */
export function saveImageByte(x: number): number {
  const s = Math.fround(Math.fround(x * 255) + 0.5);
  return s >= 255 ? 255 : s > 0 ? s | 0 : 0;
}

export interface ValueRange {
  lo: number;
  hi: number;
}

export interface NormalizationInfo {
  mode: DisplayConfig['normalization'];
  /** What each range covers: the whole step ('all'), one output channel, or one tile (reshape order). */
  scope: 'all' | 'channel' | 'tile';
  /** The values mapped to byte 0 and to byte 255 (colour-table ends); 'tensorboard' is [0, 1]. */
  ranges: ValueRange[];
  /** True when ranges were widened to [-m, m] so that 0 sits at the diverging map's centre. */
  symmetric: boolean;
  /** The colour map that is really applied: RGB tiles are shown as colours, never through a map. */
  colorMap: ColorMapName;
  rgbTiles: boolean;
}

// With every value equal, torchvision divides by max(hi - lo, 1e-5); for a symmetric range this
// half-width keeps 0 at the centre of the map instead of at its low end.
const MIN_HALF_WIDTH = 5e-6;

/** The value ranges a display uses on these activations (for the colour bar); the grids use the very same. */
export function describeNormalization(values: Float32Array, shape: Nchw, display: DisplayConfig): NormalizationInfo {
  return normalizationFor(values, shape, tileSet(shape, display.layout), display);
}

export function normalizationFor(values: Float32Array, shape: Nchw, tiles: TileSet, display: DisplayConfig): NormalizationInfo {
  const [n, c, h, w] = shape;
  if (values.length !== n * c * h * w) {
    throw new RangeError(`grid: ${values.length} values do not fill shape [${shape.join(', ')}]`);
  }
  const mode = display.normalization;
  const rgbTiles = tiles.channels === 3;
  const symmetric = display.colorMap === 'diverging' && !rgbTiles && (mode === 'tile' || mode === 'channel' || mode === 'batch');
  const info = (scope: NormalizationInfo['scope'], ranges: ValueRange[]): NormalizationInfo => ({
    mode, scope, ranges: symmetric ? ranges.map(symmetricRange) : ranges, symmetric, colorMap: rgbTiles ? 'gray' : display.colorMap, rgbTiles,
  });
  switch (mode) {
    case 'tensorboard':
      return info('all', [{ lo: 0, hi: 1 }]);
    case 'fixed': {
      const range = display.range;
      if (!range || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || !(range[0] < range[1])) {
        throw new RangeError(`display: normalization 'fixed' needs a range [low, high] with low < high, got ${range ? `[${range.join(', ')}]` : 'none'}`);
      }
      return info('all', [{ lo: range[0], hi: range[1] }]);
    }
    case 'batch':
    case 'channel':
    case 'tile': {
      const flat = flatChannelRanges(values, n * c, h * w);
      if (mode === 'batch') return info('all', [mergeRanges(flat, 0, flat.length, 1)]);
      if (mode === 'channel') return info('channel', Array.from({ length: c }, (_, ch) => mergeRanges(flat, ch, flat.length, c)));
      const k = tiles.channels;
      return info('tile', Array.from({ length: tiles.count }, (_, t) => mergeRanges(flat, t * k, t * k + k, 1)));
    }
    default:
      throw new RangeError(`display: unknown normalization '${String(mode)}'`);
  }
}

/** min and max of each flat channel (N*C of them), NaN ignored. */
function flatChannelRanges(values: Float32Array, count: number, size: number): ValueRange[] {
  const ranges: ValueRange[] = new Array(count);
  for (let f = 0; f < count; f++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = (f + 1) * size;
    for (let i = f * size; i < end; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ranges[f] = { lo, hi };
  }
  return ranges;
}

function mergeRanges(ranges: ValueRange[], start: number, end: number, step: number): ValueRange {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i += step) {
    if (ranges[i].lo < lo) lo = ranges[i].lo;
    if (ranges[i].hi > hi) hi = ranges[i].hi;
  }
  // Nothing but NaN: any range will do, every pixel becomes 0.
  return lo <= hi ? { lo, hi } : { lo: 0, hi: 0 };
}

function symmetricRange(r: ValueRange): ValueRange {
  const m = Math.max(Math.abs(r.lo), Math.abs(r.hi), MIN_HALF_WIDTH);
  return { lo: -m, hi: m };
}

/**
 * Per flat channel (N*C entries) the float32 constants of torchvision's norm_ip:
 * `clamp_(lo, hi)`, `sub_(lo)`, `div_(max(hi - lo, 1e-5))`, the scalars cast to float32 as PyTorch does
 * (hi - lo itself is a Python double). Null for 'tensorboard', which scales raw values.
 */
export interface FlatChannelScaling {
  lo: Float32Array;
  hi: Float32Array;
  div: Float32Array;
}

export function flatChannelScaling(info: NormalizationInfo, shape: Nchw, tiles: TileSet): FlatChannelScaling | null {
  if (info.mode === 'tensorboard') return null;
  const flatCount = shape[0] * shape[1];
  const scaling: FlatChannelScaling = { lo: new Float32Array(flatCount), hi: new Float32Array(flatCount), div: new Float32Array(flatCount) };
  for (let f = 0; f < flatCount; f++) {
    const r = info.scope === 'all' ? info.ranges[0] : info.scope === 'channel' ? info.ranges[f % shape[1]] : info.ranges[Math.floor(f / tiles.channels)];
    scaling.lo[f] = r.lo;
    scaling.hi[f] = r.hi;
    scaling.div[f] = Math.max(r.hi - r.lo, 1e-5);
  }
  return scaling;
}
