/** A user mistake with the data: one line naming the file and the problem, no stack trace shown. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/** One line for a failed file-system call, e.g. "permission denied". */
export { fileProblem as fsProblem } from '../fileProblem';
