import { h } from '../dom/element';

export interface ColorScale {
  /** Which normalisation is on screen, in words. */
  title: string;
  /** The value drawn black/first colour and the value drawn white/last colour. */
  min: number;
  max: number;
  /** Maps 0..1 to a CSS colour or [r, g, b]. */
  color: (t: number) => [number, number, number];
  note: string;
}

/** The legend of the output card: which normalisation is on screen, its colours and the range they span. */
export class ColorBar {
  readonly element: HTMLElement;
  private readonly title = h('div', { class: 'colorbar-title', 'data-testid': 'colorbar-title' });
  private readonly canvas = h('canvas', { class: 'colorbar-canvas', width: 256, height: 1, role: 'img', 'aria-label': 'colour scale' });
  private readonly minText = h('span', { 'data-testid': 'colorbar-min' });
  private readonly maxText = h('span', { 'data-testid': 'colorbar-max' });
  private readonly note = h('div', { class: 'muted colorbar-note' });

  constructor() {
    this.element = h('div', { class: 'colorbar' }, this.title, this.canvas, h('div', { class: 'colorbar-range' }, this.minText, this.maxText), this.note);
  }

  render(scale: ColorScale): void {
    this.title.textContent = scale.title;
    this.minText.textContent = formatValue(scale.min);
    this.maxText.textContent = formatValue(scale.max);
    this.note.textContent = scale.note;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const image = context.createImageData(256, 1);
    for (let i = 0; i < 256; i++) {
      const [r, g, b] = scale.color(i / 255);
      image.data.set([r, g, b, 255], i * 4);
    }
    context.putImageData(image, 0, 0);
  }
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}
