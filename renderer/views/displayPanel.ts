import type { DisplayConfig } from '../../core/displayConfig';
import { DISPLAY_PRESETS } from '../../core/displayPresets';
import type { ErrorMap } from '../appState';
import { field, h, numberInput, option } from '../dom/element';

const CUSTOM = '(custom)';

/** The display modes of the core (TensorBoard first) and each DisplayConfig field. Changes redraw locally. */
export class DisplayPanel {
  readonly element: HTMLElement;
  private readonly preset = h('select', { id: 'display-preset' });
  private readonly layout = h('select', { id: 'display-layout' }, option('rgb', 'RGB tiles'), option('channels', 'grey tile per channel'));
  private readonly normalization = h(
    'select',
    { id: 'display-normalization' },
    option('tensorboard', 'TensorBoard (×255, clip)'),
    option('tile', 'per tile min..max'),
    option('channel', 'per channel (batch)'),
    option('batch', 'whole step min..max'),
    option('fixed', 'fixed range'),
  );
  private readonly rangeMin = numberInput(-1e6, 1e6, 0, 0.01);
  private readonly rangeMax = numberInput(-1e6, 1e6, 1, 0.01);
  private readonly colorMap = h('select', { id: 'display-colormap' }, option('gray', 'gray'), option('viridis', 'viridis'), option('diverging', 'diverging'));
  private readonly grid = h('select', { id: 'display-grid' }, option('tensorboard', 'TensorBoard (no gaps)'), option('torchvision', 'torchvision make_grid'));
  private readonly columns = numberInput(1, 64, 8);
  private readonly padding = numberInput(0, 16, 0);
  private readonly padValue = numberInput(0, 1, 0, 0.05);
  private readonly rangeRow: HTMLElement;
  private readonly rangeError = h('span', { class: 'field-error', role: 'alert', 'data-testid': 'error-range' });
  private readonly displayError = h('div', { class: 'field-error panel-error', role: 'alert', 'data-testid': 'error-display' });
  private readonly paddingRows: HTMLElement[];

  constructor(private readonly changed: (display: DisplayConfig) => void, readonly colorBar: HTMLElement) {
    this.preset.replaceChildren(...Object.keys(DISPLAY_PRESETS).map((n) => option(n, n)), option(CUSTOM, CUSTOM));
    this.layout.title = 'RGB tiles: the channels in threes, reshape(-1, 3, H, W), as add_images; otherwise one grey tile per channel';
    this.normalization.title = 'How activations become pixel values';
    this.columns.id = 'display-columns';
    this.padding.id = 'display-padding';
    this.padValue.id = 'display-pad-value';
    this.rangeMin.id = 'display-range-min';
    this.rangeMax.id = 'display-range-max';
    this.rangeMin.setAttribute('aria-label', 'range minimum');
    this.rangeMax.setAttribute('aria-label', 'range maximum');
    this.rangeRow = h(
      'div',
      { class: 'field' },
      h('label', { for: this.rangeMin.id }, 'range'),
      h('span', { class: 'pair' }, this.rangeMin, h('label', { for: this.rangeMax.id, class: 'pair-sep' }, '…'), this.rangeMax),
      this.rangeError,
    );
    this.rangeMin.setAttribute('aria-describedby', 'display-range-error');
    this.rangeMax.setAttribute('aria-describedby', 'display-range-error');
    this.rangeError.id = 'display-range-error';
    const paddingField = field('grid padding', this.padding);
    const padValueField = field('pad value', this.padValue);
    this.paddingRows = [paddingField.row, padValueField.row];
    this.element = h(
      'section',
      { class: 'panel', 'aria-label': 'Display' },
      h('h2', { class: 'panel-title' }, 'Display'),
      this.displayError,
      field('preset', this.preset).row,
      field('layout', this.layout).row,
      field('normalisation', this.normalization).row,
      this.rangeRow,
      field('colour map (grey tiles)', this.colorMap).row,
      colorBar,
      field('grid', this.grid).row,
      field('columns', this.columns).row,
      paddingField.row,
      padValueField.row,
    );
    this.preset.addEventListener('change', () => {
      const chosen = DISPLAY_PRESETS[this.preset.value];
      if (!chosen) return;
      this.setDisplay(chosen);
      this.changed(chosen);
    });
    for (const control of [this.layout, this.normalization, this.rangeMin, this.rangeMax, this.colorMap, this.grid, this.columns, this.padding, this.padValue]) {
      control.addEventListener('change', () => {
        const display = this.readDisplay();
        this.selectMatchingPreset(display);
        this.sync();
        this.changed(display);
      });
    }
  }

  setDisplay(display: DisplayConfig): void {
    this.layout.value = display.layout;
    this.normalization.value = display.normalization;
    this.rangeMin.value = String(display.range?.[0] ?? 0);
    this.rangeMax.value = String(display.range?.[1] ?? 1);
    this.colorMap.value = display.colorMap;
    this.grid.value = display.grid;
    this.columns.value = String(display.columns);
    this.padding.value = String(display.padding);
    this.padValue.value = String(display.padValue);
    this.selectMatchingPreset(display);
    this.sync();
  }

  showErrors(errors: ErrorMap): void {
    this.rangeError.textContent = errors.range ?? '';
    this.displayError.textContent = errors.display ?? '';
    for (const input of [this.rangeMin, this.rangeMax]) input.setAttribute('aria-invalid', String(Boolean(errors.range)));
  }

  readDisplay(): DisplayConfig {
    const display: DisplayConfig = {
      layout: this.layout.value as DisplayConfig['layout'],
      normalization: this.normalization.value as DisplayConfig['normalization'],
      colorMap: this.colorMap.value as DisplayConfig['colorMap'],
      grid: this.grid.value as DisplayConfig['grid'],
      columns: Math.max(1, Math.floor(Number(this.columns.value) || 8)),
      padding: Math.max(0, Math.floor(Number(this.padding.value) || 0)),
      padValue: Math.min(1, Math.max(0, Number(this.padValue.value) || 0)),
    };
    if (display.normalization === 'fixed') display.range = [Number(this.rangeMin.value), Number(this.rangeMax.value)];
    return display;
  }

  private selectMatchingPreset(display: DisplayConfig): void {
    const match = Object.entries(DISPLAY_PRESETS).find(([, p]) => sameDisplay(p, display));
    this.preset.value = match ? match[0] : CUSTOM;
  }

  private sync(): void {
    this.rangeRow.hidden = this.normalization.value !== 'fixed';
    const torchvision = this.grid.value === 'torchvision';
    for (const row of this.paddingRows) row.hidden = !torchvision;
  }
}

function sameDisplay(a: DisplayConfig, b: DisplayConfig): boolean {
  const norm = (d: DisplayConfig) => JSON.stringify({ ...d, range: d.normalization === 'fixed' ? d.range : undefined });
  return norm(a) === norm(b);
}
