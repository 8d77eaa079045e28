import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexEventFile } from '../core/eventFileIndex';
import { eventImagePath, findCaseClash, imageFileName, safePathSegment, tagFolder } from '../core/eventImagePaths';
import { compareFileNames, groupEventFilesByRun } from '../core/eventLogdir';
import { type EventRunFile, loadEventRun } from '../core/eventRun';
import { pythonFloatRepr, scalarCsv } from '../core/scalarCsv';
import { fileVersionEvent, imagesEvent } from '../core/tensorboardEvents';
import { frameRecord, maskedCrc32c } from '../core/tfRecordFrame';
import { formatRecordProblem, readTfRecords } from '../core/tfRecordReader';

const FIXTURES = join(__dirname, 'fixtures/events');

interface ManifestValue {
  tag: string; kind: string; plugin?: string; value?: number; width?: number; height?: number;
  png?: string; strings?: string[]; floats?: number[];
}
interface ManifestEvent { offset: number; wallTime: number; step: number; what: string | null; values?: ManifestValue[] }
interface ManifestFile { size: number; events: ManifestEvent[]; problem?: { offset: number; reason: string; recordsBefore: number } }
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  files: Record<string, ManifestFile>;
  csv: { run: string; tags: Record<string, string> };
  pythonRepr: [string, string][];
};

const bytesOf = (rel: string) => new Uint8Array(readFileSync(join(FIXTURES, rel)));
const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const filesIn = (dir: string) => Object.keys(manifest.files).filter((f) => f.startsWith(`${dir}/`)).sort();
const runOf = (dir: string): EventRunFile[] => filesIn(dir).map((name) => ({ name, bytes: bytesOf(name) }));
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe('TFRecord reader', () => {
  it('finds every record of every intact fixture at the offsets the script wrote them', () => {
    const intact = Object.entries(manifest.files).filter(([, f]) => !f.problem);
    expect(intact.length).toBeGreaterThanOrEqual(5);
    for (const [rel, file] of intact) {
      const bytes = bytesOf(rel);
      expect(bytes.length).toBe(file.size);
      const scan = readTfRecords(rel, bytes);
      expect(scan.problem).toBeNull();
      expect(scan.records.map((r) => r.offset)).toEqual(file.events.map((e) => e.offset));
    }
  });

  it('stops at a data CRC error mid-file, reporting file and offset, and keeps the records before it', () => {
    const rel = only(filesIn('corrupt'));
    const expected = manifest.files[rel]!.problem!;
    const scan = readTfRecords(rel, bytesOf(rel));
    expect(scan.records).toHaveLength(expected.recordsBefore);
    expect(scan.problem).toMatchObject({ file: rel, offset: expected.offset });
    expect(scan.problem!.reason).toMatch(/^data checksum mismatch \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)$/);
    const line = formatRecordProblem(scan.problem!);
    expect(line).not.toContain('\n');
    expect(line).toContain(`"${rel}"`);
    expect(line).toContain(`record at byte ${expected.offset}`);
  });

  it('reports a truncated tail as truncated at the cut record', () => {
    const rel = only(filesIn('truncated'));
    const expected = manifest.files[rel]!.problem!;
    const scan = readTfRecords(rel, bytesOf(rel));
    expect(scan.records).toHaveLength(expected.recordsBefore);
    expect(scan.problem).toMatchObject({ file: rel, offset: expected.offset });
    expect(scan.problem!.reason).toMatch(/^truncated: record declares \d+ bytes of data, only 4 bytes follow its header$/);
  });

  it('checks the length CRC, and never trusts a huge declared length', () => {
    const good = frameRecord(new Uint8Array([1, 2, 3]));
    const badLength = good.slice();
    badLength[0] = 4;
    expect(readTfRecords('f', badLength).problem?.reason).toMatch(/^length checksum mismatch/);

    // A header whose CRC is right but which declares 2^40 bytes: reported, not allocated.
    const huge = new Uint8Array(12 + 16);
    const view = new DataView(huge.buffer);
    view.setUint32(4, 256, true);
    view.setUint32(8, maskedCrc32c(huge.subarray(0, 8)), true);
    const both = new Uint8Array([...good, ...huge]);
    const scan = readTfRecords('f', both);
    expect(scan.records.map((r) => [...r.data])).toEqual([[1, 2, 3]]);
    expect(scan.problem).toEqual({ file: 'f', offset: good.length, reason: 'truncated: record declares more than 4 GiB of data, only 16 bytes follow its header' });

    expect(readTfRecords('f', good.subarray(0, 7)).problem?.reason).toBe('truncated: 7 bytes left, a record header needs 12');
    expect(readTfRecords('f', new Uint8Array(0))).toEqual({ records: [], problem: null });
  });
});

describe('event file index', () => {
  it('skips records and values it does not read, keeping the ones around them', () => {
    const rel = only(filesIn('unknown'));
    const index = indexEventFile(rel, bytesOf(rel));
    expect(index.problem).toBeNull();
    expect(index.fileVersion).toBe('brain.Event:2');
    // graph_def, session_log, an Event with only an unknown field, an empty record.
    expect(index.skippedRecords).toBe(4);
    expect(index.events.map((e) => [e.step, e.values.map((v) => `${v.tag}:${v.kind}`)])).toEqual([
      [0, ['kept:simple']],
      [1, ['weights:other', 'kept:simple', 'text_note:tensor']],
    ]);
    const run = loadEventRun(runOf('unknown'));
    expect(run.scalars.map((s) => [s.tag, s.points.map((p) => p.value)])).toEqual([['kept', [0.5, 0.25]]]);
    expect(run.images).toEqual([]);
    expect(run.otherTags).toEqual(['text_note', 'weights']);
  });

  it('keeps every event before a bad record, and its image bytes, without copying them', () => {
    const rel = only(filesIn('corrupt'));
    const bytes = bytesOf(rel);
    const index = indexEventFile(rel, bytes);
    const written = manifest.files[rel]!.events.filter((e) => e.what === 'summary').slice(0, 2);
    expect(index.events.map((e) => [e.offset, e.step, e.wallTime])).toEqual(written.map((e) => [e.offset, e.step, e.wallTime]));
    for (const [i, e] of index.events.entries()) {
      const v = e.values[0]!;
      expect(v.kind).toBe('image');
      if (v.kind !== 'image') continue;
      expect(v.encoded).toEqual(b64(written[i]!.values![0]!.png!));
      expect(v.encoded.buffer).toBe(bytes.buffer);
    }
    expect(index.problem?.offset).toBe(manifest.files[rel]!.problem!.offset);
  });

  it('reports an undecodable Event and a NaN wall time as problems at their records', () => {
    const version = frameRecord(fileVersionEvent(5));
    const notProto = frameRecord(new Uint8Array([0x0f]));
    const nan = new Uint8Array(9);
    nan[0] = 0x09; // field 1 (wall_time), 64-bit
    new DataView(nan.buffer).setFloat64(1, Number.NaN, true);
    for (const [bad, reason] of [[notProto, /^not a valid Event: invalid wire type 7/], [frameRecord(nan), /^NaN wall time at step 0$/]] as const) {
      const index = indexEventFile('g', new Uint8Array([...version, ...bad, ...version]));
      expect(index.fileVersion).toBe('brain.Event:2');
      expect(index.problem?.offset).toBe(version.length);
      expect(index.problem?.reason).toMatch(reason);
    }
  });
});

describe('event runs', () => {
  it('reads the tutorial run written by torch SummaryWriter: legacy images and both kinds of scalars', () => {
    const files = runOf('logdir/tutorial');
    const events = manifest.files[files[0]!.name]!.events;
    const run = loadEventRun(files);
    expect(run.problems).toEqual([]);
    expect(run.images.map((s) => s.tag)).toEqual(['nn_conv2d_input', 'nn_conv2d_output']);
    for (const series of run.images) {
      const written = events.flatMap((e) => (e.values ?? []).filter((v) => v.tag === series.tag).map((v) => ({ e, v })));
      expect(written).toHaveLength(3);
      expect(series.steps.map((s) => [s.step, s.wallTime, s.width, s.height, s.images.length]))
        .toEqual(written.map(({ e, v }) => [e.step, e.wallTime, v.width, v.height, 1]));
      series.steps.forEach((s, i) => expect(s.images[0]).toEqual(b64(written[i]!.v.png!)));
      expect(series.superseded + series.unreadable).toBe(0);
    }
    const scalarsWritten = (tag: string) => events.flatMap((e) => (e.values ?? []).filter((v) => v.tag === tag)
      .map((v) => ({ step: e.step, wallTime: e.wallTime, value: v.value ?? v.floats![0]! })));
    expect(run.scalars.map((s) => s.tag)).toEqual(['loss', 'loss_new_style']);
    expect(run.scalars[0]!.points).toEqual(scalarsWritten('loss'));
    expect(run.scalars[1]!.points).toEqual(scalarsWritten('loss_new_style'));
    expect(run.scalars[1]!.points.map((p) => p.value)).toEqual([2.5, 2.2, 1.9].map(Math.fround));
  });

  it('reads tensor-kind images, whose plugin is named on the first value only, several per step', () => {
    const files = runOf('tensorkind');
    const events = manifest.files[files[0]!.name]!.events.filter((e) => e.what === 'summary');
    expect(events[0]!.values![0]!.plugin).toBe('images');
    expect(events[1]!.values![0]!.plugin).toBeUndefined();
    const series = only(loadEventRun(files).images);
    expect(series.tag).toBe('generated/samples');
    expect(series.steps.map((s) => [s.step, s.width, s.height, s.images.length])).toEqual([[0, 4, 3, 1], [1, 4, 3, 3], [2, 4, 3, 2]]);
    series.steps.forEach((s, i) => expect(s.images).toEqual(events[i]!.values![0]!.strings!.slice(2).map(b64)));
  });

  it('merges a run\'s files as TensorBoard does: name order, later lower steps supersede', () => {
    const files = runOf('logdir/multifile');
    const [a, b] = files;
    for (const order of [[a!, b!], [b!, a!]]) {
      const run = loadEventRun(order);
      expect(run.files).toEqual([a!.name, b!.name]);
      const scalar = (tag: string) => run.scalars.find((s) => s.tag === tag)!;
      // Wall times alternate between the files; file b's step 1 drops file a's steps 2 and 4.
      expect(scalar('interleaved').points.map((p) => [p.step, p.value, p.wallTime]))
        .toEqual([[0, 0, 1700000100.5], [1, 1.5, 1700000101.5], [3, 4.5, 1700000103.5], [5, 7.5, 1700000105.5]]);
      expect(scalar('interleaved').superseded).toBe(2);
      // A job restarted at step 3: its values replace the first file's steps 3 to 5.
      expect(scalar('resumed').points.map((p) => [p.step, p.value])).toEqual([[0, 10], [1, 11], [2, 12], [3, 103], [4, 104], [5, 105], [6, 106], [7, 107]]);
      expect(scalar('resumed').superseded).toBe(3);
      const tf2 = only(run.images);
      expect(tf2.tag).toBe('tf2_images');
      expect(tf2.steps.map((s) => [s.step, s.file, s.images.length])).toEqual([[0, a!.name, 1], [1, b!.name, 1]]);
    }
  });

  it('keeps reading the other files of a run after one file\'s bad record', () => {
    const run = loadEventRun([...runOf('corrupt'), ...runOf('truncated').map((f) => ({ ...f, name: `${f.name}.2` }))]);
    expect(run.problems.map((p) => p.reason.split(' ')[0])).toEqual(['data', 'truncated:']);
    expect(run.images[0]!.steps.map((s) => s.step)).toEqual([0, 1]);
    expect(run.scalars[0]!.points.map((s) => s.value)).toEqual([3, 2]);
  });

  it('groups a logdir\'s files into runs named by folder', () => {
    const logdir = join(FIXTURES, 'logdir');
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [relative(logdir, p).split('\\').join('/')];
    });
    expect(groupEventFilesByRun([...walk(logdir), 'notes.txt', 'x/events.out.tfevents.2', 'events.out.tfevents.1'])).toEqual([
      { run: '.', files: ['events.out.tfevents.1'] },
      { run: 'multifile', files: filesIn('logdir/multifile').map((f) => f.slice(7)) },
      { run: 'tutorial', files: filesIn('logdir/tutorial').map((f) => f.slice(7)) },
      { run: 'x', files: ['x/events.out.tfevents.2'] },
    ]);
    expect(['b', 'a\u{1F600}', 'a\uFFFF', 'a'].sort(compareFileNames)).toEqual(['a', 'a\uFFFF', 'a\u{1F600}', 'b']);
  });
});

describe('round trip through ConvBoard\'s own writer', () => {
  it('reads back exactly what imagesEvent and frameRecord wrote, over thousands of steps, without copies', () => {
    const pngs = [new Uint8Array([137, 80, 78, 71, 1, 2, 3]), new Uint8Array([137, 80, 78, 71, 9])];
    const parts = [frameRecord(fileVersionEvent(1000.5))];
    const steps = 3000;
    for (let step = 0; step < steps; step++) {
      parts.push(frameRecord(imagesEvent(1000.5 + step / 8, step, [
        { tag: 'input', png: pngs[0]!, width: 274, height: 274 },
        { tag: 'output', png: pngs[1]!, width: 242, height: 242 },
      ])));
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
    const run = loadEventRun([{ name: 'events.out.tfevents.0000001000.h.1.0', bytes }]);
    expect(run.problems).toEqual([]);
    expect(run.images.map((s) => s.tag)).toEqual(['input', 'output']);
    run.images.forEach((series, k) => {
      const width = k === 0 ? 274 : 242;
      expect(series.steps.map((s) => [s.step, s.wallTime, s.width, s.height, s.images.length]))
        .toEqual(Array.from({ length: steps }, (_, step) => [step, 1000.5 + step / 8, width, width, 1]));
      const differing = series.steps.filter((s) => !Buffer.from(s.images[0]!).equals(pngs[k]!));
      expect(differing).toEqual([]);
      expect(series.steps.every((s) => s.images[0]!.buffer === bytes.buffer)).toBe(true);
    });
  });
});

describe('scalar CSV', () => {
  it('writes doubles as Python\'s repr does', () => {
    for (const [hex, repr] of manifest.pythonRepr) {
      const x = new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer).getFloat64(0, true);
      expect(pythonFloatRepr(x)).toBe(repr);
    }
  });

  it('matches the CSV TensorBoard\'s scalars plugin would write for the tutorial run', () => {
    const run = loadEventRun(runOf(manifest.csv.run));
    const tags = Object.keys(manifest.csv.tags);
    expect(run.scalars.map((s) => s.tag)).toEqual(tags);
    for (const s of run.scalars) expect(scalarCsv(s.points)).toBe(manifest.csv.tags[s.tag]);
  });
});

describe('image output paths', () => {
  it('names images T/NNNNNN.png, then NNNNNN_k.png for further samples of a step', () => {
    expect(eventImagePath('nn_conv2d_input', 3, 0)).toBe('nn_conv2d_input/000003.png');
    expect(eventImagePath('generated/samples', 1, 2)).toBe('generated/samples/000001_2.png');
    expect(eventImagePath('input', 1234567, 0, 'train/a')).toBe('train%2Fa/input/1234567.png');
    expect(eventImagePath('input', 0, 0, '.')).toBe('%2E/input/000000.png');
    expect(imageFileName(-5, 0)).toBe('-000005.png');
    expect(() => imageFileName(1.5, 0)).toThrow(/^event image path: step 1.5 is not an integer$/);
  });

  it('turns hostile tags into safe relative paths', () => {
    expect(tagFolder('../../etc/passwd')).toBe('%2E%2E/%2E%2E/etc/passwd');
    expect(tagFolder('/abs//x/')).toBe('%/abs/%/x/%');
    expect(tagFolder('C:\\Windows')).toBe('C%3A%5CWindows');
    expect(tagFolder('con')).toBe('%63on');
    expect(tagFolder('.hidden.')).toBe('%2Ehidden%2E');
    expect(tagFolder('input/000001.png')).toBe('input/000001%2Epng');
    expect(tagFolder('a b%')).toBe('a%20b%25');
    expect(tagFolder('\u00e9\u{1F600}')).toBe('%C3%A9%F0%9F%98%80');
    const long = safePathSegment('x'.repeat(1000));
    expect(long).toMatch(/^x{171}~[0-9a-f]{8}$/);
    expect(safePathSegment('x'.repeat(999))).not.toBe(long);
    expect(findCaseClash(['Loss/000001.png', 'a/000001.png', 'loss/000001.png'])).toEqual(['Loss/000001.png', 'loss/000001.png']);
    expect(findCaseClash(['a/1', 'b/1'])).toBeNull();
  });

  it('never leaves the output folder and never maps two tags to one folder', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(fc.property(text, text, (a, b) => {
      const fa = tagFolder(a);
      for (const seg of fa.split('/')) {
        expect(seg).toMatch(/^[A-Za-z0-9_.%~-]+$/);
        expect(seg.startsWith('.') || seg.endsWith('.')).toBe(false);
      }
      const back = fa.split('/').map((s) => (s === '%' ? '' : decodeURIComponent(s))).join('/');
      expect(back).toBe(a);
      if (a !== b) expect(tagFolder(b)).not.toBe(fa);
    }), { seed: 7, numRuns: 500 });
  });
});
