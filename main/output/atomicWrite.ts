import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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
  const code = typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : null;
  const folder = dirname(path);
  const reasons: Record<string, string> = {
    ENOENT: `folder ${folder} does not exist`,
    ENOTDIR: `${folder} is not a folder`,
    EISDIR: 'it is a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENAMETOOLONG: 'the name is too long',
  };
  const detail = (code && Object.hasOwn(reasons, code) ? reasons[code] : undefined) ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
  return new FileWriteError(`cannot write ${path}: ${detail}`, path, code);
}
