import type { LayerConfig } from '../../core/hostContract';
import { DEFAULT_LAYER } from '../../core/layerConfig';
import { h } from '../dom/element';

/** The page of one lesson: heading, introduction, then its own parts. */
export function lessonFrame(id: string, title: string, intro: string, ...parts: (HTMLElement | null)[]): HTMLElement {
  const headingId = `lesson-${id}-title`;
  return h(
    'article',
    { class: 'lesson', 'data-testid': `lesson-${id}`, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, title),
    h('p', {}, intro),
    ...parts,
  );
}

/** A button that hands the lesson's layer to the main view. */
export function openLayerButton(config: () => LayerConfig | null, onOpenLayer: (config: LayerConfig) => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button', 'data-testid': 'open-layer' }, 'Open this layer in the main view');
  button.addEventListener('click', () => {
    const c = config();
    if (c) onOpenLayer(c);
  });
  return button;
}

/** A conv layer on the app's 3-channel images, from the lesson's numbers. */
export function lessonLayer(parts: Partial<LayerConfig>): LayerConfig {
  return { ...DEFAULT_LAYER, ...parts };
}
