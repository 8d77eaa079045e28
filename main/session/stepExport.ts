/**
 * Export of steps as PNG files: compute + render + write, shared by `convboard export` and the
 * app's "Export all steps", so both write identical files. Each step gives
 * DIR/input/NNNNNN.png and DIR/output/NNNNNN.png, each written atomically: an interrupted export
 * leaves only complete files.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ConvWeights } from '../../core/conv2dInit';
import type { DisplayConfig } from '../../core/displayConfig';
import type { LayerConfig, ViewConfig } from '../../core/hostContract';
import { writeFileAtomic } from '../output/atomicWrite';
import { ComputePool } from '../compute/computePool';
import type { OpenedDataset } from '../datasets/datasetSource';
import { distPath } from '../appPaths';
import { SessionError } from './hostErrors';
import { planLayerPipeline } from '../../core/layerPipeline';
import { planLayer } from './layerPlan';
import { gatherStep, viewStepCount } from './stepBatch';
import { stepPngNames } from '../output/stepPngs';

export interface ExportStepsOptions {
  dataset: OpenedDataset;
  view: ViewConfig;
  layer: LayerConfig;
  weights: ConvWeights;
  display: DisplayConfig;
  outDir: string;
  /** Steps start..end-1; default every step of the view. */
  steps?: { start: number; end: number };
  onProgress?: (done: number, total: number) => void;
  /** Called with each step's PNGs once its files are written (in completion order, not step order). */
  onStepPngs?: (step: number, pngs: { input: Uint8Array; output: Uint8Array }) => void | Promise<void>;
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

/** Throws CancelledError (computePool.ts) when aborted; files already written are complete. */
export async function exportSteps(o: ExportStepsOptions): Promise<ExportStepsResult> {
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
  for (const sub of ['input', 'output']) {
    try {
      await mkdir(join(dir, sub), { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message.split('\n')[0];
      throw new SessionError(`dir: cannot create the folder ${join(dir, sub)}: ${why}`, 'dir');
    }
  }

  const pool = o.pool ?? new ComputePool({ workerPath: o.workerPath ?? distPath('computeWorker.js'), size: o.workers ?? 2 });
  const weight = o.weights.weight.data;
  const bias = o.weights.bias;
  try {
    await pool.map(
      end - start,
      async (i) => {
        const batch = await gatherStep(o.dataset, o.view, start + i);
        const plan = planLayer(o.layer, o.weights, batch.shape);
        const pipeline = planLayerPipeline(plan, o.layer);
        return { request: { mode: 'export', plan, pipeline, pixels: batch.pixels, weight, bias, display: o.display }, transfer: [batch.pixels.buffer as ArrayBuffer] };
      },
      async (i, result) => {
        const names = stepPngNames(start + i);
        await writeFileAtomic(join(dir, names.input), result.png!.input);
        await writeFileAtomic(join(dir, names.output), result.png!.output);
        await o.onStepPngs?.(start + i, result.png!);
      },
      { signal: o.signal, onProgress: o.onProgress },
    );
  } finally {
    if (!o.pool) await pool.close();
  }
  return { dir, steps: end - start, files: 2 * (end - start) };
}
