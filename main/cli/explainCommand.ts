import { TraceIndexError } from '../../core/convTrace';
import { planLayerPipeline } from '../../core/layerPipeline';
import { traceLayerValue } from '../../core/layerValueTrace';
import { bytesToTensorData } from '../../core/toTensor';
import { loadConvEngine } from '../compute/convEngineLoader';
import { computeStep } from '../compute/stepCompute';
import { openDataset } from '../datasets/datasetSource';
import { planLayer } from '../session/layerPlan';
import { gatherStep, viewStepCount } from '../session/stepBatch';
import { UsageError } from './cliErrors';
import { exportLayerWeights } from './exportLayerWeights';
import { explainJson, explainLines } from './explainText';
import { parseExplainOptions } from './explainOptions';

export { EXPLAIN_USAGE } from './explainOptions';

/**
 * `convboard explain`: one value of a step's output taken apart. The step is computed by the same
 * engine path as export (fast engine, byte-boundary refinement, then ReLU and pool), and that
 * engine value is what the trace reports next to its float64 sum.
 */
export async function runExplainCommand(argv: string[], log: (line: string) => void): Promise<void> {
  const o = parseExplainOptions(argv);
  const { view } = o.layer;
  const dataset = await openDataset(o.layer.dataPath);
  if (!dataset.splits[view.split]) {
    throw new UsageError(`--split: ${dataset.info.source} has no '${view.split}' split (it has: ${Object.keys(dataset.splits).join(', ')})`);
  }
  const steps = viewStepCount(dataset, view);
  if (!(o.step >= 0 && o.step < steps)) {
    throw new UsageError(`--step ${o.step} is out of range: the ${view.split} split has ${steps} steps of ${view.batchSize} (0-${steps - 1})`);
  }
  const [c, h, w] = dataset.info.imageShape;
  const weights = await exportLayerWeights(o.layer, dataset.info.imageShape, dataset.info.title);
  const layer = o.layer.layer;
  planLayer(layer, weights, [view.batchSize, c, h, w]);
  const batch = await gatherStep(dataset, view, o.step);
  const plan = planLayer(layer, weights, batch.shape);
  const pipeline = planLayerPipeline(plan, layer);

  const input = new Float32Array(batch.pixels.length);
  bytesToTensorData(batch.pixels, input);
  // The conv alone through the worker's code, so the trace can name the conv value before ReLU/pool.
  const done = computeStep(
    { mode: 'step', plan, pixels: batch.pixels.slice(), weight: weights.weight.data, bias: weights.bias },
    await loadConvEngine(),
  );
  const labels = { sample: '--sample', outChannel: '--channel', y: '--y', x: '--x' };
  let trace;
  try {
    trace = traceLayerValue(plan, pipeline, input, weights.weight.data, weights.bias, done.result.output!, o.sample, o.channel, o.y, o.x, labels);
  } catch (e) {
    if (e instanceof TraceIndexError) throw new UsageError(e.message);
    throw e;
  }
  if (o.json) {
    log(JSON.stringify(explainJson(trace)));
    return;
  }
  const image = batch.indices[o.sample]!;
  const parts = [`Conv2d(${c}, ${plan.cOut}, kernel_size=(${plan.kH}, ${plan.kW}))`];
  if (pipeline.relu) parts.push('ReLU');
  const pool = pipeline.pool;
  if (pool) {
    parts.push(`MaxPool2d(kernel_size=(${pool.kH}, ${pool.kW}), stride=(${pool.strideH}, ${pool.strideW}), padding=(${pool.padH}, ${pool.padW}), ` +
      `dilation=(${pool.dilationH}, ${pool.dilationW}), ceil_mode=${pool.ceilMode ? 'True' : 'False'})`);
  }
  const header = `step ${o.step} of the ${view.split} split, sample ${o.sample} (${view.split} image ${image}); ${parts.join(' -> ')}; output [${pipeline.outputShape.join(', ')}]`;
  for (const line of explainLines(trace, o, header, pipeline.relu)) log(line);
}
