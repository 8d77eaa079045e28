import { SingleBar } from 'cli-progress';
import { layerWeights, type ResolvedWeightSource } from '../core/layerWeights';
import { parseNpy } from '../core/npy';
import { CommandError, UsageError } from './cliErrors';
import { openDataset } from './datasetSource';
import { parseExportOptions } from './exportOptions';
import { readUserFile } from './readUserFile';
import { splitRecords, viewStepCount } from './stepBatch';
import { exportSteps } from './stepExport';

export { EXPORT_USAGE } from './exportOptions';

/** `convboard export`: the seed workflow headless, writing what the app shows for each step. */
export async function runExportCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const o = parseExportOptions(argv);
  const dataset = await openDataset(o.dataPath);
  if (!dataset.records[o.view.split]) {
    throw new UsageError(`--split: ${dataset.info.source} has no '${o.view.split}' split (it has: ${Object.keys(dataset.records).join(', ')})`);
  }
  const stepTotal = viewStepCount(dataset, o.view);
  const last = o.steps.last ?? stepTotal - 1;
  if (o.steps.first >= stepTotal || last >= stepTotal) {
    throw new UsageError(`--steps: ${o.steps.first}-${last} is outside the ${stepTotal} steps of the ${o.view.split} split (0-${stepTotal - 1})`);
  }
  const source: ResolvedWeightSource = o.weightPath
    ? {
        kind: 'npy',
        weight: parseNpy(await readUserFile('--weight', o.weightPath), o.weightPath),
        weightName: o.weightPath,
        bias: o.biasPath ? parseNpy(await readUserFile('--bias', o.biasPath), o.biasPath) : null,
        biasName: o.biasPath,
      }
    : o.preset
      ? { kind: 'preset', name: o.preset, seed: o.seed }
      : { kind: 'init', seed: o.seed };
  const inChannels = dataset.info.imageShape[0];
  let weights;
  try {
    weights = layerWeights(source, o.layer, inChannels);
  } catch (e) {
    throw new CommandError((e as Error).message);
  }
  const count = last - o.steps.first + 1;
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'exporting {bar} {value}/{total} steps | {eta_formatted} left', hideCursor: true, stream: process.stderr })
    : null;
  bar?.start(count, 0);
  try {
    const result = await exportSteps({
      dataset,
      view: o.view,
      layer: o.layer,
      weights,
      display: o.display,
      outDir: o.outDir,
      steps: { start: o.steps.first, end: last + 1 },
      onProgress: (done) => bar?.update(done),
    });
    bar?.stop();
    const images = splitRecords(dataset, o.view.split).count;
    log(`wrote ${result.files} PNG files for steps ${o.steps.first}-${last} of ${images} ${o.view.split} images (${dataset.info.title}) to ${result.dir}`);
  } finally {
    bar?.stop();
  }
}
