import type { Host, LayerConfig } from '../../core/hostContract';

export interface LessonContext {
  host: Host;
  /** "Open this layer in the main view": the app hands the config to its controller (setLayer). */
  onOpenLayer: (config: LayerConfig) => void;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly element: HTMLElement;
  /** Stops timers; the element is removed by the view. */
  destroy(): void;
}

export type LessonFactory = (context: LessonContext) => Lesson;
