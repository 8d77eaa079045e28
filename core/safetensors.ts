// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}), then the byte
// buffer the offsets index. Like the reference library, the tensors must tile the buffer exactly.
import { contiguousStrides, isFloatDtype, stridedToFloat32 } from './floatConversion';
import type { ModelFile, ModelTensorInfo } from './modelFile';
import { decodeUtf8 } from './textDecoding';
import { quoteShort } from './zipArchive';

export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
}

/** The reference implementation's own cap on the header. */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

// safetensors dtype -> torch's name and item size in bits.
const DTYPES: Record<string, { torch: string; bits: number }> = {
  F64: { torch: 'float64', bits: 64 }, F32: { torch: 'float32', bits: 32 }, F16: { torch: 'float16', bits: 16 }, BF16: { torch: 'bfloat16', bits: 16 },
  I64: { torch: 'int64', bits: 64 }, I32: { torch: 'int32', bits: 32 }, I16: { torch: 'int16', bits: 16 }, I8: { torch: 'int8', bits: 8 },
  U64: { torch: 'uint64', bits: 64 }, U32: { torch: 'uint32', bits: 32 }, U16: { torch: 'uint16', bits: 16 }, U8: { torch: 'uint8', bits: 8 },
  BOOL: { torch: 'bool', bits: 8 }, F8_E5M2: { torch: 'float8_e5m2', bits: 8 }, F8_E4M3: { torch: 'float8_e4m3fn', bits: 8 },
  C64: { torch: 'complex64', bits: 64 },
};

interface Entry { name: string; dtype: string; shape: number[]; begin: number; end: number }

/** Header length as the file's first 8 bytes announce it (NaN when impossible). */
function headerLength(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(4, true);
  return high >= 0x200000 ? NaN : high * 0x100000000 + view.getUint32(0, true);
}

/** A plausible safetensors file: a sane header length followed by '{'. */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const n = headerLength(bytes);
  return n >= 2 && n <= bytes.length - 8 && bytes[8] === 0x7b;
}

export function openSafetensors(bytes: Uint8Array, fileName: string): ModelFile {
  const fail = (what: string): never => {
    throw new SafetensorsError(`${fileName}: ${what}`);
  };
  if (bytes.length < 8) fail(`is ${bytes.length} bytes long, too short for a safetensors file (8-byte header length)`);
  const n = headerLength(bytes);
  if (!(n <= MAX_SAFETENSORS_HEADER)) fail(`announces a ${Number.isNaN(n) ? 'huge' : n}-byte header (at most ${MAX_SAFETENSORS_HEADER} are read): not a safetensors file`);
  if (8 + n > bytes.length) fail(`announces a ${n}-byte header but only ${bytes.length - 8} bytes follow: the file is truncated or not safetensors`);
  const text = decodeUtf8(bytes.subarray(8, 8 + n));
  if (text === null) fail('its header is not valid UTF-8');
  let header: unknown;
  try {
    header = JSON.parse(text!);
  } catch (err) {
    fail(`its header is not valid JSON (${quoteShort((err as Error).message)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('its header is not a JSON object');
  const bufferLength = bytes.length - 8 - n;
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const label = `tensor ${quoteShort(name)}`;
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof v !== 'object' || v === null) fail(`${label} is not described by an object`);
    const { dtype, shape, data_offsets: offsets } = v;
    if (typeof dtype !== 'string' || !(dtype in DTYPES)) fail(`${label} has unknown dtype ${quoteShort(String(dtype), 20)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${label} has an invalid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0) || offsets[0] > offsets[1]) {
      fail(`${label} has invalid data_offsets`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const bytesNeeded = (count * DTYPES[dtype as string].bits) / 8;
    if (end - begin !== bytesNeeded) fail(`${label} of shape [${(shape as number[]).join(', ')}] and dtype ${dtype} needs ${bytesNeeded} bytes but its data_offsets span ${end - begin}`);
    if (end > bufferLength) fail(`${label}'s data (bytes ${begin} to ${end}) lies beyond the ${bufferLength}-byte buffer: the file is truncated`);
    entries.push({ name, dtype: dtype as string, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) fail(`tensor ${quoteShort(e.name)}'s data starts at byte ${e.begin}, not ${at}: the tensors overlap or leave a gap`);
    at = e.end;
  }
  if (at !== bufferLength) fail(`the tensors cover ${at} bytes of a ${bufferLength}-byte buffer`);

  const byName = new Map(entries.map((e) => [e.name, e]));
  const tensors: ModelTensorInfo[] = entries.map((e) => ({ name: e.name, shape: e.shape, dtype: DTYPES[e.dtype].torch }));
  return {
    tensors,
    read(name: string): Float32Array {
      const e = byName.get(name);
      if (!e) return fail(`has no tensor named ${quoteShort(name)}`);
      const dtype = DTYPES[e.dtype].torch;
      if (!isFloatDtype(dtype)) return fail(`tensor ${quoteShort(name)} is ${e.dtype}, not a weight type that is read (F32, F16, BF16 or F64)`);
      const data = bytes.subarray(8 + n + e.begin, 8 + n + e.end);
      return stridedToFloat32(data, dtype, 0, e.shape, contiguousStrides(e.shape));
    },
  };
}
