import { promises as fsp, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileWriteError, writeFileAtomic } from '../main/output/atomicWrite';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'convboard-atomic-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = new TextEncoder().encode('new contents');

async function failure(p: Promise<void>): Promise<FileWriteError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FileWriteError);
    expect((e as Error).message).not.toContain('\n');
    return e as FileWriteError;
  }
  throw new Error('the write succeeded');
}

describe.each([
  ['writeFileAtomic', (path: string, b: Uint8Array) => writeFileAtomic(path, b)],
] as const)('%s', (_name, write) => {
  it('writes a new file and replaces an old one, leaving nothing else behind', async () => {
    const target = join(dir, 'out.png');
    await write(target, bytes);
    expect(readFileSync(target, 'utf8')).toBe('new contents');
    await write(target, new TextEncoder().encode('second'));
    expect(readFileSync(target, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['out.png']);
  });

  it('names the path when the folder is missing', async () => {
    const target = join(dir, 'missing', 'out.png');
    const e = await failure(write(target, bytes));
    expect(e.message).toBe(`cannot write ${target}: folder ${join(dir, 'missing')} does not exist`);
    expect(e.code).toBe('ENOENT');
  });

  it('names the path when a parent is a file', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const target = join(dir, 'plain', 'out.png');
    const e = await failure(write(target, bytes));
    expect(e.message).toBe(`cannot write ${target}: ${join(dir, 'plain')} is not a folder`);
  });

  it('leaves no temporary file when the target is a folder', async () => {
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    const e = await failure(write(target, bytes));
    expect(e.message).toMatch(new RegExp(`^cannot write ${target}: `));
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('writeFileAtomic when the disk fails midway', () => {
  it('removes the partial temporary file and keeps the old target intact', async () => {
    const target = join(dir, 'step.png');
    writeFileSync(target, 'old contents');
    const real = fsp.writeFile.bind(fsp);
    let tempSeen = '';
    vi.spyOn(fsp, 'writeFile').mockImplementation(async (path, data, options) => {
      tempSeen = String(path);
      await real(path as string, (data as Uint8Array).subarray(0, 3), options as { flag: string });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    const e = await failure(writeFileAtomic(target, bytes));
    expect(e.message).toBe(`cannot write ${target}: no space left on the device`);
    expect(tempSeen.startsWith(join(dir, '.step.png.'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['step.png']);
    expect(readFileSync(target, 'utf8')).toBe('old contents');
  });

  it('removes the temporary file when the rename fails', async () => {
    const target = join(dir, 'step.npy');
    vi.spyOn(fsp, 'rename').mockRejectedValue(Object.assign(new Error('EXDEV: odd'), { code: 'EXDEV' }));
    const e = await failure(writeFileAtomic(target, bytes));
    expect(e.message).toBe(`cannot write ${target}: EXDEV: odd`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
