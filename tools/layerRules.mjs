// The layering rules of docs/architecture.md, as data, and the checks behind `npm run check:layers`.
// - Layers: core/ runs everywhere (worker, main, renderer, CLI), so it imports only core/ and
//   platform-neutral packages; renderer/ is DOM-only; main/ never reaches into renderer/.
// - Rooms inside main/: dependencies run one way, from the entry points (cli/, electron/, http/)
//   through session/ to the rooms that do the work (compute/, datasets/, output/, ...). A new room
//   must be added to MAIN_ROOMS before anything in it passes, so the rules cover it from day one.
// - Dataset readers (main/datasets/readers/) are leaves: they never import each other.
// - No import cycles anywhere (type-only imports included: a cycle of types is a cycle of ideas).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const IMPORT_RE = /(?:^|[^.\w$])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w$])import\s*['"]([^'"]+)['"]|(?:^|[^.\w$])(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
// Globals that only exist in a browser page: core/ must not touch them.
const DOM_GLOBAL_RE = /\b(?:document|window|navigator|HTMLElement|HTMLCanvasElement|localStorage|sessionStorage)\s*[.([]/;
const isElectron = (spec) => spec === 'electron' || spec.startsWith('electron/');

/** Packages each layer may not import. */
const PACKAGE_RULES = {
  core: (spec) => NODE_BUILTINS.has(spec) || isElectron(spec),
  renderer: (spec) => NODE_BUILTINS.has(spec) || isElectron(spec),
  main: () => false,
};
const LAYER_RULES = { core: ['core'], renderer: ['renderer', 'core'], main: ['main', 'core'] };

/**
 * main/'s rooms and the rooms each may import (besides itself and core/). `.` is the files directly
 * in main/ (appPaths.ts, the one place that knows where the app's files are).
 */
export const MAIN_ROOMS = {
  '.': [],
  cli: ['session', 'compute', 'datasets', 'output', 'http', 'download', '.'],
  electron: ['session', 'host', 'datasets', 'output', 'download', '.'],
  http: ['session', 'host', 'datasets', '.'],
  host: [],
  session: ['compute', 'datasets', 'output', 'download', '.'],
  compute: ['datasets', 'output', '.'],
  datasets: ['.'],
  output: ['.'],
  download: ['.'],
};
/** Only these rooms may import the electron package. */
const ELECTRON_ROOMS = new Set(['electron']);
const READERS_DIR = 'main/datasets/readers/';

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

const toPosix = (p) => p.split(sep).join('/');

/** The file a relative specifier names (TypeScript's resolution: extension optional, index files). */
function resolveImport(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base, `${base}.ts`, `${base}.mts`, `${base}.js`, `${base}.mjs`, join(base, 'index.ts')];
  if (/\.js$/.test(base)) candidates.push(base.replace(/\.js$/, '.ts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** main/<room>/... -> room; main/file.ts -> '.'. */
function roomOf(relPath) {
  const parts = relPath.split('/');
  return parts.length === 2 ? '.' : parts[1];
}

function mainRoomViolations(rel, spec, targetRel) {
  const from = roomOf(rel);
  const problems = [];
  if (!(from in MAIN_ROOMS)) return problems;
  if (!targetRel?.startsWith('main/')) return problems;
  const to = roomOf(targetRel);
  if (to === from) {
    if (rel.startsWith(READERS_DIR) && targetRel.startsWith(READERS_DIR)) {
      problems.push(`${rel}: imports '${spec}' (dataset readers must not import each other; share code through main/datasets/)`);
    }
    return problems;
  }
  if (to === 'cli') problems.push(`${rel}: imports '${spec}' (nothing imports main/cli/: it is an entry point)`);
  else if (!MAIN_ROOMS[from].includes(to)) {
    problems.push(`${rel}: imports '${spec}' (main/${from === '.' ? '' : `${from}/`} may import only ${MAIN_ROOMS[from].map((r) => (r === '.' ? 'main/*.ts' : `${r}/`)).join(', ') || 'core/'} of main/)`);
  }
  return problems;
}

/** Every import cycle among the files, as `a -> b -> a` lines (Tarjan's strongly connected components). */
export function findCycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const cycles = [];
  const strong = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) {
        strong(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) {
        info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
      }
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) cycles.push(describeCycle(graph, new Set(component)));
    }
  };
  for (const v of [...graph.keys()].sort()) if (!info.has(v)) strong(v);
  return cycles;
}

/** One concrete loop through a strongly connected component, starting at its first file by name. */
function describeCycle(graph, component) {
  const start = [...component].sort()[0];
  // Breadth-first search back to start inside the component gives the shortest loop.
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)) path.splice(1, 0, u);
        return `import cycle: ${[...path, start].join(' -> ')}`;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return `import cycle among ${[...component].sort().join(', ')}`;
}

/** Returns one line per violation: `file: imports X (reason)` or `import cycle: ...`. Empty means the rules hold. */
export function findLayerViolations(root) {
  const violations = [];
  const graph = new Map();
  for (const layer of Object.keys(LAYER_RULES)) {
    const layerDir = join(root, layer);
    if (!existsSync(layerDir)) continue;
    for (const file of sourceFiles(layerDir)) {
      const rel = toPosix(relative(root, file));
      const edges = [];
      graph.set(rel, edges);
      const text = stripComments(readFileSync(file, 'utf8'));
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (spec.startsWith('.')) {
          const target = resolveImport(file, spec);
          const targetRel = target ? toPosix(relative(root, target)) : toPosix(relative(root, resolve(dirname(file), spec)));
          if (target) edges.push(targetRel);
          const targetLayer = targetRel.split('/')[0];
          if (!LAYER_RULES[layer].includes(targetLayer)) {
            violations.push(`${rel}: imports '${spec}' (${layer}/ may import only ${LAYER_RULES[layer].join(', ')})`);
          } else if (layer === 'main') {
            violations.push(...mainRoomViolations(rel, spec, targetRel));
          }
        } else if (PACKAGE_RULES[layer](spec)) {
          violations.push(`${rel}: imports '${spec}' (not allowed in ${layer}/)`);
        } else if (layer === 'main' && isElectron(spec) && !ELECTRON_ROOMS.has(roomOf(rel))) {
          violations.push(`${rel}: imports '${spec}' (only main/electron/ may import electron)`);
        }
      }
      if (layer === 'core' && DOM_GLOBAL_RE.test(text)) {
        violations.push(`${rel}: uses a DOM global (core/ must run outside a browser)`);
      }
      if (layer === 'main' && !(roomOf(rel) in MAIN_ROOMS)) {
        violations.push(`${rel}: main/${roomOf(rel)}/ is not a known room (add it to MAIN_ROOMS in tools/layerRules.mjs with the rooms it may import)`);
      }
      if (layer === 'main' && roomOf(rel) !== '.' && /\b__dirname\b|import\.meta\.url/.test(text)) {
        violations.push(`${rel}: uses __dirname (only main/appPaths.ts knows where the app's files are)`);
      }
    }
  }
  violations.push(...findCycles(graph));
  return [...new Set(violations)];
}

/** The rules in words, for the check's output. */
export function describeRules() {
  return [
    'core/ imports only core/ and platform-neutral packages (no node:, no electron, no DOM globals)',
    'renderer/ imports only renderer/ and core/ (no node:, no electron)',
    'main/ imports only main/ and core/; rooms of main/ import one way:',
    ...Object.entries(MAIN_ROOMS).map(([room, allowed]) => `  main/${room === '.' ? '*.ts' : `${room}/`} -> ${allowed.map((r) => (r === '.' ? 'main/*.ts' : `${r}/`)).join(', ') || '(core/ only)'}`),
    'nothing imports main/cli/; only main/electron/ imports electron; only main/appPaths.ts uses __dirname',
    'dataset readers (main/datasets/readers/) do not import each other',
    'no import cycles anywhere in core/, main/ or renderer/ (type-only imports included)',
  ];
}
