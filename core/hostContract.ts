/**
 * The one contract between the page and the back end. Both transports (Electron IPC via the
 * preload, and HTTP for browser mode) carry exactly these requests and results; the session
 * service in main/ implements `HostApi`, and the renderer knows nothing else of the back end.
 */
import type { DisplayConfig } from './displayConfig';
import type { PaddingMode } from './conv2dOptions';

export type Split = 'train' | 'test';

export interface DatasetInfo {
  /** Shown in the title bar and data panel, e.g. "CIFAR-10 (test_batch.bin)" or "Synthetic sample". */
  title: string;
  format: 'cifar-10' | 'cifar-100';
  /** True for the embedded sample: the UI marks it as synthetic wherever it is shown. */
  synthetic: boolean;
  /** Path of what was opened, or '(embedded sample)'. */
  source: string;
  splits: { split: Split; count: number }[];
  classNames: string[];
  /** Per split, images per class, indexed like classNames. */
  classCounts: Partial<Record<Split, number[]>>;
  imageShape: [number, number, number];
}

export interface LayerConfig {
  outChannels: number;
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number] | 'same' | 'valid';
  dilation: [number, number];
  groups: number;
  bias: boolean;
  paddingMode: PaddingMode;
}

export type WeightSource =
  | { kind: 'init'; seed: number }
  | { kind: 'preset'; name: string; seed: number }
  /** .npy bytes read by the page from a file the user picked; names are for messages only. */
  | { kind: 'npy'; weight: Uint8Array; weightName: string; bias: Uint8Array | null; biasName: string | null };

export interface LayerState {
  config: LayerConfig;
  weightShape: [number, number, number, number];
  /** e.g. "nn.Conv2d default init, seed 0" or "preset sobel-x" or "weight.npy + bias.npy". */
  weightDescription: string;
  /** The output shape for a full batch of the current view. */
  outputShape: [number, number, number, number];
  /** One line per spatial dimension: floor((H + p0 + p1 - d*(k-1) - 1) / s) + 1 = H_out. */
  formulas: { h: string; w: string };
  /** The weights themselves (C_out*C_in/g*kH*kW floats) for the kernel view. */
  weight: Float32Array;
  bias: Float32Array | null;
}

export interface ViewConfig {
  split: Split;
  batchSize: number;
  dropLast: boolean;
  shuffle: boolean;
  shuffleSeed: number;
}

export interface StepRequest {
  view: ViewConfig;
  step: number;
}

export interface ChannelStats {
  min: number;
  max: number;
  mean: number;
  std: number;
}

export interface StepResult {
  step: number;
  stepCount: number;
  /** Dataset indices of the images in this step. */
  indices: Uint32Array;
  /** [N, 3, 32, 32] bytes exactly as stored (ToTensor divides by 255). */
  inputShape: [number, number, number, number];
  input: Uint8Array;
  labels: Uint16Array;
  outputShape: [number, number, number, number];
  output: Float32Array;
  channelStats: ChannelStats[];
  /** Milliseconds spent in the compute worker, for the status bar. */
  computeMs: number;
}

export interface StatsRequest {
  view: ViewConfig;
}

export interface StatsResult {
  /** Per step, per output channel: mean and std over that step's activations. */
  steps: { mean: number[]; std: number[] }[];
}

export interface ExportStepRequest {
  view: ViewConfig;
  step: number;
  display: DisplayConfig;
}

export interface PngFile {
  name: string;
  bytes: Uint8Array;
}

export interface ExportAllRequest {
  view: ViewConfig;
  display: DisplayConfig;
  /** Folder to write into; the Electron host asks with a dialog when absent. */
  dir: string | null;
}

export interface ExportAllResult {
  dir: string;
  files: number;
}

export type JobKind = 'stats' | 'exportAll';

export interface JobStatus<T> {
  id: string;
  kind: JobKind;
  done: number;
  total: number;
  state: 'running' | 'finished' | 'failed' | 'cancelled';
  error: string | null;
  result: T | null;
}

/** A user-facing failure: one line; `field` names the layer/view field at fault when there is one. */
export interface HostErrorInfo {
  message: string;
  field: string | null;
}

/** Every request the page can make, by name: arguments and result. */
export interface HostRequests {
  getDataset: { args: Record<string, never>; result: DatasetInfo };
  /** Electron only shows a dialog when path is null; browser mode requires a path. */
  openDataset: { args: { path: string | null }; result: DatasetInfo };
  getLayer: { args: Record<string, never>; result: LayerState };
  setLayer: { args: { config: LayerConfig }; result: LayerState };
  setWeights: { args: { source: WeightSource }; result: LayerState };
  listPresets: { args: Record<string, never>; result: { names: string[] } };
  getStep: { args: StepRequest; result: StepResult };
  exportStep: { args: ExportStepRequest; result: { input: PngFile; output: PngFile; savedTo: string | null } };
  startStats: { args: StatsRequest; result: { jobId: string } };
  startExportAll: { args: ExportAllRequest; result: { jobId: string } };
  getJob: { args: { jobId: string }; result: JobStatus<StatsResult | ExportAllResult> };
  cancelJob: { args: { jobId: string }; result: { cancelled: boolean } };
}

export type HostRequestName = keyof HostRequests;
export const HOST_REQUEST_NAMES: readonly HostRequestName[] = [
  'getDataset', 'openDataset', 'getLayer', 'setLayer', 'setWeights', 'listPresets', 'getStep',
  'exportStep', 'startStats', 'startExportAll', 'getJob', 'cancelJob',
];

export type HostArgs<K extends HostRequestName> = HostRequests[K]['args'];
export type HostResult<K extends HostRequestName> = HostRequests[K]['result'];

/** The result envelope both transports carry: never a stack trace, always one line. */
export type HostResponse<K extends HostRequestName> = { ok: true; value: HostResult<K> } | { ok: false; error: HostErrorInfo };

/** What the renderer depends on; implemented over IPC (Electron) and HTTP (browser mode). */
export interface Host {
  request<K extends HostRequestName>(name: K, args: HostArgs<K>): Promise<HostResult<K>>;
  readonly kind: 'electron' | 'browser';
}

/** Thrown by Host.request when the back end answers with an error. */
export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(readonly info: HostErrorInfo) {
    super(info.message);
  }
}

/** The defaults shared by the CLI and the app: `convboard export` with no options writes what the app first shows. */
export const DEFAULT_LAYER: LayerConfig = {
  outChannels: 6,
  kernelSize: [3, 3],
  stride: [1, 1],
  padding: [0, 0],
  dilation: [1, 1],
  groups: 1,
  bias: true,
  paddingMode: 'zeros',
};
export const DEFAULT_SEED = 0;
export const DEFAULT_VIEW: ViewConfig = { split: 'test', batchSize: 64, dropLast: false, shuffle: false, shuffleSeed: 0 };
