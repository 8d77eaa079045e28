// Gzip decompression that refuses a "gzip bomb": the size the trailer declares (ISIZE, the
// length mod 2^32) is checked against the cap first, then inflation runs in small input slices
// with a running count, so a file that lies in its trailer stops soon after the cap.
import { Gunzip } from 'fflate';

export class GzipError extends Error {
  override readonly name = 'GzipError';
}

/** Input bytes fed to the inflater at once: at most ~1032x this is produced before a check. */
const SLICE = 4096;

/** True when the bytes start like a gzip member (ID1 ID2 CM=deflate). */
export function looksGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 8;
}

/** The uncompressed size the gzip trailer declares (mod 2^32). */
export function gzipDeclaredSize(gz: Uint8Array): number {
  const n = gz.length;
  return (gz[n - 4] | (gz[n - 3] << 8) | (gz[n - 2] << 16) | (gz[n - 1] << 24)) >>> 0;
}

/** Decompresses `gz`, refusing more than `maxBytes` of output; `name` goes in the one-line errors. */
export function gunzipCapped(gz: Uint8Array, maxBytes: number, name: string): Uint8Array {
  if (!looksGzipped(gz)) throw new GzipError(`${name}: not a gzip file (it does not start with 1f 8b 08)`);
  if (gz.length < 18) throw new GzipError(`${name}: gzip data truncated (${gz.length} bytes)`);
  const declared = gzipDeclaredSize(gz);
  if (declared > maxBytes) {
    throw new GzipError(`${name}: declares ${declared} bytes uncompressed, more than the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const gunzip = new Gunzip((data) => {
    total += data.length;
    if (total > maxBytes) over = true;
    else chunks.push(data);
  });
  try {
    for (let at = 0; at < gz.length && !over; at += SLICE) {
      gunzip.push(gz.subarray(at, Math.min(at + SLICE, gz.length)), at + SLICE >= gz.length);
    }
  } catch (e) {
    throw new GzipError(`${name}: not valid gzip data (${(e as Error).message})`);
  }
  if (over) throw new GzipError(`${name}: inflates to more than the ${maxBytes}-byte limit (the trailer declared ${declared})`);
  if (total % 2 ** 32 !== declared) {
    throw new GzipError(`${name}: gzip data truncated or corrupt (${total} bytes inflated, the trailer declares ${declared})`);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
