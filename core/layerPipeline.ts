// What follows the conv in the layer: nn.ReLU and nn.MaxPool2d, planned on the conv's output shape
// so a pool PyTorch would refuse is refused before any work.
import type { Conv2dPlan } from './conv2dOptions';
import type { LayerConfig, PoolConfig } from './layerConfig';
import { MaxPool2dError, type MaxPool2dPlan, maxPool2dPlanned, planMaxPool2d } from './maxPool2d';

export interface LayerPipelinePlan {
  readonly relu: boolean;
  readonly pool: MaxPool2dPlan | null;
  /** The conv's output, [n, cOut, hOut, wOut]. */
  readonly convShape: [number, number, number, number];
  /** What the layer hands on (and the output card shows): the pooled shape, or the conv's. */
  readonly outputShape: [number, number, number, number];
}

/** A pool PyTorch refuses for this conv output: PyTorch's message, marked as the pool's. */
export class PoolLayerError extends Error {
  override readonly name = 'PoolLayerError';
}

export function planLayerPipeline(conv: Conv2dPlan, config: Pick<LayerConfig, 'relu' | 'pool'>): LayerPipelinePlan {
  const convShape: [number, number, number, number] = [conv.n, conv.cOut, conv.hOut, conv.wOut];
  const pool = config.pool ? planPool(convShape, config.pool) : null;
  return {
    relu: config.relu === true,
    pool,
    convShape,
    outputShape: pool ? [pool.n, pool.c, pool.hOut, pool.wOut] : convShape,
  };
}

function planPool(shape: [number, number, number, number], pool: PoolConfig): MaxPool2dPlan {
  try {
    return planMaxPool2d(shape, {
      kernelSize: pool.kernelSize,
      stride: pool.stride,
      padding: pool.padding,
      dilation: pool.dilation,
      ceilMode: pool.ceilMode,
    });
  } catch (e) {
    if (e instanceof MaxPool2dError) throw new PoolLayerError(`pool: ${e.message}`);
    throw e;
  }
}

/** torch.relu of one value: negatives (and -0) become 0, NaN stays NaN. */
export function relu(v: number): number {
  return v > 0 || v !== v ? v : 0;
}

export function reluInPlace(data: Float32Array): void {
  for (let i = 0; i < data.length; i++) data[i] = relu(data[i]!);
}

/**
 * The conv output through ReLU (in place) and the pool. Returns the final activations and, with a
 * pool, PyTorch's return_indices (flat h*W + w within each plane of the conv output).
 */
export function applyLayerPipeline(plan: LayerPipelinePlan, convOutput: Float32Array): { output: Float32Array; indices: Int32Array | null } {
  const [n, c, h, w] = plan.convShape;
  if (convOutput.length !== n * c * h * w) throw new Error(`layer pipeline: got ${convOutput.length} conv outputs, the plan needs ${n * c * h * w}`);
  if (plan.relu) reluInPlace(convOutput);
  if (!plan.pool) return { output: convOutput, indices: null };
  const size = plan.outputShape.reduce((a, b) => a * b, 1);
  const output = new Float32Array(size);
  const indices = new Int32Array(size);
  maxPool2dPlanned(plan.pool, convOutput, output, indices);
  return { output, indices };
}

/**
 * One line per spatial dimension, as PyTorch's pooling_output_shape computes it; with ceil_mode the
 * division rounds up, and a last region starting past the input and its left padding is dropped.
 */
export function poolOutputSizeFormula(length: number, pad: number, dilation: number, kernel: number, stride: number, ceilMode: boolean): string {
  const numerator = length + 2 * pad - dilation * (kernel - 1) - 1;
  const rounded = Math.floor((numerator + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  const text = `${ceilMode ? 'ceil' : 'floor'}((${length} + 2*${pad} - ${dilation}*(${kernel}-1) - 1) / ${stride}) + 1`;
  if (ceilMode && (rounded - 1) * stride >= length + pad) {
    return `${text} = ${rounded}, less one: the last pooling region would start past the input = ${rounded - 1}`;
  }
  return `${text} = ${rounded}`;
}

export function poolFormulas(pool: MaxPool2dPlan): { h: string; w: string } {
  return {
    h: poolOutputSizeFormula(pool.h, pool.padH, pool.dilationH, pool.kH, pool.strideH, pool.ceilMode),
    w: poolOutputSizeFormula(pool.w, pool.padW, pool.dilationW, pool.kW, pool.strideW, pool.ceilMode),
  };
}
