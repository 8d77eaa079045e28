// A PNG decoded into the pixels Pillow 9.4 holds for it (PngImagePlugin's _MODES): 1-bit grey
// is "1", 2/4/8-bit grey "L" (scaled by 85 / 17 / 1), 16-bit grey "I" (raw values), palettes
// "P" (indices and PLTE), grey+alpha "LA" (16-bit: "RGBA" from the high bytes), RGB / RGBA
// (16-bit: the high bytes). pngjs does the inflating, unfiltering and de-interlacing; two of its
// habits are steered around by rewriting chunks first: it zeroes the colour of tRNS-keyed
// pixels (Pillow keeps it, and convert('RGB') ignores tRNS) so tRNS is dropped, and it expands
// palettes and refuses indices past the PLTE (Pillow shows its grey ramp there) so the PLTE is
// swapped for an identity palette whose red channel gives back the indices.
import { buf as crc32 } from 'crc-32';
import { Unzlib } from 'fflate';
import { PNG } from 'pngjs';
import { pilPaletteFromPlte, type PilImage } from '../../../core/pilToRgb';
import { ImageDecodeError, DEFAULT_MAX_PIXELS } from './imageDecodeError';
import { checkImageSize, readPngHeader, type PngHeader } from './imageHeader';
import { quoteInput } from '../../../core/quotedText';

export interface DecodedPng {
  readonly header: PngHeader;
  readonly image: PilImage;
  /** The file had a tRNS chunk (Pillow's info['transparency']); convert('RGB') ignores it. */
  readonly hadTransparency: boolean;
}

interface Chunk {
  type: string;
  data: Uint8Array;
}

function readChunks(bytes: Uint8Array, name: string): Chunk[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) throw new ImageDecodeError(`${name}: PNG truncated (no IEND chunk)`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (length > bytes.length - at - 12) throw new ImageDecodeError(`${name}: PNG truncated inside its ${quoteInput(type, 8)} chunk`);
    chunks.push({ type, data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === 'IEND') return chunks;
  }
}

function writeChunks(chunks: readonly Chunk[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  for (const { type, data } of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    parts.push(head, Buffer.from(data.buffer, data.byteOffset, data.byteLength), crc);
  }
  return Buffer.concat(parts);
}

/** Bytes of filtered scanlines the image data must inflate to (an upper bound when interlaced). */
function scanlineBytes(h: PngHeader): number {
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[h.colorType as 0 | 2 | 3 | 4 | 6];
  const rowBytes = Math.ceil((h.width * samples * h.bitDepth) / 8) + 1;
  // Adam7 adds at most one filter byte and one partial byte per row of each of its 7 passes.
  return rowBytes * h.height + (h.interlaced ? 14 * (h.height + 8) : 0);
}

const MAX_DEFLATE_RATIO = 1032;

/** Bytes of pixels alone (no filter bytes): what the image data inflates to at the very least. */
function pixelDataBytes(h: PngHeader): number {
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[h.colorType as 0 | 2 | 3 | 4 | 6];
  return Math.ceil((h.width * samples * h.bitDepth) / 8) * h.height;
}

/** pngjs inflates interlaced images without a size limit: count the output first, in slices. */
function checkInflatedSize(idat: Uint8Array, maxBytes: number, name: string): void {
  let total = 0;
  const inflater = new Unzlib((data) => {
    total += data.length;
  });
  try {
    for (let at = 0; at < idat.length && total <= maxBytes; at += 4096) inflater.push(idat.subarray(at, at + 4096), at + 4096 >= idat.length);
  } catch (e) {
    throw new ImageDecodeError(`${name}: PNG image data is corrupt (${(e as Error).message})`);
  }
  if (total > maxBytes) throw new ImageDecodeError(`${name}: PNG image data inflates to more than its ${maxBytes} bytes of pixels`);
}

export function decodePng(bytes: Uint8Array, name: string, maxPixels = DEFAULT_MAX_PIXELS): DecodedPng {
  const header = readPngHeader(bytes, name);
  checkImageSize(header.width, header.height, maxPixels, name);
  const chunks = readChunks(bytes, name);
  const hadTransparency = chunks.some((c) => c.type === 'tRNS');
  const plte = chunks.find((c) => c.type === 'PLTE');
  if (header.colorType === 3 && !plte) throw new ImageDecodeError(`${name}: palette PNG has no PLTE chunk`);
  const identity = new Uint8Array(768);
  for (let i = 0; i < 256; i++) identity[i * 3] = i;
  const rewritten = chunks
    .filter((c) => c.type !== 'tRNS')
    .map((c) => (c.type === 'PLTE' && header.colorType === 3 ? { type: 'PLTE', data: identity } : c));
  // Deflate never expands more than about 1032:1, so image data far too short for the pixels its
  // header declares is a cut or corrupt file: refuse it before pngjs allocates and walks them all.
  const idatBytes = chunks.reduce((sum, c) => sum + (c.type === 'IDAT' ? c.data.length : 0), 0);
  const pixelBytes = pixelDataBytes(header);
  if (pixelBytes > idatBytes * MAX_DEFLATE_RATIO + 1024) {
    throw new ImageDecodeError(`${name}: PNG image data (${idatBytes} bytes) is far too short for a ${header.width}x${header.height} image (truncated or corrupt)`);
  }
  if (header.interlaced) {
    const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
    checkInflatedSize(idat, scanlineBytes(header), name);
  }
  let data: Uint8Array | Uint16Array;
  try {
    data = PNG.sync.read(writeChunks(rewritten), { skipRescale: true }).data as unknown as Uint8Array | Uint16Array;
  } catch (e) {
    throw new ImageDecodeError(`${name}: PNG is corrupt (${(e as Error).message.split('\n')[0]})`);
  }
  return { header, image: toPilImage(header, data, plte?.data), hadTransparency };
}

/** pngjs gives RGBA for every PNG (grey replicated); keep what Pillow would hold. */
function toPilImage(h: PngHeader, rgba: Uint8Array | Uint16Array, plte: Uint8Array | undefined): PilImage {
  const { width, height, bitDepth, colorType } = h;
  const n = width * height;
  const pick = (bands: number[], shift: number): Uint8Array => {
    const out = new Uint8Array(n * bands.length);
    for (let i = 0; i < n; i++) for (let b = 0; b < bands.length; b++) out[i * bands.length + b] = rgba[i * 4 + bands[b]] >> shift;
    return out;
  };
  const high = bitDepth === 16 ? 8 : 0;
  switch (colorType) {
    case 0: {
      if (bitDepth === 16) return { mode: 'I', width, height, data: Int32Array.from({ length: n }, (_, i) => rgba[i * 4]) };
      if (bitDepth === 1) return { mode: '1', width, height, data: pick([0], 0).map((v) => (v ? 255 : 0)) };
      const scale = 255 / (2 ** bitDepth - 1);
      return { mode: 'L', width, height, data: pick([0], 0).map((v) => v * scale) };
    }
    case 2: return { mode: 'RGB', width, height, data: pick([0, 1, 2], high) };
    case 3: return { mode: 'P', width, height, data: pick([0], 0), palette: pilPaletteFromPlte(plte!) };
    case 4: return bitDepth === 16
      ? { mode: 'RGBA', width, height, data: pick([0, 0, 0, 3], high) }
      : { mode: 'LA', width, height, data: pick([0, 3], 0) };
    default: return { mode: 'RGBA', width, height, data: pick([0, 1, 2, 3], high) };
  }
}
