/**
 * Export of steps as PNG files: compute + render + write, shared by `convboard export` and the
 * app's "Export all steps", so both write identical files. Each step gives
 * DIR/input/NNNNNN.png and DIR/output/NNNNNN.png, each written atomically.
 *
 * Steps are written in step order (results computed out of order wait for their predecessors), so
 * whatever stops an export leaves a complete prefix of the range and nothing else: a step whose
 * second file could not be written has its first removed, and folders the run created are
 * removed again when no step was written. The error says exactly what is left.
 */
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConvWeights } from '../../core/conv2dInit';
import type { DisplayConfig } from '../../core/displayConfig';
import type { LayerConfig, ViewConfig } from '../../core/hostContract';
import { writeFileAtomic } from '../output/atomicWrite';
import { createFolder, CreateFolderError, removeEmptyFolders } from '../output/createFolder';
import { CancelledError } from '../compute/cancelledError';
import { ComputePool } from '../compute/computePool';
import type { ComputeResult } from '../compute/computeProtocol';
import type { OpenedDataset } from '../datasets/datasetSource';
import { distPath } from '../appPaths';
import { SessionError } from './hostErrors';
import { planLayerPipeline } from '../../core/layerPipeline';
import { planLayer } from './layerPlan';
import { gatherStep, viewStepCount } from './stepBatch';
import { stepPngNames, type EncodedGrid } from '../output/stepPngs';

export interface ExportStepsOptions {
  dataset: OpenedDataset;
  view: ViewConfig;
  layer: LayerConfig;
  weights: ConvWeights;
  display: DisplayConfig;
  outDir: string;
  /** Steps start..end-1; default every step of the view. */
  steps?: { start: number; end: number };
  /** Replace PNGs that were in the folder before this run; without it such a file refuses the export. */
  overwrite?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Called with each step's PNGs once its files are written, in step order. */
  onStepPngs?: (step: number, pngs: { input: EncodedGrid; output: EncodedGrid }) => void | Promise<void>;
  signal?: AbortSignal;
  /** A pool to reuse; by default a pool of `workers` (2) is started and closed. */
  pool?: ComputePool;
  workers?: number;
  workerPath?: string;
}

export interface ExportStepsResult {
  dir: string;
  /** Steps written. */
  steps: number;
  /** PNG files written (two per step). */
  files: number;
}

/** The folder holds a file this run would replace, and overwriting was not asked for. */
export class ExportConflictError extends SessionError {
  constructor(readonly path: string, overwriteHint: string) {
    super(`${path} already exists; nothing was written (${overwriteHint} to replace existing files)`, 'dir');
  }
}

/** An export that stopped early (cancelled or failed); the message says what it left. */
export class ExportStoppedError extends SessionError {
  constructor(message: string, readonly cancelled: boolean, readonly written: { first: number; last: number } | null) {
    super(message, null);
  }
}

function leftText(written: { first: number; last: number } | null): string {
  if (written === null) return 'nothing was written';
  const range = written.first === written.last ? `step ${written.first}` : `steps ${written.first}-${written.last}`;
  return `files for ${range} are complete, nothing else was written`;
}

/** Names of entries already in `folder` (none when it does not exist). */
async function existingNames(folder: string): Promise<Set<string>> {
  try {
    return new Set(await fsp.readdir(folder));
  } catch {
    return new Set();
  }
}

export async function exportSteps(o: ExportStepsOptions & { overwriteHint?: string }): Promise<ExportStepsResult> {
  const stepTotal = viewStepCount(o.dataset, o.view);
  const start = o.steps?.start ?? 0;
  const end = o.steps?.end ?? stepTotal;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > stepTotal || start >= end) {
    throw new SessionError(`steps: ${start}..${end - 1} is not within the ${stepTotal} steps (0 to ${stepTotal - 1})`, 'steps');
  }
  const dir = resolve(o.outDir);
  // Plan the full batch up front so a layer that cannot run fails before any file is written.
  const [c, h, w] = o.dataset.info.imageShape;
  planLayer(o.layer, o.weights, [o.view.batchSize, c, h, w]);
  if (o.signal?.aborted) throw new ExportStoppedError('export cancelled before it started; nothing was written', true, null);

  if (!o.overwrite) {
    const present = { input: await existingNames(join(dir, 'input')), output: await existingNames(join(dir, 'output')) };
    for (let s = start; s < end; s++) {
      const names = stepPngNames(s);
      for (const name of [names.input, names.output]) {
        const [sub, file] = name.split('/') as ['input' | 'output', string];
        if (present[sub].has(file)) throw new ExportConflictError(join(dir, name), o.overwriteHint ?? 'pass overwrite');
      }
    }
  }

  const created: string[] = [];
  try {
    for (const sub of ['input', 'output']) created.push(...(await createFolder(join(dir, sub))));
  } catch (e) {
    await removeEmptyFolders(created);
    if (e instanceof CreateFolderError) throw new SessionError(`dir: ${e.message}`, 'dir');
    throw e;
  }

  const pool = o.pool ?? new ComputePool({ workerPath: o.workerPath ?? distPath('computeWorker.js'), size: o.workers ?? 2 });
  const weight = o.weights.weight.data;
  const bias = o.weights.bias;
  const waiting = new Map<number, ComputeResult>();
  let nextToWrite = start;
  let writing: Promise<void> = Promise.resolve();

  // One writer: steps go to disk strictly in order, so an early stop leaves a prefix with no hole.
  const writeReady = async (): Promise<void> => {
    while (waiting.has(nextToWrite)) {
      if (o.signal?.aborted) return;
      const step = nextToWrite;
      const png = waiting.get(step)!.png!;
      waiting.delete(step);
      const names = stepPngNames(step);
      await writeFileAtomic(join(dir, names.input), png.input.png);
      try {
        await writeFileAtomic(join(dir, names.output), png.output.png);
      } catch (e) {
        await fsp.unlink(join(dir, names.input)).catch(() => undefined);
        throw e;
      }
      nextToWrite = step + 1;
      o.onProgress?.(nextToWrite - start, end - start);
      await o.onStepPngs?.(step, png);
    }
  };

  try {
    o.onProgress?.(0, end - start);
    await pool.map(
      end - start,
      async (i) => {
        const batch = await gatherStep(o.dataset, o.view, start + i);
        const plan = planLayer(o.layer, o.weights, batch.shape);
        const pipeline = planLayerPipeline(plan, o.layer);
        return { request: { mode: 'export', plan, pipeline, pixels: batch.pixels, weight, bias, display: o.display }, transfer: [batch.pixels.buffer as ArrayBuffer] };
      },
      async (i, result) => {
        waiting.set(start + i, result);
        writing = writing.then(writeReady);
        await writing;
      },
      { signal: o.signal },
    );
    if (nextToWrite < end && o.signal?.aborted) throw new CancelledError();
  } catch (e) {
    await writing.catch(() => undefined);
    const written = nextToWrite > start ? { first: start, last: nextToWrite - 1 } : null;
    if (written === null) await removeEmptyFolders(created);
    const cancelled = e instanceof CancelledError || o.signal?.aborted === true;
    const what = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    const head = cancelled
      ? written ? `export cancelled after ${written.first === written.last ? `step ${written.first}` : `steps ${written.first}-${written.last}`}` : 'export cancelled before any step was written'
      : `export failed at step ${nextToWrite}: ${what}`;
    throw new ExportStoppedError(`${head}; ${leftText(written)}`, cancelled, written);
  } finally {
    if (!o.pool) await pool.close();
  }
  return { dir, steps: end - start, files: 2 * (end - start) };
}
