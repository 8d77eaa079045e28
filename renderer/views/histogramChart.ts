import type { Chart } from 'chart.js';
import type { StepResult } from '../../core/hostContract';
import { histogramOf } from '../charts/histogramBins';
import { registerCharts } from '../charts/registerCharts';
import { field, h, option } from '../dom/element';

const BINS = 48;

/** Distribution of the current step's output activations, all channels or one. */
export class HistogramChart {
  readonly element: HTMLElement;
  private readonly channel = h('select', { id: 'histogram-channel' });
  private readonly summary = h('div', { class: 'muted chart-summary', 'data-testid': 'histogram-summary' });
  private readonly canvas = h('canvas', { 'aria-label': 'Histogram of output activations', role: 'img' });
  private chart: Chart<'bar'> | null = null;
  private result: StepResult | null = null;
  private channels = -1;

  constructor() {
    this.element = h(
      'section',
      { class: 'card chart-card', 'aria-label': 'Activation histogram' },
      h('header', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'output activations'), h('span', { class: 'card-subtitle' }, 'histogram, current step')),
      field('channel', this.channel).row,
      h('div', { class: 'chart-box' }, this.canvas),
      this.summary,
    );
    this.channel.addEventListener('change', () => this.draw());
  }

  update(result: StepResult): void {
    this.result = result;
    const c = result.outputShape[1];
    if (c !== this.channels) {
      const keep = this.channel.value;
      this.channel.replaceChildren(option('all', 'all channels'), ...Array.from({ length: c }, (_, i) => option(String(i), `channel ${i}`)));
      this.channel.value = keep !== '' && (keep === 'all' || Number(keep) < c) ? keep : 'all';
      this.channels = c;
    }
    this.draw();
  }

  private draw(): void {
    const result = this.result;
    if (!result) return;
    const channel = this.channel.value === 'all' ? null : Number(this.channel.value);
    const histogram = histogramOf(result.output, result.outputShape, channel, BINS);
    const labels = histogram.edges.map((e) => (e + histogram.width / 2).toPrecision(3));
    const stats = channel === null ? null : result.channelStats[channel];
    this.summary.textContent =
      `${histogram.total.toLocaleString()} values in [${histogram.min.toPrecision(4)}, ${histogram.max.toPrecision(4)}]` +
      (stats ? ` · mean ${stats.mean.toPrecision(4)} · std ${stats.std.toPrecision(4)}` : '');
    if (!this.chart) {
      const ChartClass = registerCharts();
      this.chart = new ChartClass(this.canvas, {
        type: 'bar',
        data: { labels, datasets: [{ label: 'count', data: histogram.counts, backgroundColor: '#f57c00', borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }] },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => `≈ ${items[0]?.label ?? ''}` } } },
          scales: { x: { ticks: { maxTicksLimit: 8 }, grid: { display: false }, title: { display: true, text: 'activation' } }, y: { beginAtZero: true, title: { display: true, text: 'count' } } },
        },
      });
      return;
    }
    this.chart.data.labels = labels;
    this.chart.data.datasets[0]!.data = histogram.counts;
    this.chart.update('none');
  }
}
