/**
 * A temporary way to see the explain views and the lessons in the running app before they are
 * integrated: an "Explain" section under the cards (a click on the output card picks the traced
 * value) and a "Lessons" tab that swaps the main layout for the lessons view. It reads the page's
 * DOM only through the elements handed in.
 */
import type { DisplayConfig } from '../../core/displayConfig';
import { locateGridPixel } from '../../core/gridLocate';
import type { Host, LayerConfig, LayerState, StepResult } from '../../core/hostContract';
import { h } from '../dom/element';
import { mountLessons } from '../lessons/lessonsView';
import { createAbCompare } from './abCompare';
import { createLayerGeometry } from './layerGeometry';
import { createTracePanel } from './tracePanel';

export interface ExplainPreviewOptions {
  host: Host;
  /** The app bar's tab strip, the main layout (hidden while the lessons show) and its content column. */
  tabs: HTMLElement;
  layout: HTMLElement;
  content: HTMLElement;
  outputCanvas: HTMLCanvasElement;
  display: () => DisplayConfig;
  openLayer: (config: LayerConfig) => void;
}

export function mountExplainPreview(o: ExplainPreviewOptions): { update(result: StepResult | null, layer: LayerState | null): void } {
  const trace = createTracePanel();
  const geometry = createLayerGeometry();
  const ab = createAbCompare();
  const section = h('section', { class: 'explain-preview', 'aria-label': 'Explain', 'data-testid': 'explain-preview' });
  trace.mount(section);
  ab.mount(section);
  geometry.mount(section);
  o.content.append(section);
  let result: StepResult | null = null;

  o.outputCanvas.addEventListener('click', (event) => {
    if (!result) return;
    const c = o.outputCanvas;
    const x = Math.floor((event.offsetX / c.clientWidth) * c.width);
    const y = Math.floor((event.offsetY / c.clientHeight) * c.height);
    const hit = locateGridPixel('output', result.outputShape, o.display(), x, y);
    if (hit) trace.select({ sample: hit.sample, channel: hit.channels[0]!, y: hit.y, x: hit.x });
  });

  const lessonsRoot = h('div', { class: 'lessons-root', hidden: true, 'data-testid': 'lessons-root' });
  o.layout.after(lessonsRoot);
  let lessonsMounted = false;
  const imagesTab = o.tabs.querySelector('.appbar-tab');
  const lessonsTab = h('button', { type: 'button', class: 'appbar-tab appbar-tab-button', 'data-testid': 'tab-lessons', 'aria-pressed': 'false' }, 'Lessons');
  const showLessons = (on: boolean) => {
    if (on && !lessonsMounted) {
      lessonsMounted = true;
      mountLessons(lessonsRoot, { host: o.host, onOpenLayer: (config) => { o.openLayer(config); showLessons(false); } });
    }
    lessonsRoot.hidden = !on;
    o.layout.hidden = on;
    lessonsTab.setAttribute('aria-pressed', String(on));
    lessonsTab.classList.toggle('active', on);
    imagesTab?.classList.toggle('active', !on);
  };
  lessonsTab.addEventListener('click', () => showLessons(lessonsRoot.hidden));
  o.tabs.append(lessonsTab);

  return {
    update(next, layer) {
      result = next;
      trace.update(next, layer);
      geometry.update(next, layer);
      ab.update(next, layer);
    },
  };
}
