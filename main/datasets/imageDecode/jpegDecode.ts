// A JPEG decoded with jpeg-js into the mode Pillow opens it in: one component is "L", three are
// "RGB" (YCbCr converted). jpeg-js is not libjpeg: its IDCT and chroma upsampling differ, so
// pixels may differ from Pillow's by a few levels (the test records the measured bound).
// Four-component (CMYK/YCCK) JPEGs are refused: Pillow's CMYK handling is not reproduced.
import { decode } from 'jpeg-js';
import type { PilImage } from '../../../core/pilToRgb';
import { ImageDecodeError, DEFAULT_MAX_PIXELS } from './imageDecodeError';
import { checkImageSize, readJpegHeader, type JpegHeader } from './imageHeader';

export interface DecodedJpeg {
  readonly header: JpegHeader;
  readonly image: PilImage;
}

export function decodeJpeg(bytes: Uint8Array, name: string, maxPixels = DEFAULT_MAX_PIXELS): DecodedJpeg {
  const header = readJpegHeader(bytes, name);
  checkImageSize(header.width, header.height, maxPixels, name);
  if (header.components !== 1 && header.components !== 3) {
    throw new ImageDecodeError(`${name}: JPEG with ${header.components} colour components (CMYK?) is not supported; 1 (grey) and 3 (colour) are`);
  }
  let raw: { width: number; height: number; data: Uint8Array };
  try {
    raw = decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: Math.ceil(maxPixels / 1e6),
      maxMemoryUsageInMB: Math.ceil((maxPixels * 3 * 4) / 2 ** 20) + 64,
    });
  } catch (e) {
    throw new ImageDecodeError(`${name}: JPEG cannot be decoded (${String((e as Error)?.message ?? e).split('\n')[0]})`);
  }
  const { width, height, data } = raw;
  if (width !== header.width || height !== header.height) {
    throw new ImageDecodeError(`${name}: JPEG decoded to ${width} x ${height}, its header says ${header.width} x ${header.height}`);
  }
  if (header.components === 3) return { header, image: { mode: 'RGB', width, height, data } };
  const grey = new Uint8Array(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * 3];
  return { header, image: { mode: 'L', width, height, data: grey } };
}
