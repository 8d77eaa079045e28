/** Messages between the session (main thread) and a compute worker. Big arrays are transferred, not copied. */
import type { Conv2dPlan } from '../../core/conv2dOptions';
import type { DisplayConfig } from '../../core/displayConfig';
import type { ChannelStats } from '../../core/hostContract';
import type { LayerPipelinePlan } from '../../core/layerPipeline';
import type { EncodedGrid } from '../output/stepPngs';

/**
 * 'step': everything the page shows; 'stats': only per-channel stats (the dataset-wide pass needs
 * no activations back); 'export': the step's two PNGs, rendered and encoded off the main thread.
 */
export type ComputeMode = 'step' | 'stats' | 'export';

export interface ComputeRequest {
  mode: ComputeMode;
  plan: Conv2dPlan;
  /** [plan.n, plan.cIn, plan.h, plan.w] bytes as stored; ToTensor runs in the worker. */
  pixels: Uint8Array;
  weight: Float32Array;
  bias: Float32Array | null;
  /** Required for 'export'. */
  display?: DisplayConfig;
  /** ReLU and pool after the conv; absent: the conv's output is the result. */
  pipeline?: LayerPipelinePlan;
}

export interface ComputeResult {
  /** The request's pixels, handed back (they were transferred to the worker). */
  input: Uint8Array;
  /** The final activations (pipeline.outputShape, else [n, cOut, hOut, wOut]); null unless mode is 'step'. */
  output: Float32Array | null;
  channelStats: ChannelStats[];
  computeMs: number;
  png: { input: EncodedGrid; output: EncodedGrid } | null;
}

export type WorkerInbound = { id: number; request: ComputeRequest };
export type WorkerOutbound = { id: number; ok: true; result: ComputeResult } | { id: number; ok: false; message: string };
