import { escapeControls } from './shownName';

/** A user mistake with the data: one line naming the file and the problem, no stack trace shown. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/** One line for a failed file-system call, e.g. "permission denied". */
export function fsProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, not a file';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    default: return `cannot be read (${code ?? (err as Error)?.message ?? String(err)})`;
  }
}

/**
 * A reader's one-line refusal from a pure parser (idx, gzip, image decoding, ImageFolder's index)
 * as a DatasetError, so every transport shows it as a data problem; anything else passes through.
 */
export function asDatasetError(err: unknown): unknown {
  const known = ['IdxFileError', 'GzipError', 'ImageFolderError', 'ImageDecodeError'];
  if (err instanceof DatasetError || (err instanceof Error && known.includes(err.name))) {
    // File names inside a user's folder may hold control characters: keep the message one line.
    const shown = escapeControls(err.message);
    return err instanceof DatasetError && shown === err.message ? err : new DatasetError(shown);
  }
  return err;
}
