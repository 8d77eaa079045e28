/**
 * Browser mode's export folders: the page names a sub-folder, and files go only under the root
 * given on the command line (`serve --export-root DIR`). Absolute paths, `..`, and symlinked
 * folders are refused, so a page (or anyone who learnt the token) cannot write elsewhere.
 */
import { promises as fsp } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { createFolder, CreateFolderError } from '../output/createFolder';
import { SessionError } from './hostErrors';

export const DEFAULT_EXPORT_ROOT_NAME = 'convboard-exports';

const quoted = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** The segments of a sub-folder name, or a SessionError saying why the name is refused. */
export function subFolderSegments(name: string): string[] {
  const refuse = (why: string) => new SessionError(`dir: ${quoted(name)} ${why}; name a sub-folder of the export folder, such as "run1"`, 'dir');
  if (name.trim() === '') throw refuse('is empty');
  if (name.includes('\0')) throw refuse('contains a NUL character');
  if (name.includes('\\')) throw refuse('contains a backslash');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw refuse('is an absolute path');
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) throw refuse("goes up with '..'");
  if (segments.length === 0) throw refuse('names no sub-folder');
  return segments;
}

async function lstatOrNull(path: string) {
  try {
    return await fsp.lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Creates (when missing) root/name and its input/ and output/ folders, one level at a time and
 * never through a symlink, and returns the folder's absolute path.
 */
export async function exportFolderUnderRoot(root: string, name: string): Promise<string> {
  const segments = subFolderSegments(name);
  const rootPath = resolve(root);
  try {
    await createFolder(rootPath);
  } catch (e) {
    if (e instanceof CreateFolderError) throw new SessionError(`dir: the export folder ${e.message.replace(/^cannot create the folder /, '')}`, 'dir');
    throw e;
  }
  const rootReal = await fsp.realpath(rootPath);
  let cur = rootReal;
  // input/ and output/ are checked too: a symlink there would lead the PNGs out of the root.
  for (const segment of [...segments, null]) {
    const levels = segment === null ? [join(cur, 'input'), join(cur, 'output')] : [join(cur, segment)];
    for (const level of levels) {
      const st = await lstatOrNull(level);
      if (st?.isSymbolicLink()) throw new SessionError(`dir: ${level} is a symbolic link; links are not followed out of the export folder ${rootReal}`, 'dir');
      if (st && !st.isDirectory()) throw new SessionError(`dir: ${level} is a file, not a folder`, 'dir');
      if (!st) await fsp.mkdir(level);
    }
    if (segment !== null) cur = join(cur, segment);
  }
  const real = await fsp.realpath(cur);
  if (real !== rootReal && !real.startsWith(rootReal + sep)) throw new SessionError(`dir: ${quoted(name)} leads out of the export folder ${rootReal}`, 'dir');
  return real;
}
