// What an image file is and how big, from its first bytes only, so that the size can be refused
// before anything is inflated or allocated.
import { ImageDecodeError } from './imageDecodeError';

export type ImageFormat = 'png' | 'jpeg';

export interface PngHeader {
  readonly format: 'png';
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlaced: boolean;
}

export interface JpegHeader {
  readonly format: 'jpeg';
  readonly width: number;
  readonly height: number;
  readonly components: number;
  /** The SOF marker's low nibble: 0 baseline, 1 extended, 2 progressive, 3 lossless, ... */
  readonly process: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG bit depths allowed per colour type (the PNG specification's table). */
export const PNG_DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Formats recognised only to name them in the refusal. */
function otherFormat(b: Uint8Array): string | null {
  const ascii = (n: number) => String.fromCharCode(...b.subarray(0, n));
  if (ascii(2) === 'BM') return 'BMP';
  if (ascii(4) === 'GIF8') return 'GIF';
  if (ascii(4) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'WebP';
  if (ascii(4) === 'II*\0' || ascii(4) === 'MM\0*') return 'TIFF';
  if (b[0] === 0x50 && b[1] >= 0x31 && b[1] <= 0x36) return 'PNM (PPM/PGM)';
  return null;
}

export function sniffImageFormat(bytes: Uint8Array, name: string): ImageFormat {
  if (PNG_SIGNATURE.every((v, i) => bytes[i] === v)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const other = otherFormat(bytes);
  if (other) throw new ImageDecodeError(`${name}: ${other} images are not supported (only PNG and JPEG are read)`);
  throw new ImageDecodeError(`${name}: not a PNG or JPEG file (its first bytes are not an image signature)`);
}

export function readPngHeader(bytes: Uint8Array, name: string): PngHeader {
  if (bytes.length < 33) throw new ImageDecodeError(`${name}: PNG truncated before the end of its IHDR header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (view.getUint32(8) !== 13 || type !== 'IHDR') throw new ImageDecodeError(`${name}: PNG does not start with an IHDR chunk`);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bitDepth = bytes[24];
  const colorType = bytes[25];
  if (!(colorType in PNG_DEPTHS) || !PNG_DEPTHS[colorType].includes(bitDepth)) {
    throw new ImageDecodeError(`${name}: PNG has an invalid bit depth ${bitDepth} for colour type ${colorType}`);
  }
  if (bytes[28] > 1) throw new ImageDecodeError(`${name}: PNG has an unknown interlace method ${bytes[28]}`);
  return { format: 'png', width, height, bitDepth, colorType, interlaced: bytes[28] === 1 };
}

/** Walks the markers to the first SOF (start of frame), which holds the dimensions. */
export function readJpegHeader(bytes: Uint8Array, name: string): JpegHeader {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new ImageDecodeError(`${name}: JPEG is malformed (no marker at byte ${at})`);
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (at + 10 > bytes.length) break;
      const height = (bytes[at + 5] << 8) | bytes[at + 6];
      const width = (bytes[at + 7] << 8) | bytes[at + 8];
      return { format: 'jpeg', width, height, components: bytes[at + 9], process: marker & 0x0f };
    }
    if (marker === 0xda || marker === 0xd9) break;
    at += 2 + length;
  }
  throw new ImageDecodeError(`${name}: JPEG has no frame header (SOF) before its image data`);
}

/** Refuses an empty image or one over `maxPixels`, from the header alone. */
export function checkImageSize(width: number, height: number, maxPixels: number, name: string): void {
  if (width === 0 || height === 0) throw new ImageDecodeError(`${name}: image has no pixels (${width} x ${height})`);
  if (width * height > maxPixels) {
    throw new ImageDecodeError(`${name}: image is ${width} x ${height} (${((width * height) / 1e6).toFixed(1)} megapixels), more than the ${(maxPixels / 1e6).toFixed(1)}-megapixel limit`);
  }
}
