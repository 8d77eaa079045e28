/** An image file that cannot be read: one line naming the file and the problem. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
}

/** Default cap on width x height, checked from the header before any pixel is decoded. */
export const DEFAULT_MAX_PIXELS = 50_000_000;
