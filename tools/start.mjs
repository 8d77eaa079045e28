// `npm start`: build, then the Electron app on the embedded sample; where the Electron binary is
// missing (it cannot be downloaded on machines without internet), browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package exports the binary's path (honouring ELECTRON_OVERRIDE_DIST_PATH),
    // and throws when its postinstall download never happened.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

await import(join(root, 'tools', 'build.mjs'));

// package.json denies the electron package's install script, so that `npm ci` also works where
// its download host is unreachable; the binary is fetched here, on first start, instead.
function fetchElectronBinary() {
  const install = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(install) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return false;
  // The outcome completes this line, so an offline start still says what happened in one line.
  process.stdout.write('Fetching the Electron binary... ');
  spawnSync(process.execPath, [install], { cwd: dirname(install), stdio: 'ignore', timeout: 300_000 });
  return true;
}

let electron = electronBinary();
let fetched = false;
if (!electron) {
  fetched = fetchElectronBinary();
  electron = electronBinary();
  if (fetched && electron) process.stdout.write('done.\n');
}
if (electron) {
  run(electron, [join(root, 'dist', 'electronMain.js')]);
} else {
  console.log(`${fetched ? 'failed: t' : 'T'}he Electron binary is missing (node_modules/electron has none) and cannot be fetched here; starting browser mode instead.`);
  run(process.execPath, [join(root, 'dist', 'cli.js'), 'serve']);
}
