import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, as pngjs gives it (alpha 255 for RGB files). */
  data: Uint8Array;
}

export function decodePng(bytes: Uint8Array): DecodedPng {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

export function readPng(path: string): DecodedPng {
  return decodePng(readFileSync(path));
}

/** Index of the first differing RGBA byte, or -1: a short message beats a 500 kB array diff. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
