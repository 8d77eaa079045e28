// The session's new requests: a TensorBoard logdir written by PyTorch's SummaryWriter indexed by
// run and tag, its PNGs handed back byte for byte; Resize/CenterCrop reaching the image folder
// reader; the schemas refusing what the page should never send.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostArgs } from '../core/hostSchemas';
import { Session } from '../main/session/session';
import { fails, ok } from './helpers/sessionRequests';

const root = resolve(__dirname, '..');
const workerPath = join(root, 'dist', 'computeWorker.js');
const EVENTS = join(root, 'test', 'fixtures', 'events');
const manifest = JSON.parse(readFileSync(join(EVENTS, 'manifest.json'), 'utf8')) as {
  files: Record<string, { events: { step: number; values?: { tag: string; kind: string; png?: string; width?: number; height?: number; plugin?: string; strings?: string[] }[] }[] }>;
};

/** What SummaryWriter wrote, per run, tag and step: the PNG and the size its summary states. */
function loggedImages(): Map<string, Map<string, Map<number, { png: Buffer; width: number; height: number }>>> {
  const runs = new Map<string, Map<string, Map<number, { png: Buffer; width: number; height: number }>>>();
  const pluginTags = new Map<string, Set<string>>();
  for (const [file, { events }] of Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!file.startsWith('logdir/')) continue;
    const run = file.split('/')[1]!;
    // The images plugin names itself on a tag's first value in the run only (TF2's blob sequence: width, height, PNG).
    const imageTags = pluginTags.get(run) ?? new Set<string>();
    pluginTags.set(run, imageTags);
    for (const e of events) {
      for (const raw of e.values ?? []) {
        if (raw.plugin === 'images') imageTags.add(raw.tag);
        const v = raw.kind === 'tensor' && imageTags.has(raw.tag) && raw.strings
          ? { ...raw, png: raw.strings[2], width: Number(Buffer.from(raw.strings[0]!, 'base64').toString()), height: Number(Buffer.from(raw.strings[1]!, 'base64').toString()) }
          : raw;
        if ((v.kind !== 'image' && !imageTags.has(v.tag)) || !v.png) continue;
        const tags = runs.get(run) ?? new Map();
        runs.set(run, tags);
        const steps = tags.get(v.tag) ?? new Map();
        tags.set(v.tag, steps);
        steps.set(e.step, { png: Buffer.from(v.png, 'base64'), width: v.width!, height: v.height! });
      }
    }
  }
  return runs;
}



describe('session: logged runs and image folder transforms', () => {
  let session: Session;
  beforeAll(async () => {
    expect(existsSync(workerPath)).toBe(true);
    session = await Session.open({ dataPath: null, workerPath });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('lists the image tags of every run and hands back the PNGs SummaryWriter wrote', async () => {
    const want = loggedImages();
    expect(want.get('tutorial')?.size).toBe(2);
    const info = await ok(session, 'openLogdir', { logdir: join(EVENTS, 'logdir') });
    expect(info.runs.map((r) => r.run)).toEqual([...want.keys()].sort());
    for (const run of info.runs) {
      const tags = want.get(run.run)!;
      expect(run.imageTags.map((t) => t.tag)).toEqual([...tags.keys()]);
      for (const t of run.imageTags) {
        const steps = tags.get(t.tag)!;
        expect(t.steps).toEqual([...steps.keys()]);
        const first = steps.values().next().value!;
        expect([t.width, t.height]).toEqual([first.width, first.height]);
        for (const [step, image] of steps) {
          const got = await ok(session, 'getLoggedImage', { run: run.run, tag: t.tag, step });
          expect(got).not.toBeNull();
          expect(Buffer.from(got!.png).equals(image.png)).toBe(true);
          expect([got!.width, got!.height]).toEqual([image.width, image.height]);
        }
      }
    }
    expect(await ok(session, 'getLoggedImage', { run: 'tutorial', tag: 'nn_conv2d_input', step: 99 })).toBeNull();
    expect(await fails(session, 'getLoggedImage', { run: 'nope', tag: 'nn_conv2d_input', step: 0 })).toEqual({ message: 'run: no run "nope" in the open log folder', field: 'run' });
    expect((await fails(session, 'getLoggedImage', { run: 'tutorial', tag: 'loss', step: 0 })).message).toBe('tag: run "tutorial" has no image tag "loss"');
  });

  it('refuses a folder without logged images, and a logdir that is no folder, in one line', async () => {
    const noImages = await fails(session, 'openLogdir', { logdir: join(EVENTS, 'unknown') });
    expect(noImages.message).toMatch(/^log folder: no logged images under ".*unknown" \(1 run\(s\) with event files, none with an image tag\)$/);
    expect((await fails(session, 'openLogdir', { logdir: join(EVENTS, 'manifest.json') })).message).toMatch(/is not a folder/);
    expect((await fails(session, 'openLogdir', { logdir: '' })).message).toBe('log folder: is empty');
    // The logdir opened before is still there.
    expect(await ok(session, 'getLoggedImage', { run: 'tutorial', tag: 'nn_conv2d_output', step: 1 })).not.toBeNull();
  });

  it('in Electron reads only the log folder picked in the dialog, never one the page names', async () => {
    const asked: string[] = [];
    let answer: string | null = join(EVENTS, 'logdir');
    const electron = await Session.open({ dataPath: null, workerPath, chooseLogdir: async () => (asked.push('dialog'), answer) });
    try {
      const info = await ok(electron, 'openLogdir', { logdir: '/etc' });
      expect(asked).toEqual(['dialog']);
      expect(info.runs.some((r) => r.run === 'tutorial')).toBe(true);
      answer = null;
      expect(await fails(electron, 'openLogdir', { logdir: null })).toEqual({ message: 'log folder: none chosen', field: 'logdir' });
    } finally {
      await electron.close();
    }
    expect(await fails(session, 'openLogdir', { logdir: null })).toEqual({ message: 'log folder: type the path of a TensorBoard log folder', field: 'logdir' });
  });

  it('opens an image folder with Resize and CenterCrop sent by the page', async () => {
    const folder = join(root, 'test', 'fixtures', 'imagefolder', 'root');
    expect((await ok(session, 'openDataset', { path: folder, transform: { resize: 20, centerCrop: 16 } })).imageShape).toEqual([3, 16, 16]);
    expect((await ok(session, 'openDataset', { path: folder, transform: { resize: null, centerCrop: 12 } })).imageShape).toEqual([3, 12, 12]);
    expect(await fails(session, 'openDataset', { path: folder, transform: { resize: 0, centerCrop: null } })).toEqual({ message: 'Resize: must be from 1 to 8192, got 0', field: 'transform.resize' });
    expect((await fails(session, 'openDataset', { path: folder, transform: { resize: 2.5, centerCrop: null } })).message).toBe('Resize: expected an integer, got 2.5');
    expect((await fails(session, 'openDataset', { path: folder, transform: { resize: 8 } })).message).toBe('CenterCrop: missing');
  });
});

describe('schemas of the new requests', () => {
  it('startDownload takes a catalog dataset only', () => {
    expect(parseHostArgs('startDownload', { dataset: 'cifar-10' })).toEqual({ dataset: 'cifar-10' });
    expect(() => parseHostArgs('startDownload', { dataset: 'imagenet' })).toThrow("dataset to download: expected one of 'cifar-10', 'cifar-100', 'mnist', 'fashion-mnist', got \"imagenet\"");
    expect(() => parseHostArgs('startDownload', { dataset: 'mnist', url: 'http://x/' })).toThrow('url: unknown field');
  });

  it('getLoggedImage takes a run, a tag and a step', () => {
    expect(() => parseHostArgs('getLoggedImage', { run: '.', tag: 'input', step: -1 })).toThrow(/^step: must be from 0 to/);
    expect(() => parseHostArgs('getLoggedImage', { run: '.', tag: 'in\0put', step: 0 })).toThrow('tag: contains a NUL character');
    expect(parseHostArgs('openDataset', { path: '/x' })).toEqual({ path: '/x' });
  });
});
