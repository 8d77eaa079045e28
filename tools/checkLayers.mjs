// CI gate for the layering rules (tools/layerRules.mjs); tsconfig.core.json also type-checks
// core/ with no DOM or Node types, which catches what an import scan cannot.
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRules, findLayerViolations } from './layerRules.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
console.log('layer rules:');
for (const line of describeRules()) console.log(`  ${line}`);
const violations = findLayerViolations(root);
for (const v of violations) console.error(`layer violation: ${v}`);
try {
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.core.json')], { stdio: 'inherit' });
} catch {
  console.error('layer violation: core/ does not type-check without DOM and Node types (see tsc output above)');
  process.exit(1);
}
if (violations.length > 0) process.exit(1);
console.log('layers ok: every rule above holds, and the import graph has no cycle');
