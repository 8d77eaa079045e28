import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { serializeNpyFloat32 } from '../core/npy';
import { presetWeights } from '../core/weightPresets';
import { DEFAULT_LAYER } from '../core/hostContract';
import { runCli } from './helpers/runCli';

const tmp = () => mkdtempSync(join(tmpdir(), 'convboard-export-'));
const SAMPLE = join(__dirname, '../assets/sample/cifar-10-batches-bin');
const decode = (p: string) => PNG.sync.read(readFileSync(p));

describe('convboard export options', () => {
  it('exports a step range with a preset, a layer and a display of the user\'s choice', () => {
    const out = tmp();
    const r = runCli(['export', '--steps', '1-2', '--preset', 'sobel-x', '--padding', 'same', '--out-channels', '3', '--display', 'channels', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(join(out, 'output'))).toEqual(['000001.png', '000002.png']);
    // 'channels': one grey tile per channel, so 64 x 3 tiles of 32x32 in 12 columns with a 1-pixel gap.
    const png = decode(join(out, 'output', '000001.png'));
    expect([png.width, png.height]).toEqual([12 * 33 + 1, 16 * 33 + 1]);
  });

  it('takes weights from .npy files and gives what the same weights as a preset give', () => {
    const dir = tmp();
    const w = presetWeights('laplacian', DEFAULT_LAYER, 3, 0);
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32(w.weight.shape, w.weight.data));
    writeFileSync(join(dir, 'b.npy'), serializeNpyFloat32([6], w.bias!));
    expect(runCli(['export', '--steps', '0', '--weight', join(dir, 'w.npy'), '--bias', join(dir, 'b.npy'), '--out', join(dir, 'a')]).status).toBe(0);
    expect(runCli(['export', '--steps', '0', '--preset', 'laplacian', '--out', join(dir, 'b')]).status).toBe(0);
    expect(decode(join(dir, 'a/output/000000.png')).data).toEqual(decode(join(dir, 'b/output/000000.png')).data);
  });

  it('refuses a weight file that does not fit the layer, saying which layer would take it', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'w.npy'), serializeNpyFloat32([16, 3, 5, 5], new Float32Array(16 * 75)));
    const r = runCli(['export', '--weight', join(dir, 'w.npy'), '--out', join(dir, 'o')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`convboard: ${join(dir, 'w.npy')}: weight of shape [16, 3, 5, 5] does not fit the layer, which needs [6, 3, 3, 3] (a layer with out_channels=16, kernel 5x5, in_channels/groups=3 would take it)\n`);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });

  const usage: [string[], string][] = [
    [['export'], 'export: --out DIR is required'],
    [['export', '--steps', '3-1', '--out', 'x'], '--steps: the range 3-1 ends before it starts'],
    [['export', '--steps', '7-9', '--out', 'x'], '--steps: 7-9 is outside the 5 steps of the test split (0-4)'],
    [['export', '--display', 'sepia', '--out', 'x'], "--display: unknown display 'sepia'"],
    [['export', '--preset', 'emboss', '--out', 'x'], "--preset: unknown preset 'emboss'"],
    [['export', '--split', 'val', '--out', 'x'], "--split: expected test or train, got 'val'"],
    [['export', '--batch-size', '0', '--out', 'x'], "--batch-size: must be an integer from 1 to 1024, got '0'"],
    [['export', '--bias', 'b.npy', '--out', 'x'], '--bias needs --weight'],
    [['export', '--kernel', '3', '--out', 'x'], "Unknown option '--kernel'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 for: ${args.join(' ')}`, () => {
      const dir = tmp();
      const r = runCli(args, { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.split('\n')[0]).toMatch(/^convboard: /);
      expect(existsSync(join(dir, 'x'))).toBe(false);
    });
  }

  const dataErrors: [string[], RegExp][] = [
    [['export', '--groups', '2', '--out', 'x'], /^convboard: in_channels must be divisible by groups/],
    [['export', '--kernel-size', '40', '--out', 'x'], /Kernel size can't be greater than actual input size/],
    [['export', '--padding', '40', '--padding-mode', 'reflect', '--out', 'x'], /Padding size should be less than the corresponding input dimension/],
    [['export', '--data', 'missing-folder', '--out', 'x'], /missing-folder/],
  ];
  for (const [args, message] of dataErrors) {
    it(`exits 1 for: ${args.join(' ')}`, () => {
      const dir = tmp();
      const r = runCli(args, { cwd: dir });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(dir, 'x', 'output'))).toBe(false);
    });
  }

  it('exits 1 naming the file for a truncated batch, and writes nothing', () => {
    const dir = tmp();
    const bin = join(dir, 'test_batch.bin');
    writeFileSync(bin, readFileSync(join(SAMPLE, 'test_batch.bin')).subarray(0, 3073 * 10 + 100));
    const r = runCli(['export', '--data', bin, '--out', join(dir, 'x')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(bin);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});

describe('convboard info', () => {
  it('lists format, splits, counts and classes', () => {
    const r = runCli(['info', SAMPLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/CIFAR-10/);
    expect(r.stdout).toMatch(/test\s+320 images/);
    expect(r.stdout).toMatch(/train\s+192 images/);
    expect(r.stdout).toMatch(/checkerboard/);
  });

  it('exits 2 without a path and 1 for a path that is not a dataset', () => {
    expect(runCli(['info']).status).toBe(2);
    const dir = tmp();
    const r = runCli(['info', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(dir);
  });
});
