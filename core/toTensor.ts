// torchvision's ToTensor on uint8 is `img.float().div(255)`: one IEEE float32 division. A double
// division rounded once to float32 equals it exactly (double carries more than 2*24+2 bits), and
// test/toTensor.test.ts checks all 256 values against PyTorch's bits. A table makes it a lookup.
const TABLE = new Float32Array(256);
for (let b = 0; b < 256; b++) TABLE[b] = b / 255;

/** The float32 ToTensor gives for each byte value 0..255 (read-only by convention). */
export const BYTE_TO_UNIT: Readonly<Float32Array> = TABLE;

/** torchvision's ToTensor on uint8: float32(byte) / 255 in float32, bit for bit. */
export function bytesToTensorData(bytes: Uint8Array, out: Float32Array): void {
  if (out.length < bytes.length) {
    throw new RangeError(`bytesToTensorData: ${bytes.length} bytes need ${bytes.length} floats, got ${out.length}`);
  }
  for (let i = 0; i < bytes.length; i++) out[i] = TABLE[bytes[i]];
}
