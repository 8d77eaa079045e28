// One entry point for ImageFolder files: PNG or JPEG by signature (not by extension, as Pillow
// does), anything else refused in one line naming the file.
import { pilConvertToRgb, type PilImage } from '../../../core/pilToRgb';
import type { HwcImage } from '../../../core/hwcImage';
import { DEFAULT_MAX_PIXELS } from './imageDecodeError';
import { sniffImageFormat, type ImageFormat } from './imageHeader';
import { decodeJpeg } from './jpegDecode';
import { decodePng } from './pngDecode';

export interface DecodedImage {
  readonly format: ImageFormat;
  /** The image in the mode Pillow opens it in. */
  readonly pil: PilImage;
}

export function decodeImage(bytes: Uint8Array, name: string, maxPixels = DEFAULT_MAX_PIXELS): DecodedImage {
  const format = sniffImageFormat(bytes, name);
  const pil = format === 'png' ? decodePng(bytes, name, maxPixels).image : decodeJpeg(bytes, name, maxPixels).image;
  return { format, pil };
}

/** torchvision's pil_loader: Image.open(path).convert('RGB'). */
export function loadImageRgb(bytes: Uint8Array, name: string, maxPixels = DEFAULT_MAX_PIXELS): HwcImage {
  return pilConvertToRgb(decodeImage(bytes, name, maxPixels).pil);
}
