// `convboard events LOGDIR`: what a TensorBoard logdir holds (runs, image and scalar tags), and
// the images of one tag written out as the PNG files they were logged as.
import { parseArgs } from 'node:util';
import { eventImagePath } from '../../core/eventImagePaths';
import { type EventRun, loadEventRun } from '../../core/eventRun';
import { quoteInput } from '../../core/quotedText';
import { formatRecordProblem, type RecordProblem } from '../../core/tfRecordReader';
import { type LogdirRun, readEventFile, scanLogdir } from '../datasets/eventLogdirFiles';
import { type EventImageFile, writeEventImages } from '../output/eventImageFiles';
import { CommandError, UsageError } from './cliErrors';

export const EVENTS_USAGE = `convboard events LOGDIR [--json] [--tag T [--run R] --out DIR [--overwrite]]
    The runs of a TensorBoard logdir with their image tags (steps, sizes) and scalar tags, read
    as TensorBoard reads them (a later value at a step replaces earlier ones). --tag writes every
    image of tag T as DIR/T/NNNNNN.png, the logged bytes unchanged (--run picks one of several
    runs logging T). Damaged records are skipped with a warning naming the file and byte offset.`;

/** The --json answer. */
export interface EventsJson {
  logdir: string;
  runs: {
    /** The folder relative to the logdir, '/'-separated; '.' for the logdir itself. */
    run: string;
    files: string[];
    images: {
      tag: string; steps: number; firstStep: number | null; lastStep: number | null; images: number;
      /** Distinct [width, height] pairs with how many steps have each; width/height null when not recorded. */
      sizes: { width: number | null; height: number | null; steps: number }[];
      superseded: number; unreadable: number;
    }[];
    scalars: { tag: string; points: number; firstStep: number | null; lastStep: number | null; superseded: number; unreadable: number }[];
    otherTags: string[];
  }[];
  /** Problems met while reading: a file or record skipped, where reading a file stopped. */
  warnings: { file: string; offset: number | null; message: string }[];
}

const tagText = (tag: string) => (/^[\x21-\x7e]{1,120}$/.test(tag) && !tag.includes('"') ? tag : quoteInput(tag, 120));

async function loadRun(run: LogdirRun, warn: (w: EventsJson['warnings'][0]) => void): Promise<EventRun> {
  const files = [];
  for (const f of run.files) {
    try {
      files.push({ name: f.path, bytes: await readEventFile(f) });
    } catch (e) {
      warn({ file: f.path, offset: null, message: `${(e as Error).message.split('\n')[0]}, skipped` });
    }
  }
  const loaded = loadEventRun(files);
  for (const p of loaded.problems) warn({ file: p.file, offset: p.offset, message: formatRecordProblem(p as RecordProblem) });
  return loaded;
}

function runJson(run: LogdirRun, loaded: EventRun): EventsJson['runs'][0] {
  return {
    run: run.run,
    files: run.files.map((f) => f.relative),
    images: loaded.images.map((s) => {
      const sizes = new Map<string, EventsJson['runs'][0]['images'][0]['sizes'][0]>();
      for (const st of s.steps) {
        const key = `${st.width}x${st.height}`;
        const entry = sizes.get(key) ?? { width: st.width, height: st.height, steps: 0 };
        entry.steps++;
        sizes.set(key, entry);
      }
      return {
        tag: s.tag, steps: s.steps.length, firstStep: s.steps[0]?.step ?? null, lastStep: s.steps.at(-1)?.step ?? null,
        images: s.steps.reduce((n, st) => n + st.images.length, 0), sizes: [...sizes.values()], superseded: s.superseded, unreadable: s.unreadable,
      };
    }),
    scalars: loaded.scalars.map((s) => ({
      tag: s.tag, points: s.points.length, firstStep: s.points[0]?.step ?? null, lastStep: s.points.at(-1)?.step ?? null,
      superseded: s.superseded, unreadable: s.unreadable,
    })),
    otherTags: loaded.otherTags,
  };
}

const stepsText = (n: number, first: number | null, last: number | null, unit: string) =>
  `${n} ${unit}${n === 1 ? '' : 's'}${first === null ? '' : first === last ? ` (step ${first})` : ` (steps ${first}-${last})`}`;
const extras = (s: { superseded: number; unreadable: number }) =>
  `${s.superseded > 0 ? `, ${s.superseded} replaced by later values` : ''}${s.unreadable > 0 ? `, ${s.unreadable} unreadable` : ''}`;

export function eventsText(j: EventsJson): string[] {
  if (j.runs.length === 0) return [`${j.logdir}: no event files (events.out.tfevents.*) found`];
  const lines: string[] = [];
  for (const r of j.runs) {
    lines.push(`run ${tagText(r.run)}: ${r.files.length} event file${r.files.length === 1 ? '' : 's'}`);
    if (r.images.length > 0) lines.push('  image tags:');
    for (const s of r.images) {
      const sizes = s.sizes.map((z) => (z.width === null || z.height === null ? 'size not recorded' : `${z.width}x${z.height}`));
      const sizeText = sizes.length === 1 ? sizes[0] : `${sizes.length} sizes: ${sizes.slice(0, 4).join(', ')}${sizes.length > 4 ? ', ...' : ''}`;
      const perStep = s.images !== s.steps ? `, ${s.images} images` : '';
      lines.push(`    ${tagText(s.tag)}: ${stepsText(s.steps, s.firstStep, s.lastStep, 'step')}${perStep}, ${sizeText}${extras(s)}`);
    }
    if (r.scalars.length > 0) lines.push('  scalar tags:');
    for (const s of r.scalars) lines.push(`    ${tagText(s.tag)}: ${stepsText(s.points, s.firstStep, s.lastStep, 'point')}${extras(s)}`);
    if (r.otherTags.length > 0) lines.push(`  other tags (not read): ${r.otherTags.slice(0, 10).map(tagText).join(', ')}${r.otherTags.length > 10 ? `, and ${r.otherTags.length - 10} more` : ''}`);
  }
  return lines;
}

export async function runEventsCommand(argv: string[], log: (line: string) => void, warnLine: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, tag: { type: 'string' }, run: { type: 'string' }, out: { type: 'string' }, overwrite: { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`events: expected one logdir, got ${positionals.length}\n${EVENTS_USAGE}`);
  if (values.tag !== undefined && values.out === undefined) throw new UsageError('--tag needs --out DIR');
  if (values.out !== undefined && values.tag === undefined) throw new UsageError('--out needs --tag T');
  for (const option of ['run', 'overwrite'] as const) {
    if (values[option] !== undefined && values.tag === undefined) throw new UsageError(`--${option} needs --tag`);
  }
  const logdir = positionals[0]!;
  let scan;
  try {
    scan = await scanLogdir(logdir);
  } catch (e) {
    if (e instanceof Error && e.name === 'DatasetError') throw new CommandError(e.message);
    throw e;
  }
  const json: EventsJson = { logdir, runs: [], warnings: [] };
  const warn = (w: EventsJson['warnings'][0]) => {
    json.warnings.push(w);
    warnLine(`warning: ${w.message}`);
  };
  for (const w of scan.warnings) warn({ file: w.path, offset: null, message: w.message });

  if (values.tag !== undefined) {
    const tag = values.tag;
    const having: { run: string; loaded: EventRun }[] = [];
    const allTags = new Set<string>();
    for (const run of scan.runs) {
      if (values.run !== undefined && run.run !== values.run) continue;
      const loaded = await loadRun(run, warn);
      for (const s of loaded.images) allTags.add(s.tag);
      if (loaded.images.some((s) => s.tag === tag)) having.push({ run: run.run, loaded });
    }
    if (values.run !== undefined && !scan.runs.some((r) => r.run === values.run)) {
      throw new CommandError(`--run: ${logdir} has no run ${quoteInput(values.run)} (its runs: ${scan.runs.slice(0, 8).map((r) => quoteInput(r.run)).join(', ') || 'none'})`);
    }
    if (having.length === 0) {
      const known = [...allTags].slice(0, 8).map((t) => quoteInput(t)).join(', ');
      throw new CommandError(`--tag: no image tag ${quoteInput(tag)} in ${logdir}${values.run !== undefined ? ` run ${quoteInput(values.run)}` : ''} (its image tags: ${known || 'none'})`);
    }
    if (having.length > 1) {
      throw new CommandError(`--tag: ${quoteInput(tag)} is logged by ${having.length} runs (${having.slice(0, 6).map((h) => quoteInput(h.run)).join(', ')}); pick one with --run`);
    }
    const series = having[0]!.loaded.images.find((s) => s.tag === tag)!;
    const files: EventImageFile[] = series.steps.flatMap((st) => st.images.map((bytes, k) => ({ relative: eventImagePath(tag, st.step, k), bytes })));
    let written;
    try {
      written = await writeEventImages(values.out!, files, values.overwrite === true);
    } catch (e) {
      if (e instanceof Error && (e.name === 'EventImageWriteError' || e.name === 'FileWriteError')) throw new CommandError(e.message);
      throw e;
    }
    const folder = files[0]?.relative.slice(0, files[0].relative.lastIndexOf('/')) ?? '';
    log(`wrote ${written} image${written === 1 ? '' : 's'} of tag ${tagText(tag)} (run ${tagText(having[0]!.run)}, ${series.steps.length} steps) to ${values.out}/${folder}`);
    return;
  }

  for (const run of scan.runs) json.runs.push(runJson(run, await loadRun(run, warn)));
  if (values.json) log(JSON.stringify(json, null, 1));
  else for (const line of eventsText(json)) log(line);
}
