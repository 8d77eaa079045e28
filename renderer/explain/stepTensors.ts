import type { Conv2dPlan } from '../../core/conv2dOptions';
import type { LayerState, StepResult } from '../../core/hostContract';
import { planLayerConv2d } from '../../core/layerPlan';
import { type LayerPipelinePlan, planLayerPipeline } from '../../core/layerPipeline';
import { bytesToTensorData } from '../../core/toTensor';

/** A step's input as the layer sees it (ToTensor floats), with the layer's plan on it. */
export interface StepLayer {
  readonly result: StepResult;
  readonly layer: LayerState;
  readonly plan: Conv2dPlan;
  /** ReLU and max pool after the conv; its outputShape is what the step holds. */
  readonly pipeline: LayerPipelinePlan;
  readonly input: Float32Array;
}

const inputCache = new WeakMap<StepResult, Float32Array>();

/** ToTensor of the step's bytes, computed once per step result. */
export function stepInputFloats(result: StepResult): Float32Array {
  let floats = inputCache.get(result);
  if (!floats) {
    floats = new Float32Array(result.input.length);
    bytesToTensorData(result.input, floats);
    inputCache.set(result, floats);
  }
  return floats;
}

/** Why a step and a layer cannot be explained together (one line), or null when they fit. */
export type StepLayerMatch = { ok: true; value: StepLayer } | { ok: false; reason: string };

/**
 * Pairs a step with the layer that produced it. Right after a layer change the page may still hold
 * the previous step's output: that pair is reported as stale instead of traced against the wrong layer.
 */
export function matchStepLayer(result: StepResult | null, layer: LayerState | null): StepLayerMatch {
  if (!result || !layer) return { ok: false, reason: 'Waiting for a step and a layer…' };
  let plan: Conv2dPlan;
  let pipeline: LayerPipelinePlan;
  try {
    plan = planLayerConv2d(layer.config, layer.weightShape, layer.bias !== null, result.inputShape);
    pipeline = planLayerPipeline(plan, layer.config);
  } catch (e) {
    return { ok: false, reason: `The layer does not run on this step: ${e instanceof Error ? e.message : String(e)}` };
  }
  const made = pipeline.outputShape;
  if (made.join() !== result.outputShape.join()) {
    return { ok: false, reason: `The step shown has output [${result.outputShape.join(', ')}], the layer makes [${made.join(', ')}]: waiting for the next step…` };
  }
  return { ok: true, value: { result, layer, plan, pipeline, input: stepInputFloats(result) } };
}
