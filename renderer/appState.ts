import type { DatasetInfo, LayerState, LogdirInfo, ModelTensorEntry, StatsResult, StepResult, ViewConfig } from '../core/hostContract';
import type { DisplayConfig } from '../core/displayConfig';

/**
 * Where a failure is shown: next to the field or button it concerns. Layer fields use the
 * LayerConfig names the back end puts in HostErrorInfo.field.
 */
export type ErrorSlot =
  | 'outChannels' | 'kernelSize' | 'stride' | 'padding' | 'dilation' | 'groups' | 'bias' | 'paddingMode' | 'relu' | 'pool' | 'layer'
  | 'seed' | 'weights'
  | 'batchSize' | 'split' | 'datasetPath'
  | 'range' | 'display'
  | 'step'
  | 'exportStep' | 'exportDir'
  | 'stats'
  | 'download' | 'logdir';

export const LAYER_SLOTS: readonly ErrorSlot[] = ['outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'relu', 'pool', 'layer'];

export type ErrorMap = Partial<Record<ErrorSlot, string>>;

/** .npy files the user loaded: kept in the page so they can be sent again when the layer fits them again. */
export interface NpyFiles {
  weight: Uint8Array;
  weightName: string;
  /** The weight array's shape, read from its header. */
  weightShape: number[];
  bias: Uint8Array | null;
  biasName: string | null;
}

/** A model file the user opened: kept in the page, like .npy files, to be loaded again later. */
export interface ModelFile {
  bytes: Uint8Array;
  fileName: string;
  /** listModelTensors' answer for it. */
  tensors: ModelTensorEntry[];
  /** The tensor chosen as the weight (null until one is), its shape, and the bias chosen with it. */
  weightName: string | null;
  weightShape: number[] | null;
  biasName: string | null;
}

/** The weight source the user chose, as the weight fields show it. */
export interface WeightChoice {
  kind: 'init' | 'preset' | 'npy' | 'model';
  seed: number;
  preset: string;
  npy: NpyFiles | null;
  /** Absent until a model file was opened. */
  model?: ModelFile | null;
  /** Why the source in use differs from the one chosen (loaded weights that no longer fit), or null. */
  note: string | null;
  /** The source to bring back once the layer fits it again (set while `note` explains the fallback). */
  restore: 'preset' | 'npy' | 'model' | null;
}

export interface JobView {
  state: 'idle' | 'running' | 'finished' | 'failed' | 'cancelled';
  done: number;
  total: number;
  /** Shown next to the progress bar. */
  text: string;
}

export const IDLE_JOB: JobView = { state: 'idle', done: 0, total: 0, text: '' };

/** Asked of the user before the controller goes on; null when nothing is asked. */
export interface PendingConfirm {
  title: string;
  message: string;
  confirmLabel: string;
}

/** Everything the views draw from. Only the controller writes it; views subscribe and redraw their slice. */
export interface AppState {
  dataset: DatasetInfo | null;
  /** The last layer the back end accepted (what the output on screen was computed with). */
  layer: LayerState | null;
  view: ViewConfig;
  display: DisplayConfig;
  /** The step the user asked for (may still be loading). */
  step: number;
  stepCount: number;
  /** The last step result that was drawn: stays on screen when a later request fails. */
  result: StepResult | null;
  loading: boolean;
  zoom: number;
  /** True while zoom follows the room the cards have; the user picking a zoom turns it off. */
  zoomFit: boolean;
  highlightClass: number | null;
  playing: boolean;
  presets: string[];
  weights: WeightChoice;
  /** Per field or button: the one-line failure shown next to it. */
  errors: ErrorMap;
  /** Failures that belong to no field: the server is gone, the token is wrong. */
  banner: string | null;
  /** Bumped when the forms must be refilled from the state (first load, reset, new dataset). */
  formRevision: number;
  exportStatus: string;
  jobs: { stats: JobView; exportAll: JobView; download: JobView };
  stats: StatsResult | null;
  /** The statistics on screen were computed for another layer, view or dataset. */
  statsStale: boolean;
  confirm: PendingConfirm | null;
  /** The sample shown large in the side panel, or null. */
  openSample: number | null;
  /** The TensorBoard log folder last opened for the Logged card, or null. */
  logdir: LogdirInfo | null;
  mainView: MainView;
  explainTab: ExplainTab;
  /** The output element the user picked for the trace (click or Enter on the output card), or null before any. */
  trace: TracePosition | null;
  traceTap: TracedTap | null;
}

/** The app bar's views. */
export type MainView = 'images' | 'lessons';

/** The Explain section's views, under the cards. */
export type ExplainTab = 'trace' | 'geometry' | 'ab';

/** One element y[sample, channel, y, x] of the step's output, picked for the trace. */
export interface TracePosition {
  sample: number;
  channel: number;
  y: number;
  x: number;
}

/** The tap row hovered in the trace panel, in the traced image's coordinates (outside it for padding). */
export interface TracedTap {
  iy: number;
  ix: number;
  /** The image pixel a reflect/replicate/circular padding tap copies; null inside or for zeros. */
  sourceY: number | null;
  sourceX: number | null;
}

export type Listener = (state: AppState, previous: AppState) => void;

export class Store {
  private listeners: Listener[] = [];
  constructor(private state: AppState) {}

  get(): AppState {
    return this.state;
  }

  update(patch: Partial<AppState>): void {
    const previous = this.state;
    this.state = { ...previous, ...patch };
    for (const listener of this.listeners) listener(this.state, previous);
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }
}
