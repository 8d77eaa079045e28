import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

// Workers, the CLI and the browser bundle are loaded from dist/, so tests always run against a fresh build.
export default function setup(): void {
  execFileSync(process.execPath, [resolve(__dirname, '../tools/build.mjs')], { stdio: 'inherit' });
}
