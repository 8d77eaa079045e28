/**
 * The one contract between the page and the back end. Both transports (Electron IPC via the
 * preload, and HTTP for browser mode) carry exactly these requests and results; the session
 * service in main/ implements `HostApi`, and the renderer knows nothing else of the back end.
 */
import type { HostArgs, HostRequestName } from './hostSchemas';
import type { LayerConfig } from './layerConfig';
import type { Split } from './viewConfig';

// The argument types come from the schemas (hostSchemas.ts and the config modules); re-exported
// here so the contract reads as one place.
export type { DisplayConfig } from './displayConfig';
export type { HostArgs, HostRequestName } from './hostSchemas';
export { HOST_REQUEST_NAMES } from './hostSchemas';
export { DEFAULT_LAYER, DEFAULT_SEED, type LayerConfig } from './layerConfig';
export { DEFAULT_VIEW, type Split, type ViewConfig } from './viewConfig';
export type { WeightSource } from './weightSource';
import type { OnnxConvAttributes } from './modelFile';

/** What a dataset was read as: CIFAR's batches, an MNIST-family idx pair, or an ImageFolder tree. */
export type DatasetFormat = 'cifar-10' | 'cifar-100' | 'mnist' | 'fashion-mnist' | 'kmnist' | 'emnist' | 'image-folder';

export interface DatasetInfo {
  /** Shown in the title bar and data panel, e.g. "CIFAR-10 (test_batch.bin)" or "Synthetic sample". */
  title: string;
  format: DatasetFormat;
  /** True for the embedded sample: the UI marks it as synthetic wherever it is shown. */
  synthetic: boolean;
  /** Path of what was opened, or '(embedded sample)'. */
  source: string;
  splits: { split: Split; count: number }[];
  classNames: string[];
  /** Per split, images per class, indexed like classNames. */
  classCounts: Partial<Record<Split, number[]>>;
  /** [C, H, W] of every image: C is 1 (idx, grey) or 3 (CIFAR, ImageFolder's RGB); any H, W. */
  imageShape: [number, number, number];
}

/**
 * The source of the weights in use. seed: the init or preset seed (null for files); name: the preset,
 * or the file and tensor names as the description shows them (null for init). fallback: when the
 * chosen source stopped fitting the layer and default init stands in, what was chosen and why.
 */
export interface LayerWeightSource {
  kind: 'init' | 'preset' | 'npy' | 'model';
  seed: number | null;
  name: string | null;
  fallback: { wanted: string; why: string } | null;
}

export interface LayerState {
  config: LayerConfig;
  weightShape: [number, number, number, number];
  /** e.g. "nn.Conv2d default init, seed 0", "preset sobel-x", "weight.npy + bias.npy" or "model.pt : conv1.weight + conv1.bias". */
  weightDescription: string;
  /** Where the weights in use come from, as data (the page fills its weight fields from it). */
  source: LayerWeightSource;
  /** The weights themselves (C_out*C_in/g*kH*kW floats) for the kernel view. */
  weight: Float32Array;
  bias: Float32Array | null;
}

export type StepRequest = HostArgs<'getStep'>;

export interface ChannelStats {
  min: number;
  max: number;
  mean: number;
  std: number;
}

/** One tensor of a model file, as listModelTensors answers, with whether it can be the layer's weight. */
export interface ModelTensorEntry {
  name: string;
  shape: number[];
  /** torch's dtype names: float32, float16, bfloat16, float64, int64, ... */
  dtype: string;
  /** ONNX only: the Conv node using this tensor as its weight (strides, pads [top, left, bottom, right], dilations, group). */
  conv?: OnnxConvAttributes;
  /** The bias a 4-D weight pairs with (`x.bias` beside `x.weight`, or the ONNX Conv's third input), else null. */
  pairedBias: string | null;
  /** Usable as the layer's weight for images of the open dataset's channel count. */
  fits: boolean;
  /** Why it does not fit, in one line (null when it fits). */
  why: string | null;
}

export interface ModelTensorTable {
  format: 'pytorch' | 'safetensors' | 'npz' | 'onnx';
  tensors: ModelTensorEntry[];
}

export interface StepResult {
  step: number;
  stepCount: number;
  /** Dataset indices of the images in this step. */
  indices: Uint32Array;
  /** [N, C, H, W] bytes exactly as stored or decoded (ToTensor divides by 255); C, H, W from DatasetInfo.imageShape. */
  inputShape: [number, number, number, number];
  input: Uint8Array;
  labels: Uint16Array;
  outputShape: [number, number, number, number];
  output: Float32Array;
  channelStats: ChannelStats[];
  /** Milliseconds spent in the compute worker, for the status bar. */
  computeMs: number;
}

export type StatsRequest = HostArgs<'startStats'>;

export interface StatsResult {
  /** Per step, per output channel: mean and std over that step's activations. */
  steps: { mean: number[]; std: number[] }[];
}

export type ExportStepRequest = HostArgs<'exportStep'>;

export interface PngFile {
  name: string;
  bytes: Uint8Array;
}

export type ExportAllRequest = HostArgs<'startExportAll'>;

export interface ExportAllResult {
  dir: string;
  files: number;
}

export interface DownloadResult {
  /** What the session opened once the files were there. */
  dataset: DatasetInfo;
  openPath: string;
}

export type JobKind = 'stats' | 'exportAll' | 'download';

export interface JobStatus<T> {
  id: string;
  kind: JobKind;
  done: number;
  total: number;
  state: 'running' | 'finished' | 'failed' | 'cancelled';
  error: string | null;
  result: T | null;
  /** A progress line worth showing as it is (a download's bytes, rate and time left), when the job has one. */
  detail?: string;
}

/** One image tag of a logged run: the steps it has an image at, and the size its summary states. */
export interface LoggedImageTag {
  tag: string;
  steps: number[];
  width: number | null;
  height: number | null;
}

export interface LoggedRun {
  /** The folder relative to the logdir ('.' for the logdir itself). */
  run: string;
  imageTags: LoggedImageTag[];
}

export interface LogdirInfo {
  logdir: string;
  runs: LoggedRun[];
  /** One line per file skipped or read only in part. */
  warnings: string[];
}

/** The encoded image (PNG for PyTorch) as logged: decoded by the page, never by the back end. */
export interface LoggedImage {
  run: string;
  tag: string;
  step: number;
  png: Uint8Array;
  width: number | null;
  height: number | null;
}

/** A user-facing failure: one line; `field` names the layer/view field at fault when there is one. */
export interface HostErrorInfo {
  message: string;
  field: string | null;
}

/** What every request answers with; its arguments are the schemas' (HOST_REQUEST_SCHEMAS). */
export interface HostResults {
  getDataset: DatasetInfo;
  openDataset: DatasetInfo;
  getLayer: LayerState;
  setLayer: LayerState;
  setWeights: LayerState;
  listPresets: { names: string[] };
  listModelTensors: ModelTensorTable;
  getStep: StepResult;
  exportStep: { input: PngFile; output: PngFile; savedTo: string | null };
  startStats: { jobId: string };
  startExportAll: { jobId: string };
  startDownload: { jobId: string };
  openLogdir: LogdirInfo;
  getLoggedImage: LoggedImage | null;
  getJob: JobStatus<StatsResult | ExportAllResult | DownloadResult>;
  cancelJob: { cancelled: boolean };
}

// A request with a schema but no result type (or the reverse) does not compile.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
export const CONTRACT_COMPLETE: SameKeys<HostResults, Record<HostRequestName, unknown>> = true;

export type HostResult<K extends HostRequestName> = HostResults[K];

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
