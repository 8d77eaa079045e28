// An 8-bit image as Pillow holds it after convert('RGB') (or 'L'): rows top to bottom, pixels
// left to right, channels interleaved. np.array(pil_image) has exactly this layout.
export interface HwcImage {
  readonly width: number;
  readonly height: number;
  /** 1 (L) or 3 (RGB). */
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}
