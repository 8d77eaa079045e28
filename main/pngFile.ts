// STUB by lead — the grids/files helper owns and implements this file.
import type { RgbaImage } from '../core/rgbaImage';

/** PNG bytes of an 8-bit RGB image, as TensorBoard writes for add_images. */
export function encodePng(_image: RgbaImage): Uint8Array {
  throw new Error('not implemented');
}
