import { readFile } from 'node:fs/promises';
import { fileProblem } from '../fileProblem';
import { CommandError } from './cliErrors';

/** Reads a file the user named, turning system errors into one line that names the option and file. */
export async function readUserFile(option: string, path: string): Promise<Uint8Array> {
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new CommandError(`${option}: cannot read ${path}: ${fileProblem(e)}`);
  }
}
