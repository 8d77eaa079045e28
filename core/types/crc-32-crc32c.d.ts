// crc-32 ships types for its CRC-32 entry only; its CRC-32C entry has the same API.
declare module 'crc-32/crc32c' {
  export function buf(data: number[] | Uint8Array, seed?: number): number;
}
