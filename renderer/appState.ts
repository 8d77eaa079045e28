import type { DatasetInfo, LayerState, StepResult, ViewConfig } from '../core/hostContract';
import type { DisplayConfig } from '../core/displayConfig';

/** Everything the views draw from. Only the controller writes it; views subscribe and redraw their slice. */
export interface AppState {
  dataset: DatasetInfo | null;
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
  highlightClass: number | null;
  playing: boolean;
  presets: string[];
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
