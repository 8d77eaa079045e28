import type { DisplayConfig } from '../../core/displayConfig';
import type { StepResult } from '../../core/hostContract';
import { renderInputGrid, renderOutputGridWithScale } from '../../core/imageGrids';
import type { RgbaImage } from '../../core/rgbaImage';
import { h } from '../dom/element';

/** Each image is drawn this many CSS pixels tall, pixelated, at least 2 per image pixel. */
const TARGET_PX = 150;
const CHANNEL_NAMES = ['R', 'G', 'B'];

/** One sample of the step, large: the input image, its channels, and every output channel side by side, with its class. */
export class SamplePanel {
  readonly element: HTMLElement;
  private readonly heading = h('h2', { id: 'sample-title', 'data-testid': 'sample-title' });
  private readonly meta = h('div', { class: 'muted', 'data-testid': 'sample-meta' });
  private readonly inputs = h('div', { class: 'sample-images', 'data-testid': 'sample-inputs' });
  private readonly outputs = h('div', { class: 'sample-images', 'data-testid': 'sample-outputs' });
  private readonly outputNote = h('div', { class: 'muted' });
  private readonly close = h('button', { type: 'button', class: 'button', 'aria-label': 'Close the sample panel' }, 'Close');
  private returnFocus: HTMLElement | null = null;

  constructor(onClose: () => void) {
    this.element = h(
      'aside',
      { class: 'sample-panel', 'aria-labelledby': 'sample-title', 'data-testid': 'sample-panel', hidden: true, tabindex: -1 },
      h('div', { class: 'sample-head' }, this.heading, this.close),
      this.meta,
      h('h3', { class: 'panel-subtitle' }, 'input'),
      this.inputs,
      h('h3', { class: 'panel-subtitle' }, 'output channels'),
      this.outputNote,
      this.outputs,
    );
    this.close.addEventListener('click', onClose);
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') onClose();
    });
  }

  render(result: StepResult | null, sample: number | null, display: DisplayConfig, className: string): void {
    if (!result || sample === null || sample >= result.inputShape[0]) {
      if (!this.element.hidden) {
        this.element.hidden = true;
        this.returnFocus?.focus();
      }
      return;
    }
    const [, c, hh, ww] = result.inputShape;
    const [, oc, oh, ow] = result.outputShape;
    this.heading.textContent = `image ${sample} of step ${result.step} · ${className}`;
    this.meta.textContent = `dataset #${result.indices[sample] ?? '?'} · input [${c}, ${hh}, ${ww}] · output [${oc}, ${oh}, ${ow}]`;
    const pixels = result.input.subarray(sample * c * hh * ww, (sample + 1) * c * hh * ww);
    const single: DisplayConfig = { ...display, grid: 'tensorboard', columns: 1, padding: 0 };
    const figures = [figure(renderInputGrid(pixels, [1, c, hh, ww], single), 'as the input card shows it')];
    for (let ch = 0; ch < c; ch++) {
      const plane = pixels.subarray(ch * hh * ww, (ch + 1) * hh * ww);
      figures.push(figure(renderInputGrid(plane, [1, 1, hh, ww], single), `channel ${ch}${c === 3 ? ` (${CHANNEL_NAMES[ch]})` : c === 1 ? ' (grey)' : ''}`));
    }
    this.inputs.replaceChildren(...figures);
    const values = result.output.subarray(sample * oc * oh * ow, (sample + 1) * oc * oh * ow);
    // TensorBoard and fixed ranges are absolute, so each channel looks as on the card; the relative
    // scalings are applied to this one image's channels, each on its own range.
    const keepsScale = display.normalization === 'tensorboard' || display.normalization === 'fixed';
    const channelDisplay: DisplayConfig = { ...single, layout: 'channels', normalization: keepsScale ? display.normalization : 'tile' };
    this.outputNote.textContent = keepsScale ? `each channel in grey, ${display.normalization === 'tensorboard' ? 'TensorBoard scaling (×255, clipped)' : 'the fixed range'}` : "each channel on its own min..max";
    this.outputs.replaceChildren(
      ...Array.from({ length: oc }, (_, ch) => {
        const plane = values.subarray(ch * oh * ow, (ch + 1) * oh * ow);
        const { image, normalization } = renderOutputGridWithScale(plane, [1, 1, oh, ow], channelDisplay);
        const range = normalization.ranges[0];
        return figure(image, `channel ${ch}${range && !keepsScale ? ` · ${fmt(range.lo)}..${fmt(range.hi)}` : ''}`);
      }),
    );
    if (this.element.hidden) {
      this.returnFocus = document.activeElement as HTMLElement | null;
      this.element.hidden = false;
      this.close.focus();
    }
  }
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(3)));
}

function figure(image: RgbaImage, caption: string): HTMLElement {
  const canvas = h('canvas', { width: image.width, height: image.height, role: 'img', 'aria-label': caption });
  const scale = Math.max(2, Math.floor(TARGET_PX / Math.max(image.width, image.height)));
  canvas.style.width = `${image.width * scale}px`;
  canvas.style.height = `${image.height * scale}px`;
  const pixels = new Uint8ClampedArray(image.rgba.buffer as ArrayBuffer, image.rgba.byteOffset, image.rgba.byteLength);
  canvas.getContext('2d')?.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
  return h('figure', {}, canvas, h('figcaption', {}, caption));
}
