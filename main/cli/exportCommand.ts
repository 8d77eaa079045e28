import { SingleBar } from 'cli-progress';
import { mkdir } from 'node:fs/promises';
import { layerWeights, type ResolvedWeightSource } from '../../core/layerWeights';
import { checkWeightChannels } from '../../core/weightChannels';
import { CommandError, UsageError } from './cliErrors';
import { openDataset } from '../datasets/datasetSource';
import { parseExportOptions } from './exportOptions';
import { splitImages, viewStepCount } from '../session/stepBatch';
import { resolveWeightOptions } from './modelWeightOptions';
import { pngDimensions } from '../output/pngFile';
import { exportSteps } from '../session/stepExport';
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
  const inChannels = dataset.info.imageShape[0];
  const fromFile = o.weightPath
    ? await resolveWeightOptions({ weight: o.weightPath, bias: o.biasPath, noBias: !o.layer.bias }, o.layer, o.layerGiven, inChannels)
    : null;
  if (fromFile) o.layer = fromFile.layer;
  const source: ResolvedWeightSource = fromFile
    ? fromFile.source
    : o.preset
      ? { kind: 'preset', name: o.preset, seed: o.seed }
      : { kind: 'init', seed: o.seed };
  let weights;
  try {
    if (source.kind === 'npy') checkWeightChannels(source.weight.shape, o.layer, dataset.info.imageShape, source.weightName, dataset.info.title);
    weights = layerWeights(source, o.layer, inChannels);
  } catch (e) {
    throw new CommandError((e as Error).message);
  }
  const count = last - o.steps.first + 1;
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'exporting {bar} {value}/{total} steps | {eta_formatted} left', hideCursor: true, stream: process.stderr })
    : null;
  bar?.start(count, 0);
  let events: TensorboardEventFile | null = null;
  try {
    if (o.tensorboard) {
      const logdir = o.tensorboardOptions.logdir ?? o.outDir;
      await mkdir(logdir, { recursive: true });
      events = await TensorboardEventFile.create(logdir, o.steps.first);
    }
    const result = await exportSteps({
      dataset,
      view: o.view,
      layer: o.layer,
      weights,
      display: o.display,
      outDir: o.outDir,
      steps: { start: o.steps.first, end: last + 1 },
      onProgress: (done) => bar?.update(done),
      onStepPngs: events
        ? (step, pngs) => events!.addStep(step, [
            { tag: o.tensorboardOptions.tagInput, png: pngs.input, ...pngDimensions(pngs.input) },
            { tag: o.tensorboardOptions.tagOutput, png: pngs.output, ...pngDimensions(pngs.output) },
          ])
        : undefined,
    });
    await events?.commit();
    events = null;
    bar?.stop();
    const images = splitImages(dataset, o.view.split).count;
    log(`wrote ${result.files} PNG files for steps ${o.steps.first}-${last} of ${images} ${o.view.split} images (${dataset.info.title}) to ${result.dir}`);
    if (o.tensorboard) log(`TensorBoard: tensorboard --logdir ${o.tensorboardOptions.logdir ?? result.dir} --samples_per_plugin images=0 (keeps every step)`);
  } finally {
    bar?.stop();
    await events?.discard();
  }
}
