import { field, h, option } from '../dom/element';

export const ZOOM_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8];

/** Whole-number zoom only: every image pixel stays a crisp square (CSS pixelated scaling). */
export class ZoomControls {
  readonly element: HTMLElement;
  private readonly select = h('select', { id: 'zoom', 'data-testid': 'zoom' }, ...ZOOM_LEVELS.map((z) => option(String(z), `${z}×`)));
  private readonly fit = h('button', { type: 'button', class: 'button button-quiet', title: 'The largest zoom at which both cards fit the window', 'aria-pressed': 'true' }, 'Fit');

  constructor(changed: (zoom: number, fit: boolean) => void) {
    const actual = h('button', { type: 'button', class: 'button button-quiet', title: 'One screen pixel per image pixel' }, 'Actual size');
    actual.addEventListener('click', () => changed(1, false));
    this.fit.addEventListener('click', () => changed(Number(this.select.value), true));
    this.select.addEventListener('change', () => changed(Number(this.select.value), false));
    const zoomField = field('zoom', this.select);
    this.element = h('div', { class: 'zoom-controls' }, zoomField.row, this.fit, actual);
  }

  render(zoom: number, fit: boolean): void {
    this.select.value = String(zoom);
    this.fit.setAttribute('aria-pressed', String(fit));
  }
}
