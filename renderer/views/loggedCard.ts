import type { LoggedImage, LogdirInfo } from '../../core/hostContract';
import { renderInputGrid, renderOutputGrid } from '../../core/imageGrids';
import { differenceText, ImageSizeMismatchError, pixelDifference } from '../../core/pixelDifference';
import type { RgbaImage } from '../../core/rgbaImage';
import type { AppState } from '../appState';
import { field, h, option } from '../dom/element';
import { errorText } from '../errorText';

export interface LoggedCardEvents {
  open(logdir: string): void;
  image(run: string, tag: string, step: number): Promise<LoggedImage | null>;
}

/**
 * Which of ConvBoard's grids a logged tag can be checked against: the tutorial's nn_conv2d_input /
 * nn_conv2d_output, ConvBoard's own input / output, anything ending the same way.
 */
export function comparedGrid(tag: string): 'input' | 'output' | null {
  if (/input$/i.test(tag)) return 'input';
  if (/output$/i.test(tag)) return 'output';
  return null;
}

function paint(canvas: HTMLCanvasElement, image: RgbaImage): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const data = new ImageData(new Uint8ClampedArray(image.rgba.buffer as ArrayBuffer, image.rgba.byteOffset, image.rgba.byteLength), image.width, image.height);
  canvas.getContext('2d')!.putImageData(data, 0, 0);
}

/** The PNG's own bytes: no colour conversion, no premultiplication, so equal files give equal pixels. */
async function decodePng(png: Uint8Array): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } finally {
    bitmap.close();
  }
}

/**
 * "Logged": an image a training run wrote with add_images, at the step on screen, next to the grid
 * ConvBoard computes for that step; for input and output tags, where the two differ.
 */
export class LoggedCard {
  readonly element: HTMLElement;
  private readonly path = h('input', { type: 'text', id: 'logdir-path', placeholder: '/path/to/runs', spellcheck: 'false' });
  private readonly openButton = h('button', { type: 'button', class: 'button', id: 'logdir-open' }, 'Open log folder');
  private readonly run = h('select', { id: 'logged-run' });
  private readonly tag = h('select', { id: 'logged-tag' });
  private readonly error = h('div', { class: 'field-error', role: 'alert', 'data-testid': 'error-logdir' });
  private readonly logged = h('canvas', { class: 'logged-canvas', 'data-testid': 'logged-image', width: 1, height: 1, role: 'img', 'aria-label': 'the logged image' });
  private readonly computed = h('canvas', { class: 'logged-canvas', 'data-testid': 'logged-computed', width: 1, height: 1, role: 'img', 'aria-label': 'the grid ConvBoard computes' });
  private readonly diff = h('canvas', { class: 'logged-canvas', 'data-testid': 'logged-diff', width: 1, height: 1, role: 'img', 'aria-label': 'where the two differ, in red' });
  private readonly compareFigures: HTMLDivElement;
  private readonly loggedCaption = h('figcaption', {}, 'your run logged this');
  private readonly status = h('div', { class: 'logged-status', role: 'status', 'data-testid': 'logged-compare' });
  private readonly body: HTMLDivElement;
  private info: LogdirInfo | null = null;
  private state: AppState | null = null;
  private generation = 0;

  constructor(private readonly events: LoggedCardEvents) {
    const open = () => events.open(this.path.value.trim());
    this.openButton.addEventListener('click', open);
    this.path.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') open();
    });
    this.run.addEventListener('change', () => {
      this.fillTags();
      void this.refresh();
    });
    this.tag.addEventListener('change', () => void this.refresh());
    const figure = (canvas: HTMLCanvasElement, caption: HTMLElement | string) => h('figure', { class: 'logged-figure' }, h('div', { class: 'logged-frame' }, canvas), typeof caption === 'string' ? h('figcaption', {}, caption) : caption);
    this.compareFigures = h('div', { class: 'logged-figures' }, figure(this.computed, 'ConvBoard computes this'), figure(this.diff, 'difference (red: pixels that differ)'));
    this.body = h('div', { class: 'logged-body', hidden: true }, h('div', { class: 'logged-figures' }, figure(this.logged, this.loggedCaption), this.compareFigures), this.status);
    this.element = h(
      'section',
      { class: 'card logged-card', 'aria-label': 'Logged images', 'data-testid': 'logged-card' },
      h('div', { class: 'card-header' }, h('h2', { class: 'card-title' }, 'Logged'), h('span', { class: 'card-subtitle' }, 'what a run logged with add_images, beside what ConvBoard computes for the same step')),
      h('div', { class: 'open-row' }, field('log folder', this.path, 'a TensorBoard logdir (events.out.tfevents.* files, or run folders of them)').row, this.openButton),
      h('div', { class: 'open-row' }, field('run', this.run).row, field('image tag', this.tag).row),
      this.error,
      this.body,
    );
  }

  render(state: AppState, previous: AppState): void {
    this.state = state;
    if (state.errors.logdir !== previous.errors.logdir) this.error.textContent = state.errors.logdir ?? '';
    let changed = false;
    if (state.logdir !== this.info) {
      this.info = state.logdir;
      this.fillRuns();
      changed = true;
    }
    if (changed || state.result !== previous.result || state.display !== previous.display) void this.refresh();
  }

  private fillRuns(): void {
    const runs = this.info?.runs ?? [];
    const keep = this.run.value;
    this.run.replaceChildren(...runs.map((r) => option(r.run, r.run === '.' ? '. (the log folder itself)' : r.run, r.run === keep)));
    this.body.hidden = runs.length === 0;
    this.fillTags();
  }

  private fillTags(): void {
    const run = this.info?.runs.find((r) => r.run === this.run.value);
    const keep = this.tag.value;
    const tags = run?.imageTags ?? [];
    this.tag.replaceChildren(...tags.map((t) => option(t.tag, `${t.tag} (${t.steps.length} steps)`, t.tag === keep)));
    // The tutorial's output is what a user most wants checked first.
    if (!tags.some((t) => t.tag === keep)) {
      const preferred = tags.find((t) => comparedGrid(t.tag) === 'output') ?? tags[0];
      if (preferred) this.tag.value = preferred.tag;
    }
  }

  private done(key: string, text: string): void {
    this.status.textContent = text;
    this.element.dataset.shown = key;
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const state = this.state;
    const result = state?.result;
    if (!state || !result || !this.info || this.run.value === '' || this.tag.value === '') return;
    const run = this.run.value;
    const tag = this.tag.value;
    const step = result.step;
    const key = `${run}|${tag}|${step}`;
    this.element.dataset.shown = '';
    let image: LoggedImage | null;
    let decoded: RgbaImage;
    try {
      image = await this.events.image(run, tag, step);
      if (generation !== this.generation) return;
      if (!image) {
        const steps = this.info.runs.find((r) => r.run === run)?.imageTags.find((t) => t.tag === tag)?.steps ?? [];
        this.logged.width = this.logged.height = 1;
        this.compareFigures.hidden = true;
        this.done(key, `${tag} has no image at step ${step} (logged at ${steps.length} steps, ${steps[0]}–${steps.at(-1)})`);
        return;
      }
      decoded = await decodePng(image.png);
    } catch (error) {
      if (generation === this.generation) this.done(key, `cannot show ${tag} at step ${step}: ${errorText(error)}`);
      return;
    }
    if (generation !== this.generation) return;
    paint(this.logged, decoded);
    this.loggedCaption.textContent = `your run logged this (step ${step}, ${decoded.width}×${decoded.height})`;
    const grid = comparedGrid(tag);
    this.compareFigures.hidden = grid === null;
    if (grid === null) {
      this.done(key, `${tag}: not compared (only tags ending in "input" or "output" match one of ConvBoard's grids)`);
      return;
    }
    const computed = grid === 'input'
      ? renderInputGrid(result.input, result.inputShape, state.display)
      : renderOutputGrid(result.output, result.outputShape, state.display);
    paint(this.computed, computed);
    try {
      const d = pixelDifference(decoded, computed);
      paint(this.diff, d.image);
      this.done(key, `${grid} grid, step ${step}: ${differenceText(d)}`);
    } catch (error) {
      if (!(error instanceof ImageSizeMismatchError)) throw error;
      this.diff.width = this.diff.height = 1;
      this.done(key, `${grid} grid, step ${step}: ${error.message} (another layer, batch size or grid setting)`);
    }
  }
}
