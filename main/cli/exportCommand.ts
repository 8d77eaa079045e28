import { SingleBar } from 'cli-progress';
import { CommandError, UsageError } from './cliErrors';
import { createFolder } from '../output/createFolder';
import { openDataset } from '../datasets/datasetSource';
import { parseExportOptions } from './exportOptions';
import { exportLayerWeights } from './exportLayerWeights';
import { planLayer } from '../session/layerPlan';
import { splitImages, viewStepCount } from '../session/stepBatch';
import { exportSteps } from '../session/stepExport';
import { LayerBudgetError, planLayerWithinBudget } from '../session/layerBudget';
import { TensorboardEventFile } from '../output/tensorboardEventFile';

export { EXPORT_USAGE } from './exportOptions';

/** `convboard export`: the seed workflow headless, writing what the app shows for each step. */
export async function runExportCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const o = parseExportOptions(argv);
  const dataset = await openDataset(o.dataPath, { transform: o.transform });
  if (!dataset.splits[o.view.split]) {
    throw new UsageError(`--split: ${dataset.info.source} has no '${o.view.split}' split (it has: ${Object.keys(dataset.splits).join(', ')})`);
  }
  const stepTotal = viewStepCount(dataset, o.view);
  const last = o.steps.last ?? stepTotal - 1;
  if (o.steps.first >= stepTotal || last >= stepTotal) {
    throw new UsageError(`--steps: ${o.steps.first}-${last} is outside the ${stepTotal} steps of the ${o.view.split} split (0-${stepTotal - 1})`);
  }
  // Planned from shapes before any weight, buffer or folder exists; again once a model file has
  // fixed the layer, with the ReLU and pool refused as PyTorch would.
  const budget = () => {
    try {
      planLayerWithinBudget(o.layer, [o.view.batchSize, ...dataset.info.imageShape], { allowLarge: o.allowLarge, overrideHint: 'pass --allow-large' });
    } catch (e) {
      if (e instanceof LayerBudgetError) throw new UsageError(e.message);
      throw new CommandError((e as Error).message);
    }
  };
  budget();
  const [c, h, w] = dataset.info.imageShape;
  const weights = await exportLayerWeights(o, dataset.info.imageShape, dataset.info.title);
  budget();
  planLayer(o.layer, weights, [o.view.batchSize, c, h, w]);
  const count = last - o.steps.first + 1;
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'exporting {bar} {value}/{total} steps | {eta_formatted} left', hideCursor: true, stream: process.stderr })
    : null;
  bar?.start(count, 0);
  let events: TensorboardEventFile | null = null;
  // Ctrl+C stops the export cleanly: the error then says which steps are on disk.
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const result = await exportSteps({
      dataset,
      view: o.view,
      layer: o.layer,
      weights,
      display: o.display,
      outDir: o.outDir,
      steps: { start: o.steps.first, end: last + 1 },
      overwrite: o.overwrite,
      overwriteHint: 'pass --overwrite',
      signal: controller.signal,
      onProgress: (done) => bar?.update(done),
      // The events file is started with the first written step, so a refused export creates nothing.
      onStepPngs: o.tensorboard
        ? async (step, pngs) => {
            if (!events) {
              const logdir = o.tensorboardOptions.logdir ?? o.outDir;
              await createFolder(logdir);
              events = await TensorboardEventFile.create(logdir, o.steps.first);
            }
            await events.addStep(step, [
              { tag: o.tensorboardOptions.tagInput, png: pngs.input.png, width: pngs.input.width, height: pngs.input.height },
              { tag: o.tensorboardOptions.tagOutput, png: pngs.output.png, width: pngs.output.width, height: pngs.output.height },
            ]);
          }
        : undefined,
    });
    await (events as TensorboardEventFile | null)?.commit();
    events = null;
    bar?.stop();
    const images = splitImages(dataset, o.view.split).count;
    log(`wrote ${result.files} PNG files for steps ${o.steps.first}-${last} of ${images} ${o.view.split} images (${dataset.info.title}) to ${result.dir}`);
    if (o.tensorboard) log(`TensorBoard: tensorboard --logdir ${o.tensorboardOptions.logdir ?? result.dir} --samples_per_plugin images=0 (keeps every step)`);
  } finally {
    process.off('SIGINT', onInterrupt);
    bar?.stop();
    await (events as TensorboardEventFile | null)?.discard();
  }
}
