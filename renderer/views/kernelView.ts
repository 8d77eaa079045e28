import type { LayerState } from '../../core/hostContract';
import { kernelImage, kernelImageSize, kernelTapAt } from '../../core/kernelImage';
import { shapeText } from '../../core/tensor';
import { h } from '../dom/element';
import { errorText } from '../errorText';

/** On-screen size of the tallest/widest side, so a big layer still fits the card. */
const MAX_CSS_PX = 300;
const MAX_SCALE = 12;
/** Longer bias vectors are cut short in the caption; hover still reads every weight. */
const MAX_BIAS_SHOWN = 16;

/** The conv kernels being applied: the weight tensor as diverging-coloured tiles, its range and the bias. */
export class KernelView {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', { class: 'kernel-canvas', 'data-testid': 'kernel-weights', width: 1, height: 1, role: 'img', 'aria-label': 'weight tiles: rows are output channels, columns input channels' });
  private readonly caption = h('div', { class: 'card-footer', 'data-testid': 'kernel-caption' });
  private readonly source = h('div', { class: 'card-description kernel-source', 'data-testid': 'kernel-source' });
  private readonly readout = h('div', { class: 'kernel-readout', 'data-testid': 'kernel-hover', 'aria-live': 'polite' });
  private layer: LayerState | null = null;
  private readonly idleText = 'Hover a tile to read a weight.';

  constructor() {
    this.readout.textContent = this.idleText;
    this.element = h(
      'section',
      { class: 'card kernel-card', 'aria-label': 'weights card' },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'weights'), h('span', { class: 'card-subtitle' }, 'rows: out channels · columns: in channels')),
      h('div', { class: 'card-description' }, 'blue < 0 < red, symmetric about 0'),
      this.source,
      h('div', { class: 'kernel-frame' }, this.canvas),
      this.caption,
      this.readout,
    );
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
    this.canvas.addEventListener('mouseleave', () => (this.readout.textContent = this.idleText));
  }

  render(layer: LayerState): void {
    this.layer = layer;
    // Files are named by the file and tensor names the back end loaded; the rest by its description.
    this.source.textContent = `from ${layer.source?.kind === 'npy' || layer.source?.kind === 'model' ? layer.source.name : layer.weightDescription}`;
    let drawn;
    try {
      drawn = kernelImage(layer.weight, layer.weightShape);
    } catch (error) {
      // A malformed LayerState must not stop the other views' updates: say so in the card instead.
      this.layer = null;
      this.caption.textContent = errorText(error);
      return;
    }
    const { image, range } = drawn;
    if (this.canvas.width !== image.width || this.canvas.height !== image.height) {
      this.canvas.width = image.width;
      this.canvas.height = image.height;
    }
    const [width, height] = kernelImageSize(layer.weightShape);
    const scale = Math.max(1, Math.min(MAX_SCALE, Math.floor(MAX_CSS_PX / Math.max(width, height))));
    this.canvas.style.width = `${width * scale}px`;
    this.canvas.style.height = `${height * scale}px`;
    const context = this.canvas.getContext('2d');
    if (context) {
      const pixels = new Uint8ClampedArray(image.rgba.buffer as ArrayBuffer, image.rgba.byteOffset, image.rgba.byteLength);
      context.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
    }
    this.caption.textContent = `weight ${shapeText(layer.weightShape)} · range ±${formatWeight(range)} · ${biasText(layer.bias)}`;
    this.readout.textContent = this.idleText;
  }

  private hover(event: MouseEvent): void {
    const layer = this.layer;
    if (!layer) return;
    const x = Math.floor((event.offsetX / this.canvas.clientWidth) * this.canvas.width);
    const y = Math.floor((event.offsetY / this.canvas.clientHeight) * this.canvas.height);
    const tap = kernelTapAt(layer.weight, layer.weightShape, layer.config.groups, x, y);
    this.readout.textContent = tap ? `out ${tap.out}, in ${tap.inChannel}, (${tap.u}, ${tap.v}) = ${formatWeight(tap.value, 4)}` : this.idleText;
  }
}

function formatWeight(v: number, digits = 3): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v);
}

function biasText(bias: Float32Array | null): string {
  if (!bias) return 'no bias';
  const shown = [...bias.subarray(0, MAX_BIAS_SHOWN)].map((b) => formatWeight(b));
  const more = bias.length > MAX_BIAS_SHOWN ? `, … ${bias.length - MAX_BIAS_SHOWN} more` : '';
  return `bias [${shown.join(', ')}${more}]`;
}
