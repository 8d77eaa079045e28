import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ELECTRON_PACKAGE = resolve(__dirname, '..', '..', '..', 'node_modules', 'electron');

/**
 * Where the electron package would run its binary from (its own index.js logic: path.txt inside
 * dist/, or ELECTRON_OVERRIDE_DIST_PATH), and why there is none when it is missing.
 */
export function findElectronBinary(): { path: string } | { path: null; why: string } {
  const pathFile = join(ELECTRON_PACKAGE, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate = override ? join(override, name) : join(ELECTRON_PACKAGE, 'dist', name);
  if (existsSync(candidate)) return { path: candidate };
  return {
    path: null,
    why: override
      ? `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist`
      : `the Electron binary is not installed (${candidate} is missing: the electron package's postinstall download is not possible on this machine); set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron to run this test`,
  };
}
