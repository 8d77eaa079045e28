/** 8-bit RGBA pixels, row-major: what a canvas ImageData and a PNG encoder both take as is. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

export function rgbaImage(width: number, height: number): RgbaImage {
  return { width, height, rgba: new Uint8Array(width * height * 4) };
}
