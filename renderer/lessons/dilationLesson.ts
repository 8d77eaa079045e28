import { conv2d } from '../../core/conv2d';
import type { DisplayConfig } from '../../core/displayConfig';
import { renderOutputGrid } from '../../core/imageGrids';
import { tensor } from '../../core/tensor';
import { h } from '../dom/element';
import { paintRgba } from '../explain/rgbaCanvas';
import { lessonFrame, lessonLayer, openLayerButton } from './lessonFrame';
import type { Lesson, LessonContext } from './lessonTypes';
import { firstImage } from './realImage';

/** A Laplacian: it answers to edges, so how far apart its taps are shows in what it finds. */
const KERNEL = [0, 1, 0, 1, -4, 1, 0, 1, 0];
const DILATIONS = [1, 2, 3] as const;
const GREY: DisplayConfig = { layout: 'channels', normalization: 'tile', colorMap: 'diverging', grid: 'tensorboard', columns: 8, padding: 0, padValue: 0 };

/** The taps of a 3x3 kernel at dilation d, as a small grid. */
function tapFigure(d: number): HTMLCanvasElement {
  const span = 2 * d + 1;
  const cell = 10;
  const canvas = h('canvas', { class: 'explain-canvas', width: span * cell, height: span * cell, role: 'img', 'aria-label': `3×3 taps spread over ${span}×${span} pixels` });
  const g = canvas.getContext('2d');
  if (g) {
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#f57c00';
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) g.fillRect(c * d * cell + 1, r * d * cell + 1, cell - 2, cell - 2);
    g.strokeStyle = '#dadce0';
    g.strokeRect(0.5, 0.5, canvas.width - 1, canvas.height - 1);
  }
  return canvas;
}

/** One kernel at dilation 1, 2 and 3 on a real image: the field grows, the weights stay nine. */
export function dilationLesson(context: LessonContext): Lesson {
  const figures = h('div', { class: 'lesson-grids', 'data-testid': 'dilation-figures' });
  const status = h('p', { class: 'explain-status', role: 'status' }, 'Loading an image from the open dataset…');
  const element = lessonFrame(
    'dilation', 'Dilation',
    'The same 3×3 kernel (a Laplacian, which responds to edges) applied with dilation 1, 2 and 3 to the grey version of a real image (reflect padding, so the border adds no false edges). Dilation spreads the nine taps apart: the receptive field grows from 3×3 to 5×5 to 7×7, yet the layer still has nine weights.',
    status,
    figures,
  );
  firstImage(context.host).then((image) => {
    const [c, hh, w] = image.shape;
    const grey = new Float32Array(hh * w);
    for (let k = 0; k < c; k++) for (let i = 0; i < hh * w; i++) grey[i]! += image.data[k * hh * w + i]! / c;
    const input = tensor([1, 1, hh, w], grey);
    const weight = tensor([1, 1, 3, 3], Float32Array.from(KERNEL));
    figures.replaceChildren(
      ...DILATIONS.map((d) => {
        const out = conv2d(input, weight, null, { dilation: d, padding: 'same', paddingMode: 'reflect' });
        const canvas = h('canvas', { class: 'explain-canvas', 'data-testid': `dilation-${d}`, width: 1, height: 1, role: 'img', 'aria-label': `edges found at dilation ${d}` });
        paintRgba(canvas, renderOutputGrid(out.data, out.shape as [number, number, number, number], GREY), 4);
        const span = 2 * d + 1;
        return h(
          'figure',
          { class: 'trace-figure' },
          canvas,
          h('figcaption', {}, h('strong', {}, `dilation ${d}`), h('br'), tapFigure(d), h('br'), `receptive field ${span}×${span} · parameters 9`, h('br'),
            openLayerButton(() => lessonLayer({ outChannels: 3, kernelSize: [3, 3], dilation: [d, d], padding: 'same', groups: 3, bias: false, paddingMode: 'reflect' }), context.onOpenLayer)),
        );
      }),
    );
    status.textContent = `${image.label}, grey; blue < 0 < red, each scaled to its own range.`;
  }, (e: unknown) => {
    status.textContent = `Could not load an image: ${e instanceof Error ? e.message : String(e)}`;
  });
  return { id: 'dilation', title: 'Dilation', element, destroy: () => undefined };
}
