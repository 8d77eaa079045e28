// CI gate for the layering rule; tsconfig.core.json also type-checks core/ with no DOM or Node types.
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLayerViolations } from './layerRules.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const violations = findLayerViolations(root);
for (const v of violations) console.error(`layer violation: ${v}`);
try {
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.core.json')], { stdio: 'inherit' });
} catch {
  console.error('layer violation: core/ does not type-check without DOM and Node types (see tsc output above)');
  process.exit(1);
}
if (violations.length > 0) process.exit(1);
console.log('layers ok: core/ is platform-neutral, renderer/ and main/ import only core/');
