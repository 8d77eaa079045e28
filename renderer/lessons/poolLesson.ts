import { maxPool2d, planMaxPool2d, tracePooledValue, type MaxPool2dPlan } from '../../core/maxPool2d';
import { tensor } from '../../core/tensor';
import { field, h, numberInput } from '../dom/element';
import { cellGrid } from './cellGrid';
import { lessonFrame, lessonLayer, openLayerButton } from './lessonFrame';
import type { Lesson, LessonContext } from './lessonTypes';
import { firstImage } from './realImage';

const SIZE = 8;

/** A fixed 8x8 grid until (or unless) a real image arrives. */
function fallbackGrid(): Float32Array {
  return Float32Array.from({ length: SIZE * SIZE }, (_, i) => ((i * 37) % 101) + ((i >> 3) * 13) % 50);
}

type FieldName = 'kernel' | 'stride' | 'padding' | 'dilation';

/** Which field a PyTorch refusal is about, so it shows next to that field. */
function fieldOf(message: string): FieldName | null {
  if (/\bpad/.test(message)) return 'padding';
  if (/stride|dH/.test(message)) return 'stride';
  if (/dilation/.test(message)) return 'dilation';
  if (/kernel|Output size is too small/.test(message)) return 'kernel';
  return null;
}

/**
 * nn.MaxPool2d on an 8x8 crop of a real image's channel: windows (with dilation gaps, -inf padding
 * and ceil_mode's overhang) drawn on the grid, the output shape and formula live, and PyTorch's
 * refusals next to the field they concern.
 */
export function poolLesson(context: LessonContext): Lesson {
  const inputs: Record<FieldName, HTMLInputElement> = {
    kernel: numberInput(1, 8, 2),
    stride: numberInput(1, 8, 2),
    padding: numberInput(0, 8, 0),
    dilation: numberInput(1, 8, 1),
  };
  inputs.stride.value = '';
  inputs.stride.placeholder = 'kernel';
  const ceil = h('input', { type: 'checkbox', 'data-testid': 'pool-ceil' });
  const fields = Object.fromEntries(
    (Object.keys(inputs) as FieldName[]).map((k) => {
      inputs[k].setAttribute('data-testid', `pool-${k}`);
      return [k, field(k === 'kernel' ? 'kernel_size' : k, inputs[k], k === 'stride' ? 'empty: stride = kernel_size' : undefined)];
    }),
  ) as Record<FieldName, ReturnType<typeof field>>;
  const generalError = h('p', { class: 'lesson-error', role: 'alert', 'data-testid': 'pool-error' });
  const shape = h('output', { class: 'trace-number', 'data-testid': 'pool-shape' });
  const formula = h('pre', { class: 'code-block', 'data-testid': 'pool-formula' });
  const grids = h('div', { class: 'lesson-grids' });
  const readout = h('p', { class: 'products', 'aria-live': 'polite', 'data-testid': 'pool-readout' });
  const source = h('p', { class: 'hint' }, 'An 8×8 example grid (loading a real image…)');
  let data = fallbackGrid();
  let plan: MaxPool2dPlan | null = null;
  let selected = { y: 0, x: 0 };

  function options() {
    const num = (i: HTMLInputElement) => Math.trunc(Number(i.value));
    return { kernelSize: num(inputs.kernel), stride: inputs.stride.value.trim() === '' ? null : num(inputs.stride), padding: num(inputs.padding), dilation: num(inputs.dilation), ceilMode: ceil.checked };
  }

  function compute(): void {
    for (const f of Object.values(fields)) f.error.textContent = '';
    generalError.textContent = '';
    const o = options();
    try {
      plan = planMaxPool2d([1, 1, SIZE, SIZE], o);
    } catch (e) {
      plan = null;
      const message = e instanceof Error ? e.message : String(e);
      const at = fieldOf(message);
      (at ? fields[at].error : generalError).textContent = `PyTorch: ${message}`;
      shape.textContent = '—';
      formula.textContent = '';
      grids.replaceChildren();
      readout.textContent = '';
      return;
    }
    const p = plan;
    shape.textContent = `(1, 1, ${p.hOut}, ${p.wOut})`;
    const line = (n: number, k: number, pad: number, s: number, d: number, out: number) => {
      const extra = p.ceilMode ? ` + (${s}−1)` : '';
      const raw = Math.floor((n + 2 * pad - d * (k - 1) - 1 + (p.ceilMode ? s - 1 : 0)) / s) + 1;
      const dropped = raw !== out ? `; the last window would start at ${(raw - 1) * s} ≥ ${n} + ${pad}, past the input: ${out}` : '';
      return `floor((${n} + 2·${pad} − ${d}·(${k}−1) − 1${extra}) / ${s}) + 1 = ${raw}${dropped}`;
    };
    formula.textContent = [
      `H_out = ${line(p.h, p.kH, p.padH, p.strideH, p.dilationH, p.hOut)}`,
      `W_out = ${line(p.w, p.kW, p.padW, p.strideW, p.dilationW, p.wOut)}`,
      p.ceilMode ? 'ceil_mode=True rounds up, but a window must start inside the input or its left padding.' : 'ceil_mode=False rounds down: a window that does not fit is dropped.',
    ].join('\n');
    selected = { y: Math.min(selected.y, p.hOut - 1), x: Math.min(selected.x, p.wOut - 1) };
    draw();
  }

  function draw(): void {
    if (!plan) return;
    const p = plan;
    const { output } = maxPool2d(tensor([1, 1, SIZE, SIZE], data), options());
    const t = tracePooledValue(p, data, 0, 0, selected.y, selected.x);
    const inWindow = new Map(t.elements.map((e, i) => [`${e.iy},${e.ix}`, i]));
    const top = -p.padH;
    const left = -p.padW;
    const bottom = Math.max(p.h + p.padH, (p.hOut - 1) * p.strideH - p.padH + (p.kH - 1) * p.dilationH + 1);
    const right = Math.max(p.w + p.padW, (p.wOut - 1) * p.strideW - p.padW + (p.kW - 1) * p.dilationW + 1);
    const inside = (iy: number, ix: number) => iy >= 0 && iy < p.h && ix >= 0 && ix < p.w;
    const inputGrid = cellGrid({
      caption: 'input (channel 0 of the image); grey: −∞ padding or beyond',
      rows: bottom - top, cols: right - left, testId: 'pool-input',
      text: (r, c) => (inside(r + top, c + left) ? String(data[(r + top) * p.w + c + left]) : '−∞'),
      classes: (r, c) => {
        const key = `${r + top},${c + left}`;
        const i = inWindow.get(key);
        return [inside(r + top, c + left) ? '' : 'pad', i === undefined ? '' : i === t.winner ? 'current' : 'active'].join(' ');
      },
    });
    const outputGrid = cellGrid({
      caption: `output ${p.hOut}×${p.wOut}: pick a cell`, rows: p.hOut, cols: p.wOut, testId: 'pool-output',
      text: (r, c) => String(output.data[r * p.wOut + c]),
      classes: (r, c) => (r === selected.y && c === selected.x ? 'current' : ''),
    });
    // Output cells are buttons in effect: focusable and selectable from the keyboard.
    outputGrid.querySelectorAll('tbody tr').forEach((tr, r) => {
      tr.querySelectorAll('td').forEach((td, c) => {
        td.tabIndex = 0;
        td.setAttribute('role', 'button');
        td.setAttribute('aria-label', `output (${r}, ${c}) = ${output.data[r * p.wOut + c]}`);
        const pick = () => { selected = { y: r, x: c }; draw(); (grids.querySelector(`[data-testid="pool-output"] tbody tr:nth-child(${r + 1}) td:nth-child(${c + 1})`) as HTMLElement | null)?.focus(); };
        td.addEventListener('click', pick);
        td.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); pick(); } });
      });
    });
    grids.replaceChildren(inputGrid, outputGrid);
    readout.textContent = t.winner >= 0
      ? `output (${selected.y}, ${selected.x}) = max of ${t.elements.filter((e) => e.kind === 'inside').length} pixels = ${t.value}, at (${t.elements[t.winner]!.iy}, ${t.elements[t.winner]!.ix}); index ${t.index}`
      : `output (${selected.y}, ${selected.x}) covers padding only: −inf, index ${t.index}`;
  }

  for (const i of Object.values(inputs)) i.addEventListener('change', compute);
  ceil.addEventListener('change', compute);
  const ceilField = field('ceil_mode', ceil);
  const element = lessonFrame(
    'pool', 'Dilated max-pooling',
    'nn.MaxPool2d takes the largest value in each window. Padding is −∞ (it never wins) and may be at most half the kernel; dilation spreads the window; ceil_mode rounds the output size up, keeping a last window that overhangs the input.',
    h('div', { class: 'explain-form' }, fields.kernel.row, fields.stride.row, fields.padding.row, fields.dilation.row, ceilField.row),
    generalError,
    h('p', {}, 'Output shape ', shape),
    formula,
    source,
    grids,
    readout,
    h('p', { class: 'hint' }, 'In the main view this pool follows the workflow\'s Conv2d and a ReLU; a click on an output pixel there shows which window and element won, then the conv behind it.'),
    h('div', { class: 'lesson-controls' }, openLayerButton(() => {
      if (!plan) return null;
      const o = options();
      const pair = (v: number): [number, number] => [v, v];
      return lessonLayer({ relu: true, pool: { kernelSize: pair(o.kernelSize), stride: o.stride === null ? null : pair(o.stride), padding: pair(o.padding), dilation: pair(o.dilation), ceilMode: o.ceilMode } });
    }, context.onOpenLayer)),
  );
  compute();
  firstImage(context.host).then((image) => {
    const [, hh, w] = image.shape;
    const y0 = Math.max(0, Math.floor((hh - SIZE) / 2));
    const x0 = Math.max(0, Math.floor((w - SIZE) / 2));
    if (hh < SIZE || w < SIZE) return;
    data = Float32Array.from({ length: SIZE * SIZE }, (_, i) => Math.round(image.data[(y0 + Math.floor(i / SIZE)) * w + x0 + (i % SIZE)]! * 255));
    source.textContent = `The centre 8×8 of ${image.label}, channel 0, as bytes.`;
    compute();
  }, () => undefined);
  return { id: 'pool', title: 'Dilated max-pooling', element, destroy: () => undefined };
}
