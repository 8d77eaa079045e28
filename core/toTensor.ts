// STUB by lead — the data helper owns and implements this file.
/** torchvision's ToTensor on uint8: float32(byte) / 255 in float32, bit for bit. */
export function bytesToTensorData(_bytes: Uint8Array, _out: Float32Array): void {
  throw new Error('not implemented');
}
