import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rgbaImage } from '../core/rgbaImage';
import { encodePng } from '../main/output/pngFile';
import { decodePng } from './gridFixtures';

/** The PNG's chunks by type, from the raw bytes (independent of pngjs). */
function chunks(png: Uint8Array): Map<string, Uint8Array[]> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out = new Map<string, Uint8Array[]>();
  for (let p = 8; p < png.length; ) {
    const length = view.getUint32(p);
    const type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    out.set(type, [...(out.get(type) ?? []), png.subarray(p + 8, p + 8 + length)]);
    p += 12 + length;
  }
  return out;
}

describe('encodePng', () => {
  const img = rgbaImage(5, 3);
  for (let i = 0; i < 15; i++) img.rgba.set([i * 17, 255 - i, (i * 53) % 256, i === 7 ? 0 : 255], i * 4);

  it('writes 8-bit RGB (colour type 2, no alpha) like TensorBoard, and every pixel survives', () => {
    const png = encodePng(img);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const ihdr = chunks(png).get('IHDR')![0];
    const v = new DataView(ihdr.buffer, ihdr.byteOffset);
    expect([v.getUint32(0), v.getUint32(4), ihdr[8], ihdr[9]]).toEqual([5, 3, 8, 2]);
    // The raw scanlines hold 3 bytes per pixel after each filter byte: no alpha is stored.
    const raw = inflateSync(Buffer.concat(chunks(png).get('IDAT')!));
    expect(raw.length).toBe(3 * (1 + 5 * 3));
    const decoded = decodePng(png);
    expect([decoded.width, decoded.height]).toEqual([5, 3]);
    for (let i = 0; i < 15; i++) {
      expect([...decoded.data.subarray(i * 4, i * 4 + 4)]).toEqual([i * 17, 255 - i, (i * 53) % 256, 255]);
    }
  });

  it('refuses an image whose bytes do not match its size, or an empty one', () => {
    expect(() => encodePng({ width: 4, height: 3, rgba: new Uint8Array(40) })).toThrow(/40 bytes of RGBA do not make a 4x3 image \(48 needed\)/);
    expect(() => encodePng(rgbaImage(0, 3))).toThrow(/0x3/);
  });
});
