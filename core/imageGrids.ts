// The two cards of a step as pixels: the same functions draw the screen and every exported PNG.
import { flatChannelScaling, normalizationFor, saveImageByte, type NormalizationInfo } from './activationScaling';
import { colorMapTable } from './colorMaps';
import type { DisplayConfig } from './displayConfig';
import { gridGeometry, tileOrigin, tileSet, type Nchw } from './gridLayout';
import { rgbaImage, type RgbaImage } from './rgbaImage';
import { bytesToTensorData } from './toTensor';

/**
 * The display the input card really uses: the images as they are (RGB, raw ToTensor values, what
 * add_images shows for the input), on the same kind of grid as the output card. Normalisation,
 * channel layout and colour maps are for studying activations, and would distort the photographs.
 */
export function inputDisplay(display: DisplayConfig): DisplayConfig {
  return { ...display, layout: 'rgb', normalization: 'tensorboard', colorMap: 'gray', range: undefined };
}

/** The input card: uint8 [N, 3, H, W] through ToTensor then the display (TensorBoard: float32 x255, truncate). */
export function renderInputGrid(pixels: Uint8Array, shape: readonly [number, number, number, number], display: DisplayConfig): RgbaImage {
  checkLength(pixels.length, shape);
  const shown = inputDisplay(display);
  // Bytes have only 256 values: run each through ToTensor and the display's float32 conversion
  // once, then look them up. Same arithmetic as the float path, a fraction of its cost.
  const rounding = shown.grid === 'torchvision';
  const unit = new Float32Array(256);
  bytesToTensorData(Uint8Array.from({ length: 256 }, (_, b) => b), unit);
  const table = new Uint8Array(256);
  toBytes(unit, 0, 256, table, rounding, 0, 0, 1, false);
  return renderGrid({ kind: 'bytes', pixels, table }, shape, shown).image;
}

/** The output card: float32 [N, C, H, W] activations. */
export function renderOutputGrid(output: Float32Array, shape: readonly [number, number, number, number], display: DisplayConfig): RgbaImage {
  return renderOutputGridWithScale(output, shape, display).image;
}

/** The output card and the normalisation it was drawn with, for a colour bar that cannot drift from it. */
export function renderOutputGridWithScale(output: Float32Array, shape: readonly [number, number, number, number], display: DisplayConfig): { image: RgbaImage; normalization: NormalizationInfo } {
  checkLength(output.length, shape);
  const { image, normalization } = renderGrid({ kind: 'floats', values: output }, shape, display);
  return { image, normalization: normalization! };
}

function checkLength(length: number, shape: Nchw): void {
  const size = shape[0] * shape[1] * shape[2] * shape[3];
  if (length !== size) throw new RangeError(`grid: ${length} values do not fill shape [${shape.join(', ')}] (${size} needed)`);
}

/** What a grid is drawn from: activations, or stored bytes with their byte-to-byte table. */
type GridSource = { kind: 'floats'; values: Float32Array } | { kind: 'bytes'; pixels: Uint8Array; table: Uint8Array };

function renderGrid(source: GridSource, shape: Nchw, display: DisplayConfig): { image: RgbaImage; normalization: NormalizationInfo | null } {
  const tiles = tileSet(shape, display.layout);
  const geometry = gridGeometry(tiles, display);
  // Byte sources carry their own conversion table (inputDisplay: TensorBoard scaling, no colour map).
  const info = source.kind === 'floats' ? normalizationFor(source.values, shape, tiles, display) : null;
  const scaling = info ? flatChannelScaling(info, shape, tiles) : null;
  const rounding = display.grid === 'torchvision';
  const image = rgbaImage(geometry.width, geometry.height);
  const rgba = image.rgba;
  // torchvision fills its canvas with pad_value (a float32 tensor) and converts it like the tiles.
  const background = geometry.background === 'black' ? 0 : saveImageByte(Math.fround(display.padValue));
  for (let p = 0; p < rgba.length; p += 4) {
    rgba[p] = rgba[p + 1] = rgba[p + 2] = background;
    rgba[p + 3] = 255;
  }
  const table = tiles.channels === 1 ? colorMapTable(info?.colorMap ?? 'gray') : null;
  const { height: h, width: w } = tiles;
  const size = h * w;
  const stride = geometry.width * 4;
  // All values to bytes first, in one monomorphic loop per kind of source, then place the tiles.
  const bytes = new Uint8Array(shape[0] * shape[1] * size);
  if (source.kind === 'bytes') {
    const { pixels, table: lut } = source;
    for (let i = 0; i < bytes.length; i++) bytes[i] = lut[pixels[i]];
  } else if (scaling === null) {
    toBytes(source.values, 0, bytes.length, bytes, rounding, 0, 0, 1, false);
  } else {
    for (let f = 0; f < shape[0] * shape[1]; f++) toBytes(source.values, f * size, size, bytes, rounding, scaling.lo[f], scaling.hi[f], scaling.div[f], true);
  }
  for (let t = 0; t < tiles.count; t++) {
    const origin = tileOrigin(geometry, t);
    const corner = origin.y * stride + origin.x * 4;
    for (let k = 0; k < tiles.channels; k++) {
      const base = (t * tiles.channels + k) * size;
      for (let y = 0; y < h; y++) {
        let p = corner + y * stride;
        const row = base + y * w;
        if (table === null) {
          for (let x = 0; x < w; x++, p += 4) rgba[p + k] = bytes[row + x];
        } else {
          for (let x = 0; x < w; x++, p += 4) {
            const e = bytes[row + x] * 3;
            rgba[p] = table[e];
            rgba[p + 1] = table[e + 1];
            rgba[p + 2] = table[e + 2];
          }
        }
      }
    }
  }
  return { image, normalization: info };
}

/**
 * One channel to bytes: optionally torchvision's norm_ip (clamp_, sub_, div_; NaN stays NaN), then
 * TensorBoard's x255-clip-truncate or save_image's x255 + 0.5, clamp, truncate: tensorboardByte and
 * saveImageByte written out inline, as this loop runs for every value of every step.
 */
function toBytes(values: Float32Array, base: number, size: number, out: Uint8Array, rounding: boolean, lo: number, hi: number, div: number, scaled: boolean): void {
  const half = rounding ? 0.5 : 0;
  for (let i = base; i < base + size; i++) {
    let v = values[i];
    if (scaled) {
      const c = v < lo ? lo : v > hi ? hi : v;
      v = Math.fround(Math.fround(c - lo) / div);
    }
    // Adding 0 leaves every float32 (and -0 -> 0, harmless here) as it is.
    const s = Math.fround(Math.fround(v * 255) + half);
    out[i] = s >= 255 ? 255 : s > 0 ? s | 0 : 0;
  }
}
