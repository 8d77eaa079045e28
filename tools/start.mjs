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
  if (!existsSync(install) || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return;
  console.log('Fetching the Electron binary (first start only)...');
  spawnSync(process.execPath, [install], { cwd: dirname(install), stdio: 'ignore', timeout: 300_000 });
}

let electron = electronBinary();
if (!electron) {
  fetchElectronBinary();
  electron = electronBinary();
}
if (electron) {
  run(electron, [join(root, 'dist', 'electronMain.js')]);
} else {
  console.log('The Electron binary is missing (node_modules/electron has none) and cannot be fetched here; starting browser mode instead.');
  run(process.execPath, [join(root, 'dist', 'cli.js'), 'serve']);
}
