import { readFile } from 'node:fs/promises';
import { CommandError } from './cliErrors';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a folder, expected a file',
};

/** Reads a file the user named, turning system errors into one line that names the option and file. */
export async function readUserFile(option: string, path: string): Promise<Uint8Array> {
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new CommandError(`${option}: cannot read ${path}: ${REASONS[code] ?? (e as Error).message}`);
  }
}
