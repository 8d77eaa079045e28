// The one file that knows where the app's own files are. It sits directly in main/, and every
// esbuild bundle sits directly in dist/: both one level below the repository root, so the same
// relative paths serve the tests (run from sources), the CLI and the packaged app. Nothing else
// in main/ may use __dirname.
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** In a packaged app, files listed in asarUnpack live beside the archive, where plain fs works. */
function preferUnpacked(path: string): string {
  const unpacked = path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  return unpacked !== path && existsSync(unpacked) ? unpacked : path;
}

/** A file of the built app: dist/cli.js finds dist/computeWorker.js beside itself; sources find dist/. */
export function distPath(name: string): string {
  const beside = preferUnpacked(join(__dirname, name));
  if (existsSync(beside)) return beside;
  return resolve(__dirname, '..', 'dist', name);
}

/** A file shipped with the app under assets/ (electron-builder copies assets/**). */
export function assetPath(...segments: string[]): string {
  return preferUnpacked(join(__dirname, '..', 'assets', ...segments));
}
