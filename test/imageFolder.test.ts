import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torchvisionCenterCrop } from '../core/centerCrop';
import type { HwcImage } from '../core/hwcImage';
import { comparePythonStrings, hasImageExtension, ImageFolderError, imageFolderIndex, type FolderTree } from '../core/imageFolderIndex';
import { torchvisionResize } from '../core/pilResize';
import { pilConvertToRgb, type PilImage, type PilMode } from '../core/pilToRgb';
import { decodeImage, loadImageRgb } from '../main/datasets/imageDecode/decodeImage';
import { ImageDecodeError } from '../main/datasets/imageDecode/imageDecodeError';

const DIR = join(__dirname, 'fixtures/imagefolder');
const ROOT = join(DIR, 'root');
const json = (name: string) => JSON.parse(readFileSync(join(DIR, name), 'utf8'));
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

interface ImageEntry {
  pilMode: string; width: number; height: number; rgb: string; resize24crop24: string;
  resize40: { width: number; height: number; bytes: string }; centerCrop40: string;
}
const expected = json('expected.json') as { classes: string[]; classToIdx: Record<string, number>; samples: [string, number][]; images: Record<string, ImageEntry> };

function listTree(dir: string, name: string): FolderTree {
  const entries = readdirSync(dir);
  const folders = entries.filter((e) => statSync(join(dir, e)).isDirectory());
  return { name, files: entries.filter((e) => !folders.includes(e)), folders: folders.map((f) => listTree(join(dir, f), f)) };
}

function maxDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function diffStats(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return { max: maxDiff(a, b), mean: sum / a.length };
}

const pipeline24 = (img: HwcImage) => torchvisionCenterCrop(torchvisionResize(img, 24), 24);

describe('ImageFolder index', () => {
  it("gives torchvision's classes, class_to_idx and samples in its order", () => {
    const tree = listTree(ROOT, 'root');
    const index = imageFolderIndex(tree.folders, 'root');
    expect(index.classes).toEqual(expected.classes);
    expect({ ...index.classToIdx }).toEqual(expected.classToIdx);
    expect(index.samples.map((s) => [s.path, s.classIndex])).toEqual(expected.samples);
  });

  it("sorts names and walk roots as Python's sorted() does (code points, whole paths)", () => {
    const s = json('sorting.json') as { names: string[]; sorted: string[]; paths: string[]; sortedPaths: string[] };
    expect([...s.names].sort(comparePythonStrings)).toEqual(s.sorted);
    expect([...s.paths].sort(comparePythonStrings)).toEqual(s.sortedPaths);
    // JavaScript's default (UTF-16) order gets these wrong: the check above is not vacuous.
    expect([...s.names].sort()).not.toEqual(s.sorted);
  });

  it('accepts the extensions case-insensitively and skips others', () => {
    expect(['a.PNG', 'b.JpEg', 'c.tiff', 'd.webp', '.png'].every(hasImageExtension)).toBe(true);
    expect(['a.gif', 'b.txt', 'png', 'c.png.bak'].some(hasImageExtension)).toBe(false);
  });

  it('refuses, in one line, a root without class folders and classes without images', () => {
    expect(() => imageFolderIndex([], 'pics')).toThrow(ImageFolderError);
    expect(() => imageFolderIndex([], 'pics')).toThrow(/^pics: no class folders found/);
    const tree: FolderTree[] = [
      { name: 'cat', files: ['a.png'], folders: [] },
      { name: 'dog', files: ['notes.txt'], folders: [{ name: 'x', files: [], folders: [] }] },
    ];
    let message = '';
    try {
      imageFolderIndex(tree, 'pics');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^pics: no image files in the class folder "dog" \(ImageFolder reads \.jpg/);
    expect(message).not.toContain('\n');
  });
});

describe("Pillow's convert('RGB')", () => {
  it('matches Pillow for every mode PNG and JPEG give, from synthetic pixels', () => {
    const cases = json('conversions.json').cases as { mode: PilMode; width: number; height: number; data: number[]; rgb: string; palette?: string }[];
    expect(cases.map((c) => c.mode)).toEqual(['1', 'L', 'LA', 'P', 'PA', 'RGB', 'RGBA', 'I']);
    for (const c of cases) {
      const image: PilImage = {
        mode: c.mode, width: c.width, height: c.height,
        data: c.mode === 'I' ? Int32Array.from(c.data) : Uint8Array.from(c.data),
        ...(c.palette ? { palette: bytes(c.palette) } : {}),
      };
      expect([...pilConvertToRgb(image).data], c.mode).toEqual([...bytes(c.rgb)]);
    }
  });
});

describe('decoding ImageFolder files as Pillow does', () => {
  const entries = Object.entries(expected.images);
  const pngs = entries.filter(([p]) => p.toLowerCase().endsWith('.png'));
  const jpegs = entries.filter(([p]) => !p.toLowerCase().endsWith('.png'));

  it("opens every PNG in Pillow's mode and converts it to Pillow's RGB bytes exactly", () => {
    expect(pngs.length).toBe(16);
    for (const [path, e] of pngs) {
      const file = new Uint8Array(readFileSync(join(ROOT, path)));
      expect(decodeImage(file, path).pil.mode, path).toBe(e.pilMode);
      const rgb = loadImageRgb(file, path);
      expect([rgb.width, rgb.height], path).toEqual([e.width, e.height]);
      expect(maxDiff(rgb.data, bytes(e.rgb)), path).toBe(0);
    }
  });

  it("gives torchvision's Resize(24)+CenterCrop(24), Resize(40) and CenterCrop(40) exactly for PNGs", () => {
    for (const [path, e] of pngs) {
      const rgb = loadImageRgb(new Uint8Array(readFileSync(join(ROOT, path))), path);
      expect(maxDiff(pipeline24(rgb).data, bytes(e.resize24crop24)), path).toBe(0);
      const r40 = torchvisionResize(rgb, 40);
      expect([r40.width, r40.height], path).toEqual([e.resize40.width, e.resize40.height]);
      expect(maxDiff(r40.data, bytes(e.resize40.bytes)), path).toBe(0);
      expect(maxDiff(torchvisionCenterCrop(rgb, 40).data, bytes(e.centerCrop40)), path).toBe(0);
    }
  });

  it('applies the transforms exactly to the pixels libjpeg decoded (the JPEG difference is the decoder alone)', () => {
    for (const [path, e] of jpegs) {
      const pilRgb: HwcImage = { width: e.width, height: e.height, channels: 3, data: bytes(e.rgb) };
      expect(maxDiff(pipeline24(pilRgb).data, bytes(e.resize24crop24)), path).toBe(0);
      expect(maxDiff(torchvisionResize(pilRgb, 40).data, bytes(e.resize40.bytes)), path).toBe(0);
    }
  });

  it("decodes JPEGs within the measured distance of Pillow's libjpeg", () => {
    // Measured with jpeg-js 0.4.4 vs Pillow 9.4 (libjpeg-turbo) on these quality-90 files:
    //   grey 33x52:        decoded max 1 (330 of 5148 values differ), after Resize(24)+CenterCrop(24) max 1
    //   colour 47x29:      decoded max 92, mean 5.5 (3673 of 4089 differ), transformed max 41, mean 3.4
    //   colour 64x48:      decoded max 85, mean 4.9, transformed max 15, mean 1.8
    // Colour is far off at chroma edges: jpeg-js upsamples 4:2:0 chroma by nearest neighbour,
    // libjpeg by its "fancy" triangle filter; grey differs only by IDCT rounding.
    expect(jpegs.length).toBe(3);
    for (const [path, e] of jpegs) {
      const file = new Uint8Array(readFileSync(join(ROOT, path)));
      expect(decodeImage(file, path).pil.mode, path).toBe(e.pilMode);
      const rgb = loadImageRgb(file, path);
      const decoded = diffStats(rgb.data, bytes(e.rgb));
      const transformed = diffStats(pipeline24(rgb).data, bytes(e.resize24crop24));
      const grey = e.pilMode === 'L';
      expect(decoded.max, path).toBeLessThanOrEqual(grey ? 1 : 92);
      expect(decoded.mean, path).toBeLessThanOrEqual(grey ? 0.07 : 5.6);
      expect(transformed.max, path).toBeLessThanOrEqual(grey ? 1 : 41);
      expect(transformed.mean, path).toBeLessThanOrEqual(grey ? 0.06 : 3.4);
    }
  });

  it('refuses other formats, damaged files and oversized images in one line naming the file', () => {
    const gif = new Uint8Array(readFileSync(join(ROOT, 'Zebra/skipped.gif')));
    const png = new Uint8Array(readFileSync(join(ROOT, 'Zebra/B_50x64.PNG')));
    const jpeg = new Uint8Array(readFileSync(join(ROOT, 'apple/grey_33x52.jpeg')));
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 20000);
    new DataView(huge.buffer).setUint32(20, 20000);
    const cases: [Uint8Array, RegExp][] = [
      [gif, /^x\.img: GIF images are not supported \(only PNG and JPEG are read\)$/],
      [new TextEncoder().encode('hello'), /^x\.img: not a PNG or JPEG file/],
      [png.subarray(0, 100), /^x\.img: PNG truncated inside its "IDAT" chunk$/],
      [huge, /^x\.img: image is 20000 x 20000 \(400\.0 megapixels\), more than the 50\.0-megapixel limit$/],
      [jpeg.subarray(0, 20), /^x\.img: JPEG has no frame header/],
    ];
    for (const [file, message] of cases) {
      let err: unknown;
      try {
        decodeImage(file, 'x.img');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ImageDecodeError);
      expect((err as Error).message).toMatch(message);
    }
  });
});
