// Model files store weights as float32, float16, bfloat16 or float64; ConvBoard computes in float32.
// Each conversion matches torch's Tensor.float(): exact for the half types, and float64 rounds to
// nearest, ties to even (C's static_cast<float>, which Math.fround is).

export type FloatDtype = 'float32' | 'float16' | 'bfloat16' | 'float64';

export const FLOAT_ITEM_SIZE: Record<FloatDtype, number> = { float32: 4, float16: 2, bfloat16: 2, float64: 8 };

export function isFloatDtype(dtype: string): dtype is FloatDtype {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'bfloat16' || dtype === 'float64';
}

/** IEEE binary16 bits to the (exactly representable) float32 value. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

const scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 is the top half of a float32. */
export function bfloat16ToFloat32(bits: number): number {
  scratch.setUint32(0, (bits & 0xffff) << 16 >>> 0, true);
  return scratch.getFloat32(0, true);
}

/**
 * Reads `shape` elements of a strided view (element strides, element offset) of little-endian
 * `dtype` data into a C-ordered Float32Array. The caller has checked that the view lies inside `bytes`.
 */
export function stridedToFloat32(bytes: Uint8Array, dtype: FloatDtype, offset: number, shape: readonly number[], stride: readonly number[]): Float32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count);
  if (count === 0) return out;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = FLOAT_ITEM_SIZE[dtype];
  const read = (element: number): number => {
    const at = element * size;
    switch (dtype) {
      case 'float32': return view.getFloat32(at, true);
      case 'float64': return view.getFloat64(at, true);
      case 'float16': return float16ToFloat32(view.getUint16(at, true));
      case 'bfloat16': return bfloat16ToFloat32(view.getUint16(at, true));
    }
  };
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let element = offset;
  for (let i = 0; i < count; i++) {
    out[i] = read(element);
    // Odometer over the index, last dimension fastest.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      element += stride[d];
      if (index[d] < shape[d]) break;
      element -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

/** C-order (contiguous) strides of a shape, in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}
