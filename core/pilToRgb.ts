// Pillow 9.4's convert('RGB') from the modes its PNG and JPEG readers give, as torchvision's
// pil_loader calls it. Alpha is dropped, never composited; transparency info (tRNS) is ignored;
// "I" (16-bit grey PNGs) is clipped to 0..255, not scaled, so most such images turn white;
// "1" stores 0/255 per pixel. Verified against real Pillow in the fixtures.
import type { HwcImage } from './hwcImage';

export type PilMode = '1' | 'L' | 'LA' | 'P' | 'PA' | 'RGB' | 'RGBA' | 'I';

/** Pixels as Pillow holds them: one value per band, bands interleaved. */
export interface PilImage {
  readonly mode: PilMode;
  readonly width: number;
  readonly height: number;
  /** Int32Array for "I", bytes for every other mode ("1": 0 or 255). */
  readonly data: Uint8Array | Int32Array;
  /** P and PA: 256 RGB entries (768 bytes). */
  readonly palette?: Uint8Array;
}

export const PIL_MODE_BANDS: Record<PilMode, number> = { '1': 1, L: 1, LA: 2, P: 1, PA: 2, RGB: 3, RGBA: 4, I: 1 };

/**
 * Pillow's palette for a PNG's PLTE: its entries, and past them the grey ramp (i, i, i) that
 * Pillow's new palettes start with, which is what an index past the PLTE shows.
 */
export function pilPaletteFromPlte(plte: Uint8Array): Uint8Array {
  const palette = new Uint8Array(768);
  for (let i = 0; i < 256; i++) palette.fill(i, i * 3, i * 3 + 3);
  palette.set(plte.subarray(0, Math.min(768, plte.length - (plte.length % 3))));
  return palette;
}

/** image.convert('RGB'). */
export function pilConvertToRgb(image: PilImage): HwcImage {
  const { mode, width, height, data } = image;
  const n = width * height;
  const bands = PIL_MODE_BANDS[mode];
  if (data.length !== n * bands) throw new RangeError(`${mode} image of ${width} x ${height} needs ${n * bands} values, got ${data.length}`);
  const out = new Uint8Array(n * 3);
  switch (mode) {
    case 'RGB':
      out.set(data);
      break;
    case 'RGBA':
      for (let i = 0; i < n; i++) {
        out[i * 3] = data[i * 4];
        out[i * 3 + 1] = data[i * 4 + 1];
        out[i * 3 + 2] = data[i * 4 + 2];
      }
      break;
    case 'L': case 'LA': case '1': case 'I':
      for (let i = 0; i < n; i++) {
        const v = data[i * bands];
        const g = mode === '1' ? (v !== 0 ? 255 : 0) : mode === 'I' ? (v < 0 ? 0 : v > 255 ? 255 : v) : v;
        out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = g;
      }
      break;
    case 'P': case 'PA': {
      const palette = image.palette;
      if (!palette || palette.length !== 768) throw new RangeError(`${mode} image needs a 768-byte palette`);
      for (let i = 0; i < n; i++) {
        const at = data[i * bands] * 3;
        out[i * 3] = palette[at];
        out[i * 3 + 1] = palette[at + 1];
        out[i * 3 + 2] = palette[at + 2];
      }
      break;
    }
  }
  return { width, height, channels: 3, data: out };
}
