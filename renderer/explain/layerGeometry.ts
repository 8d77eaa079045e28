import { PADDING_MODES, type Conv2dPlan, type PaddingMode } from '../../core/conv2dOptions';
import { convCoverage } from '../../core/convCoverage';
import { groupConnectivity } from '../../core/groupConnectivity';
import type { LayerState, StepResult } from '../../core/hostContract';
import { paddedSourceIndex } from '../../core/paddedSourceIndex';
import { field, h, numberInput, option } from '../dom/element';
import { layerCodeText } from './layerCodeText';
import { drawPaddedPlane, paddedCellAt, type PaddedPlane, type Pads } from './paddedPlaneCanvas';
import { paddingModeColor } from './paddingColors';
import { matchStepLayer, type StepLayer } from './stepTensors';

export interface LayerGeometry {
  readonly element: HTMLElement;
  mount(container: HTMLElement): void;
  update(result: StepResult | null, layer: LayerState | null): void;
  destroy(): void;
}

/** Connectivity matrices bigger than this are summarised in words. */
const MAX_MATRIX = 48;

function planeOf(s: StepLayer, sample: number, channel: number): Float32Array {
  const { h: hh, w, cIn } = s.plan;
  const start = (sample * cIn + channel) * hh * w;
  return s.input.subarray(start, start + hh * w);
}

/** Padding, coverage, groups and code of the current layer, on one image of the current step. */
export function createLayerGeometry(): LayerGeometry {
  let current: StepLayer | null = null;
  const sampleInput = numberInput(0, 0, 0);
  sampleInput.setAttribute('data-testid', 'geometry-sample');
  const channelSelect = h('select', { 'data-testid': 'geometry-channel' });
  const status = h('p', { class: 'explain-status', role: 'status' });

  const modesRow = h('div', { class: 'explain-row', 'data-testid': 'padding-inspector' });
  const readout = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'padding-readout' }, 'Hover a padding cell to see which pixel it copies.');
  const legend = h('ul', { class: 'legend' }, ...PADDING_MODES.map((m) => h('li', {}, h('span', { class: `legend-swatch swatch-${m}` }), paddingModeColor(m).label)));
  for (const m of PADDING_MODES) legend.querySelector<HTMLElement>(`.swatch-${m}`)!.style.background = paddingModeColor(m).line;

  const coverageCanvas = h('canvas', { class: 'explain-canvas', 'data-testid': 'coverage-canvas', width: 1, height: 1, role: 'img', 'aria-label': 'input rows and columns no output reads, striped red' });
  const coverageText = h('p', { 'data-testid': 'coverage-text' });
  const groupsText = h('div', { 'data-testid': 'groups-text' });
  const matrixHolder = h('div', { class: 'trace-scroll' });
  const code = h('pre', { class: 'code-block', 'data-testid': 'layer-code', tabindex: 0, 'aria-label': 'the layer as PyTorch code' });
  const copyStatus = h('span', { class: 'hint', role: 'status' });
  const copyButton = h('button', { type: 'button', class: 'button', 'data-testid': 'copy-code' }, 'Copy');

  const element = h(
    'section',
    { class: 'card explain-card layer-geometry', 'data-testid': 'layer-geometry', 'aria-label': 'layer geometry' },
    h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Layer geometry')),
    h('div', { class: 'explain-form' }, field('image', sampleInput).row, field('input channel', channelSelect).row),
    status,
    h('h3', {}, 'Padding: what each border cell copies'),
    legend,
    modesRow,
    readout,
    h('h3', {}, 'Coverage: input the layer never reads'),
    h('div', { class: 'explain-row' }, coverageCanvas, coverageText),
    h('h3', {}, 'Groups: which input channels each output sums'),
    h('div', { class: 'explain-row' }, matrixHolder, groupsText),
    h('h3', {}, 'The layer in PyTorch'),
    code,
    h('div', { class: 'lesson-controls' }, copyButton, copyStatus),
  );

  copyButton.addEventListener('click', () => {
    const text = code.textContent ?? '';
    const fallback = () => {
      const selection = window.getSelection();
      selection?.selectAllChildren(code);
      copyStatus.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    };
    if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(text).then(() => (copyStatus.textContent = 'Copied.'), fallback);
    } else fallback();
  });
  sampleInput.addEventListener('change', () => render());
  channelSelect.addEventListener('change', () => render());

  function padsFor(plan: Conv2dPlan): Pads {
    const any = plan.padTop + plan.padBottom + plan.padLeft + plan.padRight > 0;
    // With no padding in the layer the modes would look alike: show two cells of each instead.
    return any ? { top: plan.padTop, bottom: plan.padBottom, left: plan.padLeft, right: plan.padRight } : { top: 2, bottom: 2, left: 2, right: 2 };
  }

  function renderPadding(s: StepLayer, sample: number, channel: number): void {
    const { plan } = s;
    const pads = padsFor(plan);
    const plane = planeOf(s, sample, channel);
    const cell = Math.max(2, Math.min(6, Math.floor(200 / (plan.w + pads.left + pads.right))));
    const figures = PADDING_MODES.map((mode: PaddingMode) => {
      // Reflect cannot pad by the input's size or more: PyTorch refuses it, so neither does this view.
      const ok = mode !== 'reflect' || (pads.top < plan.h && pads.bottom < plan.h && pads.left < plan.w && pads.right < plan.w);
      const ok2 = mode !== 'circular' || (pads.top <= plan.h && pads.bottom <= plan.h && pads.left <= plan.w && pads.right <= plan.w);
      const p: PaddedPlane = { plane, h: plan.h, w: plan.w, pads, mode, cell };
      const canvas = h('canvas', { class: 'explain-canvas', 'data-testid': `pad-${mode}`, width: 1, height: 1, role: 'img', 'aria-label': `channel ${channel} padded with ${mode}` });
      if (ok && ok2) drawPaddedPlane(canvas, p);
      canvas.addEventListener('mousemove', (event) => {
        const at = paddedCellAt(p, (event.offsetX / canvas.clientWidth) * canvas.width, (event.offsetY / canvas.clientHeight) * canvas.height);
        if (!at) return;
        drawPaddedPlane(canvas, p, at);
        const sy = paddedSourceIndex(at.iy, plan.h, mode);
        const sx = paddedSourceIndex(at.ix, plan.w, mode);
        const inside = at.iy >= 0 && at.iy < plan.h && at.ix >= 0 && at.ix < plan.w;
        readout.textContent = inside ? `(${at.iy}, ${at.ix}) is inside the image.` : sy < 0 || sx < 0 ? `${mode}: padding cell (${at.iy}, ${at.ix}) reads 0.` : `${mode}: padding cell (${at.iy}, ${at.ix}) copies pixel (${sy}, ${sx}).`;
      });
      canvas.addEventListener('mouseleave', () => drawPaddedPlane(canvas, p));
      const label = `${mode}${mode === plan.paddingMode ? ' (this layer)' : ''}${ok && ok2 ? '' : ': PyTorch refuses this padding'}`;
      return h('figure', { class: 'trace-figure' }, canvas, h('figcaption', { class: mode === plan.paddingMode ? 'badge' : 'hint' }, label));
    });
    modesRow.replaceChildren(...figures);
  }

  function renderCoverage(s: StepLayer, sample: number, channel: number): void {
    const { plan } = s;
    const cov = convCoverage(plan);
    const cell = Math.max(2, Math.min(8, Math.floor(256 / plan.w)));
    const p: PaddedPlane = { plane: planeOf(s, sample, channel), h: plan.h, w: plan.w, pads: { top: 0, bottom: 0, left: 0, right: 0 }, mode: 'zeros', cell };
    drawPaddedPlane(coverageCanvas, p);
    const g = coverageCanvas.getContext('2d');
    if (g) {
      g.fillStyle = 'rgba(197, 34, 31, 0.55)';
      for (const r of cov.rows.unread) g.fillRect(0, r * cell, coverageCanvas.width, cell);
      for (const c of cov.cols.unread) g.fillRect(c * cell, 0, cell, coverageCanvas.height);
    }
    const list = (xs: readonly number[]) => (xs.length === 0 ? 'none' : xs.length > 12 ? `${xs.slice(0, 12).join(', ')}, … (${xs.length})` : xs.join(', '));
    coverageText.textContent = `Rows never read: ${list(cov.rows.unread)} (${cov.rows.unreadCount} of ${cov.rows.length}). Columns never read: ${list(cov.cols.unread)} (${cov.cols.unreadCount} of ${cov.cols.length}). Nothing the layer outputs depends on them.`;
  }

  function renderGroups(s: StepLayer): void {
    const g = groupConnectivity(s.plan);
    const n = s.plan.n;
    groupsText.replaceChildren(
      h('p', {}, `groups=${g.groups}: each output channel sums ${g.inPerGroup} input channel${g.inPerGroup === 1 ? '' : 's'}; ${g.outPerGroup} output channel${g.outPerGroup === 1 ? '' : 's'} per group. `, g.depthwise ? h('span', { class: 'badge', 'data-testid': 'depthwise' }, 'depthwise') : null),
      h('p', { 'data-testid': 'param-count' }, `Parameters: ${g.weights.toLocaleString('en-US')} weights + ${g.biases.toLocaleString('en-US')} biases = ${g.parameters.toLocaleString('en-US')}`),
      h('p', { 'data-testid': 'mac-count' }, `Multiply-adds: ${g.multiplyAddsPerImage.toLocaleString('en-US')} per image, ${g.multiplyAddsPerBatch.toLocaleString('en-US')} per batch of ${n}`),
    );
    if (s.plan.cOut > MAX_MATRIX || s.plan.cIn > MAX_MATRIX) {
      matrixHolder.replaceChildren(h('p', { class: 'hint' }, `${s.plan.cOut} × ${s.plan.cIn} channels: too many to draw.`));
      return;
    }
    const table = h(
      'table',
      { class: 'group-matrix', 'data-testid': 'group-matrix' },
      h('caption', { class: 'visually-hidden' }, 'Connectivity: rows are output channels, columns input channels; a filled cell means connected'),
      h('thead', {}, h('tr', {}, h('td', {}), ...Array.from({ length: s.plan.cIn }, (_, c) => h('th', { scope: 'col' }, `in ${c}`)))),
      h(
        'tbody',
        {},
        ...g.connected.map((row, o) => h('tr', {}, h('th', { scope: 'row' }, `out ${o}`), ...row.map((on) => h('td', { class: on ? 'on' : '' }, on ? '●' : h('span', { class: 'visually-hidden' }, 'not connected'))))),
      ),
    );
    matrixHolder.replaceChildren(table);
  }

  function render(): void {
    if (!current) return;
    const { plan } = current;
    const sample = Math.max(0, Math.min(plan.n - 1, Math.trunc(Number(sampleInput.value) || 0)));
    sampleInput.max = String(plan.n - 1);
    sampleInput.value = String(sample);
    const channel = Math.max(0, Math.min(plan.cIn - 1, Number(channelSelect.value) || 0));
    if (channelSelect.options.length !== plan.cIn) channelSelect.replaceChildren(...Array.from({ length: plan.cIn }, (_, c) => option(String(c), String(c), c === channel)));
    renderPadding(current, sample, channel);
    renderCoverage(current, sample, channel);
    renderGroups(current);
    code.textContent = layerCodeText(current.layer, plan.cIn);
    status.textContent = `padding ${plan.padTop}/${plan.padBottom} (top/bottom), ${plan.padLeft}/${plan.padRight} (left/right), mode ${plan.paddingMode}`;
  }

  return {
    element,
    mount: (container) => container.append(element),
    update(result, layer) {
      const match = matchStepLayer(result, layer);
      if (!match.ok) {
        status.textContent = match.reason;
        return;
      }
      current = match.value;
      render();
    },
    destroy: () => element.remove(),
  };
}
