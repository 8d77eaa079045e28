// Bytes to text for the parsers, in one place. TextDecoder exists wherever core runs (workers,
// main, the page); core's type check has no DOM or Node types, so its shape is declared here.
declare const TextDecoder: { new (label?: string, options?: { fatal?: boolean }): { decode(bytes: Uint8Array): string } };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Python's UTF-8 decoding: null for malformed input (encoded surrogates included), never a replacement character. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** UTF-8 as a lenient reader sees it: malformed bytes become U+FFFD. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Python's latin-1 decoding: one character per byte. Not TextDecoder('latin1'), which the
 * Encoding standard maps to windows-1252 (bytes 0x80-0x9f become other characters).
 */
export function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]));
  return parts.join('');
}
