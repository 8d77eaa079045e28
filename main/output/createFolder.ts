/**
 * Creates a folder and its missing parents one level at a time. Node's recursive mkdir retries
 * forever on some paths (under /proc, where the parent exists but refuses children with ENOENT);
 * here every level is tried once, so any failure ends in one line within milliseconds.
 */
import { promises as fsp } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class CreateFolderError extends Error {
  override readonly name = 'CreateFolderError';
  constructor(message: string, readonly path: string) {
    super(message);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'the system refuses to create it there',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

function problem(path: string, e: unknown): CreateFolderError {
  const code = (e as NodeJS.ErrnoException)?.code ?? '';
  const why = Object.hasOwn(REASONS, code) ? REASONS[code] : (e as Error)?.message?.split('\n')[0] ?? String(e);
  return new CreateFolderError(`cannot create the folder ${path}: ${why}`, path);
}

/** Folders of `path` that do not exist yet, outermost first (stops at the first one that does). */
async function missingLevels(path: string): Promise<string[]> {
  const missing: string[] = [];
  let cur = path;
  for (;;) {
    try {
      const st = await fsp.stat(cur);
      if (!st.isDirectory()) throw new CreateFolderError(`cannot create the folder ${path}: ${cur} is a file, not a folder`, path);
      return missing.reverse();
    } catch (e) {
      if (e instanceof CreateFolderError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw problem(path, e);
    }
    missing.push(cur);
    const parent = dirname(cur);
    if (parent === cur) throw new CreateFolderError(`cannot create the folder ${path}: its root does not exist`, path);
    cur = parent;
  }
}

/** Creates `path` (and missing parents); returns the folders it created, outermost first. */
export async function createFolder(path: string): Promise<string[]> {
  const full = resolve(path);
  const levels = await missingLevels(full);
  const created: string[] = [];
  for (const level of levels) {
    try {
      await fsp.mkdir(level);
      created.push(level);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await fsp.stat(level).catch(() => null))?.isDirectory()) continue;
      await removeEmptyFolders(created);
      throw problem(full, e);
    }
  }
  return created;
}

/** Removes folders this run created, innermost first, only while they are empty. */
export async function removeEmptyFolders(created: readonly string[]): Promise<void> {
  for (const folder of [...created].reverse()) {
    try {
      await fsp.rmdir(folder);
    } catch {
      return;
    }
  }
}
