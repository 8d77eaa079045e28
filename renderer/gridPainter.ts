import type { DisplayConfig } from '../core/displayConfig';
import type { StepResult } from '../core/hostContract';
import { renderInputGrid, renderOutputGridWithScale } from '../core/imageGrids';
import type { AppState } from './appState';
import { colorScaleFor } from './colorScale';
import { locateGridPixel } from '../core/gridLocate';
import { tileRectsWhere } from './gridLookup';
import { recordPaintTiming } from './paintTimings';
import type { ColorBar } from './views/colorBar';
import type { GridCard } from './views/gridCard';
import type { HoverInfo } from './views/hoverInfo';

/**
 * Turns a step result into the two grids with the core's own renderers (the exporter uses the same
 * functions, so the screen and the PNGs agree pixel for pixel), and answers hover and highlight.
 */
export class GridPainter {
  private shown: { result: StepResult; display: DisplayConfig } | null = null;

  constructor(
    private readonly inputCard: GridCard,
    private readonly outputCard: GridCard,
    private readonly hover: HoverInfo,
    private readonly colorBar: ColorBar,
    private readonly state: () => AppState,
  ) {
    inputCard.onHover((x, y) => this.hoverInput(x, y), () => hover.clear());
    outputCard.onHover((x, y) => this.hoverOutput(x, y), () => hover.clear());
  }

  paint(result: StepResult, display: DisplayConfig, requestedAt: number, receivedAt: number): void {
    const drawStart = performance.now();
    const input = renderInputGrid(result.input, result.inputShape, display);
    const { image: output, normalization } = renderOutputGridWithScale(result.output, result.outputShape, display);
    this.inputCard.draw(input);
    this.outputCard.draw(output);
    recordPaintTiming(result.step, requestedAt, { fetchMs: receivedAt - requestedAt, computeMs: result.computeMs, drawMs: performance.now() - drawStart });
    this.shown = { result, display };
    const first = result.indices[0] ?? 0;
    const last = result.indices[result.indices.length - 1] ?? 0;
    this.inputCard.setCaption(`step ${result.step}`, `[${result.inputShape.join(', ')}] uint8 → ToTensor · images ${first}–${last} · ${input.width}×${input.height} px`);
    const [n, c, oh, ow] = result.outputShape;
    const reshape = display.layout === 'rgb' && c % 3 === 0 ? `reshape(-1, 3, ${oh}, ${ow}) → ${(n * c) / 3} tiles` : `${n * c} single-channel tiles`;
    const how = display.normalization === 'tensorboard' && display.grid === 'tensorboard' && display.layout === 'rgb' ? 'as add_images shows it' : 'in the chosen display';
    this.outputCard.setCaption(`step ${result.step}`, `[${result.outputShape.join(', ')}] float32 · ${reshape} · ${output.width}×${output.height} px`, `the Conv2d output, ${how}`);
    this.colorBar.render(colorScaleFor(normalization, result));
    this.highlight();
  }

  /** Dims the tiles of every other class when a class is highlighted. */
  highlight(): void {
    const target = this.state().highlightClass;
    if (!this.shown || target === null) {
      this.inputCard.setHighlight(null);
      this.outputCard.setHighlight(null);
      return;
    }
    const { result, display } = this.shown;
    const keep = (sample: number) => result.labels[sample] === target;
    this.inputCard.setHighlight(tileRectsWhere('input', result.inputShape, display, keep));
    this.outputCard.setHighlight(tileRectsWhere('output', result.outputShape, display, keep));
  }

  private className(sample: number): string {
    const label = this.shown?.result.labels[sample];
    const names = this.state().dataset?.classNames ?? [];
    return label === undefined ? '?' : `${names[label] ?? 'class'} (${label})`;
  }

  private hoverInput(x: number, y: number): void {
    if (!this.shown) return;
    const { result, display } = this.shown;
    const hit = locateGridPixel('input', result.inputShape, display, x, y);
    if (!hit) return this.hover.clear();
    const sample = hit.sample;
    const [, c, hh, ww] = result.inputShape;
    const bytes = Array.from({ length: c }, (_, ch) => result.input[((sample * c + ch) * hh + hit.y) * ww + hit.x]!);
    this.hover.show('input', [
      { label: 'image', value: `${sample} of step (dataset #${result.indices[sample] ?? '?'})` },
      { label: 'class', value: this.className(sample), testId: 'hover-class' },
      { label: 'pixel', value: `x ${hit.x}, y ${hit.y}` },
      { label: c === 3 ? 'RGB' : 'bytes', value: bytes.join(', '), testId: 'hover-rgb' },
    ]);
  }

  private hoverOutput(x: number, y: number): void {
    if (!this.shown) return;
    const { result, display } = this.shown;
    const part = locateGridPixel('output', result.outputShape, display, x, y);
    if (!part) return this.hover.clear();
    const [, c, hh, ww] = result.outputShape;
    const values = part.channels.map((ch) => `c${ch} = ${formatActivation(result.output[((part.sample * c + ch) * hh + part.y) * ww + part.x]!)}`);
    this.hover.show('output', [
      { label: 'tile', value: String(part.tile) },
      { label: 'sample', value: String(part.sample) },
      { label: 'class', value: this.className(part.sample), testId: 'hover-class' },
      { label: part.channels.length > 1 ? 'channels' : 'channel', value: part.channels.join(', ') },
      { label: 'position', value: `y ${part.y}, x ${part.x}` },
      { label: 'activation', value: values.join(' · '), testId: 'hover-activation' },
    ]);
  }
}

function formatActivation(v: number): string {
  return Number.isFinite(v) ? v.toFixed(5) : String(v);
}
