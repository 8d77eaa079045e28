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
});
