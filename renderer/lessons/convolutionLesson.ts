import { conv2dPlanned } from '../../core/conv2d';
import { planConv2d, type Conv2dPlan } from '../../core/conv2dOptions';
import { traceConv2dValue } from '../../core/convTrace';
import { formatTensor } from '../../core/tensorPrint';
import { field, h, numberInput } from '../dom/element';
import { cellGrid } from './cellGrid';
import { lessonFrame, lessonLayer, openLayerButton } from './lessonFrame';
import type { Lesson, LessonContext } from './lessonTypes';

export const EXAMPLE_INPUT = [[1, 2, 0, 3, 1], [0, 1, 2, 3, 1], [1, 2, 1, 0, 0], [5, 2, 3, 1, 1], [2, 1, 0, 1, 1]];
export const EXAMPLE_KERNEL = [[1, 2, 1], [0, 1, 0], [2, 1, 0]];
const TICK_MS = 700;

/**
 * The classic 5x5 example: the kernel slides over the input one output at a time, each output
 * cell showing its nine products, and the result printed as PyTorch prints torch.tensor ints.
 */
export function convolutionLesson(context: LessonContext): Lesson {
  const input = EXAMPLE_INPUT.map((r) => [...r]);
  const kernel = EXAMPLE_KERNEL.map((r) => [...r]);
  const stride = numberInput(1, 5, 1);
  const padding = numberInput(0, 4, 0);
  const dilation = numberInput(1, 4, 1);
  stride.setAttribute('data-testid', 'lesson-stride');
  padding.setAttribute('data-testid', 'lesson-padding');
  dilation.setAttribute('data-testid', 'lesson-dilation');
  const scrub = h('input', { type: 'range', min: 0, max: 0, step: 1, value: 0, 'data-testid': 'lesson-scrub' });
  const play = h('button', { type: 'button', class: 'button play-button', 'data-testid': 'lesson-play' }, 'Play');
  const back = h('button', { type: 'button', class: 'button', title: 'previous output cell' }, 'Step back');
  const forward = h('button', { type: 'button', class: 'button', title: 'next output cell', 'data-testid': 'lesson-step' }, 'Step');
  const error = h('p', { class: 'lesson-error', role: 'alert', 'data-testid': 'lesson-error' });
  const grids = h('div', { class: 'lesson-grids' });
  const products = h('p', { class: 'products', 'aria-live': 'polite', 'data-testid': 'lesson-products' });
  const result = h('pre', { class: 'lesson-result', 'data-testid': 'lesson-result', 'aria-label': 'the result as PyTorch prints it' });
  let plan: Conv2dPlan | null = null;
  let output = new Float32Array(0);
  let shown = 0;
  let timer: number | null = null;

  const options = () => ({ stride: Number(stride.value), padding: Number(padding.value), dilation: Number(dilation.value) });
  const flat = (m: number[][]) => Float32Array.from(m.flat());

  function compute(): void {
    error.textContent = '';
    try {
      plan = planConv2d([1, 1, 5, 5], [1, 1, 3, 3], null, options());
    } catch (e) {
      plan = null;
      error.textContent = e instanceof Error ? e.message : String(e);
      result.textContent = '';
      grids.replaceChildren();
      products.textContent = '';
      return;
    }
    output = new Float32Array(plan.hOut * plan.wOut);
    conv2dPlanned(plan, flat(input), flat(kernel), null, output);
    result.textContent = formatTensor([1, 1, plan.hOut, plan.wOut], output, 'int64');
    scrub.max = String(output.length);
    shown = Math.min(shown, output.length);
    scrub.value = String(shown);
    draw();
  }

  function draw(): void {
    if (!plan) return;
    const p = plan;
    const current = shown - 1;
    const cy = current >= 0 ? Math.floor(current / p.wOut) : -1;
    const cx = current >= 0 ? current % p.wOut : -1;
    const trace = current >= 0 ? traceConv2dValue(p, flat(input), flat(kernel), null, 0, 0, cy, cx) : null;
    const active = new Set(trace?.taps.map((t) => `${t.iy},${t.ix}`) ?? []);
    const rows = 5 + p.padTop + p.padBottom;
    const cols = 5 + p.padLeft + p.padRight;
    const inside = (r: number, c: number) => r >= p.padTop && r < p.padTop + 5 && c >= p.padLeft && c < p.padLeft + 5;
    grids.replaceChildren(
      cellGrid({
        caption: p.padTop ? `input, zero-padded by ${p.padTop}` : 'input',
        rows, cols, testId: 'lesson-input',
        text: (r, c) => (inside(r, c) ? String(input[r - p.padTop]![c - p.padLeft]) : '0'),
        classes: (r, c) => [inside(r, c) ? '' : 'pad', active.has(`${r - p.padTop},${c - p.padLeft}`) ? 'active' : ''].join(' '),
        editable: inside,
        edit: (r, c, v) => { input[r - p.padTop]![c - p.padLeft] = v; compute(); },
      }),
      cellGrid({
        caption: 'kernel', rows: 3, cols: 3, testId: 'lesson-kernel',
        text: (r, c) => String(kernel[r]![c]),
        edit: (r, c, v) => { kernel[r]![c] = v; compute(); },
      }),
      cellGrid({
        caption: `output ${p.hOut}×${p.wOut}`, rows: p.hOut, cols: p.wOut, testId: 'lesson-output',
        text: (r, c) => (r * p.wOut + c < shown ? String(output[r * p.wOut + c]) : ''),
        classes: (r, c) => (r * p.wOut + c === current ? 'current' : r * p.wOut + c < shown ? 'done' : ''),
      }),
    );
    products.textContent = trace
      ? `y[${cy}, ${cx}] = ${trace.taps.map((t) => `${t.input}×${t.weight}`).join(' + ')} = ${trace.sum}`
      : 'Press Play or Step to slide the kernel over the input.';
    play.textContent = timer === null ? 'Play' : 'Pause';
  }

  function goTo(n: number): void {
    shown = Math.max(0, Math.min(output.length, n));
    scrub.value = String(shown);
    draw();
  }

  function stop(): void {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
    draw();
  }

  play.addEventListener('click', () => {
    if (timer !== null) return stop();
    if (shown >= output.length) shown = 0;
    timer = window.setInterval(() => {
      if (shown >= output.length) return stop();
      goTo(shown + 1);
    }, TICK_MS);
    goTo(shown + 1);
  });
  forward.addEventListener('click', () => goTo(shown + 1));
  back.addEventListener('click', () => goTo(shown - 1));
  scrub.addEventListener('input', () => goTo(Number(scrub.value)));
  for (const control of [stride, padding, dilation]) control.addEventListener('change', compute);

  const scrubField = field('output cell', scrub);
  const element = lessonFrame(
    'convolution', 'Sliding a kernel',
    'A 3×3 kernel slides over a 5×5 input. Each output cell is the sum of nine products: the kernel laid on the input, multiplied cell by cell. Edit any number, or change stride, padding and dilation.',
    h('div', { class: 'lesson-controls' }, field('stride', stride).row, field('padding', padding).row, field('dilation', dilation).row),
    h('div', { class: 'lesson-controls' }, back, play, forward, scrubField.row),
    error,
    grids,
    products,
    h('p', {}, h('code', {}, 'F.conv2d(torch.tensor(input).view(1, 1, 5, 5), torch.tensor(kernel).view(1, 1, 3, 3), ...)'), ' prints:'),
    result,
    h('div', { class: 'lesson-controls' }, openLayerButton(() => lessonLayer({ outChannels: 1, kernelSize: [3, 3], stride: [options().stride, options().stride], padding: [options().padding, options().padding], dilation: [options().dilation, options().dilation], bias: false }), context.onOpenLayer)),
  );
  compute();
  goTo(output.length);
  return { id: 'convolution', title: 'Sliding a kernel', element, destroy: stop };
}
