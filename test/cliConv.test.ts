import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../core/npy';
import { runCli } from './helpers/runCli';

const FIX = join(__dirname, 'fixtures/cli');
const cases = (JSON.parse(readFileSync(join(FIX, 'cases.json'), 'utf8')) as {
  cases: { name: string; args: string[]; bias: boolean; outputShape: number[] }[];
}).cases;
const npy = (path: string) => parseNpy(new Uint8Array(readFileSync(path)), path);
const tmp = () => mkdtempSync(join(tmpdir(), 'convboard-cli-'));

describe('convboard conv', () => {
  for (const c of cases) {
    it(`matches nn.Conv2d for ${c.name} (${c.args.join(' ')})`, () => {
      const out = join(tmp(), 'y.npy');
      const args = ['conv', '--input', join(FIX, `${c.name}.input.npy`), '--weight', join(FIX, `${c.name}.weight.npy`), ...c.args, '--out', out];
      if (c.bias) args.push('--bias', join(FIX, `${c.name}.bias.npy`));
      const r = runCli(args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const y = npy(out);
      const expected = npy(join(FIX, `${c.name}.expected.npy`));
      expect(y.dtype).toBe('f4');
      expect(y.shape).toEqual(c.outputShape);
      let maxAbs = 0;
      let maxErr = 0;
      for (let i = 0; i < expected.data.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(expected.data[i]!));
        maxErr = Math.max(maxErr, Math.abs(expected.data[i]! - y.data[i]!));
      }
      expect(maxErr).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs));
    });
  }

  const base = (dir: string) => ['conv', '--input', join(FIX, 'strided.input.npy'), '--weight', join(FIX, 'strided.weight.npy'), '--out', join(dir, 'y.npy')];

  it('exits 2 with one line for a usage error, and writes nothing', () => {
    const dir = tmp();
    for (const args of [
      ['conv', '--input', join(FIX, 'strided.input.npy'), '--out', join(dir, 'y.npy')],
      [...base(dir), '--stride', 'two'],
      [...base(dir), '--padding-mode', 'mirror'],
      [...base(dir), '--frobnicate', '1'],
    ]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^convboard: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 'y.npy'))).toBe(false);
    }
    expect(runCli([...base(dir), '--stride', 'two']).stderr).toBe("convboard: --stride: expected an integer or two integers 'h,w', got 'two'\n");
  });

  it('exits 1 with PyTorch\'s message when PyTorch would refuse, and writes nothing', () => {
    const dir = tmp();
    const r = runCli(['conv', '--input', join(FIX, 'strided.input.npy'), '--weight', join(FIX, 'same-reflect-dilated.weight.npy'), '--out', join(dir, 'y.npy')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('convboard: Given groups=1, weight of size [6, 2, 3, 3], expected input[2, 3, 9, 7] to have 2 channels, but got 3 channels instead\n');
    expect(runCli([...base(dir), '--stride', '0']).stderr).toBe('convboard: non-positive stride is not supported\n');
    expect(runCli([...base(dir), '--padding', 'same', '--stride', '2']).stderr).toBe("convboard: padding='same' is not supported for strided convolutions\n");
    expect(existsSync(join(dir, 'y.npy'))).toBe(false);
  });

  it('names the file when it is missing or not an .npy', () => {
    const dir = tmp();
    const missing = join(dir, 'nope.npy');
    let r = runCli(['conv', '--input', missing, '--weight', join(FIX, 'strided.weight.npy'), '--out', join(dir, 'y.npy')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`convboard: --input: cannot read ${missing}: no such file or folder\n`);
    const junk = join(dir, 'junk.npy');
    writeFileSync(junk, 'not a numpy file at all');
    r = runCli(['conv', '--input', junk, '--weight', join(FIX, 'strided.weight.npy'), '--out', join(dir, 'y.npy')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(junk);
  });
});
