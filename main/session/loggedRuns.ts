// The image tags of a TensorBoard logdir, kept as the event files' bytes indexed by run, tag and
// step: the page asks for one image at a time and decodes it itself.
import type { LogdirInfo, LoggedImage, LoggedRun } from '../../core/hostContract';
import { loadEventRun, type ImageStep } from '../../core/eventRun';
import { quoteInput } from '../../core/quotedText';
import { formatRecordProblem } from '../../core/tfRecordReader';
import { readEventFile, scanLogdir } from '../datasets/eventLogdirFiles';
import { SessionError } from './hostErrors';

type TagIndex = Map<string, Map<number, ImageStep>>;

export class LoggedRuns {
  private runs = new Map<string, TagIndex>();

  /** Reads every run's event files (DatasetError when the logdir cannot be walked); replaces what was open. */
  async open(logdir: string): Promise<LogdirInfo> {
    const scan = await scanLogdir(logdir);
    const warnings = scan.warnings.map((w) => w.message);
    const runs = new Map<string, TagIndex>();
    const listed: LoggedRun[] = [];
    for (const run of scan.runs) {
      const files = [];
      for (const f of run.files) files.push({ name: f.relative, bytes: await readEventFile(f) });
      const loaded = loadEventRun(files);
      for (const p of loaded.problems) warnings.push(formatRecordProblem(p));
      const tags: TagIndex = new Map();
      const imageTags: LoggedRun['imageTags'] = [];
      for (const series of loaded.images) {
        const steps = new Map<number, ImageStep>();
        for (const s of series.steps) if (s.images.length > 0) steps.set(s.step, s);
        if (steps.size === 0) continue;
        tags.set(series.tag, steps);
        const first = steps.values().next().value!;
        imageTags.push({ tag: series.tag, steps: [...steps.keys()], width: first.width, height: first.height });
      }
      if (imageTags.length === 0) continue;
      runs.set(run.run, tags);
      listed.push({ run: run.run, imageTags });
    }
    if (listed.length === 0) {
      throw new SessionError(`log folder: no logged images under ${quoteInput(logdir, 200)} (${scan.runs.length} run(s) with event files, none with an image tag)`, 'logdir');
    }
    this.runs = runs;
    return { logdir, runs: listed, warnings };
  }

  /** The first image logged for `tag` at `step` (add_images writes one grid per step), or null. */
  image(run: string, tag: string, step: number): LoggedImage | null {
    const tags = this.runs.get(run);
    if (!tags) throw new SessionError(`run: no run ${quoteInput(run, 120)} in the open log folder`, 'run');
    const steps = tags.get(tag);
    if (!steps) throw new SessionError(`tag: run ${quoteInput(run, 120)} has no image tag ${quoteInput(tag, 120)}`, 'tag');
    const s = steps.get(step);
    if (!s) return null;
    // A copy: the contract's transports may transfer or encode it, and the file's bytes stay whole.
    return { run, tag, step, png: s.images[0]!.slice(), width: s.width, height: s.height };
  }
}
