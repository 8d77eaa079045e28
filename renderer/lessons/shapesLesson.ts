import { outputSizeFormula, planConv2d, type Conv2dPlan } from '../../core/conv2dOptions';
import { convCoverage } from '../../core/convCoverage';
import { field, h, numberInput } from '../dom/element';
import { lessonFrame, lessonLayer, openLayerButton } from './lessonFrame';
import type { Lesson, LessonContext } from './lessonTypes';

const CELL = 7;
const PRESETS = [
  { label: 'stride 1, padding 1', stride: 1, padding: 1 },
  { label: 'stride 2, padding 2', stride: 2, padding: 2 },
  { label: 'no stride, no padding', stride: 1, padding: 0 },
] as const;

/**
 * Input (1, 3, 28, 28) through a (16, 3, 5, 5) weight: the output size for a stride and padding,
 * drawn to scale with the rows and columns no window reaches, and the formula with its numbers.
 */
export function shapesLesson(context: LessonContext): Lesson {
  const f = {
    n: numberInput(1, 64, 1), c: numberInput(1, 16, 3), hh: numberInput(1, 64, 28), w: numberInput(1, 64, 28),
    out: numberInput(1, 64, 16), k: numberInput(1, 15, 5), stride: numberInput(1, 8, 1), padding: numberInput(0, 8, 1), dilation: numberInput(1, 6, 1),
  };
  for (const [k, input] of Object.entries(f)) input.setAttribute('data-testid', `shapes-${k}`);
  const shapeText = h('output', { class: 'trace-number', 'data-testid': 'shapes-output' });
  const sizeText = h('output', { class: 'trace-number', 'data-testid': 'shapes-size' });
  const formulas = h('pre', { class: 'code-block', 'data-testid': 'shapes-formula' });
  const error = h('p', { class: 'lesson-error', role: 'alert', 'data-testid': 'shapes-error' });
  const inputCanvas = h('canvas', { class: 'explain-canvas', width: 1, height: 1, role: 'img', 'aria-label': 'the input to scale; red rows and columns are never read' });
  const outputCanvas = h('canvas', { class: 'explain-canvas', width: 1, height: 1, role: 'img', 'aria-label': 'the output to scale' });
  const dropped = h('p', { 'data-testid': 'shapes-dropped' });
  let plan: Conv2dPlan | null = null;

  function compute(): void {
    const v = Object.fromEntries(Object.entries(f).map(([k, i]) => [k, Math.trunc(Number(i.value))])) as Record<keyof typeof f, number>;
    error.textContent = '';
    try {
      plan = planConv2d([v.n, v.c, v.hh, v.w], [v.out, v.c, v.k, v.k], [v.out], { stride: v.stride, padding: v.padding, dilation: v.dilation });
    } catch (e) {
      plan = null;
      error.textContent = e instanceof Error ? e.message : String(e);
      shapeText.textContent = '';
      sizeText.textContent = '';
      formulas.textContent = '';
      return;
    }
    const p = plan;
    shapeText.textContent = `(${p.n}, ${p.cOut}, ${p.hOut}, ${p.wOut})`;
    sizeText.textContent = `${p.hOut}×${p.wOut}`;
    formulas.textContent = [
      'H_out = floor((H + 2·padding − dilation·(kernel−1) − 1) / stride) + 1',
      `H_out = ${outputSizeFormula(p.h, p.padTop, p.padBottom, p.dilationH, p.kH, p.strideH)}`,
      `W_out = ${outputSizeFormula(p.w, p.padLeft, p.padRight, p.dilationW, p.kW, p.strideW)}`,
    ].join('\n');
    const cov = convCoverage(p);
    const rows = p.h + p.padTop + p.padBottom;
    const cols = p.w + p.padLeft + p.padRight;
    inputCanvas.width = cols * CELL;
    inputCanvas.height = rows * CELL;
    const g = inputCanvas.getContext('2d');
    if (g) {
      g.fillStyle = '#e8eaed';
      g.fillRect(0, 0, inputCanvas.width, inputCanvas.height);
      g.fillStyle = '#fff3e0';
      g.fillRect(p.padLeft * CELL, p.padTop * CELL, p.w * CELL, p.h * CELL);
      g.fillStyle = 'rgba(197, 34, 31, 0.6)';
      for (const r of cov.rows.unread) g.fillRect(p.padLeft * CELL, (r + p.padTop) * CELL, p.w * CELL, CELL);
      for (const c of cov.cols.unread) g.fillRect((c + p.padLeft) * CELL, p.padTop * CELL, CELL, p.h * CELL);
      g.strokeStyle = '#dadce0';
      for (let r = 0; r <= rows; r++) { g.beginPath(); g.moveTo(0, r * CELL + 0.5); g.lineTo(cols * CELL, r * CELL + 0.5); g.stroke(); }
      for (let c = 0; c <= cols; c++) { g.beginPath(); g.moveTo(c * CELL + 0.5, 0); g.lineTo(c * CELL + 0.5, rows * CELL); g.stroke(); }
      g.strokeStyle = '#e65100';
      g.lineWidth = 2;
      const span = (p.kH - 1) * p.dilationH + 1;
      g.strokeRect(1, 1, span * CELL - 2, span * CELL - 2);
      g.lineWidth = 1;
    }
    outputCanvas.width = p.wOut * CELL;
    outputCanvas.height = p.hOut * CELL;
    const o = outputCanvas.getContext('2d');
    if (o) {
      o.fillStyle = '#ffcc80';
      o.fillRect(0, 0, outputCanvas.width, outputCanvas.height);
      o.strokeStyle = '#fff';
      for (let r = 0; r <= p.hOut; r++) { o.beginPath(); o.moveTo(0, r * CELL + 0.5); o.lineTo(p.wOut * CELL, r * CELL + 0.5); o.stroke(); }
      for (let c = 0; c <= p.wOut; c++) { o.beginPath(); o.moveTo(c * CELL + 0.5, 0); o.lineTo(c * CELL + 0.5, p.hOut * CELL); o.stroke(); }
    }
    dropped.textContent = cov.rows.unreadCount + cov.cols.unreadCount === 0
      ? 'Every input row and column is read by some window.'
      : `Dropped (never read): rows ${cov.rows.unread.join(', ') || 'none'}; columns ${cov.cols.unread.join(', ') || 'none'} — the last window does not fit.`;
  }

  for (const input of Object.values(f)) input.addEventListener('change', compute);
  const presets = PRESETS.map((preset) => {
    const b = h('button', { type: 'button', class: 'button', 'data-testid': `shapes-preset-${preset.stride}-${preset.padding}` }, preset.label);
    b.addEventListener('click', () => {
      f.stride.value = String(preset.stride);
      f.padding.value = String(preset.padding);
      compute();
    });
    return b;
  });
  const element = lessonFrame(
    'shapes', 'Output shapes',
    'A batch of one 28×28 RGB image through nn.Conv2d(3, 16, kernel_size=5): stride and padding decide the output size. When the last window does not fit, the rows and columns it would have read are dropped.',
    h('div', { class: 'lesson-controls' }, ...presets),
    h('fieldset', { class: 'explain-form' }, h('legend', {}, 'input (N, C, H, W)'), field('N', f.n).row, field('C', f.c).row, field('H', f.hh).row, field('W', f.w).row),
    h('fieldset', { class: 'explain-form' }, h('legend', {}, 'layer'), field('out channels', f.out).row, field('kernel', f.k).row, field('stride', f.stride).row, field('padding', f.padding).row, field('dilation', f.dilation).row),
    error,
    h('p', {}, 'Output shape ', shapeText, ' — each map ', sizeText),
    formulas,
    h('div', { class: 'shape-figure' }, h('figure', { class: 'trace-figure' }, inputCanvas, h('figcaption', { class: 'hint' }, 'input with padding (grey); orange: one window; red: dropped')), h('figure', { class: 'trace-figure' }, outputCanvas, h('figcaption', { class: 'hint' }, 'output, same scale'))),
    dropped,
    h('div', { class: 'lesson-controls' }, openLayerButton(() => (plan ? lessonLayer({ outChannels: plan.cOut, kernelSize: [plan.kH, plan.kW], stride: [plan.strideH, plan.strideW], padding: [plan.padTop, plan.padLeft], dilation: [plan.dilationH, plan.dilationW] }) : null), context.onOpenLayer)),
  );
  compute();
  return { id: 'shapes', title: 'Output shapes', element, destroy: () => undefined };
}
