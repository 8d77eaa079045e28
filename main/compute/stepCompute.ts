/** What a compute worker does with one request; kept apart from the worker's message loop so it is testable in-process. */
import { referenceConvEngine } from '../../core/conv2d';
import { refineNearByteBoundaries } from '../../core/byteBoundaryRefinement';
import type { ConvEngine } from '../../core/convEngine';
import type { ChannelStats } from '../../core/hostContract';
import { applyLayerPipeline } from '../../core/layerPipeline';
import { bytesToTensorData } from '../../core/toTensor';
import type { ComputeRequest, ComputeResult } from './computeProtocol';
import { renderStepPngs } from '../output/stepPngs';

/**
 * Per output channel over the whole step (all samples, all positions): min, max, mean and the
 * standard deviation with Bessel's correction, as torch.std does by default (0 for one value).
 * One pass in float64 on values shifted by the channel's first value, which keeps the
 * sum-of-squares form as accurate as two passes for float32 data (and half the cost per step).
 */
export function channelStats(output: Float32Array, n: number, c: number, plane: number): ChannelStats[] {
  const stats: ChannelStats[] = [];
  const count = n * plane;
  for (let ch = 0; ch < c; ch++) {
    const shift = output[ch * plane]!;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let sq = 0;
    for (let s = 0; s < n; s++) {
      const base = (s * c + ch) * plane;
      for (let i = base; i < base + plane; i++) {
        const v = output[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
        const d = v - shift;
        sum += d;
        sq += d * d;
      }
    }
    const mean = shift + sum / count;
    const variance = count > 1 ? Math.max(0, (sq - (sum * sum) / count) / (count - 1)) : 0;
    stats.push({ min, max, mean, std: Math.sqrt(variance) });
  }
  return stats;
}

export function computeStep(request: ComputeRequest, engine: ConvEngine): { result: ComputeResult; transfer: ArrayBuffer[] } {
  const { plan, pixels } = request;
  const inputSize = plan.n * plan.cIn * plan.h * plan.w;
  if (pixels.length !== inputSize) throw new Error(`compute: got ${pixels.length} input bytes, the plan needs ${inputSize}`);
  const weightSize = plan.cOut * (plan.cIn / plan.groups) * plan.kH * plan.kW;
  if (request.weight.length !== weightSize) throw new Error(`compute: got ${request.weight.length} weights, the plan needs ${weightSize}`);
  const started = performance.now();
  const input = new Float32Array(inputSize);
  bytesToTensorData(pixels, input);
  const convOutput = new Float32Array(plan.n * plan.cOut * plan.hOut * plan.wOut);
  engine.run(plan, input, request.weight, request.bias, convOutput);
  if (engine !== referenceConvEngine) refineNearByteBoundaries(plan, input, request.weight, request.bias, convOutput);
  const output = request.pipeline ? applyLayerPipeline(request.pipeline, convOutput).output : convOutput;
  const [, c, h, w] = request.pipeline?.outputShape ?? [plan.n, plan.cOut, plan.hOut, plan.wOut];
  // Exports write pictures only; statistics would be a quarter of their compute for nothing.
  const stats = request.mode === 'export' ? [] : channelStats(output, plan.n, c, h * w);
  let png: ComputeResult['png'] = null;
  if (request.mode === 'export') {
    if (!request.display) throw new Error('compute: export needs a display config');
    png = renderStepPngs(pixels, [plan.n, plan.cIn, plan.h, plan.w], output, [plan.n, c, h, w], request.display);
  }
  const computeMs = performance.now() - started;
  const keepOutput = request.mode === 'step';
  const result: ComputeResult = { input: pixels, output: keepOutput ? output : null, channelStats: stats, computeMs, png };
  const transfer: ArrayBuffer[] = [pixels.buffer as ArrayBuffer];
  if (keepOutput) transfer.push(output.buffer as ArrayBuffer);
  if (png) transfer.push(png.input.png.buffer as ArrayBuffer, png.output.png.buffer as ArrayBuffer);
  return { result, transfer: [...new Set(transfer)] };
}
