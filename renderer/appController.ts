import { DEFAULT_VIEW, type Host, type LayerConfig, type LayerState, type StepResult, type ViewConfig, type WeightSource } from '../core/hostContract';
import type { DisplayConfig } from '../core/displayConfig';
import type { Store } from './appState';
import { errorField, errorText } from './errorText';
import { StepLoader } from './stepLoader';
import { stepCountFor } from './stepCount';

export interface ControllerViews {
  showError(message: string): void;
  /** A layer/weights request was refused: show it next to the field; null clears. */
  layerError(field: string | null, message: string | null): void;
  /** Draws a step; called before the store holds it so paint timing starts from the user's action. */
  paint(result: StepResult, display: DisplayConfig, requestedAt: number, receivedAt: number): void;
  /** The output no longer matches earlier statistics. */
  invalidateStats(): void;
}

/** Every request to the back end goes through here; the store holds what came back. */
export class AppController {
  private readonly loader: StepLoader;
  /** LayerState's output shape is for a full batch of the session's last step view: ask again once a step of the new view arrived. */
  private layerStale = false;

  constructor(
    readonly host: Host,
    private readonly store: Store,
    private readonly views: ControllerViews,
  ) {
    this.loader = new StepLoader(
      (step) => this.host.request('getStep', { view: this.store.get().view, step }),
      (result, requestedAt, receivedAt) => this.showStep(result, requestedAt, receivedAt),
      (error) => {
        this.store.update({ loading: false, playing: false });
        this.reportError(error);
      },
      () => this.store.get().stepCount,
    );
  }

  async start(): Promise<void> {
    const [dataset, layer, presets] = await Promise.all([
      this.host.request('getDataset', {}),
      this.host.request('getLayer', {}),
      this.host.request('listPresets', {}).catch(() => ({ names: [] as string[] })),
    ]);
    const view: ViewConfig = { ...DEFAULT_VIEW, split: dataset.splits.some((s) => s.split === DEFAULT_VIEW.split) ? DEFAULT_VIEW.split : dataset.splits[0]!.split };
    this.store.update({ dataset, layer, presets: presets.names, view, stepCount: stepCountFor(dataset, view), step: 0 });
    this.goTo(0, true);
  }

  /** Shows `step`; asking for the step already on screen does nothing unless `force` (the layer changed). */
  goTo(step: number, force = false): void {
    const { stepCount, result, loading } = this.store.get();
    if (stepCount === 0) return;
    const clamped = Math.min(stepCount - 1, Math.max(0, Math.round(step)));
    if (!force && !loading && result?.step === clamped && clamped === this.store.get().step) return;
    this.store.update({ step: clamped, loading: true });
    this.loader.request(clamped);
  }

  reload(): void {
    this.goTo(this.store.get().step, true);
  }

  setDisplay(display: DisplayConfig): void {
    this.store.update({ display });
    const { result } = this.store.get();
    const now = performance.now();
    if (result) this.views.paint(result, display, now, now);
  }

  /** A new layer or new weights: cached steps and statistics describe the old one. */
  private applyLayer(layer: LayerState): void {
    this.loader.invalidate();
    this.views.layerError(null, null);
    this.store.update({ layer });
    this.views.invalidateStats();
    this.reload();
  }

  async setLayer(config: LayerConfig): Promise<void> {
    try {
      this.applyLayer(await this.host.request('setLayer', { config }));
    } catch (error) {
      // The last valid result stays on screen; the message goes next to the field at fault.
      this.views.layerError(errorField(error), errorText(error));
    }
  }

  async setWeights(source: WeightSource): Promise<void> {
    try {
      this.applyLayer(await this.host.request('setWeights', { source }));
    } catch (error) {
      this.views.layerError(errorField(error) ?? 'weights', errorText(error));
      this.reportError(error);
    }
  }

  setView(view: ViewConfig): void {
    const { dataset } = this.store.get();
    if (!dataset) return;
    if (!Number.isInteger(view.batchSize) || view.batchSize < 1) {
      this.reportError(new Error(`batch_size: must be a positive integer, got ${view.batchSize}`));
      return;
    }
    const stepCount = stepCountFor(dataset, view);
    const old = this.store.get();
    // Keep the first image of the current step in view when the batch size changes.
    const firstImage = old.step * old.view.batchSize;
    const step = view.split === old.view.split ? Math.min(stepCount - 1, Math.floor(firstImage / view.batchSize)) : 0;
    this.store.update({ view, stepCount, step });
    this.loader.invalidate();
    this.layerStale = true;
    this.views.invalidateStats();
    this.goTo(step, true);
  }

  async openDataset(path: string | null): Promise<void> {
    if (this.host.kind === 'browser' && !path) {
      this.reportError(new Error('dataset path: type the path of a CIFAR folder, .bin file or .tar.gz archive'));
      return;
    }
    try {
      const dataset = await this.host.request('openDataset', { path });
      this.loader.invalidate();
      const split = dataset.splits.some((s) => s.split === this.store.get().view.split) ? this.store.get().view.split : dataset.splits[0]!.split;
      const view = { ...this.store.get().view, split };
      const layer = await this.host.request('getLayer', {});
      this.store.update({ dataset, layer, view, stepCount: stepCountFor(dataset, view), step: 0, highlightClass: null });
      this.views.invalidateStats();
      this.goTo(0, true);
    } catch (error) {
      this.reportError(error);
    }
  }

  reportError(error: unknown): void {
    this.views.showError(errorText(error));
  }

  private showStep(result: StepResult, requestedAt: number, receivedAt: number): void {
    const state = this.store.get();
    try {
      this.views.paint(result, state.display, requestedAt, receivedAt);
    } catch (error) {
      this.reportError(error);
      this.store.update({ loading: false });
      return;
    }
    this.store.update({ result, stepCount: result.stepCount, loading: this.loader.pending });
    if (this.layerStale && !this.loader.pending) {
      this.layerStale = false;
      this.host.request('getLayer', {}).then((layer) => this.store.update({ layer }), (error) => this.reportError(error));
    }
  }
}
