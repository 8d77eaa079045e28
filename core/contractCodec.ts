/**
 * Binary encoding of Host contract arguments and results for the HTTP transport. Step results
 * are mostly typed arrays (a batch's pixels and activations); JSON would turn a 1.4 MB Float32Array
 * into ~10 MB of text and lose float bits, so typed arrays travel as raw little-endian bytes and
 * only the small remainder is JSON.
 *
 * Layout: "CBC1" | u32 LE header length | header JSON (UTF-8) | zero padding to 8 | buffers,
 * each starting at a multiple of 8 so the decoder can view them in place. In the header, a typed
 * array is {"__typedArray": i} (its type, offset and length are in `buffers[i]`), and numbers JSON
 * cannot hold (NaN, ±Infinity, -0) are {"__number": "NaN" | "Infinity" | "-Infinity" | "-0"}.
 *
 * HTTP protocol of browser mode (main/httpHost.ts): POST /api/<requestName> with the encoded
 * args as body and the per-run token in the `x-convboard-token` header (or a `token` query
 * parameter); the answer is an encoded HostResponse envelope.
 */

export const CONTRACT_CONTENT_TYPE = 'application/x-convboard-contract';
export const API_PATH_PREFIX = '/api/';
export const API_TOKEN_HEADER = 'x-convboard-token';
export const API_TOKEN_QUERY = 'token';

// Present in every runtime core runs in (Node, browsers, workers) but not declared by lib ES2022.
declare const TextEncoder: { new (): { encode(text: string): Uint8Array } };
declare const TextDecoder: { new (label?: string, options?: { fatal?: boolean }): { decode(bytes: Uint8Array): string } };

const MAGIC = [0x43, 0x42, 0x43, 0x31]; // "CBC1"
const ALIGN = 8;
/** Contract values nest a few levels; a message nested deeper is hostile (and would exhaust the stack). */
export const MAX_CONTRACT_NESTING = 64;

type TypedArray =
  | Uint8Array | Int8Array | Uint8ClampedArray | Uint16Array | Int16Array
  | Uint32Array | Int32Array | Float32Array | Float64Array;

const TYPED_ARRAYS = {
  Uint8Array, Int8Array, Uint8ClampedArray, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

interface BufferEntry {
  type: TypedArrayName;
  offset: number;
  length: number;
}

/** A malformed message: the transport answers it as a bad request. */
export class ContractCodecError extends Error {
  override readonly name = 'ContractCodecError';
}

function typedArrayName(v: unknown): TypedArrayName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  for (const name of Object.keys(TYPED_ARRAYS) as TypedArrayName[]) {
    if (Object.getPrototypeOf(v) === TYPED_ARRAYS[name].prototype) return name;
  }
  // Node's Buffer is a Uint8Array subclass.
  if (v instanceof Uint8Array) return 'Uint8Array';
  throw new ContractCodecError(`cannot encode a ${Object.prototype.toString.call(v)}`);
}

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Encodes a contract value (plain objects, arrays, strings, numbers, booleans, null, typed arrays). */
export function encodeContract(value: unknown): Uint8Array {
  const arrays: TypedArray[] = [];
  const entries: BufferEntry[] = [];
  let offset = 0;
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { __number: 'NaN' };
      if (v === Infinity) return { __number: 'Infinity' };
      if (v === -Infinity) return { __number: '-Infinity' };
      if (Object.is(v, -0)) return { __number: '-0' };
      return v;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (v === undefined) return undefined;
    if (typeof v !== 'object') throw new ContractCodecError(`cannot encode a value of type ${typeof v}`);
    const name = typedArrayName(v);
    if (name !== null) {
      const ta = v as TypedArray;
      entries.push({ type: name, offset, length: ta.length });
      arrays.push(ta);
      offset = alignUp(offset + ta.byteLength);
      return { __typedArray: entries.length - 1 };
    }
    if (seen.has(v)) throw new ContractCodecError('cannot encode a cyclic value');
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v)) {
      out = v.map((x) => (x === undefined ? null : walk(x)));
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new ContractCodecError('cannot encode a class instance');
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const w = walk(x);
        if (w !== undefined) o[k] = w;
      }
      out = o;
    }
    seen.delete(v);
    return out;
  };
  const body = walk(value);
  const header = new TextEncoder().encode(JSON.stringify({ body: body === undefined ? null : body, buffers: entries }));
  const dataStart = alignUp(8 + header.length);
  const bytes = new Uint8Array(dataStart + offset);
  bytes.set(MAGIC, 0);
  new DataView(bytes.buffer).setUint32(4, header.length, true);
  bytes.set(header, 8);
  arrays.forEach((ta, i) => {
    // Typed arrays are in platform order; every platform we ship on is little-endian.
    bytes.set(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength), dataStart + entries[i]!.offset);
  });
  return bytes;
}

const SPECIAL_NUMBERS: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 };

/** The deepest nesting of JSON arrays and objects in UTF-8 JSON text (brackets inside strings do not count). */
function nestingDepth(json: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Decodes what encodeContract made. Typed arrays are views into `bytes` when aligned (no copy),
 * so the caller must not reuse `bytes` afterwards.
 */
export function decodeContract(bytes: Uint8Array): unknown {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw new ContractCodecError('not a ConvBoard contract message (bad magic)');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + headerLength > bytes.length) throw new ContractCodecError('truncated contract message (header)');
  const headerBytes = bytes.subarray(8, 8 + headerLength);
  if (nestingDepth(headerBytes) > MAX_CONTRACT_NESTING) throw new ContractCodecError(`contract message nested more than ${MAX_CONTRACT_NESTING} levels deep`);
  let header: { body: unknown; buffers: BufferEntry[] };
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    throw new ContractCodecError('malformed contract message header');
  }
  if (typeof header !== 'object' || header === null || !Array.isArray(header.buffers)) {
    throw new ContractCodecError('malformed contract message header');
  }
  const dataStart = alignUp(8 + headerLength);
  // Buffers never overlap, so together they fit in the message; entries repeating one unaligned
  // region could otherwise copy it thousands of times.
  let claimed = 0;
  const arrays = header.buffers.map((e, i) => {
    const ctor = TYPED_ARRAYS[e?.type as TypedArrayName];
    if (!ctor || !Object.prototype.hasOwnProperty.call(TYPED_ARRAYS, e.type)) throw new ContractCodecError(`buffer ${i}: unknown type`);
    if (!Number.isSafeInteger(e.offset) || !Number.isSafeInteger(e.length) || e.offset < 0 || e.length < 0) {
      throw new ContractCodecError(`buffer ${i}: bad offset or length`);
    }
    const byteLength = e.length * ctor.BYTES_PER_ELEMENT;
    const start = dataStart + e.offset;
    if (start + byteLength > bytes.length) throw new ContractCodecError(`truncated contract message (buffer ${i})`);
    claimed += byteLength;
    if (claimed > bytes.length - dataStart) throw new ContractCodecError(`malformed contract message (buffer ${i} overlaps the others)`);
    const absolute = bytes.byteOffset + start;
    if (absolute % ctor.BYTES_PER_ELEMENT === 0) return new ctor(bytes.buffer as ArrayBuffer, absolute, e.length);
    return new ctor(bytes.slice(start, start + byteLength).buffer, 0, e.length);
  });
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '__typedArray') {
      const index = o.__typedArray;
      const a = typeof index === 'number' && Number.isInteger(index) ? arrays[index] : undefined;
      if (a === undefined) throw new ContractCodecError('reference to a missing buffer');
      return a;
    }
    if (keys.length === 1 && keys[0] === '__number') {
      const name = o.__number;
      const n = typeof name === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL_NUMBERS, name) ? SPECIAL_NUMBERS[name] : undefined;
      if (n === undefined) throw new ContractCodecError('bad special number');
      return n;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (k === '__proto__') continue;
      out[k] = revive(o[k]);
    }
    return out;
  };
  return revive(header.body);
}
