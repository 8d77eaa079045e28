import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errnoCode, fileProblem } from '../fileProblem';

/** A failed write: one line naming the file; nothing is left behind (no temporary file, no partial target). */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(message: string, readonly path: string, readonly code: string | null) {
    super(message);
  }
}

// In the target's own folder so the rename never crosses file systems (which would copy, not rename).
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes to a temporary file in the same folder, then renames: readers never see a partial file. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = temporaryPath(path);
  try {
    await fsp.writeFile(temp, bytes, { flag: 'wx' });
    await fsp.rename(temp, path);
  } catch (e) {
    await fsp.unlink(temp).catch(() => undefined);
    throw writeError(path, e);
  }
}

function writeError(path: string, e: unknown): FileWriteError {
  const code = errnoCode(e);
  const folder = dirname(path);
  // A missing or non-folder parent is named; everything else has the app's one wording.
  const detail = code === 'ENOENT' ? `folder ${folder} does not exist` : code === 'ENOTDIR' ? `${folder} is not a folder` : code === 'EISDIR' ? 'it is a folder' : fileProblem(e);
  return new FileWriteError(`cannot write ${path}: ${detail}`, path, code);
}
