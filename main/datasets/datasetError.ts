import { escapeControls } from './shownName';

/** A user mistake with the data: one line naming the file and the problem, no stack trace shown. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/** One line for a failed file-system call, e.g. "permission denied". */
export { fileProblem as fsProblem } from '../fileProblem';

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
