// How a logged image differs from the one ConvBoard draws: a count a user can trust ("identical"
// means every RGBA byte is equal) and a picture showing where.
import { rgbaImage, type RgbaImage } from './rgbaImage';

export interface PixelDifference {
  width: number;
  height: number;
  /** Pixels with any channel different (alpha included). */
  differing: number;
  /** The largest absolute difference of one channel, 0..255. */
  maxDifference: number;
  /**
   * The expected image dimmed to a quarter, with every differing pixel in red, brighter the larger
   * its difference, so a single off-by-one still shows.
   */
  image: RgbaImage;
}

/** Thrown when the two images cannot be compared pixel by pixel. */
export class ImageSizeMismatchError extends Error {
  override readonly name = 'ImageSizeMismatchError';
}

export function pixelDifference(logged: RgbaImage, computed: RgbaImage): PixelDifference {
  if (logged.width !== computed.width || logged.height !== computed.height) {
    throw new ImageSizeMismatchError(`sizes differ: logged ${logged.width}×${logged.height}, ConvBoard ${computed.width}×${computed.height}`);
  }
  const { width, height } = computed;
  const image = rgbaImage(width, height);
  const a = logged.rgba;
  const b = computed.rgba;
  const out = image.rgba;
  let differing = 0;
  let maxDifference = 0;
  for (let i = 0; i < width * height * 4; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a[i + c]! - b[i + c]!));
    if (d > 0) {
      differing++;
      if (d > maxDifference) maxDifference = d;
      out[i] = 128 + (d >> 1);
      out[i + 1] = 0;
      out[i + 2] = 0;
    } else {
      const grey = (b[i]! + b[i + 1]! + b[i + 2]!) / 12;
      out[i] = out[i + 1] = out[i + 2] = grey;
    }
    out[i + 3] = 255;
  }
  return { width, height, differing, maxDifference, image };
}

/** "identical (784 pixels)" or "12 of 784 pixels differ (by up to 3)". */
export function differenceText(d: Pick<PixelDifference, 'width' | 'height' | 'differing' | 'maxDifference'>): string {
  const total = d.width * d.height;
  if (d.differing === 0) return `identical (all ${total} pixels)`;
  return `${d.differing} of ${total} pixels differ (by up to ${d.maxDifference} of 255)`;
}
