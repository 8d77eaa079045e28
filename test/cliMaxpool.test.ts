import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MaxPool2dOptions } from '../core/maxPool2d';
import { parseNpy, serializeNpyFloat32 } from '../core/npy';
import { runCli } from './helpers/runCli';

// Written by tools/fixtures/makeMaxPoolFixtures.py (PyTorch 1.13, F.max_pool2d with return_indices=True).
const DIR = resolve(__dirname, 'fixtures/maxpool');
type Num = number | 'nan' | 'inf' | '-inf';
interface PoolCase { id: string; inputShape: number[]; input: Num[]; options: MaxPool2dOptions; outputShape: number[]; output: Num[] }
interface PoolError { id: string; inputShape: number[]; options: MaxPool2dOptions; message: string }
const cases = (JSON.parse(readFileSync(resolve(DIR, 'cases.json'), 'utf8')) as { cases: PoolCase[] }).cases;
const errors = (JSON.parse(readFileSync(resolve(DIR, 'errors.json'), 'utf8')) as { errors: PoolError[] }).errors;
const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/** The command line for F.max_pool2d's options, or null when a shell cannot say them (an empty stride list). */
function flags(o: MaxPool2dOptions): string[] | null {
  const text = (v: unknown): string | null => {
    const list = typeof v === 'number' ? [v] : (v as number[]);
    return list.length === 1 || list.length === 2 ? list.join(',') : null;
  };
  const out: string[] = [];
  for (const [key, flag] of [['kernelSize', 'kernel-size'], ['stride', 'stride'], ['padding', 'padding'], ['dilation', 'dilation']] as const) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    const t = text(v);
    if (t === null) return null;
    // The = form: parseArgs takes '-1' after a space for an option.
    out.push(`--${flag}=${t}`);
  }
  if (o.ceilMode) out.push('--ceil-mode');
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'convboard-maxpool-'));
function inputFile(id: string, shape: number[], values: number[]): string {
  const path = join(work, `${id}.npy`);
  writeFileSync(path, serializeNpyFloat32(shape, Float32Array.from(values)));
  return path;
}

// A process per case is slow: the named edge cases and every eighth random one.
const chosen = cases.filter((c, i) => !c.id.startsWith('random-') || i % 8 === 0).filter((c) => flags(c.options) !== null);

describe('convboard maxpool against PyTorch 1.13', () => {
  it('covers ceil_mode, dilation, padding, NaN and unbatched inputs', () => {
    expect(chosen.length).toBeGreaterThanOrEqual(25);
    expect(chosen.some((c) => c.options.ceilMode)).toBe(true);
    expect(chosen.some((c) => c.input.includes('nan'))).toBe(true);
    expect(chosen.some((c) => c.inputShape.length === 3)).toBe(true);
  });

  it.each(chosen.map((c) => [c.id, c] as const))('%s: Y.npy holds F.max_pool2d\'s output exactly', (id, c) => {
    const out = join(work, `${id}-out.npy`);
    const r = runCli(['maxpool', '--input', inputFile(id, c.inputShape, c.input.map(num)), ...flags(c.options)!, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote ${out} [${c.outputShape.join(', ')}] float32\n`);
    const y = parseNpy(new Uint8Array(readFileSync(out)), out);
    expect(y.shape).toEqual(c.outputShape);
    expect(Array.from(y.data)).toEqual(c.output.map(num));
  });

  // A kernel of 2^31 never reaches PyTorch's check here: the CLI refuses such numbers as a usage error first.
  const refusable = errors.filter((e) => flags(e.options) !== null && !/kernel_size must|must be either|must either|integer out of range/.test(e.message));
  it.each(refusable.map((e) => [e.id, e] as const))('%s: refused with PyTorch\'s message, exit 1, nothing written', (id, e) => {
    const count = e.inputShape.reduce((a, b) => a * b, 1);
    const out = join(work, `${id}-refused.npy`);
    const r = runCli(['maxpool', '--input', inputFile(id, e.inputShape, new Array(count).fill(1)), ...flags(e.options)!, '--out', out]);
    expect(r.stderr).toBe(`convboard: ${e.message}\n`);
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['--kernel-size', '2'], 'maxpool: --input is required'],
    [['--input', 'x.npy', '--kernel-size', '2,x', '--out', 'y.npy'], "--kernel-size: expected an integer or two integers 'h,w', got 'x'"],
    [['--input', 'x.npy', '--kernel-size', '2147483648', '--out', 'y.npy'], "--kernel-size: must be an integer from -65536 to 65536, got '2147483648'"],
    [['--input', 'x.npy', '--kernel-size', '2', '--out', 'y.npy', '--bogus'], "Unknown option '--bogus'"],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const r = runCli(['maxpool', ...args]);
    expect(r.stderr.split('\n')[0]).toBe(`convboard: ${message}`);
    expect(r.status).toBe(2);
  });

  it('a missing input file is one line naming the option, exit 1', () => {
    const missing = join(work, 'missing.npy');
    const r = runCli(['maxpool', '--input', missing, '--kernel-size', '2', '--out', join(work, 'never.npy')]);
    expect(r.stderr).toBe(`convboard: --input: cannot read ${missing}: no such file or folder\n`);
    expect(r.status).toBe(1);
  });
});
