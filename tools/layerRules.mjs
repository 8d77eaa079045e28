// The layering rule of architecture.md, as data: which folder may import what.
// core/ runs everywhere (worker, main, renderer, CLI), so it may import only core/ and
// platform-neutral packages; renderer/ is DOM-only; main/ never reaches into renderer/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname, sep } from 'node:path';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const IMPORT_RE = /(?:^|[^.\w$])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w$])import\s*['"]([^'"]+)['"]|(?:^|[^.\w$])(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
// Globals that only exist in a browser page: core/ must not touch them.
const DOM_GLOBAL_RE = /\b(?:document|window|navigator|HTMLElement|HTMLCanvasElement|localStorage|sessionStorage)\s*[.([]/;

/** Packages each layer may import besides its own folder and the layers below it. */
const PACKAGE_RULES = {
  core: { forbid: (spec) => NODE_BUILTINS.has(spec) || spec === 'electron' || spec.startsWith('electron/') },
  renderer: { forbid: (spec) => NODE_BUILTINS.has(spec) || spec === 'electron' || spec.startsWith('electron/') },
  main: { forbid: () => false },
};
const LAYER_RULES = { core: ['core'], renderer: ['renderer', 'core'], main: ['main', 'core'] };

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Returns one line per violation: `file: imports X (reason)`. Empty means the layering holds. */
export function findLayerViolations(root) {
  const violations = [];
  for (const layer of Object.keys(LAYER_RULES)) {
    const layerDir = join(root, layer);
    let files;
    try {
      files = [...sourceFiles(layerDir)];
    } catch {
      continue;
    }
    for (const file of files) {
      const rel = relative(root, file);
      const text = stripComments(readFileSync(file, 'utf8'));
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec)).split(sep)[0];
          if (!LAYER_RULES[layer].includes(target)) {
            violations.push(`${rel}: imports '${spec}' (${layer}/ may import only ${LAYER_RULES[layer].join(', ')})`);
          }
        } else if (PACKAGE_RULES[layer].forbid(spec)) {
          violations.push(`${rel}: imports '${spec}' (not allowed in ${layer}/)`);
        }
      }
      if (layer === 'core' && DOM_GLOBAL_RE.test(text)) {
        violations.push(`${rel}: uses a DOM global (core/ must run outside a browser)`);
      }
    }
  }
  return violations;
}
