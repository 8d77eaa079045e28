import { conv2dPlanned } from '../../core/conv2d';
import { conv2dCode } from '../../core/conv2dCode';
import type { DisplayConfig } from '../../core/displayConfig';
import type { LayerState, StepResult } from '../../core/hostContract';
import { renderOutputGrid } from '../../core/imageGrids';
import { planLayerConv2d } from '../../core/layerPlan';
import { field, h, numberInput } from '../dom/element';
import { paintRgba } from './rgbaCanvas';
import { float32Text } from './significantDigits';
import { stepInputFloats } from './stepTensors';

export interface AbCompare {
  readonly element: HTMLElement;
  mount(container: HTMLElement): void;
  /** The step shown and the current layer (B). */
  update(result: StepResult | null, layer: LayerState | null): void;
  /** Keeps the current layer (config, weights, bias) as A. */
  pin(): void;
  /** Swaps the sides: the current layer on the left and the pinned one on the right, and back. */
  swap(): void;
  unpin(): void;
}

type Nchw = [number, number, number, number];

interface LayerRun {
  shape: Nchw;
  values: Float32Array;
}

const DEFAULT_IMAGES = 4;

/** One colour scale for A and B: each image a row, each channel a column, values mapped by `display`. */
function gridDisplay(columns: number, range: [number, number], colorMap: DisplayConfig['colorMap']): DisplayConfig {
  return { layout: 'channels', normalization: 'fixed', range, colorMap, grid: 'torchvision', columns, padding: 1, padValue: 1 };
}

function draw(canvas: HTMLCanvasElement, run: LayerRun, display: DisplayConfig): void {
  paintRgba(canvas, renderOutputGrid(run.values, run.shape, display), 2);
}

/**
 * Two layers on the same images: A pinned, B the current one, both run here by core's reference
 * conv2d on the step's own input so that any difference is the layers', never the engines'.
 */
export function createAbCompare(): AbCompare {
  let result: StepResult | null = null;
  let layer: LayerState | null = null;
  let pinned: LayerState | null = null;
  let swapped = false;

  const images = numberInput(1, 1, DEFAULT_IMAGES);
  images.setAttribute('data-testid', 'ab-images');
  const pinButton = h('button', { type: 'button', class: 'button', 'data-testid': 'ab-pin' }, 'Pin current layer as A');
  const swapButton = h('button', { type: 'button', class: 'button', 'data-testid': 'ab-swap', disabled: true }, 'Swap A and B');
  const unpinButton = h('button', { type: 'button', class: 'button button-quiet', 'data-testid': 'ab-unpin', disabled: true }, 'Unpin');
  const status = h('p', { class: 'explain-status', role: 'status', 'data-testid': 'ab-status' }, 'Pin a layer, change it, and compare.');
  const canvases = {
    a: h('canvas', { class: 'explain-canvas', 'data-testid': 'ab-a', width: 1, height: 1, role: 'img', 'aria-label': 'layer A output' }),
    b: h('canvas', { class: 'explain-canvas', 'data-testid': 'ab-b', width: 1, height: 1, role: 'img', 'aria-label': 'layer B output' }),
    diff: h('canvas', { class: 'explain-canvas', 'data-testid': 'ab-diff', width: 1, height: 1, role: 'img', 'aria-label': 'difference B minus A' }),
  };
  const captions = { a: h('figcaption', {}), b: h('figcaption', {}), diff: h('figcaption', {}) };
  const maxDiff = h('output', { 'data-testid': 'ab-max-diff' });
  const scaleText = h('p', { class: 'hint', 'data-testid': 'ab-scale' });
  const grids = h(
    'div',
    { class: 'ab-grids', hidden: true },
    ...(['a', 'b', 'diff'] as const).map((k) => h('figure', {}, canvases[k], captions[k])),
  );
  const element = h(
    'section',
    { class: 'card explain-card ab-compare', 'data-testid': 'ab-compare', 'aria-label': 'A/B comparison' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'A/B: two layers on the same images')),
    h('div', { class: 'lesson-controls' }, pinButton, swapButton, unpinButton, field('images', images).row),
    status,
    grids,
    h('p', {}, 'max |B − A| = ', maxDiff),
    scaleText,
  );

  function run(l: LayerState, r: StepResult, count: number): LayerRun {
    const [, c, hh, w] = r.inputShape;
    const shape: Nchw = [count, c, hh, w];
    const plan = planLayerConv2d(l.config, l.weightShape, l.bias !== null, shape);
    const input = stepInputFloats(r).subarray(0, count * c * hh * w);
    const values = new Float32Array(plan.n * plan.cOut * plan.hOut * plan.wOut);
    conv2dPlanned(plan, input, l.weight, l.bias, values);
    return { shape: [plan.n, plan.cOut, plan.hOut, plan.wOut], values };
  }

  function render(): void {
    const on = pinned !== null;
    swapButton.disabled = !on;
    unpinButton.disabled = !on;
    pinButton.textContent = on ? 'Pin current layer as A again' : 'Pin current layer as A';
    grids.hidden = !on;
    if (!pinned || !layer || !result) {
      maxDiff.textContent = '';
      scaleText.textContent = '';
      element.setAttribute('data-state', on ? 'waiting' : 'unpinned');
      return;
    }
    const count = Math.max(1, Math.min(result.inputShape[0], Math.trunc(Number(images.value) || 1)));
    images.max = String(result.inputShape[0]);
    images.value = String(count);
    const [left, right] = swapped ? [layer, pinned] : [pinned, layer];
    const names = swapped ? ['B (current)', 'A (pinned)'] : ['A (pinned)', 'B (current)'];
    let a: LayerRun;
    let b: LayerRun;
    try {
      a = run(left, result, count);
      b = run(right, result, count);
    } catch (e) {
      status.textContent = `Cannot run both layers on this step: ${e instanceof Error ? e.message : String(e)}`;
      element.setAttribute('data-state', 'error');
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of [a.values, b.values]) {
      for (let i = 0; i < v.length; i++) {
        if (v[i]! < lo) lo = v[i]!;
        if (v[i]! > hi) hi = v[i]!;
      }
    }
    if (!(lo < hi)) [lo, hi] = [lo - 0.5, hi + 0.5];
    draw(canvases.a, a, gridDisplay(a.shape[1], [lo, hi], 'viridis'));
    draw(canvases.b, b, gridDisplay(b.shape[1], [lo, hi], 'viridis'));
    const describe = (l: LayerState) => `${conv2dCode(l.config, result!.inputShape[1])} · ${l.weightDescription}`;
    captions.a.textContent = `${names[0]}: [${a.shape.join(', ')}] · ${describe(left)}`;
    captions.b.textContent = `${names[1]}: [${b.shape.join(', ')}] · ${describe(right)}`;
    scaleText.textContent = `A and B share one viridis scale: ${float32Text(lo)} … ${float32Text(hi)}. Rows are images, columns output channels.`;
    const same = a.shape.every((d, i) => d === b.shape[i]);
    if (!same) {
      canvases.diff.hidden = true;
      captions.diff.textContent = 'No difference map: A and B have different output shapes.';
      maxDiff.textContent = 'n/a';
      status.textContent = 'A and B differ in shape.';
      element.setAttribute('data-state', 'ready');
      return;
    }
    const d = new Float32Array(a.values.length);
    let m = 0;
    for (let i = 0; i < d.length; i++) {
      d[i] = Math.fround(b.values[i]! - a.values[i]!);
      m = Math.max(m, Math.abs(d[i]!));
    }
    canvases.diff.hidden = false;
    const half = m > 0 ? m : 1;
    draw(canvases.diff, { shape: a.shape, values: d }, gridDisplay(a.shape[1], [-half, half], 'diverging'));
    captions.diff.textContent = `${swapped ? 'A − B' : 'B − A'}: blue < 0 < red, ±${float32Text(half)}`;
    maxDiff.textContent = float32Text(m);
    status.textContent = m === 0 ? 'A and B give identical outputs.' : 'A and B differ.';
    element.setAttribute('data-state', 'ready');
  }

  pinButton.addEventListener('click', () => api.pin());
  swapButton.addEventListener('click', () => api.swap());
  unpinButton.addEventListener('click', () => api.unpin());
  images.addEventListener('change', render);

  const api: AbCompare = {
    element,
    mount: (container) => container.append(element),
    update(r, l) {
      result = r;
      layer = l;
      render();
    },
    pin() {
      if (!layer) return;
      pinned = structuredClone(layer);
      render();
    },
    swap() {
      if (!pinned) return;
      swapped = !swapped;
      render();
    },
    unpin() {
      pinned = null;
      swapped = false;
      render();
    },
  };
  return api;
}
