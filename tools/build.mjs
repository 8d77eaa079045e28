// Bundles every entry point with esbuild: the CLI, the compute worker, the Electron main and
// preload scripts, and the renderer page. tsc only type-checks (npm run typecheck).
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The WebAssembly conv kernels are compiled from source first: core/ embeds their bytes.
await import('./buildKernels.mjs');
const dist = join(root, 'dist');
mkdirSync(join(dist, 'renderer'), { recursive: true });

const nodeEntries = [
  { in: 'main/cli/cli.ts', out: 'cli' },
  { in: 'main/compute/computeWorker.ts', out: 'computeWorker' },
  { in: 'main/electron/electronMain.ts', out: 'electronMain' },
  { in: 'main/electron/preload.ts', out: 'preload' },
];

const present = (e) => existsSync(join(root, e.in));
const nodeBuilds = nodeEntries.filter(present).map((e) =>
  build({
    absWorkingDir: root,
    entryPoints: { [e.out]: e.in },
    outdir: dist,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    external: ['electron'],
    logLevel: 'warning',
    loader: { '.wasm': 'binary', '.bin': 'binary' },
  }),
);

const rendererBuild = present({ in: 'renderer/app.ts' })
  ? build({
      absWorkingDir: root,
      entryPoints: { app: 'renderer/app.ts' },
      outdir: join(dist, 'renderer'),
      bundle: true,
      platform: 'browser',
      target: 'chrome120',
      format: 'iife',
      sourcemap: 'linked',
      logLevel: 'warning',
    })
  : Promise.resolve();

await Promise.all([...nodeBuilds, rendererBuild]);

for (const f of ['index.html', 'style.css']) {
  const src = join(root, 'renderer', f);
  if (existsSync(src)) cpSync(src, join(dist, 'renderer', f));
}

const cli = join(dist, 'cli.js');
if (existsSync(cli)) {
  const text = readFileSync(cli, 'utf8');
  if (!text.startsWith('#!')) writeFileSync(cli, '#!/usr/bin/env node\n' + text);
  chmodSync(cli, 0o755);
}
