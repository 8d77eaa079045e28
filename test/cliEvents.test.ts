import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEventRun } from '../core/eventRun';
import type { EventsJson } from '../main/cli/eventsCommand';
import { writeEventImages } from '../main/output/eventImageFiles';
import { runCli } from './helpers/runCli';

const root = resolve(__dirname, '..');
const EVENTS = join(root, 'test/fixtures/events');
const tmp = () => mkdtempSync(join(tmpdir(), 'convboard-events-'));
const TUTORIAL = 'logdir/tutorial/events.out.tfevents.1700000000.fixture.1.0';
const manifest = JSON.parse(readFileSync(join(EVENTS, 'manifest.json'), 'utf8')) as {
  files: Record<string, { events: { step: number; values?: { tag: string; png?: string }[] }[]; problem?: { offset: number } }>;
};
/** The PNG bytes the fixture script logged for a tag, by step. */
const loggedPngs = (file: string, tag: string) =>
  manifest.files[file]!.events.flatMap((e) => (e.values ?? []).filter((v) => v.tag === tag && v.png).map((v) => ({ step: e.step, png: Buffer.from(v.png!, 'base64') })));

describe('convboard events LOGDIR', () => {
  it('lists runs, image tags with steps and sizes, and scalar tags; warns about each damaged file in one line', () => {
    const r = runCli(['events', EVENTS]);
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    expect(out.slice(out.indexOf('run logdir/tutorial: 1 event file'), out.indexOf('run tensorkind: 1 event file'))).toEqual([
      'run logdir/tutorial: 1 event file',
      '  image tags:',
      '    nn_conv2d_input: 3 steps (steps 0-2), 24x6',
      '    nn_conv2d_output: 3 steps (steps 0-2), 16x4',
      '  scalar tags:',
      '    loss: 3 points (steps 0-2)',
      '    loss_new_style: 3 points (steps 0-2)',
    ]);
    expect(out).toContain('    generated/samples: 3 steps (steps 0-2), 6 images, 4x3');
    expect(out).toContain('    resumed: 8 points (steps 0-7), 3 replaced by later values');
    const warnings = r.stderr.trimEnd().split('\n');
    const corrupt = manifest.files['corrupt/events.out.tfevents.1700000700.fixture.5.0']!.problem!.offset;
    const truncated = manifest.files['truncated/events.out.tfevents.1700000800.fixture.6.0']!.problem!.offset;
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^convboard: warning: ".*corrupt/events\\.out\\.tfevents\\.1700000700\\.fixture\\.5\\.0": record at byte ${corrupt}: data checksum mismatch .*; records before it were read$`)),
      expect.stringMatching(new RegExp(`^convboard: warning: ".*truncated/events\\.out\\.tfevents\\.1700000800\\.fixture\\.6\\.0": record at byte ${truncated}: truncated: .*; records before it were read$`)),
    ]);
    // The good records before the bad one are used.
    expect(out).toContain('run corrupt: 1 event file');
    expect(out[out.indexOf('run corrupt: 1 event file') + 2]).toBe('    nn_conv2d_input: 2 steps (steps 0-1), 2x2');
  });

  it('--json: one object with runs, tags and warnings', () => {
    const r = runCli(['events', join(EVENTS, 'logdir'), '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as EventsJson;
    expect(j.runs.map((x) => x.run)).toEqual(['multifile', 'tutorial']);
    const tutorial = j.runs[1]!;
    expect(tutorial.files).toEqual(['tutorial/events.out.tfevents.1700000000.fixture.1.0']);
    expect(tutorial.images).toEqual([
      { tag: 'nn_conv2d_input', steps: 3, firstStep: 0, lastStep: 2, images: 3, sizes: [{ width: 24, height: 6, steps: 3 }], superseded: 0, unreadable: 0 },
      { tag: 'nn_conv2d_output', steps: 3, firstStep: 0, lastStep: 2, images: 3, sizes: [{ width: 16, height: 4, steps: 3 }], superseded: 0, unreadable: 0 },
    ]);
    expect(tutorial.scalars.map((s) => [s.tag, s.points])).toEqual([['loss', 3], ['loss_new_style', 3]]);
    expect(j.warnings).toEqual([]);
  });

  it('--tag --out writes each logged image byte for byte as TAG/NNNNNN.png, and refuses to overwrite', () => {
    const out = tmp();
    const r = runCli(['events', join(EVENTS, 'logdir'), '--tag', 'nn_conv2d_output', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote 3 images of tag nn_conv2d_output (run tutorial, 3 steps) to ${out}/nn_conv2d_output\n`);
    const logged = loggedPngs(TUTORIAL, 'nn_conv2d_output');
    expect(readdirSync(join(out, 'nn_conv2d_output')).sort()).toEqual(['000000.png', '000001.png', '000002.png']);
    for (const { step, png } of logged) expect(readFileSync(join(out, 'nn_conv2d_output', `00000${step}.png`)).equals(png), `step ${step}`).toBe(true);

    const again = runCli(['events', join(EVENTS, 'logdir'), '--tag', 'nn_conv2d_output', '--out', out]);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`convboard: "${out}/nn_conv2d_output/000000.png" already exists (and 2 more of the 3 files); nothing written (--overwrite replaces them)\n`);
    writeFileSync(join(out, 'nn_conv2d_output', '000001.png'), 'stale');
    expect(runCli(['events', join(EVENTS, 'logdir'), '--tag', 'nn_conv2d_output', '--out', out, '--overwrite']).status).toBe(0);
    expect(readFileSync(join(out, 'nn_conv2d_output', '000001.png')).equals(logged[1]!.png)).toBe(true);
    // Atomic writes leave no temporary files behind.
    expect(readdirSync(join(out, 'nn_conv2d_output')).sort()).toEqual(['000000.png', '000001.png', '000002.png']);
  });

  it('writes several images per step as NNNNNN_k.png, tag folders by "/"', () => {
    const out = tmp();
    expect(runCli(['events', join(EVENTS, 'tensorkind'), '--tag', 'generated/samples', '--out', out]).status).toBe(0);
    expect(readdirSync(join(out, 'generated/samples')).sort()).toEqual(['000000.png', '000001.png', '000001_1.png', '000001_2.png', '000002.png', '000002_1.png']);
  });

  it('asks for --run when several runs log the tag, and takes it', () => {
    const out = tmp();
    const r = runCli(['events', EVENTS, '--tag', 'nn_conv2d_input', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('convboard: --tag: "nn_conv2d_input" is logged by 2 runs ("corrupt", "logdir/tutorial"); pick one with --run');
    expect(readdirSync(out)).toEqual([]);
    const picked = runCli(['events', EVENTS, '--tag', 'nn_conv2d_input', '--run', 'corrupt', '--out', out]);
    expect(picked.status).toBe(0);
    expect(picked.stderr).toMatch(/^convboard: warning: .*record at byte 312: data checksum mismatch/);
    expect(readdirSync(join(out, 'nn_conv2d_input')).sort()).toEqual(['000000.png', '000001.png']);
  });

  it('refuses an unknown tag or run, naming what there is', () => {
    const out = tmp();
    expect(runCli(['events', join(EVENTS, 'logdir'), '--tag', 'loss', '--out', out]).stderr)
      .toBe(`convboard: --tag: no image tag "loss" in ${join(EVENTS, 'logdir')} (its image tags: "tf2_images", "nn_conv2d_input", "nn_conv2d_output")\n`);
    expect(runCli(['events', join(EVENTS, 'logdir'), '--tag', 'x', '--run', 'nope', '--out', out]).stderr)
      .toBe(`convboard: --run: ${join(EVENTS, 'logdir')} has no run "nope" (its runs: "multifile", "tutorial")\n`);
  });

  it('walks symlinks once (a loop ends), skips what is not a regular file, and warns', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'run1'));
    copyFileSync(join(EVENTS, TUTORIAL), join(dir, 'run1', 'events.out.tfevents.1.a'));
    symlinkSync(dir, join(dir, 'run1', 'loop'));
    symlinkSync(join(dir, 'missing'), join(dir, 'events.out.tfevents.dangling'));
    execFileSync('mkfifo', [join(dir, 'events.out.tfevents.fifo')]);
    const r = runCli(['events', dir, '--json'], { timeoutMs: 30_000 });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as EventsJson;
    expect(j.runs.map((x) => [x.run, x.files])).toEqual([['run1', ['run1/events.out.tfevents.1.a']]]);
    expect(j.warnings.map((w) => w.message)).toEqual([
      `"${join(dir, 'events.out.tfevents.dangling')}": no such file or folder, skipped`,
      `"${join(dir, 'events.out.tfevents.fifo')}": not a regular file (a device, FIFO or socket), skipped`,
    ]);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
  });

  it('refuses a missing logdir, a file given as the logdir, and bad option combinations', () => {
    expect(runCli(['events', join(EVENTS, 'nope')]).stderr).toBe(`convboard: ${join(EVENTS, 'nope')}: no such file or folder\n`);
    const file = runCli(['events', join(EVENTS, 'manifest.json')]);
    expect(file.status).toBe(1);
    expect(file.stderr).toMatch(/manifest\.json: is not a folder/);
    const usage: [string[], string][] = [
      [['events', EVENTS, '--tag', 'x'], '--tag needs --out DIR'],
      [['events', EVENTS, '--out', 'x'], '--out needs --tag T'],
      [['events', EVENTS, '--overwrite'], '--overwrite needs --tag'],
    ];
    for (const [args, message] of usage) {
      const r = runCli(args);
      expect(r.status, message).toBe(2);
      expect(r.stderr).toBe(`convboard: ${message}\n`);
    }
  });

  it('refuses paths differing only in letter case before writing anything', async () => {
    const out = tmp();
    await expect(writeEventImages(out, [{ relative: 'Tag/000000.png', bytes: new Uint8Array(1) }, { relative: 'tag/000000.png', bytes: new Uint8Array(1) }], false))
      .rejects.toThrow('event images: "Tag/000000.png" and "tag/000000.png" differ only in letter case and would overwrite each other on macOS and Windows');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('export --tensorboard with the tutorial\'s tags', () => {
  it('writes the events file to --logdir under --tag-input/--tag-output; reading it back gives the exported PNGs', () => {
    const dir = tmp();
    const logdir = join(dir, 'runs', 'convboard');
    const r = runCli(['export', '--steps', '1-2', '--tensorboard', '--tag-input', 'nn_conv2d_input', '--tag-output', 'nn_conv2d_output', '--logdir', logdir, '--out', join(dir, 'out')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`TensorBoard: tensorboard --logdir ${logdir} `);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['input', 'output']);
    const names = readdirSync(logdir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^events\.out\.tfevents\.\d{10}\./);
    const run = loadEventRun([{ name: names[0]!, bytes: new Uint8Array(readFileSync(join(logdir, names[0]!))) }]);
    expect(run.problems).toEqual([]);
    expect(run.images.map((s) => [s.tag, s.steps.map((st) => st.step)])).toEqual([['nn_conv2d_input', [1, 2]], ['nn_conv2d_output', [1, 2]]]);
    for (const [tag, card] of [['nn_conv2d_input', 'input'], ['nn_conv2d_output', 'output']] as const) {
      for (const st of run.images.find((s) => s.tag === tag)!.steps) {
        expect(st.images).toHaveLength(1);
        expect(Buffer.from(st.images[0]!).equals(readFileSync(join(dir, 'out', card, `00000${st.step}.png`))), `${tag} ${st.step}`).toBe(true);
      }
    }
    // And the events command lists the run.
    const listed = runCli(['events', join(dir, 'runs')]);
    expect(listed.stdout).toContain('run convboard: 1 event file');
    expect(listed.stdout).toContain('    nn_conv2d_output: 2 steps (steps 1-2), 240x480');
  });

  it('keeps the default tags and folder', () => {
    const dir = tmp();
    expect(runCli(['export', '--steps', '0', '--tensorboard', '--out', dir]).status).toBe(0);
    const name = readdirSync(dir).find((n) => n.startsWith('events.out.tfevents.'))!;
    expect(loadEventRun([{ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }]).images.map((s) => s.tag)).toEqual(['input', 'output']);
  });

  const usage: [string[], string][] = [
    [['--logdir', 'x'], '--logdir needs --tensorboard'],
    [['--tag-input', 'a'], '--tag-input needs --tensorboard'],
    [['--tensorboard', '--tag-input', 'same', '--tag-output', 'same'], '--tag-input and --tag-output are both "same"; the two grids need different tags'],
    [['--tensorboard', '--tag-output', ''], '--tag-output: the tag is empty'],
    [['--tensorboard', '--tag-output', 'a\nb'], '--tag-output: the tag "a\\nb" has control characters'],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 for ${message}`, () => {
      const dir = tmp();
      const r = runCli(['export', ...args, '--out', join(dir, 'o')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`convboard: ${message}\n`);
      expect(existsSync(join(dir, 'o'))).toBe(false);
    });
  }
});

describe('logdir walk limits', () => {
  it('skips an event file over the size cap with a warning, and refuses a logdir over the total cap', async () => {
    const { scanLogdir } = await import('../main/datasets/eventLogdirFiles');
    const dir = join(EVENTS, 'logdir');
    const limits = { maxFileBytes: 600, maxTotalBytes: 10_000, maxFiles: 100, maxDepth: 8 };
    const scan = await scanLogdir(dir, limits);
    // multifile's files are 614 and 559 bytes, tutorial's 2569.
    expect(scan.runs.map((r) => [r.run, r.files.map((f) => f.size)])).toEqual([['multifile', [559]]]);
    expect(scan.warnings.map((w) => w.message)).toEqual([
      `"${join(dir, 'multifile/events.out.tfevents.1700000100.a.11.0')}": 614 bytes is more than the 600 read from one event file, skipped`,
      `"${join(dir, 'tutorial/events.out.tfevents.1700000000.fixture.1.0')}": 2569 bytes is more than the 600 read from one event file, skipped`,
    ]);
    await expect(scanLogdir(dir, { ...limits, maxFileBytes: 10_000, maxTotalBytes: 3000 })).rejects.toThrow(`${dir}: the event files add up to more than 3000 bytes; give a folder nearer the runs`);
    const shallow = await scanLogdir(EVENTS, { ...limits, maxFileBytes: 10_000, maxDepth: 1 });
    expect(shallow.runs.map((r) => r.run)).toEqual(['corrupt', 'tensorkind', 'truncated', 'unknown']);
    expect(shallow.warnings.map((w) => w.message)).toEqual([`"${join(EVENTS, 'logdir/multifile')}": more than 1 folder levels below the logdir, not walked`, `"${join(EVENTS, 'logdir/tutorial')}": more than 1 folder levels below the logdir, not walked`]);
  });
});
