// STUB by lead — the grids/files helper owns and implements this file.
/** Writes to a temporary file in the same folder, then renames: readers never see a partial file. */
export async function writeFileAtomic(_path: string, _bytes: Uint8Array): Promise<void> {
  throw new Error('not implemented');
}
