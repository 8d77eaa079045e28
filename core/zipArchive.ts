// A zip reader for model files (torch.save archives, .npz) that trusts nothing it reads: the
// central directory is parsed and checked against the file before any entry is inflated, and
// inflating never produces more than the size the directory declared.
import { inflateSync } from 'fflate';
import { decodeUtf8, latin1 } from './textDecoding';
import { quoteInput } from './quotedText';

export class ZipArchiveError extends Error {
  override readonly name = 'ZipArchiveError';
}

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  /** Where the entry's (compressed) data starts in the archive. */
  readonly dataOffset: number;
}

export interface ZipLimits {
  /** Most entries a directory may list. */
  readonly maxEntries: number;
  /** Largest uncompressed size of one entry, and of all entries together. */
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of a deflated entry (deflate's own limit is about 1032). */
  readonly maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 100_000,
  maxEntryBytes: 2 ** 31 - 1,
  maxTotalBytes: 2 ** 32,
  maxRatio: 200,
};

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Escaped and shortened, for quoting names from a file in a one-line message. */
/** A name from the archive, escaped and shortened for a one-line message (the app's one quoting). */
export function quoteShort(text: string, max = 60): string {
  return quoteInput(text, max);
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

function u64(view: DataView, at: number): number {
  const high = view.getUint32(at + 4, true);
  // Beyond 2^53 is not a size any file here can have.
  if (high >= 0x200000) return Number.MAX_SAFE_INTEGER;
  return high * 0x100000000 + view.getUint32(at, true);
}

/** Lists the archive's entries, checking every declared size and offset against the file. */
export function readZipDirectory(bytes: Uint8Array, fileName: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const fail = (what: string): never => {
    throw new ZipArchiveError(`${fileName}: ${what}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD && i + 22 + view.getUint16(i + 20, true) === bytes.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('not a complete zip archive (no end-of-central-directory record: the file is truncated or not a zip)');
  let count = view.getUint16(eocd + 10, true);
  let dirSize = view.getUint32(eocd + 12, true);
  let dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== EOCD64_LOCATOR) fail('zip64 archive without its zip64 end record locator');
    const at = u64(view, loc + 8);
    if (at + 56 > bytes.length || view.getUint32(at, true) !== EOCD64) fail('zip64 end record is missing or out of the file');
    count = u64(view, at + 32);
    dirSize = u64(view, at + 40);
    dirOffset = u64(view, at + 48);
  }
  if (count > limits.maxEntries) fail(`the zip lists ${count} entries (at most ${limits.maxEntries} are read)`);
  if (dirOffset + dirSize > bytes.length) fail(`the zip's central directory (${dirSize} bytes at ${dirOffset}) lies beyond the end of the file (${bytes.length} bytes): the file is truncated`);

  const entries: ZipEntry[] = [];
  let total = 0;
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dirOffset + dirSize || view.getUint32(p, true) !== CENTRAL) fail(`zip central directory entry ${n} is malformed`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc32 = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > dirOffset + dirSize) fail(`zip central directory entry ${n} runs past the directory`);
    const name = latin1OrUtf8(bytes.subarray(p + 46, p + 46 + nameLength), (flags & 0x800) !== 0);
    // Zip64 extended information: only the fields whose 32-bit value is saturated are present, in this order.
    for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength;) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) { size = u64(view, q); q += 8; }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) { compressedSize = u64(view, q); q += 8; }
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + len) { localOffset = u64(view, q); q += 8; }
      }
      e += 4 + len;
    }
    const label = `zip entry ${quoteShort(name)}`;
    if (flags & 0x1) fail(`${label} is encrypted`);
    if (method !== 0 && method !== 8) fail(`${label} uses compression method ${method} (only stored and deflated are read)`);
    if (method === 0 && size !== compressedSize) fail(`${label} is stored but declares ${size} bytes uncompressed and ${compressedSize} compressed`);
    if (size > limits.maxEntryBytes) fail(`${label} declares ${size} bytes uncompressed (at most ${limits.maxEntryBytes} are read)`);
    if (method === 8 && size > 1024 && size > compressedSize * limits.maxRatio) {
      fail(`${label} declares ${size} bytes from ${compressedSize} compressed (ratio above ${limits.maxRatio}): refusing a likely zip bomb`);
    }
    total += size;
    if (total > limits.maxTotalBytes) fail(`the zip's entries declare more than ${limits.maxTotalBytes} bytes in all: refusing a likely zip bomb`);
    if (localOffset + 30 > bytes.length || view.getUint32(localOffset, true) !== LOCAL) fail(`${label}'s local header is missing (the file is truncated or corrupt)`);
    const dataOffset = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    if (dataOffset + compressedSize > bytes.length) fail(`${label} (${compressedSize} bytes at ${dataOffset}) runs past the end of the file (${bytes.length} bytes): the file is truncated`);
    entries.push({ name, method, compressedSize, size, crc32, dataOffset });
    p = end;
  }
  return entries;
}

/** One entry's bytes (a view for stored entries), checked against its declared size and CRC-32. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, fileName: string): Uint8Array {
  const label = `${fileName}: zip entry ${quoteShort(entry.name)}`;
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = raw;
  } else {
    // One spare byte shows an entry that inflates to more than it declared; fflate stops at the buffer's end.
    const out = new Uint8Array(entry.size + 1);
    try {
      data = inflateSync(raw, { out });
    } catch (err) {
      throw new ZipArchiveError(`${label} does not inflate (${(err as Error).message})`);
    }
    if (data.length !== entry.size) throw new ZipArchiveError(`${label} inflates to ${data.length > entry.size ? 'more' : data.length} bytes, not the ${entry.size} its directory declares`);
  }
  if (crc32(data) !== entry.crc32) throw new ZipArchiveError(`${label} fails its CRC-32 check (the file is corrupt)`);
  return data;
}

let crcTable: Uint32Array | null = null;

function crc32(data: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function latin1OrUtf8(bytes: Uint8Array, utf8: boolean): string {
  return (utf8 ? decodeUtf8(bytes) : null) ?? latin1(bytes);
}
