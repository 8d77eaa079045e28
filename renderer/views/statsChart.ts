import type { Chart, ChartEvent } from 'chart.js';
import type { StatsResult } from '../../core/hostContract';
import type { AppState } from '../appState';
import { registerCharts } from '../charts/registerCharts';
import { channelColor } from '../charts/channelColors';
import { field, h, option } from '../dom/element';
import { ProgressRow } from './progressRow';

export interface StatsChartEvents {
  start(): void;
  cancel(): void;
  jumpTo(step: number): void;
}

/** Per-channel mean or std of the output at every step, from one back-end pass; a click jumps to that step. */
export class StatsChart {
  readonly element: HTMLElement;
  private readonly metric = h('select', { id: 'stats-metric' }, option('mean', 'mean'), option('std', 'standard deviation'));
  private readonly startButton = h('button', { type: 'button', class: 'button', 'data-testid': 'stats-start' }, 'Compute over all steps');
  private readonly progress: ProgressRow;
  private readonly canvas = h('canvas', { 'aria-label': 'Per-channel statistics by step', role: 'img' });
  private readonly box = h('div', { class: 'chart-box chart-box-tall', hidden: true }, this.canvas);
  private readonly error = h('div', { class: 'field-error', role: 'alert', 'data-testid': 'error-stats' });
  private readonly note = h('div', { class: 'muted chart-summary' }, 'One streaming pass over the split with the current layer. Click a point to open that step.');
  private chart: Chart<'line'> | null = null;
  private stats: StatsResult | null = null;

  constructor(private readonly events: StatsChartEvents) {
    this.progress = new ProgressRow('stats pass', 'stats', () => events.cancel());
    this.element = h(
      'section',
      { class: 'card chart-card', 'aria-label': 'Statistics over all steps' },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'per-channel statistics'), h('span', { class: 'card-subtitle' }, 'all steps')),
      h('div', { class: 'chart-actions' }, this.startButton, field('show', this.metric).row),
      this.progress.element,
      this.error,
      this.box,
      this.note,
    );
    this.startButton.addEventListener('click', () => events.start());
    this.metric.addEventListener('change', () => this.draw());
  }

  render(state: AppState): void {
    this.progress.render(state.jobs.stats);
    this.startButton.disabled = state.jobs.stats.state === 'running';
    this.error.textContent = state.errors.stats ?? '';
    const stats = state.statsStale ? null : state.stats;
    if (stats === this.stats) return;
    this.stats = stats;
    this.box.hidden = stats === null;
    if (stats) {
      this.note.textContent = 'Click a point to open that step.';
      this.draw();
    } else if (state.statsStale) {
      this.note.textContent = 'The layer or data changed: compute again to see the statistics for the new settings.';
    }
  }

  private draw(): void {
    const stats = this.stats;
    if (!stats) return;
    const key = this.metric.value === 'std' ? 'std' : 'mean';
    const channels = stats.steps[0]?.[key].length ?? 0;
    const labels = stats.steps.map((_, i) => String(i));
    const datasets = Array.from({ length: channels }, (_, c) => ({
      label: `channel ${c}`,
      data: stats.steps.map((s) => s[key][c] ?? null),
      borderColor: channelColor(c),
      backgroundColor: channelColor(c),
      borderWidth: 1.5,
      pointRadius: stats.steps.length > 60 ? 0 : 2,
      pointHoverRadius: 4,
      tension: 0,
    }));
    if (this.chart) {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.options.scales!['y']!.title = { display: true, text: key };
      this.chart.update('none');
      return;
    }
    const ChartClass = registerCharts();
    this.chart = new ChartClass(this.canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10 } }, tooltip: { callbacks: { title: (items) => `step ${items[0]?.label ?? ''}` } } },
        scales: { x: { title: { display: true, text: 'step' }, ticks: { maxTicksLimit: 12 }, grid: { display: false } }, y: { title: { display: true, text: key } } },
        onClick: (event: ChartEvent) => {
          const chart = this.chart;
          const native = event.native;
          if (!chart || !native) return;
          const hit = chart.getElementsAtEventForMode(native, 'index', { intersect: false }, false)[0];
          if (hit) this.events.jumpTo(hit.index);
        },
      },
    });
  }
}
