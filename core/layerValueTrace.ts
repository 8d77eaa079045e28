// One value of the layer's final output (conv, then optional ReLU and max pool) taken apart: which
// pooling window and element it came from, and the multiplies behind that conv value.
import type { Conv2dPlan } from './conv2dOptions';
import { type ConvValueTrace, TraceDataError, TraceIndexError, type TraceIndexLabels, traceConv2dValue } from './convTrace';
import { type LayerPipelinePlan, relu, reluInPlace } from './layerPipeline';
import { type PooledValueTrace, PoolTraceIndexError, tracePooledValue } from './maxPool2d';

export interface LayerValueTrace {
  /** The value of the final output at the asked position (the pooled value with a pool). */
  readonly value: number;
  /** The conv output position traced: the asked one, or the pool window's winner. Null when the window covers padding only. */
  readonly convY: number | null;
  readonly convX: number | null;
  /** The conv value's taps, with the engine's conv value (before ReLU); null when no conv value won. */
  readonly conv: ConvValueTrace | null;
  /** With ReLU: relu of the conv value. */
  readonly relu: { readonly value: number } | null;
  /** With a pool: the window over the (ReLU'd) conv output and its winner. */
  readonly pool: PooledValueTrace | null;
}

/**
 * convOutput is the engine's conv output for the whole step, before ReLU; the final output is
 * derived here exactly as the compute step derives it, so the traced value is the shown value.
 */
export function traceLayerValue(
  conv: Conv2dPlan,
  pipeline: LayerPipelinePlan,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | null,
  convOutput: Float32Array,
  sample: number,
  channel: number,
  y: number,
  x: number,
  labels: TraceIndexLabels = {},
): LayerValueTrace {
  const plane = conv.hOut * conv.wOut;
  const at = (cy: number, cx: number) => (sample * conv.cOut + channel) * plane + cy * conv.wOut + cx;
  if (convOutput.length !== conv.n * conv.cOut * plane) {
    throw new TraceDataError(`conv output has ${convOutput.length} values but the layer needs ${conv.n * conv.cOut * plane}`);
  }
  if (!pipeline.pool) {
    // The trace checks the indices before it uses the engine's value.
    const t = traceConv2dValue(conv, input, weight, bias, sample, channel, y, x, convOutput[at(y, x)], labels);
    const reluValue = pipeline.relu ? { value: relu(t.value) } : null;
    return { value: reluValue?.value ?? t.value, convY: y, convX: x, conv: t, relu: reluValue, pool: null };
  }
  const activated = pipeline.relu ? convOutput.slice() : convOutput;
  if (pipeline.relu) reluInPlace(activated);
  let pool: PooledValueTrace;
  try {
    pool = tracePooledValue(pipeline.pool, activated, sample, channel, y, x, { sample: labels.sample, channel: labels.outChannel, y: labels.y, x: labels.x });
  } catch (e) {
    // One error class for index mistakes, whichever part of the layer they index.
    if (e instanceof PoolTraceIndexError) throw new TraceIndexError(e.message);
    throw e;
  }
  if (pool.winner < 0) return { value: pool.value, convY: null, convX: null, conv: null, relu: null, pool };
  const won = pool.elements[pool.winner]!;
  const t = traceConv2dValue(conv, input, weight, bias, sample, channel, won.iy, won.ix, convOutput[at(won.iy, won.ix)]);
  return { value: pool.value, convY: won.iy, convX: won.ix, conv: t, relu: pipeline.relu ? { value: relu(t.value) } : null, pool };
}
