import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/**
 * A file of the built app. Bundles live in dist/ next to each other (dist/cli.js finds
 * dist/computeWorker.js beside itself); when running from sources (tests), main/ sits next to dist/.
 */
export function distPath(name: string): string {
  const beside = join(__dirname, name);
  // A packaged app keeps the worker outside the asar archive (electron-builder.yml asarUnpack).
  const unpacked = beside.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  if (unpacked !== beside && existsSync(unpacked)) return unpacked;
  if (existsSync(beside)) return beside;
  return resolve(__dirname, '..', 'dist', name);
}
