// Reading the files a dataset is made of. Every read checks first that the path is a regular
// file of a plausible size: a FIFO would hang the reader, /dev/zero would grow without end, and a
// folder where a file is expected deserves a clear answer rather than an errno.
import { open, stat } from 'node:fs/promises';
import { DatasetError, fsProblem } from './datasetError';

/** The size of a regular file; anything else (missing, folder, device, FIFO) is refused. */
export async function regularFileSize(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
  if (info.isDirectory()) throw new DatasetError(`${path}: is a folder, not a file`);
  if (!info.isFile()) throw new DatasetError(`${path}: is not a regular file (a device, FIFO or socket cannot be a dataset file)`);
  return info.size;
}

/** Whether a path is a regular file; a missing path is an error (the caller listed it). */
export async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
}

/** Fills `dest` from the start of the file; a file that shrinks meanwhile is an error, not zeros. */
export async function readExactly(path: string, dest: Uint8Array): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
  try {
    let done = 0;
    while (done < dest.length) {
      const { bytesRead } = await handle.read(dest, done, dest.length - done, done);
      if (bytesRead === 0) throw new DatasetError(`${path}: the file shrank from ${dest.length} to ${done} bytes while being read`);
      done += bytesRead;
    }
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  } finally {
    await handle.close();
  }
}

/** A whole regular file, refused before reading when it is larger than `maxBytes`. */
export async function readRegularFile(path: string, maxBytes: number, what = 'file'): Promise<Uint8Array> {
  const size = await regularFileSize(path);
  if (size > maxBytes) throw new DatasetError(`${path}: ${size} bytes is too large for a ${what} (at most ${maxBytes})`);
  const bytes = new Uint8Array(size);
  await readExactly(path, bytes);
  return bytes;
}

/** An optional file beside the data (a meta file): null when absent, refused when not a regular file or too large. */
export async function readOptionalFile(path: string, maxBytes: number, what: string): Promise<{ displayName: string; bytes: Uint8Array } | null> {
  try {
    await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') return null;
    throw new DatasetError(`${path}: ${fsProblem(err)}`);
  }
  return { displayName: path, bytes: await readRegularFile(path, maxBytes, what) };
}

/** Whole-file reads of a python batch go through this; a real one is ~31 MB (CIFAR-100 train ~155 MB). */
export const MAX_BATCH_FILE_BYTES = 512 * 1024 * 1024;
/** CIFAR's meta files are under 2 KB (binary) or 2 KB (pickle); a megabyte is generous. */
export const MAX_META_FILE_BYTES = 1024 * 1024;
