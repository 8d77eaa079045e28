// `npm test` runs the page end to end in Debian's Chromium. A fresh machine has none: install it
// when we can (root with apt-get), otherwise stop at once with one line saying how, rather than
// failing deep inside the e2e suite.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOW = `the end-to-end tests need Chromium at ${chromium}: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH), then npm test again`;

function present() {
  try {
    accessSync(chromium, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function canApt() {
  if (process.env.CHROMIUM_PATH || process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!present()) {
  if (!canApt()) {
    console.error(`npm test: ${HOW}`);
    process.exit(1);
  }
  console.log(`npm test: Chromium is missing; installing Debian's chromium with apt-get (once)`);
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  } catch {
    console.error(`npm test: installing chromium with apt-get failed; ${HOW}`);
    process.exit(1);
  }
  if (!present()) {
    console.error(`npm test: apt-get finished but ${chromium} is still missing; ${HOW}`);
    process.exit(1);
  }
}
