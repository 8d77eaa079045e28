// STUB by lead — the grids/files helper owns and implements this file.
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

/** Parses .npy bytes (versions 1-3). `name` is used in error messages. */
export function parseNpy(_bytes: Uint8Array, _name: string): NpyArray {
  throw new Error('not implemented');
}

/** A version 1.0 .npy of little-endian float32 in C order. */
export function serializeNpyFloat32(_shape: readonly number[], _data: Float32Array): Uint8Array {
  throw new Error('not implemented');
}
