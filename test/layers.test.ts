import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs tool shared with `npm run check:layers`
import { findLayerViolations } from '../tools/layerRules.mjs';

const find = findLayerViolations as (root: string) => string[];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'convboard-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('layering rule', () => {
  it('holds for this repository', () => {
    expect(find(resolve(__dirname, '..'))).toEqual([]);
  });

  it('catches core/ importing node:, electron, main/ or renderer/, or touching the DOM', () => {
    const root = tree({
      'core/a.ts': "import { readFileSync } from 'node:fs';\n",
      'core/b.ts': "import fs from 'fs';\nimport { x } from '../main/x';\n",
      'core/c.ts': "const e = require('electron');\nexport const d = () => document.title;\n",
      'core/d.ts': "export { y } from '../renderer/y';\n",
      'core/ok.ts': "import { t } from './tensor';\n// import fs from 'node:fs' is only a comment\n",
    });
    const v = find(root);
    expect(v.some((l) => l.startsWith('core/a.ts') && l.includes("'node:fs'"))).toBe(true);
    expect(v.some((l) => l.startsWith('core/b.ts') && l.includes("'fs'"))).toBe(true);
    expect(v.some((l) => l.startsWith('core/b.ts') && l.includes("'../main/x'"))).toBe(true);
    expect(v.some((l) => l.startsWith('core/c.ts') && l.includes("'electron'"))).toBe(true);
    expect(v.some((l) => l.startsWith('core/c.ts') && l.includes('DOM global'))).toBe(true);
    expect(v.some((l) => l.startsWith('core/d.ts') && l.includes("'../renderer/y'"))).toBe(true);
    expect(v.some((l) => l.startsWith('core/ok.ts'))).toBe(false);
  });

  it('catches renderer/ reaching main/ or node, and main/ reaching renderer/', () => {
    const root = tree({
      'renderer/a.ts': "import { s } from '../main/session';\nimport p from 'node:path';\n",
      'main/b.ts': "import { v } from '../renderer/view';\nimport { c } from '../core/conv2d';\nimport fs from 'node:fs';\n",
    });
    const v = find(root);
    expect(v).toContain("renderer/a.ts: imports '../main/session' (renderer/ may import only renderer, core)");
    expect(v).toContain("renderer/a.ts: imports 'node:path' (not allowed in renderer/)");
    expect(v).toContain("main/b.ts: imports '../renderer/view' (main/ may import only main, core)");
    expect(v.filter((l) => l.startsWith('main/b.ts'))).toHaveLength(1);
  });

  it('keeps the rooms of main/ one-way: entry points -> session -> the rest, nothing into cli/', () => {
    const root = tree({
      'main/cli/cli.ts': "import { s } from '../session/session';\n",
      'main/session/session.ts': "import { run } from '../cli/cli';\nimport { h } from '../http/httpHost';\n",
      'main/http/httpHost.ts': "export const h = 1;\n",
      'main/output/png.ts': "import { app } from 'electron';\n",
      'main/electron/main.ts': "import { app } from 'electron';\nimport { s } from '../session/session';\n",
      'main/gadgets/x.ts': "export const x = 1;\n",
      'main/datasets/w.ts': 'export const dir = __dirname;\n',
    });
    const v = find(root);
    expect(v).toContain("main/session/session.ts: imports '../cli/cli' (nothing imports main/cli/: it is an entry point)");
    expect(v.some((l) => l.startsWith("main/session/session.ts: imports '../http/httpHost' (main/session/ may import only"))).toBe(true);
    expect(v).toContain("main/output/png.ts: imports 'electron' (only main/electron/ may import electron)");
    expect(v.some((l) => l.startsWith('main/gadgets/x.ts: main/gadgets/ is not a known room'))).toBe(true);
    expect(v.some((l) => l.startsWith('main/datasets/w.ts: uses __dirname'))).toBe(true);
    expect(v.some((l) => l.startsWith('main/cli/cli.ts') || l.startsWith('main/electron/main.ts'))).toBe(false);
  });

  it('keeps dataset readers apart: a reader never imports another', () => {
    const root = tree({
      'main/datasets/readers/a.ts': "import { b } from './b';\nimport { f } from '../datasetFiles';\n",
      'main/datasets/readers/b.ts': "import { f } from '../datasetFiles';\nexport const b = f;\n",
      'main/datasets/datasetFiles.ts': 'export const f = 1;\n',
    });
    expect(find(root)).toEqual(["main/datasets/readers/a.ts: imports './b' (dataset readers must not import each other; share code through main/datasets/)"]);
  });

  it('finds import cycles, type-only ones included, and names the loop', () => {
    const root = tree({
      'core/a.ts': "import type { B } from './b';\nexport type A = B;\n",
      'core/b.ts': "import { c } from './c.ts';\nexport type B = 1;\n",
      'core/c.ts': "import type { A } from './a';\nexport const c = 1;\n",
      'main/http/x.ts': "export { y } from './y';\n",
      'main/http/y.ts': "export * from './x';\nexport const y = 1;\n",
      'core/self.ts': "import { s } from './self';\nexport const s = 1;\n",
      'core/fine.ts': "import { c } from './c';\n",
    });
    const cycles = find(root).filter((l) => l.startsWith('import cycle'));
    expect(cycles.sort()).toEqual([
      'import cycle: core/a.ts -> core/b.ts -> core/c.ts -> core/a.ts',
      'import cycle: core/self.ts -> core/self.ts',
      'import cycle: main/http/x.ts -> main/http/y.ts -> main/http/x.ts',
    ]);
  });
});
