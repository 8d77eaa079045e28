import { conv2dPlanned } from '../../core/conv2d';
import type { Conv2dPlan } from '../../core/conv2dOptions';
import { traceConv2dValue } from '../../core/convTrace';
import { planLayerConv2d } from '../../core/layerPlan';
import { planLayerPipeline } from '../../core/layerPipeline';
import { type LayerValueTrace, traceLayerValue } from '../../core/layerValueTrace';
import type { StepLayer } from './stepTensors';

/** One element y[sample, channel, y, x] of the step's output (the pooled output when the layer pools). */
export interface OutputPosition {
  sample: number;
  channel: number;
  y: number;
  x: number;
}

export interface SelectedTrace {
  readonly position: OutputPosition;
  /** The conv plan of the traced sample's image (n = 1 when the layer pools, else the step's). */
  readonly plan: Conv2dPlan;
  /** Floats the plan indexes (one image when the layer pools). */
  readonly input: Float32Array;
  readonly sample: number;
  readonly trace: LayerValueTrace;
  /** What the output card shows at the position. */
  readonly shown: number;
}

let last: { step: StepLayer; key: string; value: SelectedTrace } | null = null;

/**
 * The trace of one output element, computed once for the panel and the input card's marks. With a
 * pool the step holds no conv output, so the traced image's conv is recomputed here by the
 * reference engine (float64 sums, rounded once) to find the window's winner.
 */
export function selectedTrace(step: StepLayer, position: OutputPosition): SelectedTrace {
  const key = `${position.sample},${position.channel},${position.y},${position.x}`;
  if (last && last.step.result === step.result && last.step.layer === step.layer && last.key === key) return last.value;
  const { result, layer, plan, pipeline, input } = step;
  const [, c, oh, ow] = result.outputShape;
  const shown = result.output[((position.sample * c + position.channel) * oh + position.y) * ow + position.x]!;
  let value: SelectedTrace;
  if (!pipeline.pool && !pipeline.relu) {
    // The step's own output is the conv's: trace against the engine's value.
    const conv = traceConv2dValue(plan, input, layer.weight, layer.bias, position.sample, position.channel, position.y, position.x, shown);
    value = { position, plan, input, sample: position.sample, shown, trace: { value: shown, convY: position.y, convX: position.x, conv, relu: null, pool: null } };
  } else {
    const [, cIn, h, w] = result.inputShape;
    const image = input.subarray(position.sample * cIn * h * w, (position.sample + 1) * cIn * h * w);
    const one = planLayerConv2d(layer.config, layer.weightShape, layer.bias !== null, [1, cIn, h, w]);
    const convOutput = new Float32Array(one.cOut * one.hOut * one.wOut);
    conv2dPlanned(one, image, layer.weight, layer.bias, convOutput);
    const trace = traceLayerValue(one, planLayerPipeline(one, layer.config), image, layer.weight, layer.bias, convOutput, 0, position.channel, position.y, position.x);
    value = { position, plan: one, input: image, sample: 0, shown, trace };
  }
  last = { step, key, value };
  return value;
}
