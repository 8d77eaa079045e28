import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { runInThisContext } from 'node:vm';

/**
 * Runs a CommonJS bundle from dist/ with a stand-in for the `electron` module (the Electron binary
 * cannot be installed here), so the real built main and preload scripts are what the tests check.
 */
export function runElectronBundle(file: string, electron: unknown, argv: string[] = ['electron', file]): void {
  const realRequire = createRequire(file);
  const fakeProcess = Object.assign(Object.create(process), { argv });
  const wrapper = runInThisContext(`(function (require, module, exports, __filename, __dirname, process) {${readFileSync(file, 'utf8')}\n})`, { filename: file });
  const module = { exports: {} };
  wrapper((id: string) => (id === 'electron' ? electron : realRequire(id)), module, module.exports, file, dirname(file), fakeProcess);
}
