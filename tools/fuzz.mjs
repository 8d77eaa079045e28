// The long fuzzing run: the parser fuzz test with 100,000 inputs per parser (FUZZ_INPUTS, FUZZ_SEED,
// FUZZ_ONLY and FUZZ_INDEX pass through). Counts land in out/fuzz-report.json.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, FUZZ_INPUTS: process.env.FUZZ_INPUTS ?? '100000' };
const vitest = resolve(root, 'node_modules/vitest/vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', 'test/fuzz/parsers.fuzz.test.ts', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
