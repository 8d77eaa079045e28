import type { ConvTap, ConvValueTrace } from '../../core/convTrace';
import type { LayerState, StepResult } from '../../core/hostContract';
import { field, h, numberInput } from '../dom/element';
import { drawReceptiveField } from './receptiveFieldCanvas';
import { float32Text, float32UlpsApart, float64Text } from './significantDigits';
import { type OutputPosition, type SelectedTrace, selectedTrace } from './selectedTrace';
import { matchStepLayer, type StepLayer } from './stepTensors';

export type { OutputPosition } from './selectedTrace';

export interface TracePanelOptions {
  /** A tap row is hovered or focused (null when it is left): for drawing it on the input card. */
  onTapHover?: (tap: ConvTap | null, position: OutputPosition) => void;
  /** The user picked another output element in the panel's own form. */
  onSelect?: (position: OutputPosition) => void;
}

export interface TracePanel {
  readonly element: HTMLElement;
  mount(container: HTMLElement): void;
  /** The step shown and the layer that produced it; either may be null while loading. */
  update(result: StepResult | null, layer: LayerState | null): void;
  /** Shows the trace of another output element (clamped into the output). */
  select(position: OutputPosition): void;
  readonly position: OutputPosition;
  destroy(): void;
}

/** More rows than this are summarised: a 64x64 kernel over many channels would be thousands. */
const MAX_ROWS = 1200;

const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, Math.trunc(Number.isFinite(v) ? v : 0)));

function tapReads(tap: ConvTap): string {
  if (tap.mode === 'inside') return 'input';
  if (tap.sourceY === null || tap.sourceX === null) return `${tap.mode} padding → 0`;
  return `${tap.mode} padding → copies (${tap.sourceY}, ${tap.sourceX})`;
}

/**
 * Every multiply behind one output activation, from the step's own input bytes and the layer's
 * weights: the sum printed next to the value the output card shows, so they can be compared.
 */
export function createTracePanel(options: TracePanelOptions = {}): TracePanel {
  let position: OutputPosition = { sample: 0, channel: 0, y: 0, x: 0 };
  let current: StepLayer | null = null;
  let trace: ConvValueTrace | null = null;
  let selected: SelectedTrace | null = null;
  let highlighted: ConvTap | null = null;

  const inputs = {
    sample: numberInput(0, 0, 0),
    channel: numberInput(0, 0, 0),
    y: numberInput(0, 0, 0),
    x: numberInput(0, 0, 0),
  };
  const form = h(
    'div',
    { class: 'trace-form', role: 'group', 'aria-label': 'output element to explain' },
    ...(['sample', 'channel', 'y', 'x'] as const).map((k) => {
      inputs[k].setAttribute('data-testid', `trace-${k}`);
      return field(k === 'channel' ? 'out channel' : k, inputs[k]).row;
    }),
  );
  const status = h('p', { class: 'explain-status', 'data-testid': 'trace-status', role: 'status' });
  const heading = h('code', { class: 'trace-heading' });
  const valueText = h('output', { class: 'trace-number', 'data-testid': 'trace-value' });
  const sumText = h('output', { class: 'trace-number', 'data-testid': 'trace-sum' });
  const sum64Text = h('span', { class: 'hint', 'data-testid': 'trace-sum64' });
  const valueLabel = h('dt', {}, 'output card value (engine, float32)');
  const pool = h('div', { class: 'trace-pool', 'data-testid': 'trace-pool', hidden: true });
  const summary = h(
    'dl',
    { class: 'trace-summary' },
    valueLabel, h('dd', {}, valueText),
    h('dt', {}, 'bias + Σ products, rounded to float32'), h('dd', {}, sumText, ' ', sum64Text),
  );
  const canvas = h('canvas', { class: 'trace-canvas', 'data-testid': 'trace-field', width: 1, height: 1, role: 'img', 'aria-label': 'receptive field on the padded input' });
  const legend = h('p', { class: 'hint trace-legend' });
  const tbody = h('tbody');
  const tfoot = h('tfoot');
  const more = h('p', { class: 'hint', 'data-testid': 'trace-more' });
  const table = h(
    'table',
    { class: 'trace-table', 'data-testid': 'trace-taps' },
    h('caption', { class: 'visually-hidden' }, 'Kernel taps: input read, weight and product'),
    h(
      'thead',
      {},
      h('tr', {}, ...['in ch', 'kernel (ky, kx)', 'input (y, x)', 'reads', 'input value', 'weight', 'product'].map((t) => h('th', { scope: 'col' }, t))),
    ),
    tbody,
    tfoot,
  );
  const element = h(
    'section',
    { class: 'card explain-card trace-panel', 'data-testid': 'trace-panel', 'aria-label': 'value trace' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Where this value comes from'), heading),
    form,
    status,
    pool,
    summary,
    h('div', { class: 'trace-body' }, h('figure', { class: 'trace-figure' }, canvas, h('figcaption', {}, legend)), h('div', { class: 'trace-scroll' }, table, more)),
  );

  for (const k of Object.keys(inputs) as (keyof OutputPosition)[]) {
    inputs[k].addEventListener('change', () => {
      select({ ...position, [k]: Number(inputs[k].value) });
      options.onSelect?.(position);
    });
  }

  function setHighlight(tap: ConvTap | null): void {
    if (highlighted === tap) return;
    highlighted = tap;
    redrawCanvas();
    options.onTapHover?.(tap, position);
  }

  function redrawCanvas(): void {
    if (!selected || !trace) return;
    const { plan } = selected;
    const g = plan.cIn / plan.groups;
    const first = Math.floor(position.channel / (plan.cOut / plan.groups)) * g;
    const channels = g === 3 ? [first, first + 1, first + 2] : [first];
    drawReceptiveField(canvas, { plan, input: selected.input, sample: selected.sample, channels, y: selected.trace.convY!, x: selected.trace.convX!, taps: trace.taps, highlighted });
  }

  function row(tap: ConvTap, i: number): HTMLTableRowElement {
    const tr = h(
      'tr',
      { tabindex: i === 0 ? 0 : -1, class: tap.mode === 'inside' ? 'tap-row' : 'tap-row tap-padding', 'data-tap': i },
      h('td', {}, String(tap.inChannel)),
      h('td', {}, `(${tap.ky}, ${tap.kx})`),
      h('td', {}, `(${tap.iy}, ${tap.ix})`),
      h('td', {}, tapReads(tap)),
      h('td', { class: 'num' }, float32Text(tap.input)),
      h('td', { class: 'num' }, float32Text(tap.weight)),
      h('td', { class: 'num' }, float64Text(tap.product)),
    );
    tr.addEventListener('mouseenter', () => setHighlight(tap));
    tr.addEventListener('focus', () => setHighlight(tap));
    return tr;
  }

  // Roving focus: one row in the tab order, arrows move between rows.
  tbody.addEventListener('keydown', (event) => {
    const rows = Array.from(tbody.rows);
    const at = rows.indexOf(document.activeElement as HTMLTableRowElement);
    if (at < 0) return;
    const to = event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? rows.length - 1 : null;
    if (to === null) return;
    event.preventDefault();
    const next = rows[Math.max(0, Math.min(rows.length - 1, to))]!;
    rows[at]!.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
  table.addEventListener('mouseleave', () => setHighlight(null));
  table.addEventListener('focusout', (event) => {
    if (!table.contains(event.relatedTarget as Node | null)) setHighlight(null);
  });

  function render(): void {
    trace = null;
    selected = null;
    highlighted = null;
    if (!current) return;
    const { plan, result } = current;
    const [n, cOut, hOut, wOut] = result.outputShape;
    position = {
      sample: clamp(position.sample, n),
      channel: clamp(position.channel, cOut),
      y: clamp(position.y, hOut),
      x: clamp(position.x, wOut),
    };
    const limits: Record<keyof OutputPosition, number> = { sample: n, channel: cOut, y: hOut, x: wOut };
    for (const k of Object.keys(inputs) as (keyof OutputPosition)[]) {
      inputs[k].max = String(limits[k] - 1);
      inputs[k].value = String(position[k]);
    }
    const { sample, channel, y, x } = position;
    heading.textContent = `y[${sample}, ${channel}, ${y}, ${x}]`;
    selected = selectedTrace(current, position);
    renderPool(selected);
    if (!selected.trace.conv) {
      tbody.replaceChildren();
      tfoot.replaceChildren();
      valueText.textContent = sumText.textContent = sum64Text.textContent = more.textContent = '';
      status.textContent = 'The pooling window covers padding only: no conv value won.';
      return;
    }
    trace = selected.trace.conv;
    const layer = current.layer;
    const convAt = `y_conv[${sample}, ${channel}, ${selected.trace.convY}, ${selected.trace.convX}]`;
    valueLabel.textContent = current.pipeline.pool || current.pipeline.relu ? `conv value ${convAt} (float32, recomputed in the page)` : 'output card value (engine, float32)';
    valueText.textContent = float32Text(trace.value);
    sumText.textContent = float32Text(trace.sum);
    sum64Text.textContent = `(float64: ${float64Text(trace.sum)})`;
    element.setAttribute('data-tap-count', String(trace.taps.length));
    const ulps = float32UlpsApart(Math.fround(trace.sum), trace.value);
    element.setAttribute('data-ulps', String(ulps));
    // What float32 accumulation in any order may lose: one rounding per addition, each at most
    // half an ulp of a partial sum no larger than the sum of magnitudes.
    const magnitude = trace.taps.reduce((m, t) => m + Math.abs(t.product), Math.abs(trace.bias));
    const bound = (trace.taps.length + 1) * 2 ** -24 * magnitude;
    const off = Math.abs(trace.value - trace.sum);
    element.setAttribute('data-engine-error', String(off));
    element.setAttribute('data-error-bound', String(bound));
    const taps = `${trace.taps.length} taps = ${plan.cIn / plan.groups} input channel${plan.cIn / plan.groups === 1 ? '' : 's'} of group ${Math.floor(channel / (plan.cOut / plan.groups))} × ${plan.kH}×${plan.kW} kernel`;
    const matches = current.pipeline.pool || current.pipeline.relu ? 'the sum matches the conv value' : 'the sum matches the output card';
    status.textContent = ulps === 0
      ? `${taps}; ${matches}.`
      : `${taps}; the output card's float32 is ${ulps} float32 step${ulps === 1 ? '' : 's'} from the rounded sum (off by ${float64Text(off)}, ${off <= bound ? 'within' : 'BEYOND'} float32 accumulation error ${float64Text(bound)}): the engine adds in float32, in its own order.`;
    const shown = trace.taps.slice(0, MAX_ROWS);
    tbody.replaceChildren(...shown.map(row));
    more.textContent = trace.taps.length > MAX_ROWS ? `${trace.taps.length - MAX_ROWS} more taps not listed (the sum includes them).` : '';
    tfoot.replaceChildren(
      h('tr', {}, h('th', { scope: 'row', colspan: 6 }, layer.bias ? 'bias' : 'bias (none: bias=False)'), h('td', { class: 'num' }, float32Text(trace.bias))),
      h('tr', {}, h('th', { scope: 'row', colspan: 6 }, 'sum (float64, in the reference order)'), h('td', { class: 'num' }, float64Text(trace.sum))),
    );
    const pads = `${plan.padTop} top, ${plan.padBottom} bottom, ${plan.padLeft} left, ${plan.padRight} right`;
    legend.textContent = `Orange: the ${plan.kH}×${plan.kW} taps (dilation ${plan.dilationH}, ${plan.dilationW}). Dashed blue: the next output's field (stride ${plan.strideH}, ${plan.strideW}). Tinted band: ${plan.paddingMode} padding (${pads}).`;
    redrawCanvas();
  }

  /** With ReLU or a pool: which window, which element won, and the ReLU, before the conv trace. */
  function renderPool(sel: SelectedTrace): void {
    const t = sel.trace;
    const parts: Node[] = [];
    if (t.pool) {
      const winner = t.pool.winner >= 0 ? t.pool.elements[t.pool.winner]! : null;
      const rows = t.pool.elements.map((e, i) => h(
        'tr',
        { class: i === t.pool!.winner ? 'pool-winner' : '' },
        h('td', {}, `(${e.ky}, ${e.kx})`),
        h('td', {}, `(${e.iy}, ${e.ix})`),
        h('td', {}, e.kind === 'inside' ? 'conv output' : e.kind === 'padding' ? 'padding (-inf)' : 'past the edge (ceil_mode)'),
        h('td', { class: 'num' }, e.kind === 'inside' ? float32Text(e.value) : '-inf'),
        h('td', {}, i === t.pool!.winner ? 'max' : ''),
      ));
      const relu = current?.pipeline.relu ? " ReLU'd" : '';
      parts.push(
        h('p', {}, `MaxPool2d: y[${sel.position.sample}, ${sel.position.channel}, ${sel.position.y}, ${sel.position.x}] = ${float32Text(t.pool.value)} is the largest of the${relu} conv outputs in its ${t.pool.elements.length}-element window; the output card shows ${float32Text(sel.shown)}.`),
        h('p', {}, 'Winner: conv output at ', h('output', { class: 'trace-number', 'data-testid': 'trace-pool-winner' }, winner ? `(${winner.iy}, ${winner.ix})` : 'none'), winner ? ` (window element (${winner.ky}, ${winner.kx})); its conv trace follows.` : ''),
        h('div', { class: 'trace-scroll' }, h(
          'table',
          { class: 'trace-table', 'data-testid': 'trace-pool-window' },
          h('caption', { class: 'visually-hidden' }, 'Pooling window: position, value and the winner'),
          h('thead', {}, h('tr', {}, ...['window (ky, kx)', 'conv (y, x)', 'reads', 'value', 'max'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, ...rows),
        )),
      );
    }
    if (t.relu && t.conv) parts.push(h('p', { 'data-testid': 'trace-relu' }, `ReLU: max(0, ${float32Text(t.conv.value)}) = ${float32Text(t.relu.value)}.`));
    pool.replaceChildren(...parts);
    pool.setAttribute('data-pooled', t.pool ? float32Text(t.pool.value) : '');
    pool.setAttribute('data-shown', float32Text(sel.shown));
    pool.hidden = parts.length === 0;
  }

  function update(result: StepResult | null, layer: LayerState | null): void {
    const match = matchStepLayer(result, layer);
    if (!match.ok) {
      current = null;
      status.textContent = match.reason;
      element.setAttribute('data-state', 'waiting');
      return;
    }
    current = match.value;
    element.setAttribute('data-state', 'ready');
    render();
  }

  function select(next: OutputPosition): void {
    position = { ...next };
    render();
  }

  return {
    element,
    mount: (container) => container.append(element),
    update,
    select,
    get position() {
      return { ...position };
    },
    destroy: () => element.remove(),
  };
}
