import { conv2d } from '../../core/conv2d';
import { planConv2d } from '../../core/conv2dOptions';
import type { DisplayConfig } from '../../core/displayConfig';
import { groupConnectivity } from '../../core/groupConnectivity';
import { renderOutputGrid } from '../../core/imageGrids';
import { tensor } from '../../core/tensor';
import { field, h, numberInput } from '../dom/element';
import { paintRgba } from '../explain/rgbaCanvas';
import { lessonFrame, lessonLayer, openLayerButton } from './lessonFrame';
import type { Lesson, LessonContext } from './lessonTypes';
import { firstImage, type RealImage } from './realImage';

const RGB: DisplayConfig = { layout: 'rgb', normalization: 'tensorboard', colorMap: 'gray', grid: 'tensorboard', columns: 8, padding: 0, padValue: 0 };

/** A k×k Gaussian window summing to 1 (so brightness is kept), as float32 weights. */
export function gaussianWindow(k: number, sigma: number): Float32Array {
  const c = (k - 1) / 2;
  const w = new Float64Array(k * k);
  let total = 0;
  for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) total += w[y * k + x] = Math.exp(-((y - c) ** 2 + (x - c) ** 2) / (2 * sigma * sigma));
  return Float32Array.from(w, (v) => v / total);
}

/** A Gaussian blur per channel: groups = channels, each output channel sees only its own input channel. */
export function depthwiseLesson(context: LessonContext): Lesson {
  const size = numberInput(1, 15, 5, 2);
  const sigma = numberInput(0.1, 10, 1.5, 0.1);
  const dilation = numberInput(1, 6, 1);
  size.setAttribute('data-testid', 'depthwise-kernel');
  dilation.setAttribute('data-testid', 'depthwise-dilation');
  const before = h('canvas', { class: 'explain-canvas', width: 1, height: 1, role: 'img', 'aria-label': 'the image' });
  const after = h('canvas', { class: 'explain-canvas', 'data-testid': 'depthwise-output', width: 1, height: 1, role: 'img', 'aria-label': 'the image through the depthwise Gaussian window' });
  const status = h('p', { class: 'explain-status', role: 'status' }, 'Loading an image from the open dataset…');
  const error = h('p', { class: 'lesson-error', role: 'alert' });
  const matrix = h('div', { 'data-testid': 'depthwise-groups' });
  const code = h('pre', { class: 'code-block' });
  let image: RealImage | null = null;

  const values = () => ({ k: Math.trunc(Number(size.value)), s: Number(sigma.value), d: Math.trunc(Number(dilation.value)) });

  function render(): void {
    if (!image) return;
    const { k, s, d } = values();
    const [c, hh, w] = image.shape;
    error.textContent = '';
    try {
      if (!(s > 0)) throw new Error('sigma must be above 0');
      const weights = new Float32Array(c * k * k);
      const win = gaussianWindow(k, s);
      for (let ch = 0; ch < c; ch++) weights.set(win, ch * k * k);
      const input = tensor([1, c, hh, w], image.data);
      const out = conv2d(input, tensor([c, 1, k, k], weights), null, { groups: c, dilation: d, padding: 'same', paddingMode: 'reflect' });
      paintRgba(before, renderOutputGrid(image.data, [1, c, hh, w], RGB), 4);
      paintRgba(after, renderOutputGrid(out.data, out.shape as [number, number, number, number], RGB), 4);
      const g = groupConnectivity(planConv2d([1, c, hh, w], [c, 1, k, k], null, { groups: c, dilation: d, padding: 'same', paddingMode: 'reflect' }));
      matrix.replaceChildren(
        h('table', { class: 'group-matrix' },
          h('caption', { class: 'visually-hidden' }, 'Connectivity: rows output channels, columns input channels'),
          h('thead', {}, h('tr', {}, h('td', {}), ...Array.from({ length: c }, (_, i) => h('th', { scope: 'col' }, `in ${i}`)))),
          h('tbody', {}, ...g.connected.map((row, o) => h('tr', {}, h('th', { scope: 'row' }, `out ${o}`), ...row.map((on) => h('td', { class: on ? 'on' : '' }, on ? '●' : h('span', { class: 'visually-hidden' }, 'not connected'))))))),
        h('p', {}, g.depthwise ? h('span', { class: 'badge' }, 'depthwise') : null, ` ${g.parameters} parameters (${c} × ${k}×${k}); a full Conv2d(${c}, ${c}, ${k}) would have ${c * c * k * k}.`),
      );
      code.textContent = `nn.Conv2d(${c}, ${c}, kernel_size=${k}, padding='same', dilation=${d}, groups=${c}, bias=False, padding_mode='reflect')`;
      status.textContent = `${image.label}; reflect padding keeps the borders from darkening.`;
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : String(e);
    }
  }

  for (const control of [size, sigma, dilation]) control.addEventListener('change', render);
  const element = lessonFrame(
    'depthwise', 'The depthwise window',
    'A Gaussian window applied to each colour channel on its own: groups equals the number of channels, so every output channel reads only its own input channel. Dilation spreads the window without adding weights.',
    h('div', { class: 'lesson-controls' }, field('kernel', size).row, field('sigma', sigma).row, field('dilation', dilation).row),
    status,
    error,
    h('div', { class: 'lesson-grids' }, h('figure', { class: 'trace-figure' }, before, h('figcaption', {}, 'input')), h('figure', { class: 'trace-figure' }, after, h('figcaption', {}, 'output')), matrix),
    code,
    h('div', { class: 'lesson-controls' }, openLayerButton(() => {
      const { k, d } = values();
      return lessonLayer({ outChannels: 3, kernelSize: [k, k], dilation: [d, d], padding: 'same', groups: 3, bias: false, paddingMode: 'reflect' });
    }, context.onOpenLayer)),
  );
  firstImage(context.host).then((img) => {
    image = img;
    render();
  }, (e: unknown) => {
    status.textContent = `Could not load an image: ${e instanceof Error ? e.message : String(e)}`;
  });
  return { id: 'depthwise', title: 'The depthwise window', element, destroy: () => undefined };
}
