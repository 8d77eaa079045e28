import { weightShapeOf } from '../core/conv2dInit';
import type { DisplayConfig } from '../core/displayConfig';
import { DEFAULT_DISPLAY } from '../core/displayPresets';
import {
  DEFAULT_LAYER, DEFAULT_SEED, DEFAULT_VIEW, HostError, type DatasetInfo, type DownloadResult, type ExportAllResult, type Host, type HostArgs, type LayerConfig, type LayerState, type LoggedImage,
  type PngFile, type StatsResult, type StepResult, type ViewConfig, type WeightSource,
} from '../core/hostContract';
import { parseNpy } from '../core/npy';
import { IDLE_JOB, LAYER_SLOTS, type AppState, type ErrorSlot, type ExplainTab, type MainView, type TracedTap, type TracePosition, type JobView, type ModelFile, type NpyFiles, type PendingConfirm, type Store, type WeightChoice } from './appState';
import { displayRangeError } from './displayRange';
import { errorField, errorText } from './errorText';
import { TransportError } from './host/transportError';
import { pollJob } from './jobPoller';
import { Player } from './player';
import { StepLoader } from './stepLoader';
import { stepCountFor } from './stepCount';

/** What the controller needs done outside the store: drawing (timed from the user's action) and saving files. */
export interface ControllerEffects {
  /** Draws a step; called before the store holds it so paint timing starts from the user's action. Throws on a display the core refuses. */
  paint(result: StepResult, display: DisplayConfig, requestedAt: number, receivedAt: number): void;
  /** Browser mode: hands a file to the browser's downloads; returns the name it was saved under. */
  download(file: PngFile): string;
}

/**
 * What the weight fields send: the seeded sources as they are, .npy files as picked, a model file
 * as picked (its tensors are listed, nothing is loaded yet), then one of its tensors by name.
 */
export type WeightIntent =
  | { kind: 'init'; seed: number }
  | { kind: 'preset'; name: string; seed: number }
  | { kind: 'npy'; weight: Uint8Array; weightName: string; bias: Uint8Array | null; biasName: string | null }
  | { kind: 'modelFile'; bytes: Uint8Array; fileName: string }
  | { kind: 'model'; weightName: string; biasName: string | null };

type JobKind = keyof AppState['jobs'];
/** What the data panel's Resize and CenterCrop fields send. */
export type DatasetTransform = NonNullable<HostArgs<'openDataset'>['transform']>;
type JobOutcome<T> = { state: 'finished'; result: T } | { state: 'cancelled'; message: string | null } | { state: 'failed'; error: unknown };

const POLL_ERROR_OVERWRITE = /already (exists|holds|contains)|overwrite/i;

/**
 * The one place that talks to the back end and writes the store. Views call these methods (their
 * intents) and redraw from the store; nothing else asks the host anything.
 */
export class AppController {
  private readonly loader: StepLoader;
  private readonly player: Player;
  private readonly jobIds: Partial<Record<JobKind, string>> = {};
  private confirmed: ((yes: boolean) => void) | null = null;

  constructor(
    readonly host: Host,
    private readonly store: Store,
    private readonly effects: ControllerEffects,
  ) {
    this.loader = new StepLoader(
      (step) => this.host.request('getStep', { view: this.store.get().view, step }),
      (result, requestedAt, receivedAt) => this.showStep(result, requestedAt, receivedAt),
      (error) => {
        this.store.update({ loading: false, playing: false });
        this.player.setPlaying(false);
        this.fail(errorField(error) === 'batchSize' ? 'batchSize' : 'step', error);
      },
      () => this.store.get().stepCount,
    );
    this.player = new Player(() => this.advance());
  }

  private get state(): AppState {
    return this.store.get();
  }

  async start(): Promise<void> {
    try {
      const [dataset, layer, presets] = await Promise.all([
        this.host.request('getDataset', {}),
        this.host.request('getLayer', {}),
        this.host.request('listPresets', {}).catch(() => ({ names: [] as string[] })),
      ]);
      const view: ViewConfig = { ...DEFAULT_VIEW, split: dataset.splits.some((s) => s.split === DEFAULT_VIEW.split) ? DEFAULT_VIEW.split : dataset.splits[0]!.split };
      this.store.update({
        dataset, layer, presets: presets.names, view, stepCount: stepCountFor(dataset, view), step: 0,
        weights: weightsInUse(layer, this.state.weights), formRevision: this.state.formRevision + 1,
      });
      this.goTo(0, true);
    } catch (error) {
      this.fail(null, error);
      this.store.update({ loading: false });
    }
  }

  // ---- stepping and playback

  /** Shows `step`; asking for the step already on screen does nothing unless `force` (the layer changed). */
  goTo(step: number, force = false): void {
    const { stepCount, result, loading } = this.state;
    if (stepCount === 0) return;
    const clamped = Math.min(stepCount - 1, Math.max(0, Math.round(step)));
    if (!force && !loading && result?.step === clamped && clamped === this.state.step) return;
    this.store.update({ step: clamped, loading: true });
    this.loader.request(clamped);
  }

  step(delta: number): void {
    this.goTo(this.state.step + delta);
  }

  togglePlay(): void {
    const { playing, step, stepCount } = this.state;
    if (!playing && step >= stepCount - 1) this.goTo(0);
    this.store.update({ playing: !playing });
    this.player.setPlaying(!playing);
    if (!playing && this.state.result && !this.state.loading) this.player.painted();
  }

  /** The player's next frame; at the last step playback ends and the button says Play again. */
  private advance(): boolean {
    const { step, stepCount } = this.state;
    if (step >= stepCount - 1) {
      this.store.update({ playing: false });
      return false;
    }
    this.goTo(step + 1);
    return true;
  }

  private reload(): void {
    this.goTo(this.state.step, true);
  }

  private showStep(result: StepResult, requestedAt: number, receivedAt: number): void {
    try {
      this.effects.paint(result, this.state.display, requestedAt, receivedAt);
    } catch (error) {
      this.fail('display', error);
      this.store.update({ loading: false });
      return;
    }
    this.store.update({ result, stepCount: result.stepCount, loading: this.loader.pending, errors: without(this.state.errors, 'step', 'batchSize'), banner: null });
    this.player.painted();
  }

  // ---- view-only settings

  setZoom(zoom: number, fit = false): void {
    this.store.update({ zoom, zoomFit: fit });
  }

  /** The fitted zoom for the room the cards have; ignored once the user chose a zoom. */
  fitZoom(zoom: number): void {
    if (this.state.zoomFit && zoom !== this.state.zoom) this.store.update({ zoom });
  }

  zoomBy(delta: number): void {
    this.setZoom(Math.min(8, Math.max(1, this.state.zoom + delta)));
  }

  openSample(sample: number | null): void {
    this.store.update({ openSample: sample });
  }

  showView(mainView: MainView): void {
    if (mainView !== this.state.mainView) this.store.update({ mainView });
  }

  showExplain(explainTab: ExplainTab): void {
    if (explainTab !== this.state.explainTab) this.store.update({ explainTab });
  }

  /** An output element for the trace: the trace view comes forward with it. */
  selectTrace(trace: TracePosition): void {
    this.store.update({ trace: { ...trace }, traceTap: null, explainTab: 'trace' });
  }

  hoverTap(traceTap: TracedTap | null): void {
    const old = this.state.traceTap;
    if (old === traceTap || (old && traceTap && old.iy === traceTap.iy && old.ix === traceTap.ix && old.sourceY === traceTap.sourceY && old.sourceX === traceTap.sourceX)) return;
    this.store.update({ traceTap });
  }

  /** A lesson's "open this layer in the main view": the layer goes to the back end, the forms refill from it, the images come back. */
  async openLessonLayer(config: LayerConfig): Promise<void> {
    await this.setLayer(config);
    this.store.update({ formRevision: this.state.formRevision + 1, mainView: 'images' });
  }

  highlight(classIndex: number | null): void {
    this.store.update({ highlightClass: classIndex });
  }

  setDisplay(display: DisplayConfig): void {
    const rangeError = displayRangeError(display);
    if (rangeError) {
      // The grid stays as it was drawn; the message sits under the range fields.
      this.store.update({ errors: { ...this.state.errors, range: rangeError } });
      return;
    }
    const { result } = this.state;
    const now = performance.now();
    try {
      if (result) this.effects.paint(result, display, now, now);
    } catch (error) {
      this.fail('display', error);
      return;
    }
    this.store.update({ display, errors: without(this.state.errors, 'range', 'display') });
  }

  // ---- the layer and its weights

  /** A new layer or new weights: cached steps and statistics describe the old one. */
  private applyLayer(layer: LayerState, weights: WeightChoice, cleared: readonly ErrorSlot[]): void {
    this.loader.invalidate();
    this.store.update({ layer, weights, errors: without(this.state.errors, ...cleared), banner: null, statsStale: this.state.stats !== null });
    this.reload();
  }

  async setLayer(config: LayerConfig): Promise<void> {
    let layer: LayerState;
    try {
      layer = await this.host.request('setLayer', { config });
    } catch (error) {
      // The last valid result stays on screen; the message goes next to the field at fault.
      const field = errorField(error)?.replace(/^pool\..*/, 'pool') ?? null;
      const slot = field && (LAYER_SLOTS as readonly string[]).includes(field) ? (field as ErrorSlot) : 'layer';
      this.store.update({ errors: without(this.state.errors, ...LAYER_SLOTS) });
      this.fail(slot, error);
      return;
    }
    const weights = weightsInUse(layer, this.state.weights);
    this.applyLayer(layer, weights, LAYER_SLOTS);
    await this.restoreWeights(layer, weights);
  }

  /** Loaded weights that stopped fitting come back once the layer takes their shape again. */
  private async restoreWeights(layer: LayerState, weights: WeightChoice): Promise<void> {
    if (!weights.note || !weights.restore) return;
    const inChannels = this.state.dataset?.imageShape[0] ?? 3;
    if (weights.restore === 'npy' && weights.npy) {
      let expected: number[];
      try {
        expected = weightShapeOf(layer.config, inChannels);
      } catch {
        return;
      }
      if (expected.join() !== weights.npy.weightShape.join()) return;
      const { weight, weightName, bias, biasName } = weights.npy;
      await this.setWeights({ kind: 'npy', weight, weightName, bias, biasName }, true);
    } else if (weights.restore === 'model' && weights.model?.weightName) {
      let expected: number[];
      try {
        expected = weightShapeOf(layer.config, inChannels);
      } catch {
        return;
      }
      if (expected.join() !== weights.model.weightShape?.join()) return;
      await this.setWeights({ kind: 'model', weightName: weights.model.weightName, biasName: weights.model.biasName }, true);
    } else if (weights.restore === 'preset') {
      await this.setWeights({ kind: 'preset', name: weights.preset, seed: weights.seed }, true);
    }
  }

  /** `quiet`: a restore attempt; if the layer still refuses the source, the note already says why. */
  async setWeights(intent: WeightIntent, quiet = false): Promise<void> {
    let npy: NpyFiles | null = this.state.weights.npy;
    let model: ModelFile | null = this.state.weights.model ?? null;
    let source: WeightSource;
    if (intent.kind === 'modelFile') {
      await this.openModelFile(intent.bytes, intent.fileName);
      return;
    }
    if (intent.kind === 'model') {
      const entry = model?.tensors.find((t) => t.name === intent.weightName);
      if (!model || !entry) {
        this.fail('weights', new Error(`model file: no tensor ${JSON.stringify(intent.weightName)} in the file loaded`));
        return;
      }
      model = { ...model, weightName: intent.weightName, weightShape: [...entry.shape], biasName: intent.biasName };
      source = { kind: 'model', bytes: model.bytes, fileName: model.fileName, weightName: intent.weightName, biasName: intent.biasName };
    } else if (intent.kind === 'npy') {
      try {
        // Read here too: the page keeps the files and needs their shape to know when they fit again.
        const shape = parseNpy(intent.weight, intent.weightName).shape;
        if (intent.bias && intent.biasName) parseNpy(intent.bias, intent.biasName);
        npy = { weight: intent.weight, weightName: intent.weightName, weightShape: [...shape], bias: intent.bias, biasName: intent.biasName };
      } catch (error) {
        this.fail('weights', error);
        return;
      }
      source = { kind: 'npy', weight: intent.weight, weightName: intent.weightName, bias: intent.bias, biasName: intent.biasName };
    } else {
      source = intent;
    }
    try {
      const before = this.state.layer?.config;
      const layer = await this.host.request('setWeights', { source });
      const chosen: WeightChoice = {
        kind: intent.kind,
        seed: intent.kind === 'init' || intent.kind === 'preset' ? intent.seed : this.state.weights.seed,
        preset: intent.kind === 'preset' ? intent.name : this.state.weights.preset,
        npy,
        model,
        note: null,
        restore: null,
      };
      this.applyLayer(layer, chosen, ['weights', 'seed', ...LAYER_SLOTS]);
      // A model file's weight sets the layer's shape: the layer fields follow it.
      if (JSON.stringify(before) !== JSON.stringify(layer.config)) this.store.update({ formRevision: this.state.formRevision + 1 });
    } catch (error) {
      if (quiet) return;
      this.fail(errorField(error) === 'seed' ? 'seed' : 'weights', error);
    }
  }

  /** Lists a model file's tensors; the page keeps the bytes to load one of them, now or later. */
  private async openModelFile(bytes: Uint8Array, fileName: string): Promise<void> {
    try {
      const table = await this.host.request('listModelTensors', { bytes, fileName });
      const model: ModelFile = { bytes, fileName, tensors: table.tensors, weightName: null, weightShape: null, biasName: null };
      this.store.update({ weights: { ...this.state.weights, model }, errors: without(this.state.errors, 'weights') });
    } catch (error) {
      this.fail('weights', error);
    }
  }

  // ---- the data

  setView(view: ViewConfig): void {
    const { dataset } = this.state;
    if (!dataset) return;
    if (!Number.isInteger(view.batchSize) || view.batchSize < 1) {
      this.store.update({ errors: { ...this.state.errors, batchSize: `batch_size: must be a whole number of at least 1, got ${String(view.batchSize)}` } });
      return;
    }
    const stepCount = stepCountFor(dataset, view);
    const old = this.state;
    // Keep the first image of the current step in view when the batch size changes.
    const firstImage = old.step * old.view.batchSize;
    const step = view.split === old.view.split ? Math.min(stepCount - 1, Math.floor(firstImage / view.batchSize)) : 0;
    this.loader.invalidate();
    this.store.update({ view, stepCount, step, errors: without(this.state.errors, 'batchSize', 'split'), statsStale: this.state.stats !== null });
    this.goTo(step, true);
  }

  /** `transform`: Resize/CenterCrop for an image folder (other formats ignore it). */
  async openDataset(path: string | null, transform?: DatasetTransform): Promise<void> {
    if (this.host.kind === 'browser' && !path) {
      this.store.update({ errors: { ...this.state.errors, datasetPath: 'dataset path: type the path of a CIFAR folder, .bin or .tar.gz, an MNIST-family idx file or folder, or an image folder' } });
      return;
    }
    try {
      await this.showDataset(await this.host.request('openDataset', { path, ...(transform && { transform }) }));
    } catch (error) {
      this.fail('datasetPath', error);
    }
  }

  /** A dataset the back end opened becomes the one on screen, at step 0 with the layer it now has. */
  private async showDataset(dataset: DatasetInfo): Promise<void> {
    this.loader.invalidate();
    const split = dataset.splits.some((s) => s.split === this.state.view.split) ? this.state.view.split : dataset.splits[0]!.split;
    const view = { ...this.state.view, split };
    const layer = await this.host.request('getLayer', {});
    this.store.update({
      dataset, layer, view, stepCount: stepCountFor(dataset, view), step: 0, highlightClass: null,
      weights: weightsInUse(layer, this.state.weights), formRevision: this.state.formRevision + 1,
      errors: without(this.state.errors, 'datasetPath', 'download'), banner: null, statsStale: this.state.stats !== null,
    });
    this.goTo(0, true);
  }

  /** Downloads a catalog dataset into the back end's data folder; it is opened when the files are there. */
  async startDownload(dataset: HostArgs<'startDownload'>['dataset']): Promise<void> {
    this.store.update({ errors: without(this.state.errors, 'download') });
    const outcome = await this.runJob<DownloadResult>('download', () => this.host.request('startDownload', { dataset }), 'download', (r) => `opened ${r.openPath}`);
    if (outcome.state === 'finished') {
      try {
        await this.showDataset(outcome.result.dataset);
      } catch (error) {
        this.fail('download', error);
      }
    } else if (outcome.state === 'failed') this.fail('download', outcome.error);
  }

  // ---- logged runs

  async openLogdir(logdir: string): Promise<void> {
    if (!logdir && this.host.kind !== 'electron') {
      this.store.update({ errors: { ...this.state.errors, logdir: 'log folder: type the path of a TensorBoard log folder (the one holding events.out.tfevents.* files or run folders)' } });
      return;
    }
    try {
      // Electron asks with a dialog; the page never names a folder there.
      const info = await this.host.request('openLogdir', { logdir: this.host.kind === 'electron' ? null : logdir });
      this.store.update({ logdir: info, errors: without(this.state.errors, 'logdir') });
    } catch (error) {
      this.fail('logdir', error);
    }
  }

  /** One logged image (a query: the Logged card decodes and compares it). */
  loggedImage(run: string, tag: string, step: number): Promise<LoggedImage | null> {
    return this.host.request('getLoggedImage', { run, tag, step });
  }

  // ---- defaults

  /** The workflow's layer, weights, view and display again; the dataset stays. */
  async reset(): Promise<void> {
    const { dataset } = this.state;
    this.store.update({ display: DEFAULT_DISPLAY, zoomFit: true, highlightClass: null, errors: {}, openSample: null });
    if (dataset) {
      const split = dataset.splits.some((s) => s.split === DEFAULT_VIEW.split) ? DEFAULT_VIEW.split : dataset.splits[0]!.split;
      const view = { ...DEFAULT_VIEW, split };
      this.loader.invalidate();
      this.store.update({ view, stepCount: stepCountFor(dataset, view), step: 0 });
    }
    try {
      await this.host.request('setLayer', { config: DEFAULT_LAYER });
      const layer = await this.host.request('setWeights', { source: { kind: 'init', seed: DEFAULT_SEED } });
      const weights: WeightChoice = { ...this.state.weights, kind: 'init', seed: DEFAULT_SEED, note: null, restore: null };
      this.applyLayer(layer, weights, []);
      this.store.update({ formRevision: this.state.formRevision + 1 });
    } catch (error) {
      this.fail('layer', error);
      this.store.update({ formRevision: this.state.formRevision + 1 });
      this.reload();
    }
  }

  // ---- export

  async exportStep(): Promise<void> {
    const { view, step, display } = this.state;
    this.store.update({ errors: without(this.state.errors, 'exportStep'), exportStatus: 'exporting…' });
    try {
      const result = await this.host.request('exportStep', { view, step, display });
      let status: string;
      if (result.savedTo) status = `step ${step}: wrote ${result.input.name} and ${result.output.name} in ${result.savedTo}`;
      else if (this.host.kind === 'browser') {
        const names = [this.effects.download(result.input), this.effects.download(result.output)];
        status = `step ${step}: downloaded ${names[0]} and ${names[1]} to your browser's download folder`;
      } else status = 'export cancelled: no folder was chosen';
      this.store.update({ exportStatus: status, banner: null });
    } catch (error) {
      this.store.update({ exportStatus: '' });
      this.fail('exportStep', error);
    }
  }

  /**
   * Every step into `dir`. The back end refuses to overwrite earlier files unless told; that refusal
   * becomes a question, and a yes sends the request again with `overwrite: true`.
   */
  async exportAll(dir: string, overwrite = false): Promise<void> {
    const { view, display } = this.state;
    if (this.host.kind === 'browser' && !dir) {
      this.store.update({ errors: { ...this.state.errors, exportDir: 'export folder: type the path of a folder on the server machine to write the PNGs into' } });
      return;
    }
    this.store.update({ errors: without(this.state.errors, 'exportDir'), exportStatus: '' });
    const args = { view, display, dir: dir || null, ...(overwrite ? { overwrite: true } : {}) };
    const outcome = await this.runJob<ExportAllResult>('exportAll', () => this.host.request('startExportAll', args), 'export', () => 'done');
    if (outcome.state === 'finished') {
      const { files, dir: written } = outcome.result;
      this.store.update({ exportStatus: `wrote ${files} PNG files (input/ and output/, one per step) in ${written}` });
    } else if (outcome.state === 'cancelled') {
      // The back end says exactly what a cancelled export left on disk (a complete prefix of steps, or nothing).
      this.store.update({ exportStatus: outcome.message ?? 'export cancelled; nothing was written' });
    } else if (!overwrite && isOverwriteRefusal(outcome.error)) {
      this.store.update({ jobs: { ...this.state.jobs, exportAll: IDLE_JOB } });
      const yes = await this.ask({
        title: 'Replace the exported files?',
        message: `${errorText(outcome.error)}. Export again and replace the PNG files already in ${dir || 'that folder'}?`,
        confirmLabel: 'Replace files',
      });
      if (yes) await this.exportAll(dir, true);
      else this.store.update({ exportStatus: 'nothing written: the files already there were kept' });
    } else {
      this.fail('exportDir', outcome.error);
    }
  }

  /** The user's answer to the question on screen. */
  answer(yes: boolean): void {
    const resolve = this.confirmed;
    this.confirmed = null;
    this.store.update({ confirm: null });
    resolve?.(yes);
  }

  private ask(question: PendingConfirm): Promise<boolean> {
    this.confirmed?.(false);
    this.store.update({ confirm: question });
    return new Promise((resolve) => (this.confirmed = resolve));
  }

  // ---- statistics over all steps

  async startStats(): Promise<void> {
    const { view } = this.state;
    this.store.update({ errors: without(this.state.errors, 'stats') });
    const outcome = await this.runJob<StatsResult>('stats', () => this.host.request('startStats', { view }), 'statistics pass', (r) => `done: ${r.steps.length} steps`);
    if (outcome.state === 'finished') this.store.update({ stats: outcome.result, statsStale: false });
    else if (outcome.state === 'failed') this.fail('stats', outcome.error);
  }

  async cancelJob(kind: JobKind): Promise<void> {
    const id = this.jobIds[kind];
    if (!id) return;
    try {
      await this.host.request('cancelJob', { jobId: id });
    } catch (error) {
      this.fail(kind === 'stats' ? 'stats' : kind === 'download' ? 'download' : 'exportDir', error);
    }
  }

  /** One dataset-wide job per kind: start, poll its progress into the store, report how it ended. */
  private async runJob<T>(kind: JobKind, start: () => Promise<{ jobId: string }>, what: string, doneText: (result: T) => string): Promise<JobOutcome<T>> {
    if (this.jobIds[kind]) return { state: 'failed', error: new Error(`a ${what} is already running`) };
    const set = (job: JobView) => this.store.update({ jobs: { ...this.state.jobs, [kind]: job } });
    set({ state: 'running', done: 0, total: 0, text: 'starting…' });
    try {
      this.jobIds[kind] = 'starting';
      this.jobIds[kind] = (await start()).jobId;
      const status = await pollJob<T>(this.host, this.jobIds[kind]!, (done, total, detail) => set({ state: 'running', done, total, text: detail ?? `${done} / ${total}` }));
      if (status.state === 'finished' && status.result) {
        set({ state: 'finished', done: status.done, total: status.total, text: doneText(status.result) });
        return { state: 'finished', result: status.result };
      }
      if (status.state === 'cancelled') {
        set({ state: 'cancelled', done: status.done, total: status.total, text: 'cancelled' });
        return { state: 'cancelled', message: status.error };
      }
      set({ state: 'failed', done: status.done, total: status.total, text: 'failed' });
      return { state: 'failed', error: new Error(status.error ?? `the ${what} failed`) };
    } catch (error) {
      set({ ...this.state.jobs[kind], state: 'failed', text: 'failed' });
      return { state: 'failed', error };
    } finally {
      delete this.jobIds[kind];
    }
  }

  // ---- errors

  dismissBanner(): void {
    this.store.update({ banner: null });
  }

  /** A failure goes next to its field; only a back end that cannot be reached goes to the banner. */
  fail(slot: ErrorSlot | null, error: unknown): void {
    if (error instanceof TransportError || slot === null) {
      this.store.update({ banner: errorText(error) });
      return;
    }
    this.store.update({ errors: { ...this.state.errors, [slot]: errorText(error) } });
  }
}

function without<T extends object>(map: T, ...keys: readonly PropertyKey[]): T {
  if (!keys.some((k) => k in map)) return map;
  const copy = { ...map } as Record<PropertyKey, unknown>;
  for (const k of keys) delete copy[k];
  return copy as T;
}

function isOverwriteRefusal(error: unknown): boolean {
  if (error instanceof HostError && error.info.field === 'overwrite') return true;
  return error instanceof Error && POLL_ERROR_OVERWRITE.test(error.message);
}

/**
 * The weight fields for a layer the back end built: its real source (so a reload shows seed 7 when
 * seed 7 is in use), and, when it had to fall back from the chosen source, why.
 */
function weightsInUse(layer: LayerState, chosen: WeightChoice): WeightChoice {
  const { source } = layer;
  if (source.kind === 'init') {
    const seed = source.seed ?? chosen.seed;
    if (source.fallback) {
      const restore = chosen.kind === 'init' ? chosen.restore : chosen.kind;
      const { wanted, why } = source.fallback;
      return { ...chosen, kind: 'init', seed, restore, note: `${wanted} does not fit this layer (${why}); using nn.Conv2d default init with seed ${seed} until it fits again` };
    }
    // The back end keeps the fallback as its source: until the chosen source is restored, keep saying why.
    return { ...chosen, kind: 'init', seed, note: chosen.restore ? chosen.note : null, restore: chosen.restore };
  }
  if (source.kind === 'preset') return { ...chosen, kind: 'preset', preset: source.name ?? chosen.preset, seed: source.seed ?? chosen.seed, note: null, restore: null };
  return { ...chosen, kind: source.kind, note: null, restore: null };
}
