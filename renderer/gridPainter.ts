import { clippedValues } from '../core/clippedValues';
import type { DisplayConfig } from '../core/displayConfig';
import { locateGridPixel } from '../core/gridLocate';
import type { StepResult } from '../core/hostContract';
import { layerModulesName } from '../core/layerShape';
import { renderInputGrid, renderOutputGridWithScale } from '../core/imageGrids';
import { receptiveField, receptiveFieldTaps } from '../core/receptiveField';
import type { AppState, TracePosition } from './appState';
import { selectedTrace } from './explain/selectedTrace';
import { matchStepLayer } from './explain/stepTensors';
import { colorScaleFor } from './colorScale';
import { tileRectsWhere } from './gridLookup';
import { recordPaintTiming } from './paintTimings';
import type { ColorBar } from './views/colorBar';
import type { GridCard, GridMark, TraceMark } from './views/gridCard';
import type { HoverInfo } from './views/hoverInfo';

export interface PainterEvents {
  /** The user asked to see one sample large. */
  openSample(sample: number): void;
  /** A click or Enter on an output pixel: trace that value. */
  selectTrace(position: TracePosition): void;
  /** The clipped-values note's button: switch to a display that scales to the data. */
  showUnclipped(): void;
  zoomBy(delta: number): void;
}

/**
 * Turns a step result into the two grids with the core's own renderers (the exporter uses the same
 * functions, so the screen and the PNGs agree pixel for pixel), and answers hover and highlight:
 * a tooltip at the pointer, a mark on the pixel, and on the other card what is linked to it.
 */
export class GridPainter {
  private shown: { result: StepResult; display: DisplayConfig } | null = null;

  constructor(
    private readonly inputCard: GridCard,
    private readonly outputCard: GridCard,
    private readonly hover: HoverInfo,
    private readonly colorBar: ColorBar,
    private readonly state: () => AppState,
    private readonly events: PainterEvents,
  ) {
    const leave = () => this.clearHover();
    inputCard.on({ hover: (x, y, at) => this.hoverInput(x, y, at), leave, open: (x, y) => this.open('input', x, y), zoomBy: (d) => events.zoomBy(d) });
    outputCard.on({ hover: (x, y, at) => this.hoverOutput(x, y, at), leave, open: (x, y) => this.open('output', x, y), zoomBy: (d) => events.zoomBy(d) });
  }

  paint(result: StepResult, display: DisplayConfig, requestedAt: number, receivedAt: number): void {
    const drawStart = performance.now();
    const input = renderInputGrid(result.input, result.inputShape, display);
    const { image: output, normalization } = renderOutputGridWithScale(result.output, result.outputShape, display);
    this.inputCard.draw(input);
    this.outputCard.draw(output);
    recordPaintTiming(result.step, requestedAt, { fetchMs: receivedAt - requestedAt, computeMs: result.computeMs, drawMs: performance.now() - drawStart });
    this.shown = { result, display };
    this.clearHover();
    this.showTrace();
    const first = result.indices[0] ?? 0;
    const last = result.indices[result.indices.length - 1] ?? 0;
    this.inputCard.setCaption(`step ${result.step}`, `[${result.inputShape.join(', ')}] uint8 → ToTensor · images ${first}–${last} · ${input.width}×${input.height} px`);
    const [n, c, oh, ow] = result.outputShape;
    const reshape = display.layout === 'rgb' && c % 3 === 0 ? `reshape(-1, 3, ${oh}, ${ow}) → ${(n * c) / 3} tiles` : `${n * c} single-channel tiles`;
    const how = display.normalization === 'tensorboard' && display.grid === 'tensorboard' && display.layout === 'rgb' ? 'as add_images shows it' : 'in the chosen display';
    this.outputCard.setCaption(`step ${result.step}`, `[${result.outputShape.join(', ')}] float32 · ${reshape} · ${output.width}×${output.height} px`, `the ${layerModulesName(this.state().layer?.config ?? {})} output, ${how}`);
    this.outputCard.setNote(...this.clippedNote(result, display));
    this.colorBar.render(colorScaleFor(normalization, result));
    this.highlight();
  }

  private clippedNote(result: StepResult, display: DisplayConfig): [string | null, { label: string; run: () => void }?] {
    const clipped = clippedValues(result.output, display);
    if (!clipped || clipped.below + clipped.above === 0) return [null];
    const count = clipped.below + clipped.above;
    const share = ((100 * count) / clipped.total).toFixed(count * 1000 < clipped.total ? 2 : 0);
    const fmt = (v: number) => v.toLocaleString('en');
    return [
      `${fmt(count)} of ${fmt(clipped.total)} values (${share}%) drawn clipped to ${clipped.lo}..${clipped.hi}`,
      { label: 'Show per channel', run: () => this.events.showUnclipped() },
    ];
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

  private clearHover(): void {
    this.hover.clear();
    this.inputCard.setMarks([]);
    this.outputCard.setMarks([]);
  }

  private className(sample: number): string {
    const label = this.shown?.result.labels[sample];
    const names = this.state().dataset?.classNames ?? [];
    return label === undefined ? '?' : `${names[label] ?? 'class'} (${label})`;
  }

  private open(which: 'input' | 'output', x: number, y: number): void {
    if (!this.shown) return;
    const { result, display } = this.shown;
    const hit = locateGridPixel(which, which === 'input' ? result.inputShape : result.outputShape, display, x, y);
    if (!hit) return;
    if (which === 'input') this.events.openSample(hit.sample);
    else this.events.selectTrace({ sample: hit.sample, channel: hit.channels[0]!, y: hit.y, x: hit.x });
  }

  /**
   * The traced value on both cards: its pixel on the output card, and on the input image it came
   * from the conv window (of the pool's winner, with a pool) with every tap, padding taps outside
   * the image, the padded frame, the next window along the row (the stride) and the hovered tap.
   */
  showTrace(): void {
    let marks: { input: TraceMark[]; output: TraceMark[] };
    try {
      marks = this.traceMarks();
    } catch {
      // A layer newer than the step on screen may not fit it: no marks until the repaint.
      marks = { input: [], output: [] };
    }
    this.inputCard.setTraceMarks(marks.input);
    this.outputCard.setTraceMarks(marks.output);
  }

  private traceMarks(): { input: TraceMark[]; output: TraceMark[] } {
    const none = { input: [], output: [] };
    const { trace, traceTap, layer } = this.state();
    if (!this.shown || !trace || !layer) return none;
    const { result, display } = this.shown;
    const match = matchStepLayer(result, layer);
    if (!match.ok) return none;
    const [n, c, oh, ow] = result.outputShape;
    if (trace.sample >= n || trace.channel >= c || trace.y >= oh || trace.x >= ow) return none;
    const output: TraceMark[] = [];
    for (const tile of tileRectsWhere('output', result.outputShape, display, (s) => s === trace.sample)) {
      const hit = locateGridPixel('output', result.outputShape, display, tile.x + trace.x, tile.y + trace.y);
      if (hit?.channels.includes(trace.channel)) output.push({ kind: 'trace-pixel', x: tile.x + trace.x, y: tile.y + trace.y, width: 1, height: 1 });
    }
    const traced = selectedTrace(match.value, trace).trace;
    const tile = tileRectsWhere('input', result.inputShape, display, (s) => s === trace.sample)[0];
    if (!tile || traced.convY === null || traced.convX === null) return { input: [], output };
    const [, ic, ih, iw] = result.inputShape;
    const f = receptiveFieldTaps(layer.config, [ic, ih, iw], trace.channel, traced.convY, traced.convX);
    const box = (kind: TraceMark['kind'], top: number, left: number, bottom: number, right: number): TraceMark => ({ kind, x: tile.x + left, y: tile.y + top, width: right - left, height: bottom - top });
    const input: TraceMark[] = [];
    const { pad } = f;
    if (pad.top + pad.bottom + pad.left + pad.right > 0) input.push(box('trace-padding', -pad.top, -pad.left, ih + pad.bottom, iw + pad.right));
    input.push(box('trace-field', f.top, f.left, f.bottom, f.right));
    if (f.next) input.push(box('trace-stride', f.next.top, f.next.left, f.next.bottom, f.next.right));
    for (const t of f.taps) input.push(box(t.inside ? 'trace-tap' : 'trace-pad', t.iy, t.ix, t.iy + 1, t.ix + 1));
    if (traceTap) {
      input.push(box('trace-active', traceTap.iy, traceTap.ix, traceTap.iy + 1, traceTap.ix + 1));
      if (traceTap.sourceY !== null && traceTap.sourceX !== null && (traceTap.sourceY !== traceTap.iy || traceTap.sourceX !== traceTap.ix)) {
        input.push(box('trace-active', traceTap.sourceY, traceTap.sourceX, traceTap.sourceY + 1, traceTap.sourceX + 1));
      }
    }
    return { input, output };
  }

  private sampleTile(which: 'input' | 'output', sample: number): GridMark[] {
    const { result, display } = this.shown!;
    return tileRectsWhere(which, which === 'input' ? result.inputShape : result.outputShape, display, (s) => s === sample).map((r) => ({ ...r, kind: 'tile' as const }));
  }

  private hoverInput(x: number, y: number, at: { x: number; y: number }): void {
    if (!this.shown) return;
    const { result, display } = this.shown;
    const hit = locateGridPixel('input', result.inputShape, display, x, y);
    if (!hit) return this.clearHover();
    const sample = hit.sample;
    const [, c, hh, ww] = result.inputShape;
    const bytes = Array.from({ length: c }, (_, ch) => result.input[((sample * c + ch) * hh + hit.y) * ww + hit.x]!);
    this.inputCard.setMarks([{ kind: 'pixel', x, y, width: 1, height: 1 }]);
    this.outputCard.setMarks(this.sampleTile('output', sample));
    this.hover.show('input', [
      { label: 'image', value: `${sample} of step (dataset #${result.indices[sample] ?? '?'})` },
      { label: 'class', value: this.className(sample), testId: 'hover-class' },
      { label: 'pixel', value: `x ${hit.x}, y ${hit.y}` },
      { label: c === 3 ? 'RGB' : c === 1 ? 'grey' : 'bytes', value: bytes.join(', '), testId: 'hover-rgb' },
    ], at);
  }

  private hoverOutput(x: number, y: number, at: { x: number; y: number }): void {
    if (!this.shown) return;
    const { result, display } = this.shown;
    const part = locateGridPixel('output', result.outputShape, display, x, y);
    if (!part) return this.clearHover();
    const [, c, hh, ww] = result.outputShape;
    const values = part.channels.map((ch) => `c${ch} = ${formatActivation(result.output[((part.sample * c + ch) * hh + part.y) * ww + part.x]!)}`);
    const parts = [
      { label: 'tile', value: String(part.tile) },
      { label: 'sample', value: String(part.sample) },
      { label: 'class', value: this.className(part.sample), testId: 'hover-class' },
      { label: part.channels.length > 1 ? 'channels' : 'channel', value: part.channels.join(', ') },
      { label: 'position', value: `y ${part.y}, x ${part.x}`, testId: 'hover-position' },
      { label: 'activation', value: values.join(' · '), testId: 'hover-activation' },
    ];
    const inputMarks = this.sampleTile('input', part.sample);
    const layer = this.state().layer;
    const [, ic, ih, iw] = result.inputShape;
    // After a pool an output pixel reads a window of conv outputs: the conv's field would understate it.
    if (layer && !layer.config.pool && inputMarks[0]) {
      try {
        const field = receptiveField(layer.config, [ic, ih, iw], part.channels[0]!, part.y, part.x);
        const tile = inputMarks[0];
        if (field.y1 > field.y0 && field.x1 > field.x0) inputMarks.push({ kind: 'field', x: tile.x + field.x0, y: tile.y + field.y0, width: field.x1 - field.x0, height: field.y1 - field.y0 });
        const channels = field.c1 - field.c0 === ic ? 'all input channels' : `input channels ${field.c0}–${field.c1 - 1}`;
        parts.push({ label: 'reads', value: `rows ${field.y0}–${field.y1 - 1}, columns ${field.x0}–${field.x1 - 1} of image ${part.sample}, ${channels}${field.clipped ? ' (and padding)' : ''}`, testId: 'hover-field' });
      } catch {
        // A layer newer than the result on screen may not fit it: no link until the repaint.
      }
    }
    this.outputCard.setMarks([{ kind: 'pixel', x, y, width: 1, height: 1 }]);
    this.inputCard.setMarks(inputMarks);
    this.hover.show('output', parts, at);
  }
}

function formatActivation(v: number): string {
  return Number.isFinite(v) ? v.toFixed(5) : String(v);
}
