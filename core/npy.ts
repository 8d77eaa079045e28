// NumPy's .npy format (numpy/lib/format.py): magic "\x93NUMPY", version, header length (uint16 in
// 1.0, uint32 in 2.0 and 3.0), a Python dict literal header, then the raw array data.
import { quoteInput, sanitizeLabel } from './quotedText';
import { decodeUtf8, latin1 } from './textDecoding';

// Present in every runtime core runs in (Node, browsers, workers) but not declared by lib ES2022.

/** numpy's _MAX_HEADER_SIZE: np.load refuses longer headers (in characters) unless the file is fully trusted. */
export const NPY_MAX_HEADER_SIZE = 10000;
/** numpy's NPY_MAXDIMS (1.x): arrays have at most 32 dimensions. */
const NPY_MAX_DIMS = 32;
/** Python's parser refuses deeper bracket nesting ("too many nested parentheses"). */
const MAX_NESTING = 200;
export type NpyDtype = 'f4' | 'f8' | 'u1' | 'i1' | 'u2' | 'i2' | 'u4' | 'i4' | 'u8' | 'i8';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Values converted to float32, C order. */
  data: Float32Array;
}

export class NpyError extends Error {
  override readonly name = 'NpyError';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Record<NpyDtype, { size: number; label: string }> = {
  f4: { size: 4, label: 'float32' },
  f8: { size: 8, label: 'float64' },
  u1: { size: 1, label: 'uint8' },
  i1: { size: 1, label: 'int8' },
  u2: { size: 2, label: 'uint16' },
  i2: { size: 2, label: 'int16' },
  u4: { size: 4, label: 'uint32' },
  i4: { size: 4, label: 'int32' },
  u8: { size: 8, label: 'uint64' },
  i8: { size: 8, label: 'int64' },
};

/** Parses .npy bytes (versions 1-3). `name` is used in error messages. */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  const fail: (what: string) => never = (what) => {
    throw new NpyError(`${sanitizeLabel(name, 200)}: ${what}`);
  };
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (it does not start with \\x93NUMPY)');
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) fail(`unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) fail('truncated .npy header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = prefix + headerLength;
  if (bytes.length < dataStart) fail(`truncated .npy header (${headerLength} bytes announced, ${bytes.length - prefix} present)`);
  const headerBytes = bytes.subarray(prefix, dataStart);
  // numpy counts the decoded characters; measuring before decoding keeps a hostile length cheap.
  const headerSize = major === 3 ? utf8Length(headerBytes) : headerBytes.length;
  if (headerSize > NPY_MAX_HEADER_SIZE) {
    fail(`header info length (${headerSize === Infinity ? `${headerBytes.length} bytes` : headerSize}) is large and may not be safe to load securely (numpy refuses .npy headers over ${NPY_MAX_HEADER_SIZE} characters)`);
  }
  // 1.0 and 2.0 headers are latin-1, 3.0 headers UTF-8.
  const text = major === 3 ? decodeUtf8(headerBytes) : latin1(headerBytes);
  if (text === null) fail('malformed .npy header (a version 3.0 header is not valid UTF-8)');
  let header: Record<string, HeaderValue>;
  try {
    header = parseHeader(text);
  } catch (e) {
    if (!(e instanceof HeaderSyntaxError)) throw e;
    return fail(`malformed .npy header (${e.message})`);
  }
  const descr = header.descr;
  const fortran = header.fortran_order;
  const shapeValue = header.shape;
  if (Array.isArray(descr)) fail('structured arrays (records with named fields) are not supported');
  if (typeof descr !== 'string') fail("malformed .npy header ('descr' is not a string)");
  if (typeof fortran !== 'boolean') fail("malformed .npy header ('fortran_order' is not True or False)");
  if (!isShape(shapeValue)) fail("malformed .npy header ('shape' is not a tuple of sizes)");
  const dtype = dtypeOf(descr, fail);
  const shape = shapeValue as number[];
  if (shape.length > NPY_MAX_DIMS) fail(`shape has ${shape.length} dimensions; numpy arrays have at most ${NPY_MAX_DIMS}`);
  if (fortran && shape.filter((d) => d > 1).length > 1) {
    fail('Fortran-order arrays are not supported; save np.ascontiguousarray(a) instead');
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const { size, label } = DTYPES[dtype];
  const needed = count * size;
  const present = bytes.length - dataStart;
  const what = `shape ${shownShape(shape)} of ${label} needs ${needed} bytes of data but has ${present}`;
  if (present < needed) fail(`truncated: ${what}`);
  if (present > needed) fail(`size mismatch: ${what}`);
  return { dtype, shape, data: toFloat32(bytes.slice(dataStart).buffer, dtype, count) };
}

function dtypeOf(descr: string, fail: (what: string) => never): NpyDtype {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const unsupported = `dtype ${quoteInput(descr)} is not supported (float32, float64 and the 8- to 64-bit integer types are)`;
  if (descr === '|O' || descr === 'O') fail(`object arrays are not supported (dtype ${quoteInput(descr)})`);
  if (!m) return fail(unsupported);
  const code = `${m[2]}${m[3]}`;
  if (!(code in DTYPES)) return fail(unsupported);
  const dtype = code as NpyDtype;
  if (m[1] === '>' && DTYPES[dtype].size > 1) fail(`big-endian data (dtype '${descr}') is not supported; save a.astype('<${code}') instead`);
  return dtype;
}


/**
 * Characters of UTF-8 text (its lead bytes), as Python's len() of the decoded header counts them;
 * Infinity when there are surely more than numpy's limit.
 */
function utf8Length(bytes: Uint8Array): number {
  if (bytes.length > 4 * NPY_MAX_HEADER_SIZE) return Infinity;
  let n = 0;
  for (const b of bytes) if ((b & 0xc0) !== 0x80) n++;
  return n;
}

function isShape(v: HeaderValue | undefined): boolean {
  return Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0);
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** A shape as an error message shows it: 32 dimensions of 16 digits would not fit on a line. */
function shownShape(shape: readonly number[]): string {
  const text = shapeText(shape);
  return text.length <= 120 ? text : `(${shape.slice(0, 4).join(', ')}, … ${shape.length} dimensions)`;
}

/** A malformed header literal; parseNpy turns it into an NpyError naming the file. */
class HeaderSyntaxError extends Error {}

/** `buffer` is a fresh copy of the data, so its start is aligned for every typed array. */
function toFloat32(buffer: ArrayBuffer, dtype: NpyDtype, count: number): Float32Array {
  switch (dtype) {
    case 'f4': return new Float32Array(buffer, 0, count);
    case 'f8': return Float32Array.from(new Float64Array(buffer, 0, count));
    case 'u1': return Float32Array.from(new Uint8Array(buffer, 0, count));
    case 'i1': return Float32Array.from(new Int8Array(buffer, 0, count));
    case 'u2': return Float32Array.from(new Uint16Array(buffer, 0, count));
    case 'i2': return Float32Array.from(new Int16Array(buffer, 0, count));
    // Up to 2^32 is exact in a double: one rounding to float32, as numpy's cast does.
    case 'u4': return Float32Array.from(new Uint32Array(buffer, 0, count));
    case 'i4': return Float32Array.from(new Int32Array(buffer, 0, count));
    case 'u8': return Float32Array.from(new BigUint64Array(buffer, 0, count), bigintToFloat32);
    case 'i8': return Float32Array.from(new BigInt64Array(buffer, 0, count), bigintToFloat32);
  }
}

/**
 * An integer rounded once to the nearest float32 (ties to even), as numpy's astype(float32) does.
 * Number(v) alone would round to a double first, and that double rounding is wrong near float32 ties.
 */
export function bigintToFloat32(v: bigint): number {
  const n = Number(v);
  if (Math.abs(n) <= 2 ** 53) return Math.fround(n);
  const negative = v < 0n;
  const a = negative ? -v : v;
  const shift = a.toString(2).length - 24;
  const big = BigInt(shift);
  let q = a >> big;
  const rest = a - (q << big);
  const half = 1n << (big - 1n);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  const r = Number(q) * 2 ** shift;
  return Math.fround(negative ? -r : r);
}

/** A version 1.0 .npy of little-endian float32 in C order, byte for byte as numpy 1.24's np.save writes it. */
export function serializeNpyFloat32(shape: readonly number[], data: Float32Array): Uint8Array {
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new RangeError(`npy: invalid shape ${shapeText(shape)}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`npy: shape ${shapeText(shape)} needs ${count} values, got ${data.length}`);
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText(shape)}, }`;
  // numpy leaves room for the first dimension to grow to 21 digits, so a header can be rewritten in place.
  if (shape.length > 0) header += ' '.repeat(21 - String(shape[0]).length);
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (header.length > 0xffff) throw new RangeError(`npy: header too long for version 1.0 (${header.length} bytes)`);
  const out = new Uint8Array(10 + header.length + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Typed arrays use the platform's byte order; every platform JavaScript runs on is little-endian.
  out.set(body, 10 + header.length);
  return out;
}

// ---- the header: a Python dict literal of strings, booleans, None, integers, tuples and lists ----
/** A value of the header's Python literal (the only Python numpy's .npy header holds). */
type HeaderValue = string | number | boolean | null | HeaderValue[] | { [key: string]: HeaderValue };

function parseHeader(text: string): Record<string, HeaderValue> {
  let i = 0;
  let depth = 0;
  const syntax: (what: string) => never = (what) => {
    throw new HeaderSyntaxError(what);
  };
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const expect = (c: string) => {
    skip();
    if (text[i] !== c) syntax(`expected '${c}' at ${i}`);
    i++;
  };
  const value = (): HeaderValue => {
    skip();
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) syntax('unterminated string');
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_NESTING) syntax(`brackets nested more than ${MAX_NESTING} deep`);
      const v = c === '{' ? dict() : sequence(c === '(' ? ')' : ']');
      depth--;
      return v;
    }
    const word = /^(True|False|None|-?\d+L?)/.exec(text.slice(i, i + 32));
    if (!word) return syntax(i >= text.length ? 'it ends early' : `unexpected ${quoteInput(text.slice(i, i + 10), 20)} at ${i}`);
    i += word[1].length;
    if (word[1] === 'True') return true;
    if (word[1] === 'False') return false;
    if (word[1] === 'None') return null;
    return Number(word[1].replace('L', ''));
  };
  const sequence = (close: string): HeaderValue[] => {
    i++;
    const items: HeaderValue[] = [];
    for (;;) {
      skip();
      if (text[i] === close) {
        i++;
        return items;
      }
      items.push(value());
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== close) syntax(`expected ',' or '${close}' at ${i}`);
    }
  };
  const dict = (): { [key: string]: HeaderValue } => {
    expect('{');
    // No prototype: a '__proto__' key is data, not an assignment of the prototype.
    const out: { [key: string]: HeaderValue } = Object.create(null);
    for (;;) {
      skip();
      if (text[i] === '}') {
        i++;
        return out;
      }
      const key = value();
      if (typeof key !== 'string') syntax('dict key is not a string');
      expect(':');
      out[key] = value();
      skip();
      if (text[i] === ',') i++;
      else if (text[i] !== '}') syntax(`expected ',' or '}' at ${i}`);
    }
  };
  const result = dict();
  skip();
  if (i !== text.length) syntax('text after the dict');
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in result)) syntax(`no '${key}'`);
  }
  return result;
}
