import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeNpyFloat32 } from '../core/npy';
import { runCli } from './helpers/runCli';

const tmp = () => mkdtempSync(join(tmpdir(), 'convboard-hardening-'));

describe('CLI values are checked whole, before any folder exists', () => {
  const usage: [string[], string][] = [
    [['--display', 'constructor'], "--display: unknown display 'constructor'"],
    [['--display', '__proto__'], "--display: unknown display '__proto__'"],
    [['--display', 'hasOwnProperty'], "--display: unknown display 'hasOwnProperty'"],
    [['--preset', 'toString'], "--preset: unknown preset 'toString'"],
    [['--padding-mode', '__proto__'], "--padding-mode: expected one of zeros, reflect, replicate, circular, got '__proto__'"],
    [['--split', 'constructor'], "--split: expected test or train, got 'constructor'"],
    [['--padding', '99999999999999999999'], "--padding: must be an integer from -1024 to 1024, got '99999999999999999999'"],
    [['--stride', '9007199254740993'], "--stride: must be an integer from -1024 to 1024, got '9007199254740993'"],
    [['--kernel-size', '10000'], "--kernel-size: must be an integer from 1 to 64, got '10000'"],
    [['--kernel-size', '3,'], "--kernel-size: expected an integer or two integers 'h,w', got ''"],
    [['--kernel-size', ' 3'], "--kernel-size: expected an integer or two integers 'h,w', got ' 3'"],
    [['--batch-size', '1e3'], "--batch-size: expected an integer, got '1e3'"],
    [['--batch-size', '100000'], '--batch-size: must be an integer from 1 to 1024'],
    [['--out-channels', '0x10'], "--out-channels: expected an integer, got '0x10'"],
    [['--steps', '99999999999999999999'], "--steps: must be an integer >= 0, got '99999999999999999999'"],
    [['--data', ''], '--data: expected a path, got an empty string'],
    [['--weight', 'w.npy', '--bias', ''], '--bias: expected a path, got an empty string'],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 for export ${args.join(' ')}`, () => {
      const dir = tmp();
      const r = runCli(['export', ...args, '--out', 'x'], { cwd: dir });
      expect(r.stderr).toBe(`convboard: ${r.stderr.slice(11).split('\n')[0]}\n`);
      expect(r.stderr).toContain(message);
      expect(r.status).toBe(2);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('an empty --out is refused, not taken for the current folder', () => {
    const dir = tmp();
    const r = runCli(['export', '--out', ''], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('convboard: --out: expected a path, got an empty string\n');
  });

  it("conv: --bias '' is refused instead of silently dropping the bias", () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.npy'), serializeNpyFloat32([1, 1, 4, 4], new Float32Array(16).fill(1)));
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32([1, 1, 3, 3], new Float32Array(9).fill(1)));
    const r = runCli(['conv', '--input', 'x.npy', '--weight', 'w.npy', '--bias', '', '--out', 'y.npy'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('convboard: --bias: expected a path, got an empty string\n');
    expect(existsSync(join(dir, 'y.npy'))).toBe(false);
  });

  it('conv: a padding whose output would take gigabytes is refused before allocating, naming --allow-large', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.npy'), serializeNpyFloat32([1, 1, 1, 1], new Float32Array(1)));
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32([1, 1, 1, 1], new Float32Array(1)));
    const r = runCli(['conv', '--input', 'x.npy', '--weight', 'w.npy', '--padding', '60000', '--out', 'y.npy'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^convboard: this layer needs \d+ MiB of activations per step, over the budget of 256 MiB; pass --allow-large to run it anyway\n$/);
  });

  it('serve --port 99999 is a usage error', () => {
    const r = runCli(['serve', '--port', '99999'], { timeoutMs: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("convboard: --port: must be an integer from 0 to 65535, got '99999'\n");
  });
});

describe('export plans the layer before any work', () => {
  it('a layer over the per-step budget is refused with the budget and --allow-large named; nothing is created', () => {
    const dir = tmp();
    const r = runCli(['export', '--kernel-size', '64', '--padding', '1000', '--out-channels', '1024', '--tensorboard', '--out', 'x'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^convboard: this layer needs \d+ MiB of activations per step, over the budget of 256 MiB; pass --allow-large to run it anyway\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a layer past the multiply-add budget is refused too', () => {
    const dir = tmp();
    const r = runCli(['export', '--kernel-size', '33', '--padding', '16', '--out-channels', '64', '--out', 'x'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/multiply-adds per step, over the budget of 10\.0 G; pass --allow-large/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("PyTorch's own refusal (kernel larger than the padded input) comes first, even with --tensorboard", () => {
    const dir = tmp();
    const r = runCli(['export', '--kernel-size', '64', '--tensorboard', '--allow-large', '--out', 'x'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Kernel size can't be greater than actual input size\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('export output folders', () => {
  it('an --out the system will not create fails within seconds in one line', () => {
    const started = Date.now();
    const r = runCli(['export', '--steps', '0', '--out', '/proc/self/x'], { timeoutMs: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('convboard: dir: cannot create the folder /proc/self/x/input: the system refuses to create it there\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a file in the way of --out is named', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x'), 'not a folder');
    const r = runCli(['export', '--steps', '0', '--out', 'x/y'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`convboard: dir: cannot create the folder ${join(dir, 'x/y/input')}: ${join(dir, 'x')} is a file, not a folder\n`);
  });

  it('refuses to replace files it did not write in this run unless --overwrite', () => {
    const dir = tmp();
    expect(runCli(['export', '--steps', '0-1', '--out', 'x'], { cwd: dir }).status).toBe(0);
    const again = runCli(['export', '--steps', '1-2', '--out', 'x'], { cwd: dir });
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`convboard: ${join(dir, 'x/input/000001.png')} already exists; nothing was written (pass --overwrite to replace existing files)\n`);
    expect(readdirSync(join(dir, 'x/output'))).toEqual(['000000.png', '000001.png']);
    const forced = runCli(['export', '--steps', '1-2', '--overwrite', '--out', 'x'], { cwd: dir });
    expect(forced.status).toBe(0);
    expect(readdirSync(join(dir, 'x/output'))).toEqual(['000000.png', '000001.png', '000002.png']);
  });
});
