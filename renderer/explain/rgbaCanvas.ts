import type { RgbaImage } from '../../core/rgbaImage';

/** Puts core's pixels on a canvas unchanged (one canvas pixel per image pixel), shown `zoom` times larger. */
export function paintRgba(canvas: HTMLCanvasElement, image: RgbaImage, zoom: number): void {
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.style.width = `${image.width * zoom}px`;
  canvas.style.height = `${image.height * zoom}px`;
  const pixels = new Uint8ClampedArray(image.rgba.buffer as ArrayBuffer, image.rgba.byteOffset, image.rgba.byteLength);
  canvas.getContext('2d')?.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
}
